// The differences between two JSON Schemas, judged the way Confluent Schema Registry's JSON Schema
// provider judges them (its SchemaDiff and Difference.Type): `original` is the schema data was
// written with, `update` the schema that reads it. Each difference has Confluent's type name, and a
// change is compatible when every difference is in COMPATIBLE_DIFFERENCES.
import { compileUserRegExp } from "~/lib/user-regex";
import {
  dereference,
  describeKind,
  loadSchema,
  sameSchema,
  type ArrayNode,
  type CombinedNode,
  type NumberNode,
  type ObjectNode,
  type SchemaNode,
  type StringNode,
} from "./schema-model";

export const DIFFERENCE_TYPES = [
  "ID_CHANGED", "DESCRIPTION_CHANGED", "TITLE_CHANGED", "DEFAULT_CHANGED",
  "SCHEMA_ADDED", "SCHEMA_REMOVED", "TYPE_EXTENDED", "TYPE_NARROWED", "TYPE_CHANGED",
  "MAX_LENGTH_ADDED", "MAX_LENGTH_REMOVED", "MAX_LENGTH_INCREASED", "MAX_LENGTH_DECREASED",
  "MIN_LENGTH_ADDED", "MIN_LENGTH_REMOVED", "MIN_LENGTH_INCREASED", "MIN_LENGTH_DECREASED",
  "PATTERN_ADDED", "PATTERN_REMOVED", "PATTERN_CHANGED",
  "MAXIMUM_ADDED", "MAXIMUM_REMOVED", "MAXIMUM_INCREASED", "MAXIMUM_DECREASED",
  "MINIMUM_ADDED", "MINIMUM_REMOVED", "MINIMUM_INCREASED", "MINIMUM_DECREASED",
  "EXCLUSIVE_MAXIMUM_ADDED", "EXCLUSIVE_MAXIMUM_REMOVED", "EXCLUSIVE_MAXIMUM_INCREASED", "EXCLUSIVE_MAXIMUM_DECREASED",
  "EXCLUSIVE_MINIMUM_ADDED", "EXCLUSIVE_MINIMUM_REMOVED", "EXCLUSIVE_MINIMUM_INCREASED", "EXCLUSIVE_MINIMUM_DECREASED",
  "MULTIPLE_OF_ADDED", "MULTIPLE_OF_REMOVED", "MULTIPLE_OF_EXPANDED", "MULTIPLE_OF_REDUCED", "MULTIPLE_OF_CHANGED",
  "REQUIRED_ATTRIBUTE_ADDED", "REQUIRED_ATTRIBUTE_WITH_DEFAULT_ADDED", "REQUIRED_ATTRIBUTE_REMOVED",
  "MAX_PROPERTIES_ADDED", "MAX_PROPERTIES_REMOVED", "MAX_PROPERTIES_INCREASED", "MAX_PROPERTIES_DECREASED",
  "MIN_PROPERTIES_ADDED", "MIN_PROPERTIES_REMOVED", "MIN_PROPERTIES_INCREASED", "MIN_PROPERTIES_DECREASED",
  "ADDITIONAL_PROPERTIES_ADDED", "ADDITIONAL_PROPERTIES_REMOVED", "ADDITIONAL_PROPERTIES_EXTENDED", "ADDITIONAL_PROPERTIES_NARROWED",
  "DEPENDENCY_ARRAY_ADDED", "DEPENDENCY_ARRAY_REMOVED", "DEPENDENCY_ARRAY_EXTENDED", "DEPENDENCY_ARRAY_NARROWED", "DEPENDENCY_ARRAY_CHANGED",
  "DEPENDENCY_SCHEMA_ADDED", "DEPENDENCY_SCHEMA_REMOVED",
  "REQUIRED_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL", "REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_OPEN_CONTENT_MODEL",
  "OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL", "PROPERTY_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL",
  "REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL", "REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_UNOPEN_CONTENT_MODEL",
  "OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL", "PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL",
  "PROPERTY_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL", "PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL",
  "PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL", "PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
  "PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL", "PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
  "UNEVALUATED_PROPERTIES_ADDED", "UNEVALUATED_PROPERTIES_REMOVED", "UNEVALUATED_PROPERTIES_EXTENDED", "UNEVALUATED_PROPERTIES_NARROWED",
  "MAX_ITEMS_ADDED", "MAX_ITEMS_REMOVED", "MAX_ITEMS_INCREASED", "MAX_ITEMS_DECREASED",
  "MIN_ITEMS_ADDED", "MIN_ITEMS_REMOVED", "MIN_ITEMS_INCREASED", "MIN_ITEMS_DECREASED",
  "MAX_CONTAINS_ADDED", "MAX_CONTAINS_REMOVED", "MAX_CONTAINS_INCREASED", "MAX_CONTAINS_DECREASED",
  "MIN_CONTAINS_ADDED", "MIN_CONTAINS_REMOVED", "MIN_CONTAINS_INCREASED", "MIN_CONTAINS_DECREASED",
  "UNIQUE_ITEMS_ADDED", "UNIQUE_ITEMS_REMOVED",
  "ADDITIONAL_ITEMS_ADDED", "ADDITIONAL_ITEMS_REMOVED", "ADDITIONAL_ITEMS_EXTENDED", "ADDITIONAL_ITEMS_NARROWED",
  "UNEVALUATED_ITEMS_ADDED", "UNEVALUATED_ITEMS_REMOVED", "UNEVALUATED_ITEMS_EXTENDED", "UNEVALUATED_ITEMS_NARROWED",
  "ITEM_ADDED_TO_OPEN_CONTENT_MODEL", "ITEM_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL", "ITEM_ADDED_TO_CLOSED_CONTENT_MODEL",
  "ITEM_REMOVED_FROM_OPEN_CONTENT_MODEL", "ITEM_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL", "ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL",
  "ITEM_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL", "ITEM_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
  "ITEM_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL", "ITEM_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
  "ENUM_ARRAY_EXTENDED", "ENUM_ARRAY_NARROWED", "ENUM_ARRAY_CHANGED",
  "COMBINED_TYPE_EXTENDED", "COMBINED_TYPE_CHANGED", "PRODUCT_TYPE_EXTENDED", "PRODUCT_TYPE_NARROWED",
  "SUM_TYPE_EXTENDED", "SUM_TYPE_NARROWED", "COMBINED_TYPE_SUBSCHEMAS_CHANGED",
  "NOT_TYPE_EXTENDED", "NOT_TYPE_NARROWED",
] as const; // prettier-ignore
export type DifferenceType = (typeof DIFFERENCE_TYPES)[number];

/** The changes a reader tolerates (Confluent's strict set). Everything else breaks compatibility. */
export const COMPATIBLE_DIFFERENCES: ReadonlySet<DifferenceType> = new Set<DifferenceType>([
  "ID_CHANGED", "DESCRIPTION_CHANGED", "TITLE_CHANGED", "DEFAULT_CHANGED", "SCHEMA_REMOVED", "TYPE_EXTENDED",
  "MAX_LENGTH_INCREASED", "MAX_LENGTH_REMOVED", "MIN_LENGTH_DECREASED", "MIN_LENGTH_REMOVED", "PATTERN_REMOVED",
  "MAXIMUM_INCREASED", "MAXIMUM_REMOVED", "MINIMUM_DECREASED", "MINIMUM_REMOVED",
  "EXCLUSIVE_MAXIMUM_INCREASED", "EXCLUSIVE_MAXIMUM_REMOVED", "EXCLUSIVE_MINIMUM_DECREASED", "EXCLUSIVE_MINIMUM_REMOVED",
  "MULTIPLE_OF_REDUCED", "MULTIPLE_OF_REMOVED",
  "REQUIRED_ATTRIBUTE_WITH_DEFAULT_ADDED", "REQUIRED_ATTRIBUTE_REMOVED",
  "DEPENDENCY_ARRAY_NARROWED", "DEPENDENCY_ARRAY_REMOVED", "DEPENDENCY_SCHEMA_REMOVED",
  "MAX_PROPERTIES_INCREASED", "MAX_PROPERTIES_REMOVED", "MIN_PROPERTIES_DECREASED", "MIN_PROPERTIES_REMOVED",
  "ADDITIONAL_PROPERTIES_ADDED", "ADDITIONAL_PROPERTIES_EXTENDED",
  "PROPERTY_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL", "REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_UNOPEN_CONTENT_MODEL",
  "OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL", "PROPERTY_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL",
  "PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL", "PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
  "PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
  "UNEVALUATED_PROPERTIES_ADDED", "UNEVALUATED_PROPERTIES_EXTENDED",
  "MAX_ITEMS_INCREASED", "MAX_ITEMS_REMOVED", "MIN_ITEMS_DECREASED", "MIN_ITEMS_REMOVED",
  "MAX_CONTAINS_INCREASED", "MAX_CONTAINS_REMOVED", "MIN_CONTAINS_DECREASED", "MIN_CONTAINS_REMOVED",
  "UNIQUE_ITEMS_REMOVED", "ADDITIONAL_ITEMS_ADDED", "ADDITIONAL_ITEMS_EXTENDED",
  "UNEVALUATED_ITEMS_ADDED", "UNEVALUATED_ITEMS_EXTENDED",
  "ITEM_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL", "ITEM_ADDED_TO_CLOSED_CONTENT_MODEL",
  "ITEM_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL", "ITEM_REMOVED_FROM_OPEN_CONTENT_MODEL",
  "ITEM_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL", "ITEM_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
  "ENUM_ARRAY_EXTENDED",
  "COMBINED_TYPE_EXTENDED", "PRODUCT_TYPE_NARROWED", "SUM_TYPE_EXTENDED", "NOT_TYPE_NARROWED",
]); // prettier-ignore

export interface Difference {
  type: DifferenceType;
  /** Segments of the JSON path in the original schema, e.g. ["properties", "total"]. */
  path: string[];
  /** For TYPE_CHANGED / TYPE_NARROWED: what the type was and became, for people. */
  from?: string;
  to?: string;
}

export function isCompatibleDifference(difference: Difference): boolean {
  return COMPATIBLE_DIFFERENCES.has(difference.type);
}

const compatible = (diffs: Difference[]) => diffs.every(isCompatibleDifference);
const at = (path: string[], diffs: Difference[]): Difference[] => (path.length === 0 ? diffs : diffs.map((d) => ({ ...d, path: [...path, ...d.path] })));
const diff = (type: DifferenceType, ...path: string[]): Difference => ({ type, path });

/** "#/properties/total", as Confluent prints paths. */
export function jsonPath(difference: Pick<Difference, "path">): string {
  return `#/${difference.path.join("/")}`;
}

/** Compares limits such as maxLength: added, removed, increased or decreased. */
function compareLimit(
  keyword: string,
  original: number | undefined,
  update: number | undefined,
  types: { added: DifferenceType; removed: DifferenceType; increased: DifferenceType; decreased: DifferenceType },
): Difference[] {
  if (original === update) return [];
  if (original === undefined) return [diff(types.added, keyword)];
  if (update === undefined) return [diff(types.removed, keyword)];
  return [diff(original < update ? types.increased : types.decreased, keyword)];
}

const limitTypes = (name: string) =>
  ({ added: `${name}_ADDED`, removed: `${name}_REMOVED`, increased: `${name}_INCREASED`, decreased: `${name}_DECREASED` }) as {
    added: DifferenceType;
    removed: DifferenceType;
    increased: DifferenceType;
    decreased: DifferenceType;
  };

/** Exact decimal remainder test for multipleOf (0.5 divides 10; floating point would say otherwise). */
function divides(divisor: number, value: number): boolean {
  const decimals = (n: number) => (String(n).split(".")[1] ?? "").length;
  const scale = 10 ** Math.max(decimals(divisor), decimals(value));
  const d = BigInt(Math.round(divisor * scale));
  return d !== 0n && BigInt(Math.round(value * scale)) % d === 0n;
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== "object") return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) return a.length === (b as unknown[]).length && a.every((v, i) => deepEqual(v, (b as unknown[])[i]));
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  return ka.length === kb.length && ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

const containsAll = (haystack: unknown[], needles: unknown[]) => needles.every((n) => haystack.some((h) => deepEqual(h, n)));

/** Maximum matching of a bipartite graph given as adjacency lists (augmenting paths; the graphs are small). */
function maximumMatching(left: number, adjacency: number[][]): Map<number, number> {
  const matchOfRight = new Map<number, number>();
  const tryAssign = (l: number, seen: Set<number>): boolean => {
    for (const r of adjacency[l] ?? []) {
      if (seen.has(r)) continue;
      seen.add(r);
      const current = matchOfRight.get(r);
      if (current === undefined || tryAssign(current, seen)) {
        matchOfRight.set(r, l);
        return true;
      }
    }
    return false;
  };
  for (let l = 0; l < left; l++) tryAssign(l, new Set());
  return new Map([...matchOfRight.entries()].map(([r, l]) => [l, r]));
}

/**
 * One comparison of two loaded schemas. Pairs are memoised, and a pair met again while it is being
 * compared (a recursive schema) is assumed to be as compatible as the previous pass found it; passes
 * repeat until those assumptions hold, so recursion neither loops nor hides a real difference.
 */
class Comparison {
  private memo = new Map<SchemaNode, Map<SchemaNode, Difference[]>>();
  private inProgress = new Map<SchemaNode, Set<SchemaNode>>();
  private assumed: { original: SchemaNode; update: SchemaNode; compatible: boolean }[] = [];

  constructor(private readonly previous: Map<SchemaNode, Map<SchemaNode, Difference[]>> | null) {}

  /** True when every assumption made about a recursive pair matches what the pass concluded. */
  settled(): boolean {
    return this.assumed.every((a) => compatible(this.memo.get(a.original)?.get(a.update) ?? []) === a.compatible);
  }

  get results() {
    return this.memo;
  }

  compare(original: SchemaNode | null, update: SchemaNode | null): Difference[] {
    if (original === null && update === null) return [];
    if (original === null) return [diff("SCHEMA_ADDED")];
    if (update === null) return [diff("SCHEMA_REMOVED")];
    const o = dereference(original);
    const u = dereference(update);
    const cached = this.memo.get(o)?.get(u);
    if (cached) return cached;
    if (this.inProgress.get(o)?.has(u)) {
      // The previous pass's verdict on this pair stands in for it; one incompatible difference is
      // enough to carry the verdict without repeating the whole recursion in the report.
      const firstBreak = (this.previous?.get(o)?.get(u) ?? []).find((d) => !isCompatibleDifference(d));
      const assumption = firstBreak ? [firstBreak] : [];
      this.assumed.push({ original: o, update: u, compatible: !firstBreak });
      return assumption;
    }
    const running = this.inProgress.get(o) ?? new Set<SchemaNode>();
    this.inProgress.set(o, running.add(u));
    try {
      const result = this.compareNodes(o, u);
      const row = this.memo.get(o) ?? new Map<SchemaNode, Difference[]>();
      this.memo.set(o, row.set(u, result));
      return result;
    } finally {
      running.delete(u);
    }
  }

  private compareNodes(o: SchemaNode, u: SchemaNode): Difference[] {
    // One side a union or intersection and the other not: see whether one branch carries the change.
    if (o.kind !== "combined" && u.kind === "combined") {
      if (u.subschemas.length === 1) {
        const sub = this.compare(o, u.subschemas[0]!);
        if (compatible(sub)) return sub;
      } else if (u.criterion === "anyOf" || u.criterion === "oneOf") {
        for (const branch of u.subschemas) {
          const sub = this.compare(o, branch);
          if (compatible(sub)) return [...sub, diff("SUM_TYPE_EXTENDED")];
        }
      }
    } else if (o.kind === "combined" && u.kind !== "combined") {
      if (o.subschemas.length === 1) {
        const sub = this.compare(o.subschemas[0]!, u);
        if (compatible(sub)) return sub;
      }
      if (o.criterion === "allOf") {
        for (const part of o.subschemas) {
          const sub = this.compare(part, u);
          if (compatible(sub)) return [...sub, diff("PRODUCT_TYPE_NARROWED")];
        }
      }
    }

    if (o.kind !== u.kind) {
      // Nothing was valid before, or anything is valid now: no reader can break.
      if (o.kind === "false" || u.kind === "empty") return [];
      if (o.connectType === "bytes" && u.connectType === "bytes") return [];
      return [{ ...diff("TYPE_CHANGED"), from: describeKind(o), to: describeKind(u) }];
    }

    const out: Difference[] = [];
    if (o.id !== u.id) out.push(diff("ID_CHANGED"));
    if (o.title !== u.title) out.push(diff("TITLE_CHANGED"));
    if (o.description !== u.description) out.push(diff("DESCRIPTION_CHANGED"));
    if (o.hasDefault !== u.hasDefault || !deepEqual(o.default, u.default)) out.push(diff("DEFAULT_CHANGED"));

    switch (o.kind) {
      case "string":
        out.push(...compareString(o, u as StringNode));
        break;
      case "number":
        out.push(...compareNumber(o, u as NumberNode));
        break;
      case "enum": {
        const ov = o.values;
        const uv = (u as typeof o).values;
        if (!(containsAll(ov, uv) && containsAll(uv, ov))) {
          out.push(diff(containsAll(uv, ov) ? "ENUM_ARRAY_EXTENDED" : containsAll(ov, uv) ? "ENUM_ARRAY_NARROWED" : "ENUM_ARRAY_CHANGED", "enum"));
        }
        break;
      }
      case "const":
        if (!deepEqual(o.value, (u as typeof o).value)) out.push(diff("ENUM_ARRAY_CHANGED", "const"));
        break;
      case "combined":
        out.push(...this.compareCombined(o, u as CombinedNode));
        break;
      case "not": {
        // A "not" accepts more when what it excludes shrinks: compare the excluded schemas reversed.
        const reversed = this.compare((u as typeof o).schema, o.schema);
        out.push(diff(compatible(reversed) ? "NOT_TYPE_NARROWED" : "NOT_TYPE_EXTENDED", "not"));
        break;
      }
      case "object":
        out.push(...this.compareObject(o, u as ObjectNode));
        break;
      case "array":
        out.push(...this.compareArray(o, u as ArrayNode));
        break;
      default:
        break;
    }
    return out;
  }

  private compareCombined(o: CombinedNode, u: CombinedNode): Difference[] {
    const out: Difference[] = [];
    let criterionChange: DifferenceType | null = null;
    if (o.criterion !== u.criterion) {
      if (u.criterion === "anyOf") criterionChange = "COMBINED_TYPE_EXTENDED";
      else if (u.criterion === "oneOf") criterionChange = o.subschemas.length === 1 ? "COMBINED_TYPE_EXTENDED" : "COMBINED_TYPE_CHANGED";
      else criterionChange = o.subschemas.length === 1 && u.subschemas.length === 1 ? "COMBINED_TYPE_EXTENDED" : "COMBINED_TYPE_CHANGED";
      out.push(diff(criterionChange));
      if (criterionChange === "COMBINED_TYPE_CHANGED") return out;
    }
    const unique = (list: SchemaNode[]) => list.filter((s, i) => list.findIndex((t) => sameSchema(s, t)) === i);
    const originals = unique(o.subschemas);
    const updates = unique(u.subschemas);
    if (originals.length < updates.length) out.push(diff(u.criterion === "allOf" ? "PRODUCT_TYPE_EXTENDED" : "SUM_TYPE_EXTENDED"));
    else if (originals.length > updates.length) out.push(diff(u.criterion === "allOf" ? "PRODUCT_TYPE_NARROWED" : "SUM_TYPE_NARROWED"));

    const edges = new Map<string, Difference[]>();
    const adjacency = originals.map((original, i) =>
      updates.flatMap((update, j) => {
        const sub = this.compare(original, update);
        if (!compatible(sub)) return [];
        edges.set(`${i}:${j}`, at([`${o.criterion}/${i}`], sub));
        return [j];
      }),
    );
    const matching = maximumMatching(originals.length, adjacency);
    for (const [i, j] of [...matching.entries()].sort((a, b) => a[0] - b[0])) out.push(...edges.get(`${i}:${j}`)!);
    if (matching.size < Math.min(originals.length, updates.length)) out.push(diff("COMBINED_TYPE_SUBSCHEMAS_CHANGED"));
    return out;
  }

  private compareObject(o: ObjectNode, u: ObjectNode): Difference[] {
    const out: Difference[] = [];

    // required
    for (const key of o.properties.keys()) {
      const updateSchema = u.properties.get(key);
      if (!updateSchema) continue;
      const was = o.required.has(key);
      const is = u.required.has(key);
      if (was && !is) out.push(diff("REQUIRED_ATTRIBUTE_REMOVED", "required", key));
      else if (!was && is) out.push(diff(updateSchema.hasDefault ? "REQUIRED_ATTRIBUTE_WITH_DEFAULT_ADDED" : "REQUIRED_ATTRIBUTE_ADDED", "required", key));
    }

    // properties
    const keys = [...new Set([...o.properties.keys(), ...u.properties.keys()])].sort();
    for (const key of keys) {
      const path = ["properties", key];
      const originalSchema = o.properties.get(key);
      const updateSchema = u.properties.get(key);
      if (!updateSchema) {
        // Removing a property is safe when the reader still accepts it as an additional property.
        if (isOpenObject(u)) out.push(diff("PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL", ...path));
        else {
          const partial = partialSchemaForProperty(u, key);
          if (partial) {
            const sub = this.compare(originalSchema!, partial);
            out.push(...at(path, sub), diff(compatible(sub) ? "PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL" : "PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL", ...path));
          } else {
            out.push(diff(dereference(originalSchema!).kind === "false" ? "PROPERTY_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL" : "PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL", ...path));
          }
        }
      } else if (!originalSchema) {
        // Adding a property is safe only when the writer could not have written it with another meaning.
        if (isOpenObject(o)) {
          if (dereference(updateSchema).kind === "empty") out.push(diff("PROPERTY_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL", ...path));
          else if (!u.required.has(key)) out.push(diff("OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL", ...path));
          else out.push(diff(updateSchema.hasDefault ? "REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_OPEN_CONTENT_MODEL" : "REQUIRED_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL", ...path));
        } else {
          const partial = partialSchemaForProperty(o, key);
          if (partial) {
            const sub = this.compare(partial, updateSchema);
            out.push(...at(path, sub), diff(compatible(sub) ? "PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL" : "PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL", ...path));
          }
          if (u.required.has(key)) {
            out.push(diff(updateSchema.hasDefault ? "REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_UNOPEN_CONTENT_MODEL" : "REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL", ...path));
          } else out.push(diff("OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL", ...path));
        }
      } else out.push(...at(path, this.compare(originalSchema, updateSchema)));
    }

    // dependencies
    const depKeys = [...new Set([...o.propertyDependencies.keys(), ...u.propertyDependencies.keys()])].sort();
    for (const key of depKeys) {
      const was = o.propertyDependencies.get(key);
      const is = u.propertyDependencies.get(key);
      const path = ["dependencies", key];
      if (!is) out.push(diff("DEPENDENCY_ARRAY_REMOVED", ...path));
      else if (!was) out.push(diff("DEPENDENCY_ARRAY_ADDED", ...path));
      else if (was.size !== is.size || [...was].some((d) => !is.has(d))) {
        const extended = [...was].every((d) => is.has(d));
        const narrowed = [...is].every((d) => was.has(d));
        out.push(diff(extended ? "DEPENDENCY_ARRAY_EXTENDED" : narrowed ? "DEPENDENCY_ARRAY_NARROWED" : "DEPENDENCY_ARRAY_CHANGED", ...path));
      }
    }
    const schemaDepKeys = [...new Set([...o.schemaDependencies.keys(), ...u.schemaDependencies.keys()])].sort();
    for (const key of schemaDepKeys) {
      const was = o.schemaDependencies.get(key);
      const is = u.schemaDependencies.get(key);
      const path = ["dependencies", key];
      if (!is) out.push(diff("DEPENDENCY_SCHEMA_REMOVED", ...path));
      else if (!was) out.push(diff("DEPENDENCY_SCHEMA_ADDED", ...path));
      else out.push(...at(path, this.compare(was, is)));
    }

    // additionalProperties
    if (o.permitsAdditional !== u.permitsAdditional) out.push(diff(u.permitsAdditional ? "ADDITIONAL_PROPERTIES_ADDED" : "ADDITIONAL_PROPERTIES_REMOVED", "additionalProperties"));
    else if (!o.additionalSchema && u.additionalSchema) out.push(diff("ADDITIONAL_PROPERTIES_NARROWED", "additionalProperties"));
    else if (o.additionalSchema && !u.additionalSchema) out.push(diff("ADDITIONAL_PROPERTIES_EXTENDED", "additionalProperties"));
    else out.push(...at(["additionalProperties"], this.compare(o.additionalSchema, u.additionalSchema)));

    out.push(...this.compareUnevaluated("unevaluatedProperties", "UNEVALUATED_PROPERTIES", o.unevaluated, u.unevaluated));
    out.push(...compareLimit("maxProperties", o.maxProperties, u.maxProperties, limitTypes("MAX_PROPERTIES")));
    out.push(...compareLimit("minProperties", o.minProperties, u.minProperties, limitTypes("MIN_PROPERTIES")));
    return out;
  }

  private compareUnevaluated(keyword: string, prefix: "UNEVALUATED_PROPERTIES" | "UNEVALUATED_ITEMS", o: SchemaNode | null, u: SchemaNode | null): Difference[] {
    if (!o && !u) return [];
    const t = (suffix: "ADDED" | "REMOVED" | "EXTENDED" | "NARROWED") => diff(`${prefix}_${suffix}` as DifferenceType, keyword);
    const isFalse = (n: SchemaNode) => dereference(n).kind === "false";
    const isEmpty = (n: SchemaNode) => dereference(n).kind === "empty";
    if (!o) return [isFalse(u!) ? t("REMOVED") : t("NARROWED")];
    if (!u) return [isFalse(o) ? t("ADDED") : t("EXTENDED")];
    if (isFalse(o) && !isFalse(u)) return [t("ADDED")];
    if (!isFalse(o) && isFalse(u)) return [t("REMOVED")];
    if (isEmpty(o) && !isEmpty(u)) return [t("NARROWED")];
    if (!isEmpty(o) && isEmpty(u)) return [t("EXTENDED")];
    return at([keyword], this.compare(o, u));
  }

  private compareArray(o: ArrayNode, u: ArrayNode): Difference[] {
    const out: Difference[] = [];
    out.push(...at(["items"], this.compare(o.allItems, u.allItems)));

    const shared = Math.min(o.itemSchemas.length, u.itemSchemas.length);
    for (let i = 0; i < shared; i++) out.push(...at(["items", String(i)], this.compare(o.itemSchemas[i]!, u.itemSchemas[i]!)));
    for (let i = shared; i < o.itemSchemas.length; i++) {
      const path = ["items", String(i)];
      const originalSchema = o.itemSchemas[i]!;
      if (isOpenArray(u)) out.push(diff("ITEM_REMOVED_FROM_OPEN_CONTENT_MODEL", ...path));
      else {
        const partial = partialSchemaForItems(u);
        if (partial) {
          const sub = this.compare(originalSchema, partial);
          out.push(...at(path, sub), diff(compatible(sub) ? "ITEM_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL" : "ITEM_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL", ...path));
        } else {
          out.push(diff(dereference(originalSchema).kind === "false" ? "ITEM_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL" : "ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL", ...path));
        }
      }
    }
    for (let i = shared; i < u.itemSchemas.length; i++) {
      const path = ["items", String(i)];
      const updateSchema = u.itemSchemas[i]!;
      if (isOpenArray(o)) {
        out.push(diff(dereference(updateSchema).kind === "empty" ? "ITEM_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL" : "ITEM_ADDED_TO_OPEN_CONTENT_MODEL", ...path));
      } else {
        const partial = partialSchemaForItems(o);
        if (partial) {
          const sub = this.compare(partial, updateSchema);
          out.push(...at(path, sub), diff(compatible(sub) ? "ITEM_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL" : "ITEM_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL", ...path));
        } else out.push(diff("ITEM_ADDED_TO_CLOSED_CONTENT_MODEL", ...path));
      }
    }

    if (o.permitsAdditional !== u.permitsAdditional) out.push(diff(o.permitsAdditional ? "ADDITIONAL_ITEMS_REMOVED" : "ADDITIONAL_ITEMS_ADDED", "additionalItems"));
    else if (!o.additionalSchema && u.additionalSchema) out.push(diff("ADDITIONAL_ITEMS_NARROWED", "additionalItems"));
    else if (o.additionalSchema && !u.additionalSchema) out.push(diff("ADDITIONAL_ITEMS_EXTENDED", "additionalItems"));
    else out.push(...at(["additionalItems"], this.compare(o.additionalSchema, u.additionalSchema)));

    out.push(...this.compareUnevaluated("unevaluatedItems", "UNEVALUATED_ITEMS", o.unevaluated, u.unevaluated));
    out.push(...compareLimit("maxItems", o.maxItems, u.maxItems, limitTypes("MAX_ITEMS")));
    out.push(...compareLimit("minItems", o.minItems, u.minItems, limitTypes("MIN_ITEMS")));
    if (o.uniqueItems !== u.uniqueItems) out.push(diff(o.uniqueItems ? "UNIQUE_ITEMS_REMOVED" : "UNIQUE_ITEMS_ADDED", "uniqueItems"));
    out.push(...compareLimit("maxContains", o.maxContains, u.maxContains, limitTypes("MAX_CONTAINS")));
    out.push(...compareLimit("minContains", o.minContains, u.minContains, limitTypes("MIN_CONTAINS")));
    return out;
  }
}

function compareString(o: StringNode, u: StringNode): Difference[] {
  const out = [
    ...compareLimit("maxLength", o.maxLength, u.maxLength, limitTypes("MAX_LENGTH")),
    ...compareLimit("minLength", o.minLength, u.minLength, limitTypes("MIN_LENGTH")),
  ];
  if (o.pattern === undefined && u.pattern !== undefined) out.push(diff("PATTERN_ADDED", "pattern"));
  else if (o.pattern !== undefined && u.pattern === undefined) out.push(diff("PATTERN_REMOVED", "pattern"));
  else if (o.pattern !== u.pattern) out.push(diff("PATTERN_CHANGED", "pattern"));
  return out;
}

function compareNumber(o: NumberNode, u: NumberNode): Difference[] {
  const out = [
    ...compareLimit("maximum", o.maximum, u.maximum, limitTypes("MAXIMUM")),
    ...compareLimit("minimum", o.minimum, u.minimum, limitTypes("MINIMUM")),
    ...compareLimit("exclusiveMaximum", o.exclusiveMaximum, u.exclusiveMaximum, limitTypes("EXCLUSIVE_MAXIMUM")),
    ...compareLimit("exclusiveMinimum", o.exclusiveMinimum, u.exclusiveMinimum, limitTypes("EXCLUSIVE_MINIMUM")),
  ];
  if (o.multipleOf !== u.multipleOf) {
    if (o.multipleOf === undefined) out.push(diff("MULTIPLE_OF_ADDED", "multipleOf"));
    else if (u.multipleOf === undefined) out.push(diff("MULTIPLE_OF_REMOVED", "multipleOf"));
    else if (divides(o.multipleOf, u.multipleOf)) out.push(diff("MULTIPLE_OF_EXPANDED", "multipleOf"));
    else if (divides(u.multipleOf, o.multipleOf)) out.push(diff("MULTIPLE_OF_REDUCED", "multipleOf"));
    else out.push(diff("MULTIPLE_OF_CHANGED", "multipleOf"));
  }
  if (o.integer !== u.integer) out.push({ ...diff(o.integer ? "TYPE_EXTENDED" : "TYPE_NARROWED"), from: describeKind(o), to: describeKind(u) });
  return out;
}

/** Open: any additional property is accepted, whatever its value. */
function isOpenObject(node: ObjectNode): boolean {
  if (!node.permitsAdditional || node.additionalSchema || node.patternProperties.length > 0) return false;
  return node.unevaluated === null || dereference(node.unevaluated).kind === "empty";
}

/** Partially open: a pattern property or a schema for additional (or unevaluated) properties says what a key may hold. */
function partialSchemaForProperty(node: ObjectNode, key: string): SchemaNode | null {
  for (const [pattern, schema] of node.patternProperties) {
    try {
      if (compileUserRegExp(pattern).test(key)) return schema;
    } catch {
      // A pattern JavaScript cannot compile, or RE2 cannot run, does not cover the key.
    }
  }
  if (node.additionalSchema) return node.additionalSchema;
  if (node.permitsAdditional && node.unevaluated && !["false", "empty"].includes(dereference(node.unevaluated).kind)) return node.unevaluated;
  return null;
}

function isOpenArray(node: ArrayNode): boolean {
  if (!node.permitsAdditional || node.additionalSchema) return false;
  return node.unevaluated === null || dereference(node.unevaluated).kind === "empty";
}

function partialSchemaForItems(node: ArrayNode): SchemaNode | null {
  if (node.additionalSchema) return node.additionalSchema;
  if (node.permitsAdditional && node.unevaluated && !["false", "empty"].includes(dereference(node.unevaluated).kind)) return node.unevaluated;
  return null;
}

const MAX_PASSES = 8;

/** Every difference between two schemas (raw JSON), from the writer's `original` to the reader's `update`. */
export function diffSchemas(original: unknown, update: unknown): Difference[] {
  const o = loadSchema(original ?? {});
  const u = loadSchema(update ?? {});
  let previous: Map<SchemaNode, Map<SchemaNode, Difference[]>> | null = null;
  let result: Difference[] = [];
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const comparison: Comparison = new Comparison(previous);
    result = comparison.compare(o, u);
    if (comparison.settled()) break;
    previous = comparison.results;
  }
  return result;
}
