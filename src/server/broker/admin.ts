// Cluster-level reads and topic administration through the shared admin client.
import "server-only";
import kafkajs from "kafkajs";
import { AppError } from "../errors";
import { sleep, withTimeout } from "~/lib/time";
import { fetchKafkaRelease } from "./api-versions";
import { withAdmin } from "./connection";
import { translateKafkaError } from "./errors";
import { tlsOptions } from "./tls";
import type { ClusterConnectionConfig, ClusterDescription, ReplicaState, TopicCounts, TopicSpec } from "./types";

async function call<T>(config: ClusterConnectionConfig, action: string, fn: Parameters<typeof withAdmin<T>>[1]): Promise<T> {
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
