// Conformance of live traffic: sample the newest messages on every topic an event type is bound
// to, and check each against the schema it names (Confluent wire format) or the latest version.
// Messages that are not JSON count as non-conforming, with the reason; nothing here throws on a
// message, whatever its bytes.
import { parseConfluentFrame } from "~/lib/wire-format";
import { listTopicNames, readLatestRecords, type ClusterConnectionConfig, type ConsumedRecord } from "~/server/broker";
import { listTopicBindings, recordConformanceCheck, writeAudit, type Actor, type ConformanceCheckRow, type ConformanceTopicResult, type ConformanceViolation } from "~/server/catalog";
import { describeError } from "~/server/errors";
import { declaredEventType, decodeValue, previewValue, printable, type SchemaLookup } from "./decode-value";
import { validateParsed } from "./formats";
import type { ValueError } from "./json-schema";
import { latestOf, loadSchemaSet, lookupIn, type SchemaSet } from "./schema-sets";

export type RecordVerdict =
  | { kind: "other-type" }
  | { kind: "conforming"; version: number }
  | { kind: "violation"; reason: string; errors: ValueError[]; version: number | null };

/**
 * Judges one record for one event type. `schemaIdOwners` maps registry ids to the event types
 * that registered them, so a framed message of another type on a shared topic is not counted.
 */
export function judgeRecord(record: Pick<ConsumedRecord, "value" | "headers">, set: SchemaSet, schemaIdOwners: Map<number, string[]>, lookup: SchemaLookup = lookupIn(set)): RecordVerdict {
  // A framed record of another event type on a shared topic is theirs, whatever its format.
  const frame = record.value ? parseConfluentFrame(record.value) : null;
  if (frame && !set.versions.some((v) => v.schemaId === frame.schemaId) && schemaIdOwners.get(frame.schemaId)?.some((owner) => owner !== set.eventType)) return { kind: "other-type" };
  const decoded = decodeValue(record.value, lookup);
  if (decoded.kind === "not-json") return { kind: "violation", reason: decoded.reason, errors: [], version: null };
  let schema = latestOf(set);
  if (decoded.schemaId !== null) {
    const named = set.versions.find((v) => v.schemaId === decoded.schemaId);
    if (!named) {
      if (schemaIdOwners.get(decoded.schemaId)?.some((owner) => owner !== set.eventType)) return { kind: "other-type" };
      return { kind: "violation", reason: `names schema id ${decoded.schemaId}, which is not registered`, errors: [], version: null };
    }
    schema = named;
  } else {
    const declared = declaredEventType(decoded.value, record.headers);
    if (declared !== null && declared !== set.eventType) return { kind: "other-type" };
  }
  if (!schema) return { kind: "violation", reason: `${set.eventType} has no schema version`, errors: [], version: null };
  const errors = validateParsed(schema.parsed, decoded.value);
  if (errors.length === 0) return { kind: "conforming", version: schema.version };
  return { kind: "violation", reason: `${errors.length} schema error${errors.length === 1 ? "" : "s"} against v${schema.version}`, errors, version: schema.version };
}

export interface ConformanceResult {
  eventType: string;
  sampled: number;
  conforming: number;
  topics: ConformanceTopicResult[];
  violations: ConformanceViolation[];
}

const EXAMPLES_KEPT = 10;

/** Judges sampled records per topic for one event type; pure, so it is tested without a broker. */
export function summarise(set: SchemaSet, samples: Map<string, ConsumedRecord[] | Error>, schemaIdOwners: Map<number, string[]>): ConformanceResult {
  const result: ConformanceResult = { eventType: set.eventType, sampled: 0, conforming: 0, topics: [], violations: [] };
  for (const [topic, records] of samples) {
    if (records instanceof Error) {
      result.topics.push({ topic, sampled: 0, conforming: 0, error: records.message });
      continue;
    }
    const topicResult: ConformanceTopicResult = { topic, sampled: 0, conforming: 0, error: null };
    for (const record of records) {
      const verdict = judgeRecord(record, set, schemaIdOwners);
      if (verdict.kind === "other-type") continue;
      topicResult.sampled += 1;
      if (verdict.kind === "conforming") topicResult.conforming += 1;
      else if (result.violations.length < EXAMPLES_KEPT) {
        result.violations.push({
          topic,
          partition: record.partition,
          offset: record.offset,
          timestamp: record.timestamp,
          reason: printable(verdict.reason),
          errors: verdict.errors.slice(0, 10).map((e) => ({ path: printable(e.path), message: printable(e.message) })),
          schemaVersion: verdict.version,
          preview: previewValue(record.value),
        });
      }
    }
    result.sampled += topicResult.sampled;
    result.conforming += topicResult.conforming;
    result.topics.push(topicResult);
  }
  return result;
}

/**
 * Samples every bound topic of the cluster once (up to `sampleSize` newest records each), then
 * judges and stores the result for each event type (or only `onlyEventType`).
 */
export async function runConformanceChecks(cluster: ClusterConnectionConfig, sampleSize: number, onlyEventType?: string): Promise<ConformanceCheckRow[]> {
  const bindings = await listTopicBindings(cluster.name);
  const relevant = onlyEventType ? bindings.filter((b) => b.eventType === onlyEventType) : bindings;
  const eventTypes = [...new Set(relevant.map((b) => b.eventType))];
  const topics = [...new Set(relevant.map((b) => b.topic))];

  const samples = new Map<string, ConsumedRecord[] | Error>();
  // A binding may name a topic that does not exist (yet); say so rather than a broker error.
  const existing = topics.length > 0 ? new Set(await listTopicNames(cluster)) : new Set<string>();
  for (const topic of topics) {
    if (!existing.has(topic)) {
      samples.set(topic, new Error(`Topic "${topic}" does not exist in cluster "${cluster.name}".`));
      continue;
    }
    try {
      samples.set(topic, await readLatestRecords(cluster, topic, sampleSize));
    } catch (error) {
      samples.set(topic, new Error(describeError(error)));
    }
  }

  const sets = (await Promise.all(eventTypes.map(loadSchemaSet))).filter((s): s is SchemaSet => s !== null);
  const schemaIdOwners = new Map<number, string[]>();
  for (const set of sets) for (const v of set.versions) schemaIdOwners.set(v.schemaId, [...(schemaIdOwners.get(v.schemaId) ?? []), set.eventType]);

  const stored: ConformanceCheckRow[] = [];
  for (const set of sets) {
    const own = new Map([...samples].filter(([topic]) => relevant.some((b) => b.eventType === set.eventType && b.topic === topic)));
    const result = summarise(set, own, schemaIdOwners);
    stored.push(await recordConformanceCheck({ eventTypeId: set.eventTypeId, clusterName: cluster.name, sampled: result.sampled, conforming: result.conforming, topics: result.topics, violations: result.violations }));
  }
  return stored;
}

/** The on-demand check from the UI: one event type, audited because it writes a result. */
export async function checkConformanceNow(actor: Actor, cluster: ClusterConnectionConfig, eventType: string, sampleSize: number): Promise<ConformanceCheckRow | null> {
  const [row] = await runConformanceChecks(cluster, sampleSize, eventType);
  await writeAudit({ actor, action: "conformance.check", targetType: "event-type", targetId: eventType, details: row ? { sampled: row.sampled, conforming: row.conforming } : { sampled: 0 } });
  return row ?? null;
}
