// The brokers themselves: who they are (with rack), their configuration, their log dirs, and
// changes to their dynamic configuration.
//
// kafkajs 2.2.4 drops the rack from describeCluster and has neither DescribeLogDirs nor
// IncrementalAlterConfigs, so those go through its internal cluster and broker connections
// (raw-request.ts). Its AlterConfigs is not used for brokers: it replaces every dynamic setting of a
// broker, and the sensitive ones (listener passwords) cannot be read back to send again.
import "server-only";
import kafkajs from "kafkajs";
import { AppError } from "../errors";
import { withTimeout } from "~/lib/time";
import { describeBrokerConfigEntries } from "./admin";
import { internalClusterPool, READ_UNCOMMITTED } from "./internal-cluster";
import { negotiateVersion, sendRawRequest, type RawBroker } from "./raw-request";
import type { BrokerLogDirs, ClusterConnectionConfig, ConfigEntry, KafkaRefusal, RackedBroker } from "./types";
import { int32, string, uvarint, WireReader } from "./wire";

interface RawMetadata {
  brokers: { nodeId: number; host: string; port: number; rack?: string | null }[];
  controllerId?: number;
  clusterId?: string;
}

interface RawCluster {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  refreshMetadata(): Promise<void>;
  metadata(options: { topics: string[] }): Promise<RawMetadata>;
  findBroker(options: { nodeId: string }): Promise<RawBroker>;
}

const pool = internalClusterPool<RawCluster>(READ_UNCOMMITTED);

async function withBrokers<T>(config: ClusterConnectionConfig, action: string, fn: (cluster: RawCluster) => Promise<T>): Promise<T> {
  // As admin.ts's calls: kafkajs retries inside; the outer bound keeps a page from hanging on a dead broker.
  const budgetMs = config.connectionTimeoutMs * 3 + 2000;
  return withTimeout(pool.use(config, action, fn), budgetMs, () => new AppError("BROKER_TIMEOUT", `Kafka did not answer within ${budgetMs} ms while trying to ${action}.`));
}

/** Every broker with its rack, and the active controller's id as brokers report it. */
export async function describeBrokers(config: ClusterConnectionConfig): Promise<{ clusterId: string | null; controllerId: number | null; brokers: RackedBroker[] }> {
  return withBrokers(config, "list the brokers", async (cluster) => {
    // A fresh read: a broker that just joined or left should show.
    await cluster.refreshMetadata();
    const metadata = await cluster.metadata({ topics: [] });
    return {
      clusterId: metadata.clusterId ?? null,
      // KRaft brokers report a random broker as "controller" (the real one is not a broker); -1 means none.
      controllerId: metadata.controllerId !== undefined && metadata.controllerId >= 0 ? metadata.controllerId : null,
      brokers: metadata.brokers.map((b) => ({ nodeId: b.nodeId, host: b.host, port: b.port, rack: b.rack || null })).sort((a, b) => a.nodeId - b.nodeId),
    };
  });
}

/** Every configuration entry of one broker with its value and source (`kafka-configs --describe --all --broker`). */
export async function describeBrokerConfig(config: ClusterConnectionConfig, nodeId: number): Promise<ConfigEntry[]> {
  return describeBrokerConfigEntries(config, nodeId);
}

// --- DescribeLogDirs (api key 35), flexible versions 2–4 (Kafka 2.6+) ---

const DESCRIBE_LOG_DIRS = 35;
const LOG_DIRS_VERSIONS = { min: 2, max: 4 };

export function encodeDescribeLogDirsRequest(): Buffer {
  // header tags, topics = null (every topic: compact null is 0), body tags
  return Buffer.concat([uvarint(0), uvarint(0), uvarint(0)]);
}

/** The log dirs of one DescribeLogDirs response (v2–v4), after its correlation id. */
export function parseDescribeLogDirsResponse(payload: Buffer, version: number): { errorCode: number; dirs: BrokerLogDirs["dirs"] } {
  const r = new WireReader(payload, "DescribeLogDirs response");
  r.skipTags(); // response header v1
  r.skip(4); // throttle_time_ms
  const errorCode = version >= 3 ? r.int16() : 0;
  const dirs: BrokerLogDirs["dirs"] = [];
  const results = r.uvarint() - 1;
  for (let i = 0; i < results; i++) {
    const dirError = r.int16();
    const path = r.compactString() ?? "";
    const topics: BrokerLogDirs["dirs"][number]["topics"] = [];
    const topicCount = r.uvarint() - 1;
    for (let t = 0; t < topicCount; t++) {
      const name = r.compactString() ?? "";
      let size = 0;
      let partitions = 0;
      const partitionCount = r.uvarint() - 1;
      for (let p = 0; p < partitionCount; p++) {
        r.skip(4); // partition_index
        const partitionSize = r.int64();
        r.skip(8); // offset_lag
        const future = r.int8() !== 0;
        r.skipTags();
        // A future replica is a copy being moved between dirs: counting it would count the data twice.
        if (!future) {
          size += partitionSize;
          partitions += 1;
        }
      }
      r.skipTags();
      topics.push({ topic: name, partitions, sizeBytes: size });
    }
    const totalBytes = version >= 4 ? r.int64() : -1;
    const usableBytes = version >= 4 ? r.int64() : -1;
    r.skipTags();
    topics.sort((a, b) => b.sizeBytes - a.sizeBytes || a.topic.localeCompare(b.topic));
    dirs.push({
      path,
      error: dirError === 0 ? null : KAFKA_ERROR_NAMES[dirError] ?? `error ${dirError}`,
      sizeBytes: topics.reduce((sum, t) => sum + t.sizeBytes, 0),
      totalBytes: totalBytes >= 0 ? totalBytes : null,
      usableBytes: usableBytes >= 0 ? usableBytes : null,
      topics,
    });
  }
  return { errorCode, dirs };
}

// The codes these two requests answer with, by Kafka's names.
const KAFKA_ERROR_NAMES: Record<number, string> = {
  [-1]: "UNKNOWN_SERVER_ERROR",
  29: "TOPIC_AUTHORIZATION_FAILED",
  31: "CLUSTER_AUTHORIZATION_FAILED",
  35: "UNSUPPORTED_VERSION",
  40: "INVALID_CONFIG",
  42: "INVALID_REQUEST",
  44: "POLICY_VIOLATION",
  57: "KAFKA_STORAGE_ERROR",
  58: "LOG_DIR_NOT_FOUND",
};

/**
 * Each broker's log dirs with their size and per-topic sizes. A broker that cannot say (older than
 * Kafka 2.6, or the request was refused) has `unavailable` with the reason instead.
 */
export async function describeLogDirs(config: ClusterConnectionConfig, nodeIds: number[]): Promise<BrokerLogDirs[]> {
  return withBrokers(config, "read the brokers' log dirs", async (cluster) => {
    await cluster.metadata({ topics: [] });
    return Promise.all(
      nodeIds.map(async (nodeId): Promise<BrokerLogDirs> => {
        // Each broker answers for its own disks only, so the request goes to each.
        const broker = await cluster.findBroker({ nodeId: String(nodeId) });
        const version = negotiateVersion(broker, DESCRIBE_LOG_DIRS, LOG_DIRS_VERSIONS);
        if (version === null) return { nodeId, dirs: [], unavailable: "this broker does not speak DescribeLogDirs v2+ (Kafka 2.6 or later)" };
        const answer = await sendRawRequest(broker, { apiKey: DESCRIBE_LOG_DIRS, apiVersion: version, apiName: "DescribeLogDirs", body: encodeDescribeLogDirsRequest(), parse: (p) => parseDescribeLogDirsResponse(p, version) });
        if (answer.errorCode !== 0) return { nodeId, dirs: [], unavailable: `Kafka refused DescribeLogDirs: ${KAFKA_ERROR_NAMES[answer.errorCode] ?? `error ${answer.errorCode}`}` };
        return { nodeId, dirs: answer.dirs, unavailable: null };
      }),
    );
  });
}

// --- IncrementalAlterConfigs (api key 44), version 0 (Kafka 2.3+) ---

const INCREMENTAL_ALTER_CONFIGS = 44;
const BROKER_RESOURCE = kafkajs.ConfigResourceTypes.BROKER;
const OP_SET = 0;
const OP_DELETE = 1;

export function encodeIncrementalAlterBrokerConfig(nodeId: number, change: { name: string; value: string | null }): Buffer {
  return Buffer.concat([
    int32(1), // resources
    Buffer.from([BROKER_RESOURCE]),
    string(String(nodeId)),
    int32(1), // configs
    string(change.name),
    Buffer.from([change.value === null ? OP_DELETE : OP_SET]),
    string(change.value),
    Buffer.from([0]), // validate_only
  ]);
}

/** Kafka's refusal in an IncrementalAlterConfigs v0 response, or null when it was applied. */
export function parseIncrementalAlterConfigsResponse(payload: Buffer): KafkaRefusal | null {
  const r = new WireReader(payload, "IncrementalAlterConfigs response");
  r.skip(4); // throttle_time_ms
  const count = r.int32();
  for (let i = 0; i < count; i++) {
    const errorCode = r.int16();
    const message = r.string();
    r.int8(); // resource_type
    r.string(); // resource_name
    if (errorCode !== 0) return { type: KAFKA_ERROR_NAMES[errorCode] ?? `error ${errorCode}`, message: message ?? "no message" };
  }
  return null;
}

/**
 * Sets (value) or removes (null) one dynamic setting of one broker, as
 * `kafka-configs --alter --entity-type brokers --entity-name <id>` does. Returns Kafka's refusal, or
 * null when the broker applied it.
 */
export async function alterBrokerConfig(config: ClusterConnectionConfig, nodeId: number, change: { name: string; value: string | null }): Promise<KafkaRefusal | null> {
  return withBrokers(config, `change the configuration of broker ${nodeId}`, async (cluster) => {
    await cluster.metadata({ topics: [] });
    // A broker's own settings are changed through that broker.
    const broker = await cluster.findBroker({ nodeId: String(nodeId) });
    const version = negotiateVersion(broker, INCREMENTAL_ALTER_CONFIGS, { min: 0, max: 0 });
    if (version === null) return { type: "UNSUPPORTED_VERSION", message: "this broker does not speak IncrementalAlterConfigs (Kafka 2.3 or later)" };
    return sendRawRequest(broker, { apiKey: INCREMENTAL_ALTER_CONFIGS, apiVersion: version, apiName: "IncrementalAlterConfigs", body: encodeIncrementalAlterBrokerConfig(nodeId, change), parse: parseIncrementalAlterConfigsResponse });
  });
}

export function disconnectBrokerReaders(): Promise<void> {
  return pool.disconnectAll();
}
