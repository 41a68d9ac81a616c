// The rules of topic administration as plain functions: which broker settings a new topic inherits,
// which form field a Kafka refusal belongs to, how one configuration change
// becomes the full set of overrides Kafka's AlterConfigs needs, and where a purge cuts each partition.
import { isInternalTopic } from "~/lib/topic-names";
import type { ConfigEntry, KafkaRefusal } from "~/server/broker";
import { AppError } from "~/server/errors";
import type { PurgeTarget } from "./topics.types";

/** Broker settings a new topic inherits, by the topic-level name the form shows them under. */
export const BROKER_DEFAULTS: { broker: string; field: "partitions" | "replicationFactor" | "configEntries"; topicConfig?: string }[] = [
  { broker: "num.partitions", field: "partitions" },
  { broker: "default.replication.factor", field: "replicationFactor" },
  { broker: "log.retention.ms", field: "configEntries", topicConfig: "retention.ms" },
  { broker: "log.retention.hours", field: "configEntries", topicConfig: "retention.ms" },
  { broker: "log.retention.bytes", field: "configEntries", topicConfig: "retention.bytes" },
  { broker: "log.cleanup.policy", field: "configEntries", topicConfig: "cleanup.policy" },
  { broker: "min.insync.replicas", field: "configEntries", topicConfig: "min.insync.replicas" },
  { broker: "log.segment.bytes", field: "configEntries", topicConfig: "segment.bytes" },
  { broker: "compression.type", field: "configEntries", topicConfig: "compression.type" },
  { broker: "message.max.bytes", field: "configEntries", topicConfig: "max.message.bytes" },
];

export type CreateField = "topic" | "partitions" | "replicationFactor" | "configEntries" | "form";

/** The form field a Kafka refusal of CreateTopics is about. */
export function fieldOfRefusal(type: string): CreateField {
  switch (type) {
    case "INVALID_TOPIC_EXCEPTION":
    case "TOPIC_ALREADY_EXISTS":
      return "topic";
    case "INVALID_PARTITIONS":
      return "partitions";
    case "INVALID_REPLICATION_FACTOR":
    case "INVALID_REPLICA_ASSIGNMENT":
      return "replicationFactor";
    case "INVALID_CONFIG":
      return "configEntries";
    default:
      return "form";
  }
}

/** Kafka's refusal in words that name the problem (kafkajs keeps the error type, not the broker's own message). */
export function describeRefusal(refusal: KafkaRefusal, spec: { partitions?: number; replicationFactor?: number; brokerCount?: number }): string {
  switch (refusal.type) {
    case "INVALID_REPLICATION_FACTOR":
      return `Kafka refused replication factor ${spec.replicationFactor ?? "?"}${spec.brokerCount !== undefined ? `: the cluster has ${spec.brokerCount} broker${spec.brokerCount === 1 ? "" : "s"}` : ""} (INVALID_REPLICATION_FACTOR).`;
    case "INVALID_PARTITIONS":
      return `Kafka refused ${spec.partitions ?? "this number of"} partitions (INVALID_PARTITIONS).`;
    case "TOPIC_ALREADY_EXISTS":
      return "A topic with this name already exists (TOPIC_ALREADY_EXISTS).";
    case "POLICY_VIOLATION":
      return `The cluster's create-topic policy refused the request (POLICY_VIOLATION): ${refusal.message}.`;
    default:
      return `Kafka refused it (${refusal.type}): ${refusal.message}.`;
  }
}

/** Why Signalbox will not administer `topic`, or null. */
export function internalTopicRefusal(topic: string): string | null {
  return isInternalTopic(topic) ? `"${topic}" is an internal topic (its name starts with "__"): Kafka and its clients keep their own state there, so Signalbox does not change it.` : null;
}

export function assertNotInternal(topic: string): void {
  const refusal = internalTopicRefusal(topic);
  if (refusal) throw new AppError("BAD_REQUEST", refusal);
}

/** The topic's own overrides (what AlterConfigs replaces), as `kafka-configs --describe` lists them. */
export function topicOverrides(entries: ConfigEntry[]): ConfigEntry[] {
  return entries.filter((e) => e.source === "topic");
}

/**
 * Every override the topic keeps after setting or removing one: AlterConfigs replaces the whole set,
 * so the others are sent again as they are. A sensitive override cannot be sent back (Kafka does
 * not reveal its value), so a change to such a topic is refused rather than silently dropping it.
 */
export function overridesAfter(entries: ConfigEntry[], change: { kind: "set"; name: string; value: string } | { kind: "remove"; name: string }): { name: string; value: string }[] {
  const target = entries.find((e) => e.name === change.name);
  if (!target) throw new AppError("BAD_REQUEST", `"${change.name}" is not a topic configuration Kafka knows.`);
  if (target.readOnly) throw new AppError("BAD_REQUEST", `"${change.name}" is read-only: Kafka does not allow changing it.`);
  if (change.kind === "remove" && target.source !== "topic") throw new AppError("BAD_REQUEST", `"${change.name}" has no override on this topic to remove; its value comes from the ${target.source === "default" ? "default" : "broker"}.`);
  const kept = topicOverrides(entries).filter((e) => e.name !== change.name);
  const hidden = kept.filter((e) => e.value === null);
  if (hidden.length) throw new AppError("BAD_REQUEST", `The topic has sensitive overrides (${hidden.map((e) => e.name).join(", ")}) whose values Kafka does not reveal; changing another entry would remove them. Use kafka-configs --alter for this topic.`);
  const after = kept.map((e) => ({ name: e.name, value: e.value! }));
  if (change.kind === "set") after.push({ name: change.name, value: change.value });
  return after.sort((a, b) => a.name.localeCompare(b.name));
}

export interface PurgePartition {
  partition: number;
  logStart: number;
  logEnd: number;
  /** The first offset at or after the purge time (before-time purges). */
  atTime?: number;
}

/** Where each partition's log will start after the purge; partitions that would not change are left out. */
export function purgeCuts(target: PurgeTarget, partitions: PurgePartition[]): { partition: number; from: number; to: number }[] {
  const byPartition = new Map(partitions.map((p) => [p.partition, p]));
  const wanted: { partition: number; offset: number }[] =
    target.kind === "offsets" ? target.offsets : partitions.map((p) => ({ partition: p.partition, offset: target.kind === "all" ? p.logEnd : (p.atTime ?? p.logEnd) }));
  const unknown = wanted.filter((w) => !byPartition.has(w.partition)).map((w) => w.partition);
  if (unknown.length) throw new AppError("BAD_REQUEST", `The topic has no partition ${unknown.join(", ")}.`);
  const cuts: { partition: number; from: number; to: number }[] = [];
  for (const w of wanted) {
    const p = byPartition.get(w.partition)!;
    if (w.offset > p.logEnd) throw new AppError("BAD_REQUEST", `Partition ${p.partition} ends at offset ${p.logEnd}; it cannot be purged up to ${w.offset}.`);
    // Records before the log start are already gone: nothing to do there.
    if (w.offset > p.logStart) cuts.push({ partition: p.partition, from: p.logStart, to: w.offset });
  }
  return cuts.sort((a, b) => a.partition - b.partition);
}
