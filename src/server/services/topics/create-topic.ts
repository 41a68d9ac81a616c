// Creating a topic: the broker's defaults for the form, checks before submit (Kafka's name rules,
// collisions, then the controller itself with validateOnly), and the audited creation.
import { topicCollision } from "~/lib/topic-names";
import { createTopic as brokerCreateTopic, describeBrokerDefaults, listTopicNames, type ClusterConnectionConfig, type KafkaRefusal } from "~/server/broker";
import { writeAudit, type Actor } from "~/server/catalog";
import { AppError } from "~/server/errors";
import { BROKER_DEFAULTS, describeRefusal, fieldOfRefusal, internalTopicRefusal, type CreateField } from "./topic-rules";
import type { CreateTopicRequest } from "./topics.types";

export interface TopicDefaults {
  brokerCount: number;
  /** The broker's value of each setting a new topic inherits; null where the broker did not say. */
  defaults: { broker: string; field: CreateField; topicConfig: string | null; value: string | null }[];
}

export async function topicDefaults(cluster: ClusterConnectionConfig): Promise<TopicDefaults> {
  const { brokerCount, entries } = await describeBrokerDefaults(cluster, BROKER_DEFAULTS.map((d) => d.broker));
  return {
    brokerCount,
    defaults: BROKER_DEFAULTS.map((d) => ({ broker: d.broker, field: d.field, topicConfig: d.topicConfig ?? null, value: entries.find((e) => e.name === d.broker)?.value ?? null })),
  };
}

export interface CreateProblem {
  field: CreateField;
  /** The configuration entry's index, for problems with one entry. */
  entry?: number;
  message: string;
}

export interface CreateCheck {
  problems: CreateProblem[];
  warnings: string[];
}

/** Whether Kafka would create this topic, and what it would refuse, by field. Changes nothing. */
export async function checkNewTopic(cluster: ClusterConnectionConfig, request: CreateTopicRequest): Promise<CreateCheck> {
  const { collidesWith, warning } = topicCollision(request.topic, await listTopicNames(cluster));
  const warnings = warning ? [warning] : [];
  const internal = internalTopicRefusal(request.topic);
  if (internal) return { problems: [{ field: "topic", message: internal }], warnings };
  if (collidesWith) return { problems: [{ field: "topic", message: `"${request.topic}" collides with the existing topic "${collidesWith}": Kafka's metric names treat "." and "_" alike.` }], warnings };
  const refusal = await brokerCreateTopic(cluster, specOf(request), { validateOnly: true });
  if (!refusal) return { problems: [], warnings };
  return { problems: await problemsOf(cluster, request, refusal), warnings };
}

/**
 * Kafka answers one error code for the whole request, and kafkajs drops the broker's message that
 * named the bad entry; asking about each configuration entry alone finds the ones it refuses.
 */
async function problemsOf(cluster: ClusterConnectionConfig, request: CreateTopicRequest, refusal: KafkaRefusal): Promise<CreateProblem[]> {
  const field = fieldOfRefusal(refusal.type);
  if (field === "configEntries" && request.configEntries.length > 0) {
    const problems: CreateProblem[] = [];
    for (const [entry, e] of request.configEntries.entries()) {
      const alone = await brokerCreateTopic(cluster, { ...specOf(request), configEntries: [e] }, { validateOnly: true });
      if (alone) problems.push({ field, entry, message: `Kafka refused ${e.name}=${e.value} (${alone.type}): an unknown configuration name or a value it does not accept.` });
    }
    if (problems.length) return problems;
  }
  const { brokerCount } = field === "replicationFactor" ? await describeBrokerDefaults(cluster, []) : { brokerCount: undefined };
  return [{ field, message: describeRefusal(refusal, { partitions: request.partitions, replicationFactor: request.replicationFactor, brokerCount }) }];
}

function specOf(request: CreateTopicRequest) {
  return { topic: request.topic, numPartitions: request.partitions, replicationFactor: request.replicationFactor, configEntries: request.configEntries };
}

/** Checks, then creates the topic; audited after Kafka answered, a refusal too. */
export async function createTopic(actor: Actor, cluster: ClusterConnectionConfig, request: CreateTopicRequest): Promise<{ topic: string; warnings: string[] }> {
  const check = await checkNewTopic(cluster, request);
  const refusal = check.problems.length ? null : await brokerCreateTopic(cluster, specOf(request), { validateOnly: false });
  const problems = refusal ? await problemsOf(cluster, request, refusal) : check.problems;
  const details = { cluster: cluster.name, partitions: request.partitions, replicationFactor: request.replicationFactor, configEntries: request.configEntries };
  if (problems.length) {
    const reason = problems.map((p) => p.message).join(" ");
    await writeAudit({ actor, action: "topic.create-refused", targetType: "topic", targetId: request.topic, details: { ...details, reason } });
    throw new AppError("BAD_REQUEST", reason);
  }
  await writeAudit({ actor, action: "topic.create", targetType: "topic", targetId: request.topic, details });
  return { topic: request.topic, warnings: check.warnings };
}
