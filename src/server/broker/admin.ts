// Cluster-level reads and topic administration through the shared admin client.
import "server-only";
import kafkajs from "kafkajs";
import { AppError } from "../errors";
import { sleep, withTimeout } from "~/lib/time";
import { fetchKafkaRelease } from "./api-versions";
import { withAdmin } from "./connection";
import { translateKafkaError } from "./errors";
import { tlsOptions } from "./tls";
import type { ClusterConnectionConfig, ClusterDescription, ConfigEntry, ConfigSourceName, KafkaRefusal, NewTopicSpec, ReplicaState, TopicCounts, TopicSpec } from "./types";

/** Runs `fn` with the shared admin client, bounded in time, its failure translated for the UI. */
export async function call<T>(config: ClusterConnectionConfig, action: string, fn: Parameters<typeof withAdmin<T>>[1]): Promise<T> {
  // kafkajs retries internally; the outer bound keeps a page or health probe from hanging on a dead broker.
  const budgetMs = config.connectionTimeoutMs * 3 + 2000;
  try {
    return await withTimeout(withAdmin(config, fn), budgetMs, () => new AppError("BROKER_TIMEOUT", `Kafka did not answer within ${budgetMs} ms while trying to ${action}.`));
  } catch (error) {
    throw translateKafkaError(error, action);
  }
}

export async function describeCluster(config: ClusterConnectionConfig): Promise<ClusterDescription> {
  return call(config, "describe the cluster", async (admin) => {
    const cluster = await admin.describeCluster();
    let kafkaVersion: string | null = null;
    const first = cluster.brokers[0];
    if (first) {
      try {
        const configs = await admin.describeConfigs({
          includeSynonyms: false,
          resources: [{ type: kafkajs.ConfigResourceTypes.BROKER, name: String(first.nodeId), configNames: ["inter.broker.protocol.version"] }],
        });
        const value = configs.resources[0]?.configEntries.find((e) => e.configName === "inter.broker.protocol.version")?.configValue;
        kafkaVersion = parseProtocolVersion(value);
      } catch {
        // Some managed clusters deny DescribeConfigs; the version is optional.
      }
      // Kafka 4.0 removed inter.broker.protocol.version; there the cluster's metadata.version says it.
      kafkaVersion ??= await fetchKafkaRelease({ host: first.host, port: first.port, tls: config.ssl ? tlsOptions(config, first.host) : null, clientId: config.clientId, timeoutMs: config.connectionTimeoutMs });
    }
    return {
      clusterId: cluster.clusterId,
      controllerId: cluster.controller ?? null,
      brokers: cluster.brokers.map((b) => ({ nodeId: b.nodeId, host: b.host, port: b.port })).sort((a, b) => a.nodeId - b.nodeId),
      kafkaVersion,
    };
  });
}

/** "3.9-IV0" → "3.9". Returns null for anything that is not a version. */
export function parseProtocolVersion(value: string | undefined | null): string | null {
  const match = value?.match(/^(\d+\.\d+)/);
  return match ? match[1]! : null;
}

export async function countTopics(config: ClusterConnectionConfig): Promise<TopicCounts> {
  return call(config, "list topics", async (admin) => {
    const { topics } = await admin.fetchTopicMetadata();
    let internalTopics = 0;
    let partitions = 0;
    let underReplicated = 0;
    let offline = 0;
    for (const topic of topics) {
      // Replication health covers internal topics too: an offline __consumer_offsets partition stops groups.
      for (const p of topic.partitions) {
        if (p.isr.length < p.replicas.length) underReplicated += 1;
        if (p.leader < 0) offline += 1;
      }
      if (topic.name.startsWith("__")) {
        internalTopics += 1;
        continue;
      }
      partitions += topic.partitions.length;
    }
    return { topics: topics.length - internalTopics, internalTopics, partitions, underReplicated, offline };
  });
}

/** The brokers, and each partition's leader, replicas and in-sync replicas (kafka_exporter's replica families). */
export async function describeReplicas(config: ClusterConnectionConfig): Promise<ReplicaState> {
  return call(config, "read partition replicas", async (admin) => {
    const [cluster, { topics }] = await Promise.all([admin.describeCluster(), admin.fetchTopicMetadata()]);
    return {
      brokers: cluster.brokers.map((b) => ({ nodeId: b.nodeId, host: b.host, port: b.port })).sort((a, b) => a.nodeId - b.nodeId),
      partitions: topics.flatMap((t) => t.partitions.map((p) => ({ topic: t.name, partition: p.partitionId, leader: p.leader, replicas: p.replicas, isr: p.isr }))),
    };
  });
}

export async function countConsumerGroups(config: ClusterConnectionConfig): Promise<number> {
  return call(config, "list consumer groups", async (admin) => {
    const { groups } = await admin.listGroups();
    return groups.filter((g) => g.protocolType === "consumer" || g.protocolType === "").length;
  });
}

export async function listTopicNames(config: ClusterConnectionConfig): Promise<string[]> {
  return call(config, "list topics", (admin) => admin.listTopics());
}

/** Creates the topics that do not exist yet; existing topics are left as they are. */
export async function ensureTopics(config: ClusterConnectionConfig, specs: TopicSpec[]): Promise<string[]> {
  return call(config, "create topics", async (admin) => {
    const existing = new Set(await admin.listTopics());
    const missing = specs.filter((s) => !existing.has(s.topic));
    if (missing.length === 0) return [];
    // kafkajs's own waitForLeaders gives up after the admin client's (deliberately short) retries,
    // which a broker creating hundreds of partitions at once outlasts; wait for leaders here instead.
    await admin.createTopics({
      waitForLeaders: false,
      topics: missing.map((s) => ({ topic: s.topic, numPartitions: s.numPartitions, replicationFactor: 1, configEntries: s.configEntries })),
    });
    const names = missing.map((s) => s.topic);
    const deadline = Date.now() + TOPIC_LEADER_WAIT_MS;
    for (;;) {
      try {
        const { topics } = await admin.fetchTopicMetadata({ topics: names });
        if (topics.length === names.length && topics.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0))) return names;
      } catch (error) {
        // Until the controller has propagated the new topics, metadata requests for them fail.
        if (Date.now() > deadline) throw error;
      }
      if (Date.now() > deadline) throw new AppError("BROKER_TIMEOUT", `Kafka created ${names.length} topics but did not elect their leaders within ${TOPIC_LEADER_WAIT_MS / 1000} s.`);
      await sleep(100);
    }
  });
}

const TOPIC_LEADER_WAIT_MS = 30_000;

export async function deleteTopics(config: ClusterConnectionConfig, topics: string[]): Promise<void> {
  if (topics.length === 0) return;
  await call(config, "delete topics", (admin) => admin.deleteTopics({ topics }));
}

// --- Topic administration: create, configure, grow (deleting is above, purging in offsets.ts) ---

const SOURCE_NAMES: Record<number, ConfigSourceName> = {
  [kafkajs.ConfigSource.TOPIC_CONFIG]: "topic",
  [kafkajs.ConfigSource.DYNAMIC_BROKER_CONFIG]: "dynamic-broker",
  [kafkajs.ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG]: "dynamic-default-broker",
  [kafkajs.ConfigSource.STATIC_BROKER_CONFIG]: "static-broker",
  [kafkajs.ConfigSource.DEFAULT_CONFIG]: "default",
};

type RawConfigEntry = { configName: string; configValue: string | null; readOnly: boolean; isSensitive: boolean; configSource?: number; configSynonyms?: { configName: string; configValue: string | null; configSource: number }[] };

function toConfigEntry(e: RawConfigEntry): ConfigEntry {
  // The broker sends no value for a sensitive entry; dropping it here too keeps a broker bug from leaking one.
  const hide = (value: string | null) => (e.isSensitive ? null : value);
  return {
    name: e.configName,
    value: hide(e.configValue),
    source: SOURCE_NAMES[e.configSource ?? -1] ?? "unknown",
    readOnly: e.readOnly,
    sensitive: e.isSensitive,
    synonyms: (e.configSynonyms ?? []).map((s) => ({ name: s.configName, value: hide(s.configValue), source: SOURCE_NAMES[s.configSource] ?? "unknown" })),
  };
}

/** The number of brokers, and the first broker's values of `names` (the defaults a new topic gets). */
export async function describeBrokerDefaults(config: ClusterConnectionConfig, names: string[]): Promise<{ brokerCount: number; entries: ConfigEntry[] }> {
  return call(config, "read the broker's configuration", async (admin) => {
    const cluster = await admin.describeCluster();
    const first = cluster.brokers[0];
    if (!first) return { brokerCount: 0, entries: [] };
    const answer = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: kafkajs.ConfigResourceTypes.BROKER, name: String(first.nodeId), configNames: names }] });
    return { brokerCount: cluster.brokers.length, entries: (answer.resources[0]?.configEntries ?? []).map((e) => toConfigEntry(e as RawConfigEntry)) };
  });
}

/** Every configuration entry of a topic with its effective value and source (`kafka-configs --describe --all`). */
export async function describeTopicConfig(config: ClusterConnectionConfig, topic: string): Promise<ConfigEntry[]> {
  return call(config, `read the configuration of ${topic}`, async (admin) => {
    const answer = await admin.describeConfigs({ includeSynonyms: true, resources: [{ type: kafkajs.ConfigResourceTypes.TOPIC, name: topic }] });
    return (answer.resources[0]?.configEntries ?? []).map((e) => toConfigEntry(e as RawConfigEntry)).sort((a, b) => a.name.localeCompare(b.name));
  });
}

/** The error type and message Kafka answered with, unwrapping kafkajs's aggregate of per-topic errors. */
function refusalOf(error: unknown): KafkaRefusal | null {
  const inner = (error as { errors?: unknown[] }).errors?.[0] ?? error;
  const type = (inner as { type?: string }).type;
  if (!type) return null;
  return { type, message: inner instanceof Error ? inner.message : String(inner) };
}

// Refusals that are an answer about the request, not a failure to reach Kafka.
const REQUEST_REFUSALS = new Set(["INVALID_TOPIC_EXCEPTION", "TOPIC_ALREADY_EXISTS", "INVALID_PARTITIONS", "INVALID_REPLICATION_FACTOR", "INVALID_REPLICA_ASSIGNMENT", "INVALID_CONFIG", "POLICY_VIOLATION", "INVALID_REQUEST", "TOPIC_AUTHORIZATION_FAILED", "CLUSTER_AUTHORIZATION_FAILED", "UNKNOWN_TOPIC_OR_PARTITION"]);

/**
 * Asks the controller to check (`validateOnly`) or create a topic. Returns Kafka's refusal of the
 * request, or null when it was accepted; an unreachable or timing-out broker throws.
 */
export async function createTopic(config: ClusterConnectionConfig, spec: NewTopicSpec, options: { validateOnly: boolean }): Promise<KafkaRefusal | null> {
  const action = `${options.validateOnly ? "validate" : "create"} topic ${spec.topic}`;
  return call(config, action, async (admin) => {
    try {
      const made = await admin.createTopics({
        validateOnly: options.validateOnly,
        waitForLeaders: !options.validateOnly,
        topics: [{ topic: spec.topic, numPartitions: spec.numPartitions, replicationFactor: spec.replicationFactor, configEntries: spec.configEntries }],
      });
      // kafkajs swallows TOPIC_ALREADY_EXISTS and answers false instead.
      return made ? null : { type: "TOPIC_ALREADY_EXISTS", message: "Topic with this name already exists" };
    } catch (error) {
      const refusal = refusalOf(error);
      if (refusal && REQUEST_REFUSALS.has(refusal.type)) return refusal;
      throw error;
    }
  });
}

/**
 * Sets a topic's configuration overrides to exactly `entries`. Kafka's AlterConfigs (all kafkajs
 * speaks) is not incremental: every override left out is removed, so callers send them all.
 */
export async function replaceTopicOverrides(config: ClusterConnectionConfig, topic: string, entries: { name: string; value: string }[]): Promise<KafkaRefusal | null> {
  return call(config, `change the configuration of ${topic}`, async (admin) => {
    try {
      await admin.alterConfigs({ validateOnly: false, resources: [{ type: kafkajs.ConfigResourceTypes.TOPIC, name: topic, configEntries: entries }] });
      return null;
    } catch (error) {
      const refusal = refusalOf(error);
      if (refusal && REQUEST_REFUSALS.has(refusal.type)) return refusal;
      throw error;
    }
  });
}

/** Grows a topic to `count` partitions in total (Kafka never shrinks one). */
export async function addPartitions(config: ClusterConnectionConfig, topic: string, count: number): Promise<KafkaRefusal | null> {
  return call(config, `add partitions to ${topic}`, async (admin) => {
    try {
      await admin.createPartitions({ topicPartitions: [{ topic, count }] });
      return null;
    } catch (error) {
      const refusal = refusalOf(error);
      if (refusal && REQUEST_REFUSALS.has(refusal.type)) return refusal;
      throw error;
    }
  });
}

/** A topic's partition count, or null when it does not exist. */
export async function partitionCount(config: ClusterConnectionConfig, topic: string): Promise<number | null> {
  return call(config, `read the partitions of ${topic}`, async (admin) => {
    const names = await admin.listTopics();
    if (!names.includes(topic)) return null;
    const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
    return topics[0]?.partitions.length ?? null;
  });
}

/** Every configuration entry of one broker with its value and source (`kafka-configs --describe --all --broker <id>`). */
export async function describeBrokerConfigEntries(config: ClusterConnectionConfig, nodeId: number): Promise<ConfigEntry[]> {
  return call(config, `read the configuration of broker ${nodeId}`, async (admin) => {
    const answer = await admin.describeConfigs({ includeSynonyms: true, resources: [{ type: kafkajs.ConfigResourceTypes.BROKER, name: String(nodeId) }] });
    return (answer.resources[0]?.configEntries ?? []).map((e) => toConfigEntry(e as RawConfigEntry)).sort((a, b) => a.name.localeCompare(b.name));
  });
}
