// Compatibility rules, one block per rule family, each checked in both directions: a change that a
// new reader tolerates (BACKWARD) is often one an old reader does not (FORWARD), and vice versa.
import { describe, expect, it } from "vitest";
import { checkCompatibility, formatReason, incompatibilities } from "./compatibility";
import { diffSchemas, isCompatibleDifference } from "./schema-diff";

type Schema = Record<string, unknown> | boolean;

/** Types of the incompatible differences when `reader` reads what `writer` wrote. */
function breaks(writer: Schema, reader: Schema): string[] {
  return diffSchemas(writer, reader)
    .filter((d) => !isCompatibleDifference(d))
    .map((d) => d.type);
}

/** Both directions at once: BACKWARD (new reads old) and FORWARD (old reads new). */
function judge(oldSchema: Schema, newSchema: Schema) {
  return { backward: breaks(oldSchema, newSchema), forward: breaks(newSchema, oldSchema) };
}

const object = (properties: Record<string, Schema>, extra: Record<string, unknown> = {}) => ({ type: "object", properties, ...extra });
const closed = (properties: Record<string, Schema>, extra: Record<string, unknown> = {}) => object(properties, { additionalProperties: false, ...extra });

describe("content models: adding and removing properties", () => {
  it("adding a property to an open object breaks BACKWARD (old data may hold anything there) but not FORWARD", () => {
    const result = judge(object({ orderId: { type: "string" } }), object({ orderId: { type: "string" }, note: { type: "string" } }));
    expect(result.backward).toEqual(["OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL"]);
    expect(result.forward).toEqual([]);
  });

  it("a property added to an open object with an empty schema breaks nothing", () => {
    expect(judge(object({}), object({ anything: {} }))).toEqual({ backward: [], forward: [] });
  });

  it("adding an optional property to a closed object is BACKWARD compatible; an old reader rejects it (FORWARD)", () => {
    const result = judge(closed({ orderId: { type: "string" } }), closed({ orderId: { type: "string" }, note: { type: "string" } }));
    expect(result.backward).toEqual([]);
    expect(result.forward).toEqual(["PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL"]);
  });

  it("adding a required property to a closed object needs a default", () => {
    const without = judge(closed({ a: { type: "string" } }), closed({ a: { type: "string" }, b: { type: "string" } }, { required: ["b"] }));
    expect(without.backward).toEqual(["REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL"]);
    const withDefault = judge(closed({ a: { type: "string" } }), closed({ a: { type: "string" }, b: { type: "string", default: "x" } }, { required: ["b"] }));
    expect(withDefault.backward).toEqual([]);
  });

  it("a partially open object (additionalProperties schema) accepts a new property only if its schema fits", () => {
    const partial = (props: Record<string, Schema>) => object(props, { additionalProperties: { type: "number" } });
    expect(judge(partial({}), partial({ amount: { type: "number", description: "in cents" } })).backward).toEqual([]);
    expect(judge(partial({}), partial({ amount: { type: "string" } })).backward).toEqual(["TYPE_CHANGED", "PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL"]);
  });

  it("patternProperties cover added and removed properties whose names match", () => {
    const withPatterns = (props: Record<string, Schema>) => object(props, { additionalProperties: false, patternProperties: { "^n_": { type: "number" } } });
    expect(judge(withPatterns({}), withPatterns({ n_total: { type: "number" } })).backward).toEqual([]);
    // The pattern allowed any number; an integer-only property would reject 1.5 written before.
    expect(judge(withPatterns({}), withPatterns({ n_total: { type: "integer" } })).backward).toEqual(["TYPE_NARROWED", "PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL"]);
    expect(judge(withPatterns({}), withPatterns({ s_total: { type: "string" } })).backward).toEqual([]);
    // Removed, and the pattern accepts its values (BACKWARD ok); an old reader still insists on integers.
    expect(judge(withPatterns({ n_count: { type: "integer" } }), withPatterns({}))).toEqual({
      backward: [],
      forward: ["TYPE_NARROWED", "PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL"],
    });
    // Removed, and its values are not numbers: the pattern does not cover it.
    expect(judge(withPatterns({ n_label: { type: "string" } }), withPatterns({})).backward).toEqual(["TYPE_CHANGED", "PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL"]);
  });

  it("a pattern that backtracks catastrophically in JavaScript is judged as JavaScript would judge it", () => {
    // Issue 14: with `new RegExp`, testing this key against ^(a+)+$ froze the web server.
    const judgeKey = (key: string) => {
      const latest = { type: "object", properties: { [key]: { type: "string" } } };
      const candidate = { type: "object", additionalProperties: false, patternProperties: { "^(a+)+$": { type: "string" } } };
      return checkCompatibility(candidate, [{ version: 1, schema: latest }], "BACKWARD").map((r) => `${r.type} ${r.path}`);
    };
    expect(judgeKey(`${"a".repeat(48)}!`)).toEqual([`PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL #/properties/${"a".repeat(48)}!`, "ADDITIONAL_PROPERTIES_REMOVED #/additionalProperties"]);
    expect(judgeKey("a!")).toEqual(["PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL #/properties/a!", "ADDITIONAL_PROPERTIES_REMOVED #/additionalProperties"]);
    expect(judgeKey("aaaa")).toEqual(["ADDITIONAL_PROPERTIES_REMOVED #/additionalProperties"]);
  });

  it("a pattern RE2 cannot run (a backreference) covers no key, like one JavaScript cannot compile", () => {
    const withPattern = (pattern: string) => object({}, { additionalProperties: false, patternProperties: { [pattern]: { type: "string" } } });
    expect(judge(object({ aa: { type: "string" } }), withPattern("^(a)\\1$")).backward).toContain("PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL");
    expect(judge(object({ aa: { type: "string" } }), withPattern("^(a)a$")).backward).not.toContain("PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL");
  });

  it("removing a property from a closed object breaks BACKWARD; from an open one it does not", () => {
    expect(judge(closed({ a: { type: "string" }, b: { type: "string" } }), closed({ a: { type: "string" } })).backward).toEqual(["PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL"]);
    expect(judge(object({ a: { type: "string" }, b: { type: "string" } }), object({ a: { type: "string" } })).backward).toEqual([]);
  });

  it("closing an open object breaks BACKWARD; opening a closed one is compatible", () => {
    expect(judge(object({ a: { type: "string" } }), closed({ a: { type: "string" } }))).toEqual({ backward: ["ADDITIONAL_PROPERTIES_REMOVED"], forward: [] });
  });

  it("restricting additional properties with a schema breaks BACKWARD (ADDITIONAL_PROPERTIES_NARROWED)", () => {
    expect(judge(object({}), object({}, { additionalProperties: { type: "string" } }))).toEqual({ backward: ["ADDITIONAL_PROPERTIES_NARROWED"], forward: [] });
  });
});

describe("required", () => {
  it("making an existing property required breaks BACKWARD only", () => {
    expect(judge(object({ customerId: { type: "string" } }), object({ customerId: { type: "string" } }, { required: ["customerId"] }))).toEqual({
      backward: ["REQUIRED_ATTRIBUTE_ADDED"],
      forward: [],
    });
  });

  it("making it required with a default is compatible both ways", () => {
    expect(judge(object({ channel: { type: "string" } }), object({ channel: { type: "string", default: "web" } }, { required: ["channel"] }))).toEqual({ backward: [], forward: [] });
  });

  it("dependencies: adding a property dependency breaks BACKWARD, removing one breaks FORWARD", () => {
    const props = { card: { type: "string" }, cvc: { type: "string" } };
    expect(judge(object(props), object(props, { dependencies: { card: ["cvc"] } }))).toEqual({ backward: ["DEPENDENCY_ARRAY_ADDED"], forward: [] });
  });
});

describe("types", () => {
  it("changing a property's type breaks both directions", () => {
    expect(judge(object({ total: { type: "number" } }), object({ total: { type: "string" } }))).toEqual({ backward: ["TYPE_CHANGED"], forward: ["TYPE_CHANGED"] });
  });

  it("integer to number widens (BACKWARD ok), number to integer narrows", () => {
    expect(judge({ type: "integer" }, { type: "number" })).toEqual({ backward: [], forward: ["TYPE_NARROWED"] });
  });

  it("adding a type to a type list extends it", () => {
    expect(judge({ type: ["string"] }, { type: ["string", "null"] })).toEqual({ backward: [], forward: ["SUM_TYPE_NARROWED"] });
  });

  it("anything may become the empty schema; nothing was valid under false", () => {
    expect(breaks({ type: "string" }, {})).toEqual([]);
    expect(breaks(false, { type: "string" })).toEqual([]);
    expect(breaks({}, { type: "object", properties: {} })).toEqual(["TYPE_CHANGED"]);
  });
});

describe("enums and const", () => {
  it("adding enum values is BACKWARD compatible, removing them is not", () => {
    expect(judge({ enum: ["EUR", "USD"] }, { enum: ["EUR", "USD", "GBP"] })).toEqual({ backward: [], forward: ["ENUM_ARRAY_NARROWED"] });
    // With "type" beside it, the enum is one member of an implicit allOf, so the member goes unmatched.
    expect(judge({ type: "string", enum: ["EUR", "USD"] }, { type: "string", enum: ["EUR", "USD", "GBP"] })).toEqual({ backward: [], forward: ["COMBINED_TYPE_SUBSCHEMAS_CHANGED"] });
  });

  it("a const that changes value breaks both directions", () => {
    expect(judge({ const: "OrderPlaced" }, { const: "OrderCreated" })).toEqual({ backward: ["ENUM_ARRAY_CHANGED"], forward: ["ENUM_ARRAY_CHANGED"] });
  });

  it("dropping an enum from a typed string is compatible (the allOf loses a member)", () => {
    expect(judge({ type: "string", enum: ["a"] }, { type: "string" })).toEqual({ backward: [], forward: ["TYPE_CHANGED"] });
  });
});

describe("numeric limits", () => {
  it("raising maximum / lowering minimum accepts more (BACKWARD ok); the reverse does not", () => {
    expect(judge({ type: "number", maximum: 100 }, { type: "number", maximum: 1000 })).toEqual({ backward: [], forward: ["MAXIMUM_DECREASED"] });
    expect(judge({ type: "number", minimum: 10 }, { type: "number", minimum: 0 })).toEqual({ backward: [], forward: ["MINIMUM_INCREASED"] });
    expect(judge({ type: "number", exclusiveMaximum: 5 }, { type: "number" })).toEqual({ backward: [], forward: ["EXCLUSIVE_MAXIMUM_ADDED"] });
  });

  it("multipleOf: a divisor accepts more, a multiple fewer, anything else changes", () => {
    expect(judge({ type: "number", multipleOf: 10 }, { type: "number", multipleOf: 5 })).toEqual({ backward: [], forward: ["MULTIPLE_OF_EXPANDED"] });
    expect(breaks({ type: "number", multipleOf: 0.5 }, { type: "number", multipleOf: 1.5 })).toEqual(["MULTIPLE_OF_EXPANDED"]);
    expect(breaks({ type: "number", multipleOf: 4 }, { type: "number", multipleOf: 6 })).toEqual(["MULTIPLE_OF_CHANGED"]);
  });
});

describe("string limits", () => {
  it("maxLength and minLength follow the same rule as numeric limits", () => {
    expect(judge({ type: "string", maxLength: 10 }, { type: "string", maxLength: 20 })).toEqual({ backward: [], forward: ["MAX_LENGTH_DECREASED"] });
    expect(judge({ type: "string" }, { type: "string", minLength: 1 })).toEqual({ backward: ["MIN_LENGTH_ADDED"], forward: [] });
  });

  it("a pattern may be dropped but not added or changed", () => {
    expect(judge({ type: "string", pattern: "^ord-" }, { type: "string" })).toEqual({ backward: [], forward: ["PATTERN_ADDED"] });
    expect(breaks({ type: "string", pattern: "^ord-" }, { type: "string", pattern: "^order-" })).toEqual(["PATTERN_CHANGED"]);
  });
});

describe("arrays", () => {
  it("a schema for items where there was none breaks BACKWARD", () => {
    expect(judge({ type: "array" }, { type: "array", items: { type: "string" } })).toEqual({ backward: ["SCHEMA_ADDED"], forward: [] });
  });

  it("items limits and uniqueness", () => {
    expect(judge({ type: "array", minItems: 1 }, { type: "array", minItems: 2 })).toEqual({ backward: ["MIN_ITEMS_INCREASED"], forward: [] });
    expect(judge({ type: "array", maxItems: 5 }, { type: "array" })).toEqual({ backward: [], forward: ["MAX_ITEMS_ADDED"] });
    expect(judge({ type: "array" }, { type: "array", uniqueItems: true })).toEqual({ backward: ["UNIQUE_ITEMS_ADDED"], forward: [] });
  });

  it("positional items: adding one to a closed tuple is fine, to an open tuple it is not", () => {
    const tuple = (items: Schema[], additionalItems?: Schema) => ({ type: "array", items, ...(additionalItems === undefined ? {} : { additionalItems }) });
    expect(judge(tuple([{ type: "string" }], false), tuple([{ type: "string" }, { type: "integer" }], false))).toEqual({ backward: [], forward: ["ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL"] });
    expect(judge(tuple([{ type: "string" }]), tuple([{ type: "string" }, { type: "integer" }]))).toEqual({ backward: ["ITEM_ADDED_TO_OPEN_CONTENT_MODEL"], forward: [] });
  });

  it("2020-12 prefixItems with items:false is a closed tuple", () => {
    const tuple = (prefixItems: Schema[]) => ({ $schema: "https://json-schema.org/draft/2020-12/schema", type: "array", prefixItems, items: false });
    expect(judge(tuple([{ type: "string" }]), tuple([{ type: "string" }, { type: "number" }]))).toEqual({ backward: [], forward: ["ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL"] });
  });

  it("a change inside the item schema is found at its path", () => {
    const differences = diffSchemas({ type: "array", items: object({ sku: { type: "string" } }) }, { type: "array", items: object({ sku: { type: "integer" } }) });
    expect(differences.map((d) => `${d.type} #/${d.path.join("/")}`)).toEqual(["TYPE_CHANGED #/items/properties/sku"]);
  });
});

describe("allOf / anyOf / oneOf", () => {
  it("a oneOf that gains an option is BACKWARD compatible and loses one FORWARD", () => {
    const before = { oneOf: [{ type: "string" }] };
    const after = { oneOf: [{ type: "string" }, { type: "null" }] };
    expect(judge(before, after)).toEqual({ backward: [], forward: ["SUM_TYPE_NARROWED"] });
  });

  it("a plain schema may become a union that contains it", () => {
    expect(judge({ type: "string", maxLength: 5 }, { anyOf: [{ type: "integer" }, { type: "string" }] }).backward).toEqual([]);
  });

  it("an allOf that gains a member is PRODUCT_TYPE_EXTENDED (breaks BACKWARD), losing one narrows it", () => {
    const before = { allOf: [{ type: "string" }] };
    const after = { allOf: [{ type: "string" }, { maxLength: 10 }] };
    expect(judge(before, after)).toEqual({ backward: ["PRODUCT_TYPE_EXTENDED"], forward: [] });
  });

  it("switching oneOf to anyOf extends it; anyOf with several options to oneOf changes it", () => {
    expect(breaks({ oneOf: [{ type: "string" }, { type: "integer" }] }, { anyOf: [{ type: "string" }, { type: "integer" }] })).toEqual([]);
    expect(breaks({ anyOf: [{ type: "string" }, { type: "integer" }] }, { oneOf: [{ type: "string" }, { type: "integer" }] })).toEqual(["COMBINED_TYPE_CHANGED"]);
  });

  it("options are matched regardless of order, and an unmatched option is reported", () => {
    expect(breaks({ oneOf: [{ type: "string" }, { type: "integer" }] }, { oneOf: [{ type: "integer" }, { type: "string" }] })).toEqual([]);
    expect(breaks({ oneOf: [{ type: "string" }, { type: "integer" }] }, { oneOf: [{ type: "boolean" }, { type: "string" }] })).toEqual(["COMBINED_TYPE_SUBSCHEMAS_CHANGED"]);
  });

  it("not: excluding less is compatible, excluding more is not", () => {
    expect(judge({ not: { type: "number" } }, { not: { type: "integer" } })).toEqual({ backward: [], forward: ["NOT_TYPE_EXTENDED"] });
  });
});

describe("$ref", () => {
  const withDefinition = (money: Schema) => ({ type: "object", properties: { total: { $ref: "#/definitions/money" } }, definitions: { money } });

  it("a change inside a referenced definition is found where it is used", () => {
    const differences = diffSchemas(withDefinition({ type: "number" }), withDefinition({ type: "string" }));
    expect(differences.map((d) => `${d.type} #/${d.path.join("/")}`)).toEqual(["TYPE_CHANGED #/properties/total"]);
  });

  it("inlining a referenced schema (or the reverse) is no change", () => {
    expect(judge(withDefinition({ type: "number" }), object({ total: { type: "number" } }))).toEqual({ backward: [], forward: [] });
  });

  it("2020-12 $defs resolve the same way", () => {
    const schema = (type: string) => ({ $schema: "https://json-schema.org/draft/2020-12/schema", $ref: "#/$defs/id", $defs: { id: { type } } });
    expect(judge(schema("integer"), schema("number"))).toEqual({ backward: [], forward: ["TYPE_NARROWED"] });
  });

  it("recursive schemas terminate, and a change deep in the recursion is still found", () => {
    const tree = (valueType: string) => ({ $ref: "#/definitions/node", definitions: { node: object({ value: { type: valueType }, children: { type: "array", items: { $ref: "#/definitions/node" } } }) } });
    expect(judge(tree("string"), tree("string"))).toEqual({ backward: [], forward: [] });
    const found = diffSchemas(tree("string"), tree("integer")).map((d) => `${d.type} #/${d.path.join("/")}`);
    expect(found).toContain("TYPE_CHANGED #/properties/value");
  });

  it("a recursive union does not hide an incompatible change behind an assumption made on the way", () => {
    const node = (idType: string, next: string) => object({ id: { type: idType }, next: { oneOf: [{ $ref: `#/definitions/${next}` }] } });
    const schema = (a: string, b: string) => ({
      definitions: { A: node(a, "C"), B: node(b, "C"), C: node("integer", "A") },
      ...object({ root: { oneOf: [{ $ref: "#/definitions/A" }, { $ref: "#/definitions/B" }] } }),
    });
    expect(breaks(schema("integer", "boolean"), schema("boolean", "number")).length).toBeGreaterThan(0);
  });
});

describe("compatibility levels", () => {
  const v1 = closed({ orderId: { type: "string" } });
  const v2 = closed({ orderId: { type: "string" }, note: { type: "string" } });
  const v3 = closed({ orderId: { type: "string" }, note: { type: "string" }, channel: { type: "string" } });
  const earlier = [
    { version: 1, schema: v1 },
    { version: 2, schema: v2 },
  ];

  it("NONE accepts anything", () => {
    expect(checkCompatibility({ type: "string" }, earlier, "NONE")).toEqual([]);
  });

  it("BACKWARD checks against the latest version only; BACKWARD_TRANSITIVE against all", () => {
    // Drops "note" (v2 writes it; the new closed schema rejects it) but matches v1 exactly.
    const candidate = closed({ orderId: { type: "string" } });
    expect(checkCompatibility(candidate, earlier, "BACKWARD").map((r) => r.version)).toEqual([2]);
    // Compatible with v2 (adds an optional field) but v1... also fine: additive to closed is compatible.
    expect(checkCompatibility(v3, earlier, "BACKWARD_TRANSITIVE")).toEqual([]);
    const narrowed = closed({ orderId: { type: "string", maxLength: 5 }, note: { type: "string" } });
    expect(checkCompatibility(narrowed, [{ version: 1, schema: closed({ orderId: { type: "string" } }) }, { version: 2, schema: closed({ orderId: { type: "string", maxLength: 5 }, note: { type: "string" } }) }], "BACKWARD")).toEqual([]);
    expect(checkCompatibility(narrowed, [{ version: 1, schema: closed({ orderId: { type: "string" } }) }, { version: 2, schema: closed({ orderId: { type: "string", maxLength: 5 }, note: { type: "string" } }) }], "BACKWARD_TRANSITIVE").map((r) => [r.version, r.type])).toEqual([[1, "MAX_LENGTH_ADDED"]]);
  });

  it("FORWARD: the old schema must read the new one's data", () => {
    expect(checkCompatibility(v3, earlier, "FORWARD").map((r) => [r.type, r.direction])).toEqual([["PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL", "forward"]]);
    expect(checkCompatibility(v1, [{ version: 1, schema: v2 }], "FORWARD")).toEqual([]);
  });

  it("FULL needs both directions; FULL_TRANSITIVE against every version", () => {
    const openV1 = object({ a: { type: "string" } });
    const same = object({ a: { type: "string" }, b: {} });
    expect(checkCompatibility(same, [{ version: 1, schema: openV1 }], "FULL")).toEqual([]);
    expect(checkCompatibility(v3, earlier, "FULL").map((r) => r.direction)).toEqual(["forward"]);
    expect(new Set(checkCompatibility(v3, earlier, "FULL_TRANSITIVE").map((r) => r.version))).toEqual(new Set([1, 2]));
  });
});

describe("messages", () => {
  const message = (writer: Schema, reader: Schema) => incompatibilities(reader, [{ version: 1, schema: writer }], ["backward"]).map((r) => r.message);

  it("say what broke in the words of the issue", () => {
    expect(message(object({ customerId: { type: "string" } }), object({ customerId: { type: "string" } }, { required: ["customerId"] }))).toEqual(["property `customerId` became required"]);
    expect(message(object({ total: { type: "number" } }), object({ total: { type: "string" } }))).toEqual(["type of `total` changed from number to string"]);
    expect(message(object({}), object({ couponCode: { type: "string" } }))).toEqual([
      "a property (`couponCode`) was added to an open content model; declare `additionalProperties: false` to allow adding optional fields",
    ]);
  });

  it("name nested fields by their dotted path, and limits by keyword", () => {
    const writer = object({ data: object({ items: { type: "array", items: object({ sku: { type: "string", maxLength: 20 } }) } }) });
    const reader = object({ data: object({ items: { type: "array", items: object({ sku: { type: "string", maxLength: 10 } }) } }) });
    expect(message(writer, reader)).toEqual(["maxLength of `data.items[].sku` decreased"]);
  });

  it("format a reason with Confluent's type, path and the version it was checked against", () => {
    const [reason] = incompatibilities(object({ total: { type: "string" } }), [{ version: 3, schema: object({ total: { type: "number" } }) }], ["backward"]);
    expect(formatReason(reason!)).toBe("type of `total` changed from number to string (TYPE_CHANGED at #/properties/total; reading v3 data)");
  });
});
