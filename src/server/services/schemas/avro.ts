// Avro support with avsc: parse and check a schema, validate values, and decode/encode the binary
// payload of Confluent-framed records. A value is shown and validated in Avro's JSON encoding (the
// form avro-tools and Confluent's console consumer print: unions as {"branch": value}, bytes as
// strings), so it reads as JSON and goes back to the same binary unchanged.
import avro from "avsc";
import { createHash } from "node:crypto";
import { canonicalJson } from "./canonical";
import { SCHEMA_MAX_BYTES, type SchemaProblem, type ValueError } from "./json-schema";
import type { ResolvedReference } from "./resolved-reference";

export interface ParsedAvroSchema {
  schema: unknown;
  type: avro.Type;
  /** Keys sorted, no whitespace: the form compared for "the same schema". */
  canonical: string;
  fingerprint: string;
  /** The full name of a named top-level type (record, enum, fixed); null otherwise. */
  name: string | null;
}

/**
 * Fingerprints are per format: `{"type":"string"}` is both a JSON Schema and an Avro schema, and the
 * two must not share a registry id. JSON keeps the bare hash it always had.
 */
export const avroFingerprint = (canonical: string) => createHash("sha256").update(`AVRO:${canonical}`).digest("hex");

/**
 * Parses Avro schema text (a JSON document per the Avro specification); every problem says what is
 * wrong. Named types of referenced schemas (registry references, dependencies first) are known by
 * their full names through avsc's registry, as Confluent's AvroSchemaProvider does.
 */
export function parseAvroSchema(text: string, references: ResolvedReference[] = []): ({ ok: true } & ParsedAvroSchema) | SchemaProblem {
  const bytes = Buffer.byteLength(text, "utf8");
  if (bytes > SCHEMA_MAX_BYTES) return { ok: false, problems: [`The schema is ${Math.ceil(bytes / 1024)} KiB; the limit is ${SCHEMA_MAX_BYTES / 1024} KiB.`] };
  if (text.trim() === "") return { ok: false, problems: ["The schema is empty."] };
  let schema: unknown;
  try {
    schema = JSON.parse(text);
  } catch (error) {
    return { ok: false, problems: [`The Avro schema is not valid JSON: ${error instanceof Error ? error.message : String(error)}.`] };
  }
  let type: avro.Type;
  const registry: Record<string, avro.Type> = {};
  for (const reference of references) {
    try {
      if (reference.schemaType !== "AVRO") throw new Error(`it is a ${reference.schemaType} schema; an Avro schema can only reference Avro schemas`);
      avro.Type.forSchema(JSON.parse(reference.schema) as avro.Schema, { wrapUnions: "auto", registry });
    } catch (error) {
      return { ok: false, problems: [`The referenced schema "${reference.name}" cannot be used: ${error instanceof Error ? error.message : String(error)}.`] };
    }
  }
  try {
    // No logical type implementations: logical types are read as their underlying type, as a
    // reader without them does (the Avro specification's rule for unknown logical types).
    type = avro.Type.forSchema(schema as avro.Schema, { wrapUnions: "auto", registry });
  } catch (error) {
    return { ok: false, problems: [`Not a valid Avro schema: ${error instanceof Error ? error.message : String(error)}.`] };
  }
  const canonical = canonicalJson(schema);
  return { ok: true, schema, type, canonical, fingerprint: avroFingerprint(canonical), name: type.name ?? null };
}

function pointer(path: string[]): string {
  return path.length === 0 ? "/" : `/${path.map((p) => p.replace(/~/g, "~0").replace(/\//g, "~1")).join("/")}`;
}

/** Validates a value given in Avro's JSON encoding (or as plain JSON where that is unambiguous); an empty list means it conforms. */
export function validateAvroValue(parsed: ParsedAvroSchema, value: unknown): ValueError[] {
  try {
    parsed.type.fromString(JSON.stringify(value));
    return [];
  } catch (error) {
    // fromString says what failed but not where; the same value checked as plain JSON names the paths.
    const errors: ValueError[] = [];
    parsed.type.isValid(value, {
      errorHook: (path: string[], got: unknown, type: avro.Type) => {
        if (errors.length < 20) errors.push({ path: pointer(path), message: got === undefined ? "is required but missing" : `must be ${describeType(type)}, got ${JSON.stringify(got)?.slice(0, 80) ?? "undefined"}` });
      },
    });
    if (errors.length > 0) return errors;
    return [{ path: "/", message: `does not match the Avro schema: ${error instanceof Error ? error.message : String(error)}` }];
  }
}

function describeType(type: avro.Type): string {
  const name = type.typeName;
  if (name === "record" || name === "enum" || name === "fixed" || name === "error") return `${name} ${type.name ?? ""}`.trim();
  if (name.startsWith("union")) return `one of ${(type as unknown as { types: avro.Type[] }).types.map((t) => t.branchName ?? t.typeName).join(", ")}`;
  return name;
}

/** The binary payload of a framed record as Avro's JSON encoding; never throws. */
export function decodeAvroPayload(parsed: ParsedAvroSchema, payload: Uint8Array): { ok: true; value: unknown; json: string } | { ok: false; reason: string } {
  try {
    const buffer = Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
    const { value, offset } = parsed.type.decode(buffer, 0);
    if (offset < 0) return { ok: false, reason: `truncated Avro data (${payload.length} bytes)` };
    if (offset !== buffer.length) return { ok: false, reason: `${buffer.length - offset} bytes left over after the Avro record` };
    const json = parsed.type.toString(value);
    return { ok: true, value: JSON.parse(json) as unknown, json };
  } catch (error) {
    return { ok: false, reason: `not Avro data for this schema: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/** A value in Avro's JSON encoding as the binary payload; throws an Error that says what does not fit. */
export function encodeAvroValue(parsed: ParsedAvroSchema, value: unknown): Buffer {
  const errors = validateAvroValue(parsed, value);
  if (errors.length > 0) throw new Error(`The value does not match the Avro schema: ${errors.map((e) => `${e.path} ${e.message}`).join("; ")}`);
  return parsed.type.toBuffer(parsed.type.fromString(JSON.stringify(value)));
}
