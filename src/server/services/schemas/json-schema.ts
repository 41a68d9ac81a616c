// JSON Schema support: parse and check a schema (draft-07 or 2020-12), and validate values with Ajv.
// A schema that is not usable is refused with a message that says where the problem is.
import { Ajv, type AnySchema, type ErrorObject, type ValidateFunction } from "ajv";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { userRegExpEngine } from "~/lib/user-regex";
import { canonicalJson, fingerprintOf } from "./canonical";
import type { ResolvedReference } from "./resolved-reference";

/** Schemas larger than this (UTF-8 bytes of the text) are refused. Documented in the README. */
export const SCHEMA_MAX_BYTES = 256 * 1024;

export const JSON_SCHEMA_DRAFTS = {
  "draft-07": "http://json-schema.org/draft-07/schema#",
  "2020-12": "https://json-schema.org/draft/2020-12/schema",
} as const;
export type JsonSchemaDraft = keyof typeof JSON_SCHEMA_DRAFTS;

export type JsonSchemaDocument = Record<string, unknown> | boolean;

export interface ParsedSchema {
  schema: JsonSchemaDocument;
  draft: JsonSchemaDraft;
  /** Keys sorted, no whitespace: the form compared for "the same schema". */
  canonical: string;
  fingerprint: string;
  /** Referenced schemas a `$ref` may name (registry references), added to Ajv under their names. */
  references?: ResolvedReference[];
}

export type SchemaProblem = { ok: false; problems: string[] };

export interface ValueError {
  /** JSON Pointer into the value, "/" for the value itself. */
  path: string;
  message: string;
}

function newAjv<T extends Ajv | Ajv2020>(AjvClass: new (options: object) => T): T {
  // strict: false because real schemas carry extra keywords (x-*, examples, $comment) that
  // Confluent accepts too; addUsedSchema: false so two versions with the same $id can coexist.
  // code.regExp: `pattern` and `patternProperties` come from users and run on live payloads, so they
  // run on RE2; a pattern RE2 cannot run makes compile() throw an error that names it.
  const ajv = new AjvClass({ strict: false, allErrors: true, addUsedSchema: false, validateFormats: true, code: { regExp: userRegExpEngine } });
  (addFormats as unknown as (ajv: T) => void)(ajv);
  return ajv;
}

const engines: Record<JsonSchemaDraft, Ajv | Ajv2020> = {
  "draft-07": newAjv(Ajv),
  "2020-12": newAjv(Ajv2020),
};

function draftOf(schema: JsonSchemaDocument): JsonSchemaDraft | { unsupported: string } {
  if (typeof schema === "boolean" || schema.$schema === undefined) return "draft-07";
  const declared = String(schema.$schema).replace(/#$/, "").replace(/^https:\/\/json-schema\.org\/draft-07/, "http://json-schema.org/draft-07");
  if (declared === "http://json-schema.org/draft-07/schema") return "draft-07";
  if (declared === "https://json-schema.org/draft/2020-12/schema") return "2020-12";
  return { unsupported: String(schema.$schema) };
}

/** "position 42" in a JSON.parse message, as line and column. */
function wherePosition(text: string, message: string): string {
  const match = message.match(/position (\d+)/);
  if (!match) return "";
  const position = Number(match[1]);
  const before = text.slice(0, position);
  const line = before.split("\n").length;
  const column = position - before.lastIndexOf("\n");
  return ` (line ${line}, column ${column})`;
}

/**
 * The meta-schemas say "type" is anyOf [a type name, an array of them], so one mistake yields three
 * errors at one place. Keep the most telling: an enum error over its siblings, and drop the
 * anyOf/oneOf summary wherever a branch error exists at the same place.
 */
function mostSpecific(errors: ErrorObject[]): ErrorObject[] {
  const byPath = new Map<string, ErrorObject[]>();
  for (const error of errors) byPath.set(error.instancePath, [...(byPath.get(error.instancePath) ?? []), error]);
  return [...byPath.values()].flatMap((group) => {
    const enumError = group.find((e) => e.keyword === "enum");
    if (enumError) return [enumError];
    const branches = group.filter((e) => e.keyword !== "anyOf" && e.keyword !== "oneOf");
    return branches.length > 0 ? branches : group;
  });
}

function describeSchemaError(error: ErrorObject): string {
  const at = error.instancePath || "/";
  const params = error.params as Record<string, unknown>;
  let detail = error.message ?? "is invalid";
  if (error.keyword === "enum" && Array.isArray(params.allowedValues)) detail += `: ${params.allowedValues.map((v) => JSON.stringify(v)).join(", ")}`;
  if (error.keyword === "type" && typeof params.type === "string") detail = `must be ${params.type}`;
  return `at ${at}: ${detail}`;
}

/**
 * An engine that also knows the referenced schemas, each under its reference name (Ajv's addSchema),
 * so `{"$ref": "customer.json"}` resolves to the subject version registered as that reference.
 * Engines are shared: addSchema registers for good, so references get an engine of their own.
 */
const referenceEngines = new Map<string, Ajv | Ajv2020>();
const REFERENCE_ENGINES_KEPT = 100;

function engineWithReferences(draft: JsonSchemaDraft, references: ResolvedReference[]): Ajv | Ajv2020 {
  const key = `${draft}\u0000${JSON.stringify(references.map((r) => [r.name, r.schema]))}`;
  let ajv = referenceEngines.get(key);
  if (!ajv) {
    const fresh = draft === "2020-12" ? newAjv(Ajv2020) : newAjv(Ajv);
    for (const reference of references) {
      if (reference.schemaType !== "JSON") throw new Error(`reference "${reference.name}" is a ${reference.schemaType} schema; a JSON Schema can only reference JSON Schemas`);
      fresh.addSchema(JSON.parse(reference.schema) as AnySchema, reference.name);
    }
    if (referenceEngines.size >= REFERENCE_ENGINES_KEPT) referenceEngines.delete(referenceEngines.keys().next().value!);
    referenceEngines.set(key, fresh);
    ajv = fresh;
  }
  return ajv;
}

const engineFor = (parsed: Pick<ParsedSchema, "draft" | "references">) => (parsed.references?.length ? engineWithReferences(parsed.draft, parsed.references) : engines[parsed.draft]);

/**
 * Parses schema text and checks it against its draft's meta-schema, then compiles it (which
 * resolves every $ref, the references' names included). Returns the schema, or every problem
 * found, each saying where.
 */
export function parseJsonSchema(text: string, references: ResolvedReference[] = []): ({ ok: true } & ParsedSchema) | SchemaProblem {
  const bytes = Buffer.byteLength(text, "utf8");
  if (bytes > SCHEMA_MAX_BYTES) {
    return { ok: false, problems: [`The schema is ${formatKiB(bytes)}; the limit is ${formatKiB(SCHEMA_MAX_BYTES)}.`] };
  }
  if (text.trim() === "") return { ok: false, problems: ["The schema is empty."] };
  let schema: unknown;
  try {
    schema = JSON.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, problems: [`The schema is not valid JSON: ${message}${wherePosition(text, message)}.`] };
  }
  if (typeof schema !== "boolean" && (schema === null || typeof schema !== "object" || Array.isArray(schema))) {
    return { ok: false, problems: [`A JSON Schema must be an object (or true/false), not ${Array.isArray(schema) ? "an array" : schema === null ? "null" : typeof schema}.`] };
  }
  const document = schema as JsonSchemaDocument;
  const draft = draftOf(document);
  if (typeof draft === "object") {
    return {
      ok: false,
      problems: [`at /$schema: "${draft.unsupported}" is not supported; use ${JSON_SCHEMA_DRAFTS["draft-07"]} or ${JSON_SCHEMA_DRAFTS["2020-12"]} (or leave $schema out for draft-07).`],
    };
  }
  let ajv: Ajv | Ajv2020;
  try {
    ajv = engineFor({ draft, references });
  } catch (error) {
    return { ok: false, problems: [`A referenced schema cannot be used: ${error instanceof Error ? error.message : String(error)}.`] };
  }
  if (!ajv.validateSchema(document as AnySchema)) {
    const problems = [...new Set(mostSpecific(ajv.errors ?? []).map(describeSchemaError))].slice(0, 10);
    return { ok: false, problems: problems.length > 0 ? problems : ["The schema does not match its meta-schema."] };
  }
  try {
    ajv.compile(document as AnySchema);
  } catch (error) {
    return { ok: false, problems: [`The schema cannot be compiled: ${error instanceof Error ? error.message : String(error)}.`] };
  }
  const canonical = canonicalJson(document);
  return { ok: true, schema: document, draft, canonical, fingerprint: fingerprintOf(document), ...(references.length > 0 ? { references } : {}) };
}

// Compiling costs far more than validating; conformance checks validate thousands of values per schema.
const compiled = new Map<string, ValidateFunction>();
const COMPILED_CACHE_SIZE = 500;

function validatorFor(parsed: ParsedSchema): ValidateFunction {
  // The same text with other references is another validator.
  const key = parsed.references?.length ? `${parsed.fingerprint}\u0000${JSON.stringify(parsed.references.map((r) => [r.name, r.schema]))}` : parsed.fingerprint;
  let validate = compiled.get(key);
  if (!validate) {
    validate = engineFor(parsed).compile(parsed.schema as AnySchema);
    if (compiled.size >= COMPILED_CACHE_SIZE) compiled.delete(compiled.keys().next().value!);
    compiled.set(key, validate);
  }
  return validate;
}

function pointerAppend(path: string, key: string): string {
  return `${path === "/" ? "" : path}/${key.replace(/~/g, "~0").replace(/\//g, "~1")}`;
}

/** One error per problem, pointing at the offending value (a missing property at where it should be). */
function toValueError(error: ErrorObject): ValueError {
  const base = error.instancePath || "/";
  const params = error.params as Record<string, unknown>;
  if (error.keyword === "required" && typeof params.missingProperty === "string") {
    return { path: pointerAppend(base, params.missingProperty), message: "is required but missing" };
  }
  if (error.keyword === "additionalProperties" && typeof params.additionalProperty === "string") {
    return { path: pointerAppend(base, params.additionalProperty), message: "is not allowed (no such property in the schema)" };
  }
  if (error.keyword === "enum" && Array.isArray(params.allowedValues)) {
    return { path: base, message: `must be one of ${params.allowedValues.map((v) => JSON.stringify(v)).join(", ")}` };
  }
  return { path: base, message: error.message ?? "is invalid" };
}

/** Validates a value against a parsed schema; an empty list means it conforms. */
export function validateValue(parsed: ParsedSchema, value: unknown): ValueError[] {
  const validate = validatorFor(parsed);
  if (validate(value)) return [];
  const seen = new Set<string>();
  const errors: ValueError[] = [];
  for (const error of validate.errors ?? []) {
    // anyOf/oneOf report each branch and then themselves; the branch errors are kept, duplicates dropped.
    const item = toValueError(error);
    const key = `${item.path}\u0000${item.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    errors.push(item);
  }
  return errors;
}

function formatKiB(bytes: number): string {
  return `${(bytes / 1024).toFixed(bytes % 1024 === 0 ? 0 : 1)} KiB`;
}
