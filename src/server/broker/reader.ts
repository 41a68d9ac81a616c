// Reading records by partition and offset, the way a browser, a trace and a replay need it: no
// consumer group, no rebalance, exact positions. Built on kafkajs's internal cluster (as the offset
// sampler is) with isolation level read_committed, so aborted transactions and control records
// never show, exactly what kcat and a read_committed Java consumer see.
import "server-only";
import { withTimeout } from "~/lib/time";
import { AppError } from "../errors";
import { withAdmin } from "./connection";
import { translateKafkaError } from "./errors";
import { internalClusterPool, READ_COMMITTED } from "./internal-cluster";
import type { ClusterConnectionConfig, FetchedRecord, RecordHeader } from "./types";

interface RawMessage {
  offset: string;
  timestamp: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, Buffer | null | (Buffer | null)[]>;
  isControlRecord: boolean;
  batchContext: { producerId: string; inTransaction: boolean };
}

interface RawPartitionResponse {
  partition: number;
  errorCode: number;
  highWatermark: string;
  lastStableOffset?: string;
  abortedTransactions?: { producerId: string; firstOffset: string }[];
  messages: RawMessage[];
}

interface RawBroker {
  fetch(request: {
    replicaId: number;
    isolationLevel: number;
    maxWaitTime: number;
    minBytes: number;
    maxBytes: number;
    topics: { topic: string; partitions: { partition: number; fetchOffset: string; maxBytes: number }[] }[];
  }): Promise<{ responses: { topicName: string; partitions: RawPartitionResponse[] }[] }>;
}

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
}

/** Flattens kafkajs's header object back into Kafka's list; duplicate keys keep their order. */
function headerList(headers: RawMessage["headers"]): RecordHeader[] {
  const list: RecordHeader[] = [];
  for (const [key, value] of Object.entries(headers ?? {})) {
    if (Array.isArray(value)) for (const v of value) list.push({ key, value: v });
    else list.push({ key, value: value ?? null });
  }
  return list;
}

/** Drops records of aborted transactions (the fetch response lists where they start). */
function withoutAborted(messages: RawMessage[], aborted: { producerId: string; firstOffset: string }[] | undefined): RawMessage[] {
  if (!aborted || aborted.length === 0) return messages;
  const pending = [...aborted].sort((a, b) => Number(a.firstOffset) - Number(b.firstOffset));
  const abortedProducers = new Set<string>();
  const kept: RawMessage[] = [];
  for (const message of messages) {
    while (pending.length && Number(message.offset) >= Number(pending[0]!.firstOffset)) abortedProducers.add(pending.shift()!.producerId);
    const { producerId, inTransaction } = message.batchContext;
    if (message.isControlRecord) {
      // An abort marker (control key type 0) ends that producer's aborted transaction.
      if (message.key && message.key.length >= 4 && message.key.readInt16BE(2) === 0) abortedProducers.delete(producerId);
      continue;
    }
    if (inTransaction && abortedProducers.has(producerId)) continue;
    kept.push(message);
  }
  return kept;
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
          const response = await broker.fetch({
            replicaId: -1,
            isolationLevel: READ_COMMITTED,
            maxWaitTime: maxWaitMs,
            minBytes: 1,
            maxBytes: maxBytes * partitions.length,
            topics: [{ topic, partitions: partitions.map((partition) => ({ partition, fetchOffset: String(offsetOf.get(partition)), maxBytes })) }],
          });
          return response.responses.flatMap((r) => r.partitions);
        }),
      );
      return results.flat().map((p) => toResult(topic, p, offsetOf.get(p.partition)!));
    }),
    ms,
    () => new AppError("BROKER_TIMEOUT", `Kafka did not answer within ${ms} ms while trying to ${action}.`),
  );
}

function toResult(topic: string, p: RawPartitionResponse, requested: number): PartitionFetchResult {
  // A compressed batch can start before the requested offset; Kafka's own consumer skips those records too.
  const inRange = p.messages.filter((m) => Number(m.offset) >= requested);
  const lastRaw = inRange.length ? Number(inRange[inRange.length - 1]!.offset) : requested - 1;
  const records = withoutAborted(inRange, p.abortedTransactions).map((m) => ({
    topic,
    partition: p.partition,
    offset: Number(m.offset),
    timestamp: Number(m.timestamp),
    key: m.key,
    value: m.value,
    headers: headerList(m.headers),
  }));
  const end = Number(p.lastStableOffset ?? p.highWatermark);
  return { partition: p.partition, records, nextOffset: lastRaw + 1, end: Number.isFinite(end) && end >= 0 ? end : Number(p.highWatermark) };
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
