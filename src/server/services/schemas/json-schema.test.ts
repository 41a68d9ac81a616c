import { describe, expect, it } from "vitest";
import { parseJsonSchema, SCHEMA_MAX_BYTES, validateValue } from "./json-schema";

describe("parsing schemas", () => {
  it("accepts draft-07 (also without $schema) and 2020-12, and fingerprints equal schemas alike", () => {
    const a = parseJsonSchema('{"type":"object","properties":{"a":{"type":"string"}}}');
    const b = parseJsonSchema('{\n  "properties": {"a": {"type": "string"}},\n  "type": "object"\n}');
    expect(a).toMatchObject({ ok: true, draft: "draft-07" });
    expect(a.ok && b.ok && a.fingerprint === b.fingerprint).toBe(true);
    expect(parseJsonSchema('{"$schema":"https://json-schema.org/draft/2020-12/schema","prefixItems":[{"type":"string"}]}')).toMatchObject({ ok: true, draft: "2020-12" });
  });

  it("says where a schema is wrong", () => {
    expect(parseJsonSchema('{"type":"object",\n"properties":{"total":{"type":"numbr"}}}')).toEqual({
      ok: false,
      problems: ['at /properties/total/type: must be equal to one of the allowed values: "array", "boolean", "integer", "null", "number", "object", "string"'],
    });
    expect(parseJsonSchema('{"type": "object",\n  "properties": {,}}')).toEqual({ ok: false, problems: [expect.stringMatching(/not valid JSON.*\(line 2, column 18\)/)] });
    expect(parseJsonSchema('{"$ref":"#/definitions/missing"}')).toEqual({ ok: false, problems: [expect.stringMatching(/cannot be compiled: can't resolve reference #\/definitions\/missing/)] });
    expect(parseJsonSchema('{"$schema":"http://json-schema.org/draft-04/schema#"}')).toEqual({ ok: false, problems: [expect.stringMatching(/^at \/\$schema: .*is not supported/)] });
    expect(parseJsonSchema("[1,2]")).toEqual({ ok: false, problems: ["A JSON Schema must be an object (or true/false), not an array."] });
    expect(parseJsonSchema("  ")).toEqual({ ok: false, problems: ["The schema is empty."] });
  });

  it("refuses a schema over the size limit before parsing it", () => {
    const big = JSON.stringify({ description: "x".repeat(SCHEMA_MAX_BYTES) });
    expect(parseJsonSchema(big)).toEqual({ ok: false, problems: [expect.stringMatching(/^The schema is 256\.\d KiB; the limit is 256 KiB\.$/)] });
  });
});

describe("validating values", () => {
  it("reports every error at the path of the offending value", () => {
    const schema = parseJsonSchema(
      JSON.stringify({
        type: "object",
        additionalProperties: false,
        required: ["id", "items"],
        properties: { id: { type: "string", format: "uuid" }, items: { type: "array", items: { type: "object", properties: { qty: { type: "integer", minimum: 1 } } } }, currency: { enum: ["EUR", "USD"] } },
      }),
    );
    if (!schema.ok) throw new Error("schema");
    expect(validateValue(schema, { id: "not-a-uuid", items: [{ qty: 0 }], currency: "XXX", extra: true })).toEqual(
      expect.arrayContaining([
        { path: "/id", message: 'must match format "uuid"' },
        { path: "/items/0/qty", message: "must be >= 1" },
        { path: "/currency", message: 'must be one of "EUR", "USD"' },
        { path: "/extra", message: "is not allowed (no such property in the schema)" },
      ]),
    );
    expect(validateValue(schema, { items: [] })).toEqual([{ path: "/id", message: "is required but missing" }]);
    expect(validateValue(schema, { id: "6a2f41a3-c54c-fce8-32d2-0324e1c32e22", items: [] })).toEqual([]);
  });

  it("runs a user's pattern on RE2: a catastrophic one in JavaScript answers at once, and invalid", () => {
    const schema = parseJsonSchema('{"type":"string","pattern":"^(a+)+$"}');
    if (!schema.ok) throw new Error(schema.problems.join("; "));
    expect(validateValue(schema, `${"a".repeat(48)}!`)).toEqual([{ path: "/", message: 'must match pattern "^(a+)+$"' }]);
    expect(validateValue(schema, "aaaa")).toEqual([]);
  });

  it("keeps each pattern apart when a schema holds several", () => {
    const schema = parseJsonSchema('{"type":"object","properties":{"a":{"pattern":"^x$"},"b":{"pattern":"^y$"}},"patternProperties":{"^n_":{"type":"number"}}}');
    if (!schema.ok) throw new Error(schema.problems.join("; "));
    expect(validateValue(schema, { a: "x", b: "y", n_total: 1 })).toEqual([]);
    expect(validateValue(schema, { a: "y", b: "x", n_total: "1" }).map((e) => e.path)).toEqual(["/a", "/b", "/n_total"]);
  });
});

describe("patterns RE2 cannot run", () => {
  it("refuses a schema with a backreference or lookaround, naming the pattern", () => {
    expect(parseJsonSchema('{"type":"string","pattern":"(a)\\\\1"}')).toEqual({
      ok: false,
      problems: [expect.stringMatching(/^The schema cannot be compiled: The pattern \/\(a\)\\1\/u is not supported: it has a backreference/)],
    });
    expect(parseJsonSchema('{"type":"object","patternProperties":{"^a(?=b)":{"type":"string"}}}')).toEqual({
      ok: false,
      problems: [expect.stringMatching(/^The schema cannot be compiled: The pattern \/\^a\(\?=b\)\/u is not supported: .*no backreferences or lookaround/)],
    });
  });
});
