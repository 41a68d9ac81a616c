// Schemas by registry id, for decoding Confluent-framed records whose payload is not JSON (Avro):
// the message browser, trace, replay's dry run and the DLQ show such a record as JSON text, and
// filters, masking and validation read that JSON. A schema id always names the same schema, so a
// parsed schema is kept once loaded; an id the catalog does not know is asked again after a while.
// A cluster that names an external registry reads its ids there (external-registry.ts), not in the
// catalog: the same id means another schema in another registry.
import { getEnv } from "~/env";
import { encodeConfluentFrame, parseConfluentFrame } from "~/lib/wire-format";
import { findSchemaBySchemaId, type SchemaType } from "~/server/catalog";
import type { ExternalRegistry } from "~/server/registry/client";
import { schemaRegistryOf } from "~/server/services/clusters/clusters";
import { externalSchemaById } from "./external-registry";
import { decodeWith, encodeWith, parseSchema, type AnyParsedSchema } from "./formats";
import { readMessageIndexes } from "./protobuf";
import { referencedSchemasOf } from "./references";

/** Which registry a cluster's records name ids in; looked up at most every few seconds per cluster (records come by the thousand). */
const registryOfCluster = new Map<string, { at: number; registry: Promise<ExternalRegistry | null> }>();
const REGISTRY_LOOKUP_MS = 10_000;

export function clusterRegistry(clusterName: string, now = Date.now()): Promise<ExternalRegistry | null> {
  const hit = registryOfCluster.get(clusterName);
  if (hit && now - hit.at < REGISTRY_LOOKUP_MS) return hit.registry;
  const registry = schemaRegistryOf(getEnv(), clusterName).catch(() => null);
  if (registryOfCluster.size > 1000) registryOfCluster.clear();
  registryOfCluster.set(clusterName, { at: now, registry });
  return registry;
}

export type SchemaLookupResult = { ok: true; schema: AnyParsedSchema } | { ok: false; problem: string };

/**
 * The schema an id names for records of `clusterName`: in its external registry when it has one,
 * else in Signalbox's catalog. Without a cluster, the catalog. A failure says why.
 */
export async function lookupSchema(schemaId: number, clusterName?: string): Promise<SchemaLookupResult> {
  const registry = clusterName ? await clusterRegistry(clusterName) : null;
  if (registry) return externalSchemaById(registry, schemaId);
  const schema = await schemaById(schemaId);
  return schema ? { ok: true, schema } : { ok: false, problem: `Schema id ${schemaId} is not in Signalbox's schema registry.` };
}

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
      // A schema that names others (Avro named types, Protobuf imports) parses only with them.
      const parsed = row ? parseSchema(row.schemaType, row.schema, (await referencedSchemasOf([row.id])).get(row.id)) : null;
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

/** The schema an id names for records of `clusterName` (see lookupSchema); undefined when there is none. */
export async function schemaForCluster(schemaId: number, clusterName?: string): Promise<AnyParsedSchema | undefined> {
  const found = await lookupSchema(schemaId, clusterName);
  return found.ok ? found.schema : undefined;
}

export interface FramedDecoding {
  schemaId: number;
  schemaType: SchemaType;
  /** Avro's JSON encoding (JSON Schema payloads are JSON already). */
  json: unknown;
  text: string;
}

export type FramedOutcome = { ok: true; decoding: FramedDecoding } | { ok: false; schemaId: number; problem: string };

/**
 * A framed value whose schema is not JSON Schema, decoded with that schema (from the cluster's
 * registry); null when the value is not framed or is JSON Schema; a problem when its schema cannot
 * be had (unknown id, unreachable registry) or the bytes do not decode: it is then shown as bytes,
 * with the problem beside it.
 */
export async function decodeFramed(value: Uint8Array | null, clusterName?: string): Promise<FramedOutcome | null> {
  const frame = value && value.length > 5 ? parseConfluentFrame(value) : null;
  if (!frame) return null;
  const found = await lookupSchema(frame.schemaId, clusterName);
  if (!found.ok) {
    // A plain JSON payload framed with an id Signalbox's own registry lacks is still readable JSON: no problem to show.
    return clusterName && (await clusterRegistry(clusterName)) ? { ok: false, schemaId: frame.schemaId, problem: found.problem } : null;
  }
  const schema = found.schema;
  if (schema.schemaType === "JSON") return null;
  const decoded = decodeWith(schema, frame.payload);
  return decoded.ok
    ? { ok: true, decoding: { schemaId: frame.schemaId, schemaType: schema.schemaType, json: decoded.value, text: decoded.json } }
    : { ok: false, schemaId: frame.schemaId, problem: `The value does not decode with ${schema.schemaType} schema id ${frame.schemaId}: ${decoded.reason}` };
}

export async function decodeFramedValue(value: Uint8Array | null, clusterName?: string): Promise<FramedDecoding | null> {
  const outcome = await decodeFramed(value, clusterName);
  return outcome?.ok ? outcome.decoding : null;
}

export const decodeFramedValues = (values: (Uint8Array | null)[], clusterName?: string) => Promise.all(values.map((v) => decodeFramedValue(v, clusterName)));

/**
 * An edited record's JSON written back the way its original was encoded: a Confluent-framed original
 * (Avro, or another format the catalog knows) is encoded with the same schema under the same id, so
 * its consumers read the fix as they read the rest; anything else is written as the JSON text.
 * Throws an Error saying what does not fit the schema, or that the id is no longer in the catalog.
 */
export async function encodeLikeOriginal(original: Uint8Array | null, editedJson: string, clusterName?: string): Promise<Uint8Array> {
  const frame = original && original.length > 5 ? parseConfluentFrame(original) : null;
  const found = frame ? await lookupSchema(frame.schemaId, clusterName) : null;
  if (!frame || !found?.ok) {
    if (frame && found && !found.ok) throw new Error(`The original record names schema id ${frame.schemaId}, which cannot be had: ${found.problem} It cannot be encoded again.`);
    return new TextEncoder().encode(editedJson);
  }
  const schema = found.schema;
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
