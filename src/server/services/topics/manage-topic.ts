// Changing an existing topic: its configuration, its partition count, its records (purge) and the
// topic itself (delete). Signalbox refuses Kafka's internal topics up front; every outcome, refusals
// included, is audited after Kafka answered, with the state before and after.
import {
  addPartitions,
  deleteRecordsBefore,
  deleteTopics,
  describeTopicConfig,
  offsetsForTimestamp,
  partitionCount,
  readPartitionOffsets,
  replaceTopicOverrides,
  type ClusterConnectionConfig,
  type ConfigEntry,
} from "~/server/broker";
import { writeAudit, type Actor } from "~/server/catalog";
import { AppError } from "~/server/errors";
import { describeRefusal, internalTopicRefusal, overridesAfter, purgeCuts, topicOverrides } from "./topic-rules";
import type { AddPartitionsRequest, AlterConfigRequest, PurgeRequest } from "./topics.types";

/** Every configuration entry of the topic with its effective value and source; sensitive values are absent. */
export async function topicConfig(cluster: ClusterConnectionConfig, topic: string): Promise<{ topic: string; entries: ConfigEntry[] }> {
  return { topic, entries: await describeTopicConfig(cluster, topic) };
}

/** Runs `change` unless the topic is internal; a refusal (Signalbox's or Kafka's) is audited and thrown. */
async function audited<T extends Record<string, unknown>>(actor: Actor, cluster: ClusterConnectionConfig, action: string, topic: string, change: () => Promise<T>): Promise<T> {
  const refuse = async (reason: string, code: "BAD_REQUEST" | "NOT_FOUND" = "BAD_REQUEST", cause?: unknown): Promise<never> => {
    await writeAudit({ actor, action: `${action}-refused`, targetType: "topic", targetId: topic, details: { cluster: cluster.name, reason } });
    throw new AppError(code, reason, { cause });
  };
  const internal = internalTopicRefusal(topic);
  if (internal) return refuse(internal);
  let details: T;
  try {
    details = await change();
  } catch (error) {
    // Reachability problems are not a decision about the request: they are thrown unaudited, as elsewhere.
    if (error instanceof AppError && (error.code === "BAD_REQUEST" || error.code === "NOT_FOUND" || error.code === "CONFLICT")) return refuse(error.userMessage, error.code === "NOT_FOUND" ? "NOT_FOUND" : "BAD_REQUEST", error);
    throw error;
  }
  await writeAudit({ actor, action, targetType: "topic", targetId: topic, details: { cluster: cluster.name, ...details } });
  return details;
}

function notFound(topic: string): AppError {
  return new AppError("NOT_FOUND", `Topic "${topic}" does not exist.`);
}

/**
 * Sets or removes one override. AlterConfigs replaces every override of the topic, so the others are
 * read first and sent again; a change made by someone else between the read and the write is lost,
 * as with `kafka-configs --alter` on brokers without IncrementalAlterConfigs.
 */
export async function alterTopicConfig(actor: Actor, cluster: ClusterConnectionConfig, request: AlterConfigRequest) {
  return audited(actor, cluster, "topic.config.alter", request.topic, async () => {
    const entries = await describeTopicConfig(cluster, request.topic);
    const before = entries.find((e) => e.name === request.name);
    const after = overridesAfter(entries, request);
    const refusal = await replaceTopicOverrides(cluster, request.topic, after);
    if (refusal) throw new AppError("BAD_REQUEST", `${request.kind === "set" ? `Kafka refused ${request.name}=${request.value}` : `Kafka refused to remove ${request.name}`} (${refusal.type}): ${refusal.message}.`);
    return {
      name: request.name,
      before: before ? { value: before.value, source: before.source } : null,
      after: request.kind === "set" ? { value: request.value, source: "topic" } : { value: null, source: "inherited" },
      overridesBefore: topicOverrides(entries).map((e) => ({ name: e.name, value: e.value })),
      overridesAfter: after,
    };
  });
}

export async function growTopic(actor: Actor, cluster: ClusterConnectionConfig, request: AddPartitionsRequest) {
  return audited(actor, cluster, "topic.partitions.add", request.topic, async () => {
    const before = await partitionCount(cluster, request.topic);
    if (before === null) throw notFound(request.topic);
    if (request.partitions <= before) throw new AppError("BAD_REQUEST", `"${request.topic}" has ${before} partitions already; Kafka can only add partitions, so ask for more than ${before}.`);
    const refusal = await addPartitions(cluster, request.topic, request.partitions);
    if (refusal) throw new AppError("BAD_REQUEST", describeRefusal(refusal, { partitions: request.partitions }));
    return { before: { partitions: before }, after: { partitions: request.partitions } };
  });
}

export async function deleteTopic(actor: Actor, cluster: ClusterConnectionConfig, topic: string) {
  return audited(actor, cluster, "topic.delete", topic, async () => {
    const partitions = await partitionCount(cluster, topic);
    if (partitions === null) throw notFound(topic);
    const offsets = await readPartitionOffsets(cluster, [topic], { freshMetadata: true });
    await deleteTopics(cluster, [topic]);
    return { before: { partitions, records: offsets.reduce((sum, o) => sum + (o.high - o.low), 0) }, after: null };
  });
}

/** Deletes records from the start of each partition up to an offset or a time (Kafka's DeleteRecords). */
export async function purgeTopic(actor: Actor, cluster: ClusterConnectionConfig, request: PurgeRequest) {
  return audited(actor, cluster, "topic.purge", request.topic, async () => {
    // Log start and end read_uncommitted: DeleteRecords may cut up to the high watermark.
    const offsets = (await readPartitionOffsets(cluster, [request.topic], { freshMetadata: true })).filter((o) => o.topic === request.topic);
    if (offsets.length === 0) throw notFound(request.topic);
    const atTime = request.target.kind === "before-time" ? await offsetsForTimestamp(cluster, request.topic, request.target.timestamp) : [];
    const cuts = purgeCuts(
      request.target,
      offsets.map((o) => ({ partition: o.partition, logStart: o.low, logEnd: o.high, atTime: atTime.find((a) => a.partition === o.partition)?.offset })),
    );
    if (cuts.length) await deleteRecordsBefore(cluster, request.topic, cuts.map((c) => ({ partition: c.partition, offset: c.to })));
    return { target: request.target, partitions: cuts.map((c) => ({ partition: c.partition, logStartBefore: c.from, logStartAfter: c.to, recordsDeleted: c.to - c.from })) };
  });
}
