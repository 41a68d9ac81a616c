// Schemas by registry id, for decoding Confluent-framed records whose payload is not JSON (Avro):
// the message browser, trace, replay's dry run and the DLQ show such a record as JSON text, and
// filters, masking and validation read that JSON. A schema id always names the same schema, so a
// parsed schema is kept once loaded; an id the catalog does not know is asked again after a while.
import { encodeConfluentFrame, parseConfluentFrame } from "~/lib/wire-format";
import { findSchemaBySchemaId, type SchemaType } from "~/server/catalog";
import { decodeWith, encodeWith, parseSchema, type AnyParsedSchema } from "./formats";
import { readMessageIndexes } from "./protobuf";

const known = new Map<number, AnyParsedSchema>();
const unknown = new Map<number, number>();
const inFlight = new Map<number, Promise<AnyParsedSchema | undefined>>();
const KNOWN_MAX = 1000;
const UNKNOWN_RETRY_MS = 10_000;

/** The schema a registry id names, from the catalog; undefined when there is none (or it does not parse). */
export async function schemaById(schemaId: number, now = Date.now()): Promise<AnyParsedSchema | undefined> {
  const hit = known.get(schemaId);
  if (hit) return hit;
  const missedAt = unknown.get(schemaId);
  if (missedAt !== undefined && now - missedAt < UNKNOWN_RETRY_MS) return undefined;
  let loading = inFlight.get(schemaId);
  if (!loading) {
    loading = (async () => {
      const row = await findSchemaBySchemaId(schemaId);
      const parsed = row ? parseSchema(row.schemaType, row.schema) : null;
      if (parsed?.ok) {
        if (known.size >= KNOWN_MAX) known.delete(known.keys().next().value!);
        known.set(schemaId, parsed);
        unknown.delete(schemaId);
        return parsed;
      }
      unknown.set(schemaId, now);
      return undefined;
    })().finally(() => inFlight.delete(schemaId));
    inFlight.set(schemaId, loading);
  }
  return loading;
}

/** The format of a schema id already loaded; null when not loaded. */
export const loadedSchemaType = (schemaId: number): SchemaType | null => known.get(schemaId)?.schemaType ?? null;

export interface FramedDecoding {
  schemaId: number;
  schemaType: SchemaType;
  /** Avro's JSON encoding (JSON Schema payloads are JSON already). */
  json: unknown;
  text: string;
}

/**
 * A framed value whose schema is not JSON Schema, decoded with that schema; null when the value is
 * not framed, is JSON Schema, names an unknown id, or does not decode (it is then shown as bytes).
 */
export async function decodeFramedValue(value: Uint8Array | null): Promise<FramedDecoding | null> {
  const frame = value && value.length > 5 ? parseConfluentFrame(value) : null;
  if (!frame) return null;
  const schema = await schemaById(frame.schemaId);
  if (!schema || schema.schemaType === "JSON") return null;
  const decoded = decodeWith(schema, frame.payload);
  return decoded.ok ? { schemaId: frame.schemaId, schemaType: schema.schemaType, json: decoded.value, text: decoded.json } : null;
}

export const decodeFramedValues = (values: (Uint8Array | null)[]) => Promise.all(values.map(decodeFramedValue));

/**
 * An edited record's JSON written back the way its original was encoded: a Confluent-framed original
 * (Avro, or another format the catalog knows) is encoded with the same schema under the same id, so
 * its consumers read the fix as they read the rest; anything else is written as the JSON text.
 * Throws an Error saying what does not fit the schema, or that the id is no longer in the catalog.
 */
export async function encodeLikeOriginal(original: Uint8Array | null, editedJson: string): Promise<Uint8Array> {
  const frame = original && original.length > 5 ? parseConfluentFrame(original) : null;
  const schema = frame ? await schemaById(frame.schemaId) : undefined;
  if (!frame || !schema) {
    if (frame && !schema) throw new Error(`The original record names schema id ${frame.schemaId}, which the catalog does not hold: it cannot be encoded again.`);
    return new TextEncoder().encode(editedJson);
  }
  if (schema.schemaType === "PROTOBUF") {
    // The edit is encoded as the file's first message (indexes [0]); a record of another message would change type.
    const indexes = readMessageIndexes(frame.payload)?.indexes;
    if (!indexes || indexes.length !== 1 || indexes[0] !== 0)
      throw new Error(`The original record is message [${indexes?.join(", ") ?? "unreadable"}] of its .proto file; an edit can be encoded only for the file's first message.`);
  }
  return encodeFramed(frame.schemaId, schema, JSON.parse(editedJson));
}

/**
 * A JSON value in Confluent's wire format under `schemaId`: encoded with the schema (Avro, Protobuf as
 * the file's first message), or as JSON text for JSON Schema. Throws an Error saying what does not fit.
 */
export function encodeFramed(schemaId: number, schema: AnyParsedSchema, value: unknown): Uint8Array {
  const payload = schema.schemaType === "JSON" ? new TextEncoder().encode(JSON.stringify(value)) : encodeWith(schema, value);
  return encodeConfluentFrame(schemaId, payload);
}
