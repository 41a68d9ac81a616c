// A typed model of a JSON Schema, shaped the way Confluent's JSON Schema provider sees one (it loads
// schemas with the everit-json-schema library and diffs the loaded model). Compatibility depends on
// that shape, not on the raw keywords: `{"type":"string","enum":[..]}` is an allOf of an enum and a
// string, `"type": ["string","null"]` is an anyOf, a schema without "type" becomes whatever its
// keywords imply (or an allOf of several), and "$ref" stands for the schema it points at.
import { canonicalJson } from "../canonical";

export type Draft = "draft-07" | "2020-12";

interface Common {
  /** The raw subschema this node was loaded from (for diff messages and duplicate detection). */
  raw: unknown;
  id?: string;
  title?: string;
  description?: string;
  hasDefault: boolean;
  default?: unknown;
  /** Kafka Connect's marker for bytes carried as JSON (Confluent ignores type changes between two such schemas). */
  connectType?: string;
}

export interface EmptyNode extends Common {
  kind: "empty";
  /** `true` rather than `{}` (a different class in Confluent's model, same meaning). */
  isTrue: boolean;
}
export interface FalseNode extends Common {
  kind: "false";
}
export interface StringNode extends Common {
  kind: "string";
  minLength?: number;
  maxLength?: number;
  pattern?: string;
}
export interface NumberNode extends Common {
  kind: "number";
  integer: boolean;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  multipleOf?: number;
}
export interface BooleanNode extends Common {
  kind: "boolean";
}
export interface NullNode extends Common {
  kind: "null";
}
export interface ObjectNode extends Common {
  kind: "object";
  properties: Map<string, SchemaNode>;
  required: Set<string>;
  /** false only for `additionalProperties: false`. */
  permitsAdditional: boolean;
  /** The schema of additional properties when it is a schema (a partially open content model). */
  additionalSchema: SchemaNode | null;
  patternProperties: [string, SchemaNode][];
  propertyDependencies: Map<string, Set<string>>;
  schemaDependencies: Map<string, SchemaNode>;
  minProperties?: number;
  maxProperties?: number;
  /** null when absent. */
  unevaluated: SchemaNode | null;
}
export interface ArrayNode extends Common {
  kind: "array";
  /** `items` as one schema for every item. */
  allItems: SchemaNode | null;
  /** Positional item schemas (`items: [...]` in draft-07, `prefixItems` in 2020-12). */
  itemSchemas: SchemaNode[];
  permitsAdditional: boolean;
  additionalSchema: SchemaNode | null;
  minItems?: number;
  maxItems?: number;
  uniqueItems: boolean;
  minContains?: number;
  maxContains?: number;
  unevaluated: SchemaNode | null;
}
export interface EnumNode extends Common {
  kind: "enum";
  values: unknown[];
}
export interface ConstNode extends Common {
  kind: "const";
  value: unknown;
}
export type Criterion = "allOf" | "anyOf" | "oneOf";
export interface CombinedNode extends Common {
  kind: "combined";
  criterion: Criterion;
  subschemas: SchemaNode[];
}
export interface NotNode extends Common {
  kind: "not";
  schema: SchemaNode;
}
export interface RefNode extends Common {
  kind: "ref";
  ref: string;
  /** The schema referred to, resolved lazily (references may be recursive); null when unresolvable. */
  resolve: () => SchemaNode | null;
}
export interface ConditionalNode extends Common {
  kind: "conditional";
}

export type SchemaNode =
  | EmptyNode
  | FalseNode
  | StringNode
  | NumberNode
  | BooleanNode
  | NullNode
  | ObjectNode
  | ArrayNode
  | EnumNode
  | ConstNode
  | CombinedNode
  | NotNode
  | RefNode
  | ConditionalNode;

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined);
const has = (o: Json, key: string) => Object.prototype.hasOwnProperty.call(o, key);

const KEYWORDS = {
  "draft-07": {
    array: ["items", "additionalItems", "maxItems", "minItems", "uniqueItems", "contains"],
    object: ["properties", "required", "minProperties", "maxProperties", "dependencies", "patternProperties", "additionalProperties", "propertyNames"],
  },
  "2020-12": {
    array: ["items", "prefixItems", "maxItems", "minItems", "uniqueItems", "contains", "minContains", "maxContains", "unevaluatedItems"],
    object: [
      "properties",
      "required",
      "minProperties",
      "maxProperties",
      "dependentRequired",
      "dependentSchemas",
      "patternProperties",
      "additionalProperties",
      "propertyNames",
      "unevaluatedProperties",
    ],
  },
} as const;
const NUMBER_KEYWORDS = ["minimum", "maximum", "multipleOf", "exclusiveMinimum", "exclusiveMaximum"];
const STRING_KEYWORDS = ["minLength", "maxLength", "pattern", "format"];
const CONDITIONAL_KEYWORDS = ["if", "then", "else"];
const CRITERIA: Criterion[] = ["allOf", "anyOf", "oneOf"];

function draftOf(root: unknown): Draft {
  if (isObject(root) && typeof root.$schema === "string" && /2020-12|2019-09/.test(root.$schema)) return "2020-12";
  return "draft-07";
}

/** Resolves "#", "#/json/pointer", "#anchor" and "$id"s declared inside the same document. */
function resolveLocal(root: unknown, ref: string): unknown {
  if (ref === "#" || ref === "") return root;
  if (ref.startsWith("#/")) {
    let node: unknown = root;
    for (const raw of ref.slice(2).split("/")) {
      const key = decodeURIComponent(raw).replace(/~1/g, "/").replace(/~0/g, "~");
      if (Array.isArray(node)) node = node[Number(key)];
      else if (isObject(node) && has(node, key)) node = node[key];
      else return undefined;
    }
    return node;
  }
  // An $id or $anchor somewhere in the document.
  const wanted = ref.startsWith("#") ? ref.slice(1) : ref;
  let found: unknown;
  const visit = (node: unknown) => {
    if (found !== undefined) return;
    if (Array.isArray(node)) return node.forEach(visit);
    if (!isObject(node)) return;
    if (node.$anchor === wanted || node.$id === ref || node.$id === `#${wanted}` || node.id === ref) {
      found = node;
      return;
    }
    Object.values(node).forEach(visit);
  };
  visit(root);
  return found;
}

/** Loads a whole document. Equal raw subschemas (by identity) load to the same node, which keeps recursion finite. */
export function loadSchema(root: unknown): SchemaNode {
  const draft = draftOf(root);
  const loaded = new Map<unknown, SchemaNode>();

  const load = (raw: unknown): SchemaNode => {
    if (raw === true || raw === undefined) return { kind: "empty", isTrue: raw === true, raw, hasDefault: false };
    if (raw === false) return { kind: "false", raw, hasDefault: false };
    if (!isObject(raw)) return { kind: "empty", isTrue: false, raw, hasDefault: false };
    const cached = loaded.get(raw);
    if (cached) return cached;
    const node = loadObject(raw);
    loaded.set(raw, node);
    return node;
  };

  const common = (o: Json): Common => ({
    raw: o,
    id: draft === "draft-07" ? ((typeof o.$id === "string" ? o.$id : undefined) ?? (typeof o.id === "string" ? o.id : undefined)) : undefined,
    title: typeof o.title === "string" ? o.title : undefined,
    description: typeof o.description === "string" ? o.description : undefined,
    hasDefault: has(o, "default"),
    default: o.default,
    connectType: typeof o["connect.type"] === "string" ? (o["connect.type"] as string) : undefined,
  });

  const loadObject = (o: Json): SchemaNode => {
    const parts: ((c: Common) => SchemaNode)[] = [];
    if (has(o, "$ref") && typeof o.$ref === "string") {
      const ref = o.$ref;
      let target: SchemaNode | null | undefined;
      parts.push((c) => ({
        ...c,
        kind: "ref",
        ref,
        resolve: () => {
          if (target === undefined) {
            const raw = resolveLocal(root, ref);
            target = raw === undefined ? null : load(raw);
          }
          return target;
        },
      }));
    } else {
      if (Array.isArray(o.enum)) parts.push((c) => ({ ...c, kind: "enum", values: o.enum as unknown[] }));
      for (const criterion of CRITERIA) {
        if (Array.isArray(o[criterion])) parts.push((c) => ({ ...c, kind: "combined", criterion, subschemas: (o[criterion] as unknown[]).map(load) }));
      }
      if (has(o, "not")) parts.push((c) => ({ ...c, kind: "not", schema: load(o.not) }));
      if (has(o, "const")) parts.push((c) => ({ ...c, kind: "const", value: o.const }));
      if (has(o, "type")) {
        if (Array.isArray(o.type)) {
          const types = o.type.filter((t): t is string => typeof t === "string");
          parts.push((c) => ({ ...c, kind: "combined", criterion: "anyOf", subschemas: types.map((t) => explicitType(o, t, { raw: o, hasDefault: false })) }));
        } else if (typeof o.type === "string") {
          const type = o.type;
          parts.push((c) => explicitType(o, type, c));
        }
      } else {
        const present = (keys: readonly string[]) =>
          keys.some((k) => has(o, k) && !(draft === "2020-12" && k === "properties" && isObject(o.properties) && Object.keys(o.properties).length === 0));
        if (present(KEYWORDS[draft].array)) parts.push((c) => arrayNode(o, c));
        if (present(KEYWORDS[draft].object)) parts.push((c) => objectNode(o, c));
        if (present(NUMBER_KEYWORDS)) parts.push((c) => numberNode(o, c, false));
        if (present(STRING_KEYWORDS)) parts.push((c) => stringNode(o, c));
        if (present(CONDITIONAL_KEYWORDS)) parts.push((c) => ({ ...c, kind: "conditional" }));
      }
    }
    const own = common(o);
    if (parts.length === 0) return { ...own, kind: "empty", isTrue: false };
    if (parts.length === 1) return parts[0]!(own);
    // Several kinds of constraint side by side are an implicit allOf; the annotations belong to it.
    const bare: Common = { raw: o, hasDefault: false };
    return { ...own, kind: "combined", criterion: "allOf", subschemas: parts.map((p) => p(bare)) };
  };

  const explicitType = (o: Json, type: string, c: Common): SchemaNode => {
    switch (type) {
      case "string":
        return stringNode(o, c);
      case "integer":
        return numberNode(o, c, true);
      case "number":
        return numberNode(o, c, false);
      case "boolean":
        return { ...c, kind: "boolean" };
      case "null":
        return { ...c, kind: "null" };
      case "array":
        return arrayNode(o, c);
      case "object":
        return objectNode(o, c);
      default:
        return { ...c, kind: "empty", isTrue: false };
    }
  };

  const stringNode = (o: Json, c: Common): StringNode => ({
    ...c,
    kind: "string",
    minLength: num(o.minLength),
    maxLength: num(o.maxLength),
    pattern: typeof o.pattern === "string" ? o.pattern : undefined,
  });

  const numberNode = (o: Json, c: Common, integer: boolean): NumberNode => ({
    ...c,
    kind: "number",
    integer,
    minimum: num(o.minimum),
    maximum: num(o.maximum),
    exclusiveMinimum: num(o.exclusiveMinimum),
    exclusiveMaximum: num(o.exclusiveMaximum),
    multipleOf: num(o.multipleOf),
  });

  const schemaMap = (value: unknown): Map<string, SchemaNode> => {
    const map = new Map<string, SchemaNode>();
    if (isObject(value)) for (const [key, sub] of Object.entries(value)) map.set(key, load(sub));
    return map;
  };

  const objectNode = (o: Json, c: Common): ObjectNode => {
    const propertyDependencies = new Map<string, Set<string>>();
    const schemaDependencies = new Map<string, SchemaNode>();
    const addDependencies = (value: unknown, kinds: "both" | "array" | "schema") => {
      if (!isObject(value)) return;
      for (const [key, dep] of Object.entries(value)) {
        if (Array.isArray(dep)) {
          if (kinds !== "schema") propertyDependencies.set(key, new Set(dep.map(String)));
        } else if (kinds !== "array") schemaDependencies.set(key, load(dep));
      }
    };
    if (draft === "draft-07") addDependencies(o.dependencies, "both");
    else {
      addDependencies(o.dependentRequired, "array");
      addDependencies(o.dependentSchemas, "schema");
    }
    const additional = o.additionalProperties;
    return {
      ...c,
      kind: "object",
      properties: schemaMap(o.properties),
      required: new Set(Array.isArray(o.required) ? o.required.map(String) : []),
      permitsAdditional: additional !== false,
      additionalSchema: isObject(additional) ? load(additional) : null,
      patternProperties: [...schemaMap(o.patternProperties).entries()],
      propertyDependencies,
      schemaDependencies,
      minProperties: num(o.minProperties),
      maxProperties: num(o.maxProperties),
      unevaluated: draft === "2020-12" && has(o, "unevaluatedProperties") ? load(o.unevaluatedProperties) : null,
    };
  };

  const arrayNode = (o: Json, c: Common): ArrayNode => {
    let allItems: SchemaNode | null = null;
    let itemSchemas: SchemaNode[] = [];
    let additional: unknown = undefined;
    if (draft === "draft-07") {
      if (Array.isArray(o.items)) itemSchemas = o.items.map(load);
      else if (has(o, "items")) allItems = load(o.items);
      additional = o.additionalItems;
    } else {
      // 2020-12: prefixItems are the positional schemas; `items` then covers the items after them.
      if (Array.isArray(o.prefixItems)) {
        itemSchemas = o.prefixItems.map(load);
        additional = o.items;
      } else if (typeof o.items === "boolean") additional = o.items;
      else if (has(o, "items")) allItems = load(o.items);
    }
    return {
      ...c,
      kind: "array",
      allItems,
      itemSchemas,
      permitsAdditional: additional !== false,
      additionalSchema: isObject(additional) ? load(additional) : null,
      minItems: num(o.minItems),
      maxItems: num(o.maxItems),
      uniqueItems: o.uniqueItems === true,
      minContains: draft === "2020-12" ? num(o.minContains) : undefined,
      maxContains: draft === "2020-12" ? num(o.maxContains) : undefined,
      unevaluated: draft === "2020-12" && has(o, "unevaluatedItems") ? load(o.unevaluatedItems) : null,
    };
  };

  return load(root);
}

/** Follows references to the schema they stand for (a dangling reference stands for nothing in particular). */
export function dereference(node: SchemaNode): SchemaNode {
  let current = node;
  const seen = new Set<SchemaNode>();
  while (current.kind === "ref") {
    if (seen.has(current)) return { kind: "empty", isTrue: false, raw: current.raw, hasDefault: false };
    seen.add(current);
    current = current.resolve() ?? { kind: "empty", isTrue: false, raw: current.raw, hasDefault: false };
  }
  return current;
}

/** Structural identity, as Confluent uses to collapse duplicate subschemas of allOf/anyOf/oneOf. */
export function sameSchema(a: SchemaNode, b: SchemaNode): boolean {
  return a === b || identityOf(a) === identityOf(b);
}

// Parts of an implicit allOf (and the members of a "type" list) share their raw object, so the kind
// is part of the identity.
function identityOf(node: SchemaNode): string {
  const variant = node.kind === "combined" ? node.criterion : node.kind === "number" ? String(node.integer) : "";
  return `${node.kind}:${variant}:${canonicalJson(node.raw)}`;
}

/** "object", "string", "integer", "one of (…)", for messages. */
export function describeKind(node: SchemaNode): string {
  const n = node.kind === "ref" ? dereference(node) : node;
  switch (n.kind) {
    case "number":
      return n.integer ? "integer" : "number";
    case "empty":
      return "any value";
    case "false":
      return "nothing (false)";
    case "combined":
      return `${n.criterion} (${n.subschemas.map(describeKind).join(", ")})`;
    case "enum":
      return `enum [${n.values.map((v) => JSON.stringify(v)).join(", ")}]`;
    case "const":
      return `const ${JSON.stringify(n.value)}`;
    case "not":
      return `not ${describeKind(n.schema)}`;
    default:
      return n.kind;
  }
}
