// Reading records by partition and offset, the way a browser, a trace and a replay need it: no
// consumer group, no rebalance, exact positions. Built on kafkajs's internal cluster (as the offset
// sampler is) with isolation level read_committed, so aborted transactions and control records
// never show, exactly what kcat and a read_committed Java consumer see.
import "server-only";
import { withTimeout } from "~/lib/time";
import { AppError } from "../errors";
import { withAdmin } from "./connection";
import { translateKafkaError } from "./errors";
import { decodePartition, encodeFetchV4, FETCH_KEY, FETCH_V4, fetchPartitionError, parseFetchV4, type DecodedPartition, type RawRecordBatch } from "./fetch-v4";
import { internalClusterPool, READ_COMMITTED } from "./internal-cluster";
import { negotiateVersion, sendRawRequest, type RawBroker } from "./raw-request";
import type { ClusterConnectionConfig, FetchedRecord } from "./types";

interface RawCluster {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  addTargetTopic(topic: string): Promise<void>;
  refreshMetadataIfNecessary(): Promise<void>;
  refreshMetadata(): Promise<void>;
  findLeaderForPartitions(topic: string, partitions: number[]): Record<string, number[]>;
  findBroker(args: { nodeId: string }): Promise<RawBroker>;
}

export interface PartitionPosition {
  partition: number;
  offset: number;
}

export interface PartitionBounds {
  partition: number;
  /** Log start offset: the oldest record still kept. */
  start: number;
  /** Last stable offset: one past the newest committed record (read_committed). */
  end: number;
}

export interface PartitionFetchResult {
  partition: number;
  /** Records at or after the requested offset, aborted and control records removed. */
  records: FetchedRecord[];
  /** With `keepBytes`, when every batch read can be copied as bytes: those batches, and `records` is empty. */
  batches?: RawRecordBatch[];
  /** Where the next fetch should start: past every record and marker this fetch returned. */
  nextOffset: number;
  /** Last stable offset, as the broker reported it with this fetch. */
  end: number;
}

export interface FetchOptions {
  /** Bytes per partition per fetch; Kafka returns at least one whole batch even when it is bigger. */
  maxBytesPerPartition?: number;
  /** How long the broker may wait for new data (tailing); 0 answers at once. */
  maxWaitMs?: number;
  /** Leave uncompressed batches undecoded when all of a partition's are (a replay copies their bytes). */
  keepBytes?: boolean;
}

const readCommitted = internalClusterPool<RawCluster>(READ_COMMITTED);

/** The record readers' connection, for reads kafkajs has no call for (a batch's codec, `batch-codec.ts`). */
export function withRecordReader<T>(config: ClusterConnectionConfig, action: string, fn: (cluster: unknown) => Promise<T>): Promise<T> {
  return readCommitted.use(config, action, fn);
}

/** Releases the record readers (shutdown, tests). */
export async function disconnectRecordReaders(): Promise<void> {
  await readCommitted.disconnectAll();
}

function budget(config: ClusterConnectionConfig, waitMs = 0): number {
  return config.connectionTimeoutMs * 3 + 2000 + waitMs * 2;
}

/**
 * One fetch round over `positions` of `topic`: one request per partition leader, at most
 * `maxBytesPerPartition` each, so memory stays bounded however big the topic is.
 */
export async function fetchRecords(config: ClusterConnectionConfig, topic: string, positions: PartitionPosition[], options: FetchOptions = {}): Promise<PartitionFetchResult[]> {
  if (positions.length === 0) return [];
  const maxBytes = options.maxBytesPerPartition ?? 1024 * 1024;
  const maxWaitMs = options.maxWaitMs ?? 0;
  const action = `read records of ${topic}`;
  const ms = budget(config, maxWaitMs);
  return withTimeout(
    readCommitted.use(config, action, async (cluster) => {
      await cluster.addTargetTopic(topic);
      await cluster.refreshMetadataIfNecessary();
      const offsetOf = new Map(positions.map((p) => [p.partition, p.offset]));
      const byLeader = cluster.findLeaderForPartitions(topic, positions.map((p) => p.partition));
      const results = await Promise.all(
        Object.entries(byLeader).map(async ([nodeId, partitions]) => {
          const broker = await cluster.findBroker({ nodeId });
          if (negotiateVersion(broker, FETCH_KEY, { min: FETCH_V4, max: FETCH_V4 }) === null) throw new AppError("BROKER_ERROR", `Broker ${nodeId} does not speak Fetch v${FETCH_V4} (Kafka 0.11 or later does).`);
          const wanted = partitions.map((partition) => ({ partition, offset: offsetOf.get(partition)! }));
          const answer = await sendRawRequest(broker, { apiKey: FETCH_KEY, apiVersion: FETCH_V4, apiName: "Fetch", body: encodeFetchV4(topic, wanted, { maxBytesPerPartition: maxBytes, maxWaitMs }), parse: parseFetchV4 });
          // As kafkajs's own fetch does: a partition in error fails the request, with Kafka's error (a moved leader is retried by the caller).
          const failed = answer.find((p) => p.errorCode !== 0);
          if (failed) throw fetchPartitionError(failed.errorCode);
          return Promise.all(answer.map((p) => decodePartition(topic, p, offsetOf.get(p.partition)!, { keepBytes: options.keepBytes })));
        }),
      );
      return results.flat().map(toResult);
    }),
    ms,
    () => new AppError("BROKER_TIMEOUT", `Kafka did not answer within ${ms} ms while trying to ${action}.`),
  );
}

function toResult(p: DecodedPartition): PartitionFetchResult {
  const end = p.lastStableOffset >= 0 ? p.lastStableOffset : p.highWatermark;
  return { partition: p.partition, records: p.records, batches: p.batches, nextOffset: p.nextOffset, end };
}

// A partition's leader moves (a new topic's first election, a broker restart, a reassignment); the
// admin client that asked the old leader is dropped on error, so asking again reads fresh metadata.
const LEADERSHIP_ERRORS = new Set(["NOT_LEADER_FOR_PARTITION", "NOT_LEADER_OR_FOLLOWER", "LEADER_NOT_AVAILABLE"]);
const LEADERSHIP_RETRIES = 4;

export function isLeadershipChange(error: unknown): boolean {
  for (let e: unknown = error; e; e = (e as { cause?: unknown }).cause) {
    if (LEADERSHIP_ERRORS.has((e as { type?: string }).type ?? "")) return true;
  }
  return false;
}

async function adminCall<T>(config: ClusterConnectionConfig, action: string, fn: Parameters<typeof withAdmin<T>>[1]): Promise<T> {
  const ms = budget(config);
  const attempt = async () => {
    for (let retry = 0; ; retry++) {
      try {
        return await withAdmin(config, fn);
      } catch (error) {
        if (retry >= LEADERSHIP_RETRIES || !isLeadershipChange(error)) throw error;
        await new Promise((r) => setTimeout(r, 250 * (retry + 1)));
      }
    }
  };
  try {
    return await withTimeout(attempt(), ms, () => new AppError("BROKER_TIMEOUT", `Kafka did not answer within ${ms} ms while trying to ${action}.`));
  } catch (error) {
    throw translateKafkaError(error, action);
  }
}

/** Start and end (last stable offset) of every partition of `topic`. */
export async function readTopicBounds(config: ClusterConnectionConfig, topic: string): Promise<PartitionBounds[]> {
  return adminCall(config, `read offsets of ${topic}`, async (admin) => {
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets.map((o) => ({ partition: o.partition, start: Number(o.low), end: Number(o.offset) })).sort((a, b) => a.partition - b.partition);
  });
}

/** For each partition, the offset of the first record with a timestamp ≥ `timestamp`, or the end when there is none. */
export async function offsetsForTimestamp(config: ClusterConnectionConfig, topic: string, timestamp: number): Promise<PartitionPosition[]> {
  return adminCall(config, `find offsets of ${topic} at ${new Date(timestamp).toISOString()}`, async (admin) => {
    const offsets = await admin.fetchTopicOffsetsByTimestamp(topic, timestamp);
    return offsets.map((o) => ({ partition: o.partition, offset: Number(o.offset) })).sort((a, b) => a.partition - b.partition);
  });
}
