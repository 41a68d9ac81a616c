// The schema formats the catalog and the registry take, behind one small interface: parse a schema
// text, compare two versions as reader and writer, validate a decoded value, and decode/encode the
// payload of a Confluent-framed record. JSON Schema, Avro and Protobuf; another format is one more
// entry in FORMATS.
import type { SchemaType } from "~/server/catalog";
import { decodeAvroPayload, encodeAvroValue, parseAvroSchema, validateAvroValue, type ParsedAvroSchema } from "./avro";
import { avroReadCheck, jsonReadCheck, protobufReadCheck, type CompatibilityReason, type ReadCheck } from "./compatibility/compatibility";
import { parseJsonSchema, validateValue, type ParsedSchema, type SchemaProblem, type ValueError } from "./json-schema";
import { decodeProtobufPayload, encodeProtobufValue, parseProtobufSchema, validateProtobufValue, type ParsedProtobufSchema } from "./protobuf";
import type { ResolvedReference } from "./resolved-reference";

export type AnyParsedSchema = ({ schemaType: "JSON" } & ParsedSchema) | ({ schemaType: "AVRO" } & ParsedAvroSchema) | ({ schemaType: "PROTOBUF" } & ParsedProtobufSchema);

export interface SchemaFormat<P> {
  schemaType: SchemaType;
  /** What people call it in messages. */
  label: string;
  /** `references`: the schemas it may name (registry references), dependencies first. */
  parse(text: string, references?: ResolvedReference[]): ({ ok: true } & P) | SchemaProblem;
  /** The object a compatibility check compares. */
  comparable(parsed: P): unknown;
  readCheck: ReadCheck<unknown>;
  validate(parsed: P, value: unknown): ValueError[];
  /** The payload after the Confluent header (for Protobuf, its message indexes first), as a JSON value and its text. */
  decode(parsed: P, payload: Uint8Array): { ok: true; value: unknown; json: string } | { ok: false; reason: string };
  /** A JSON value as the payload after the Confluent header; throws an Error saying what does not fit. */
  encode(parsed: P, value: unknown): Uint8Array;
  /** The name a client's schema gives its type (JSON Schema `title`, an Avro record's full name, a .proto file's first message's). */
  nameOf(parsed: P): string | null;
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

const jsonFormat: SchemaFormat<ParsedSchema> = {
  schemaType: "JSON",
  label: "JSON Schema",
  parse: parseJsonSchema,
  comparable: (parsed) => parsed.schema,
  readCheck: jsonReadCheck,
  validate: validateValue,
  decode: (_parsed, payload) => {
    try {
      const json = utf8.decode(payload);
      return { ok: true, value: JSON.parse(json) as unknown, json };
    } catch (error) {
      return { ok: false, reason: `not JSON: ${error instanceof Error ? error.message : String(error)}` };
    }
  },
  encode: (parsed, value) => {
    const errors = validateValue(parsed, value);
    if (errors.length > 0) throw new Error(`The value does not match the JSON Schema: ${errors.map((e) => `${e.path} ${e.message}`).join("; ")}`);
    return new TextEncoder().encode(JSON.stringify(value));
  },
  nameOf: (parsed) => (typeof parsed.schema === "object" && typeof parsed.schema.title === "string" ? parsed.schema.title : null),
};

const avroFormat: SchemaFormat<ParsedAvroSchema> = {
  schemaType: "AVRO",
  label: "Avro",
  parse: parseAvroSchema,
  comparable: (parsed) => parsed.type,
  readCheck: avroReadCheck as ReadCheck<unknown>,
  validate: validateAvroValue,
  decode: decodeAvroPayload,
  encode: encodeAvroValue,
  nameOf: (parsed) => parsed.name,
};

const protobufFormat: SchemaFormat<ParsedProtobufSchema> = {
  schemaType: "PROTOBUF",
  label: "Protobuf",
  parse: parseProtobufSchema,
  comparable: (parsed) => parsed.file,
  readCheck: protobufReadCheck as ReadCheck<unknown>,
  validate: validateProtobufValue,
  decode: decodeProtobufPayload,
  encode: encodeProtobufValue,
  nameOf: (parsed) => parsed.name,
};

const FORMATS: Record<SchemaType, SchemaFormat<never>> = {
  JSON: jsonFormat as SchemaFormat<never>,
  AVRO: avroFormat as SchemaFormat<never>,
  PROTOBUF: protobufFormat as SchemaFormat<never>,
};

export function formatOf(schemaType: SchemaType): SchemaFormat<AnyParsedSchema> {
  return FORMATS[schemaType] as unknown as SchemaFormat<AnyParsedSchema>;
}

/** Parses schema text of the given format; `references` are the schemas it names, resolved. */
export function parseSchema(schemaType: SchemaType, text: string, references: ResolvedReference[] = []): ({ ok: true } & AnyParsedSchema) | SchemaProblem {
  const parsed = FORMATS[schemaType].parse(text, references) as ({ ok: true } & (ParsedSchema | ParsedAvroSchema | ParsedProtobufSchema)) | SchemaProblem;
  return parsed.ok ? ({ ...parsed, schemaType } as { ok: true } & AnyParsedSchema) : parsed;
}

export const validateParsed = (parsed: AnyParsedSchema, value: unknown): ValueError[] => formatOf(parsed.schemaType).validate(parsed, value);
export const decodeWith = (parsed: AnyParsedSchema, payload: Uint8Array) => formatOf(parsed.schemaType).decode(parsed, payload);
export const encodeWith = (parsed: AnyParsedSchema, value: unknown) => formatOf(parsed.schemaType).encode(parsed, value);
export const nameOf = (parsed: AnyParsedSchema) => formatOf(parsed.schemaType).nameOf(parsed);

export interface TypedVersion {
  version: number;
  parsed: AnyParsedSchema;
}

/**
 * Reader/writer check across formats: a schema of another format than the one it is compared with
 * cannot read its data (Confluent refuses a schemaType change under a checked subject the same way).
 */
export const typedReadCheck: ReadCheck<AnyParsedSchema> = (reader, writer) => {
  if (reader.schemaType !== writer.schemaType) {
    return [{ type: "SCHEMA_TYPE_CHANGED", path: "/", message: `the format changes from ${formatOf(writer.schemaType).label} to ${formatOf(reader.schemaType).label}; neither reads the other's data` } satisfies Pick<CompatibilityReason, "type" | "path" | "message">];
  }
  const format = formatOf(reader.schemaType);
  return format.readCheck(format.comparable(reader), format.comparable(writer));
};
