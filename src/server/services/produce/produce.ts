// Producing one record from the console (issue 19): a corrected event, a test event, or a copy of
// one seen in the browser, trace or DLQ. The record is checked before it is written:
// - the topic exists, is not one of Kafka's internal topics, and has the chosen partition;
// - a value still holding masked fields (copied from a masked view) is refused: it would write the
//   mask into the topic;
// - a JSON value whose envelope names an event type the catalog knows must match its schema;
// - with a schema id, the value must be JSON the schema can encode: it is written encoded and framed
//   (Avro, Protobuf, JSON Schema), as a Confluent serializer would.
// Written with acks from every in-sync replica; the audit entry names where it landed, never the
// value (it may hold what masking hides).
import { MASK_MARKER } from "~/server/services/masking/masking";
import { envelopeColumns } from "~/server/services/messages/decode";
import { validatePayload, type ValidationResult } from "~/server/services/messages/validation";
import { listTopicNames, produceRecord, readPartitionOffsets, type ClusterConnectionConfig, type RecordHeader } from "~/server/broker";
import { writeAudit, type Actor } from "~/server/catalog";
import { validateParsed, type AnyParsedSchema } from "~/server/services/schemas/formats";
import { clusterRegistry, encodeFramed, lookupSchema, schemaForCluster } from "~/server/services/schemas/schema-decoding";
import { AppError } from "~/server/errors";
import type { ProduceRequest } from "./produce.types";

export interface ProduceProblem {
  /** "topic", "partition", "value", or a JSON path inside the value. */
  path: string;
  message: string;
}

export interface ProduceCheck {
  ok: boolean;
  problems: ProduceProblem[];
  /** The topic's partition count; 0 when it does not exist. */
  partitions: number;
  json: boolean;
  eventType: string | null;
  eventId: string | null;
  /** The schema's verdict, when the catalog knows the event type. */
  validation: ValidationResult | null;
}

export interface ProduceResult {
  partition: number;
  offset: string;
  check: ProduceCheck;
}

/** The parts of a check that need no broker or catalog: masked fields, JSON, the envelope. */
export function inspectValue(request: Pick<ProduceRequest, "value" | "headers">): { problems: ProduceProblem[]; json: boolean; parsed: { ok: boolean; value: unknown }; headers: RecordHeader[] } {
  const headers = request.headers.map((h) => ({ key: h.key, value: Buffer.from(h.value, "utf8") }));
  const problems: ProduceProblem[] = [];
  if (request.value?.includes(MASK_MARKER)) problems.push({ path: "value", message: `The value still holds masked fields ("${MASK_MARKER}"), copied from a masked view: type their real values in.` });
  let parsed: { ok: boolean; value: unknown } = { ok: false, value: undefined };
  if (request.value !== null) {
    try {
      parsed = { ok: true, value: JSON.parse(request.value) };
    } catch {
      // Not JSON: written as text, with no schema to check it against.
    }
  }
  return { problems, json: parsed.ok, parsed, headers };
}

export async function checkProduce(cluster: ClusterConnectionConfig, request: ProduceRequest): Promise<ProduceCheck> {
  const { problems, json, parsed, headers } = inspectValue(request);
  let partitions = 0;
  if (request.topic.startsWith("__")) problems.unshift({ path: "topic", message: `${request.topic} is one of Kafka's internal topics; Signalbox does not write to them.` });
  else {
    const exists = (await listTopicNames(cluster)).includes(request.topic);
    partitions = exists ? (await readPartitionOffsets(cluster, [request.topic])).length : 0;
    if (partitions === 0) problems.unshift({ path: "topic", message: `The topic ${request.topic} does not exist.` });
    else if (request.partition !== null && request.partition >= partitions) problems.unshift({ path: "partition", message: `${request.topic} has partitions 0 to ${partitions - 1}; there is no partition ${request.partition}.` });
  }
  const envelope = envelopeColumns({ value: request.value === null ? null : Buffer.from(request.value, "utf8"), headers }, parsed);
  const validation = json ? await validatePayload(envelope.eventType, parsed) : null;
  if (validation?.status === "invalid") problems.push(...validation.errors.map((e) => ({ path: e.path || "(root)", message: `${envelope.eventType}: ${e.message}` })));
  if (request.schemaId !== null) problems.push(...(await encodingProblems(cluster.name, request.schemaId, request.value, parsed)).problems);
  return { ok: problems.length === 0, problems, partitions, json, eventType: envelope.eventType, eventId: envelope.eventId, validation };
}

/** Why the value cannot be encoded with schema `schemaId`, and the schema when it can. */
async function encodingProblems(clusterName: string, schemaId: number, value: string | null, parsed: { ok: boolean; value: unknown }): Promise<{ problems: ProduceProblem[]; schema: AnyParsedSchema | null }> {
  if (value === null) return { problems: [{ path: "schemaId", message: "A tombstone has no value to encode: clear the schema id." }], schema: null };
  const found = await lookupSchema(schemaId, clusterName);
  if (!found.ok) return { problems: [{ path: "schemaId", message: (await clusterRegistry(clusterName)) ? found.problem : `No schema with id ${schemaId} is in the catalog's registry.` }], schema: null };
  const schema = found.schema;
  if (!parsed.ok) return { problems: [{ path: "value", message: `To be encoded with schema ${schemaId}, the value must be JSON.` }], schema };
  const errors = validateParsed(schema, parsed.value);
  return { problems: errors.map((e) => ({ path: e.path || "(root)", message: `schema ${schemaId} (${schema.schemaType}): ${e.message}` })), schema };
}

// A repeated submit (a double click, a retried request) returns the first write. Kept per web
// process for ten minutes; several web processes behind a balancer would each keep their own.
const IDEMPOTENCY_TTL_MS = 10 * 60_000;
const IDEMPOTENCY_MAX = 1000;
const recent = new Map<string, { at: number; result: Promise<ProduceResult> }>();

function remembered(key: string, now: number): Promise<ProduceResult> | null {
  for (const [k, v] of recent) {
    if (now - v.at <= IDEMPOTENCY_TTL_MS && recent.size <= IDEMPOTENCY_MAX) break;
    recent.delete(k); // oldest first: Map keeps insertion order
  }
  return recent.get(key)?.result ?? null;
}

export async function produceMessage(actor: Actor, cluster: ClusterConnectionConfig, request: ProduceRequest): Promise<ProduceResult> {
  const key = request.idempotencyKey ? `${actor.email}:${request.idempotencyKey}` : null;
  const earlier = key ? remembered(key, Date.now()) : null;
  if (earlier) return earlier;
  const result = write(actor, cluster, request);
  if (key) {
    recent.set(key, { at: Date.now(), result });
    // A failed write may be tried again with the same key.
    result.catch(() => recent.delete(key));
  }
  return result;
}

/** Kafka allows a header key more than once; the order of the values is kept. */
export function headerRecord(headers: ProduceRequest["headers"]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const h of headers) (out[h.key] ??= []).push(h.value);
  return out;
}

async function write(actor: Actor, cluster: ClusterConnectionConfig, request: ProduceRequest): Promise<ProduceResult> {
  const check = await checkProduce(cluster, request);
  if (!check.ok) throw new AppError("BAD_REQUEST", `Nothing was written: ${check.problems.map((p) => (p.path === "topic" || p.path === "partition" || p.path === "value" ? p.message : `${p.path}: ${p.message}`)).join("; ")}`);
  const encoded = request.schemaId !== null && request.value !== null ? Buffer.from(encodeFramed(request.schemaId, (await schemaForCluster(request.schemaId, cluster.name))!, JSON.parse(request.value))) : null;
  const written = await produceRecord(cluster, request.topic, {
    key: request.key,
    value: encoded ?? request.value,
    partition: request.partition ?? undefined,
    headers: headerRecord(request.headers),
  });
  await writeAudit({
    actor,
    action: "topic.produce",
    targetType: "topic",
    targetId: request.topic,
    details: { cluster: cluster.name, partition: written.partition, offset: written.offset, key: request.key, headers: request.headers.map((h) => h.key), valueBytes: encoded ? encoded.length : request.value === null ? null : Buffer.byteLength(request.value, "utf8"), schemaId: request.schemaId, eventType: check.eventType, eventId: check.eventId },
  });
  return { ...written, check };
}
