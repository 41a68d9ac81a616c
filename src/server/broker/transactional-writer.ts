// Exactly-once copying for durable jobs (replay, redrive): records are produced inside a Kafka
// transaction together with the source position, committed as offsets of a per-job consumer group
// (Kafka's consume-transform-produce pattern, `sendOffsets`). Either both land or neither does. A
// stable transactional id per job means a restarted worker fences the killed one: its open
// transaction is aborted before the new one reads the checkpoint.
//
// Speed: kafkajs's idempotent producer sends one produce request at a time per broker (it holds a
// lock per broker while a request is out, so sequence numbers stay in order; maxInFlightRequests
// cannot lift that safely), and a record batch is at most the topic's max.message.bytes (1 MB). One
// producer therefore waits on one ~1 MB round trip after another. A job opens several writers
// (`openWriterGroup`), one per group of source partitions, each with its own transactional id, so
// their round trips overlap: Kafka's own exactly-once pattern before KIP-447 (a producer per task),
// all committing to the job's one checkpoint group, each for its own partitions.
import "server-only";
import kafkajs, { CompressionTypes, type IHeaders, type Message, type PartitionerArgs, type Producer, type Transaction } from "kafkajs";
import { AppError } from "../errors";
import { getKafka, withAdmin } from "./connection";
import { kafkaErrorTypes, translateKafkaError } from "./errors";
import { encodedRecordMessages, produceEncoderInstalled } from "./produce-encoder";
import type { EncodedCopies } from "./record-copies";
import type { ClusterConnectionConfig, RecordHeader } from "./types";

const { Partitioners } = kafkajs;

export interface OutgoingCopy {
  topic: string;
  /** Omit to let the murmur2 partitioner hash the key (as Java clients do). */
  partition?: number;
  key: Buffer | null;
  value: Buffer | null;
  headers: RecordHeader[];
}

export interface SourceCheckpoint {
  partition: number;
  /** The next source offset to read. */
  offset: number;
  /** Small JSON kept with the offset (per-partition counters), committed atomically with it. */
  metadata: string | null;
}

/** The codec of a record batch, as Kafka's batch attributes name it (bits 0–2). */
export type CompressionCodec = "none" | "gzip" | "snappy" | "lz4" | "zstd";

const KAFKAJS_CODEC: Record<CompressionCodec, CompressionTypes> = {
  none: CompressionTypes.None,
  gzip: CompressionTypes.GZIP,
  snappy: CompressionTypes.Snappy,
  lz4: CompressionTypes.LZ4,
  zstd: CompressionTypes.ZSTD,
};

export interface SendOptions {
  /** The codec of the batches written (a copy keeps its source's); none when absent. */
  compression?: CompressionCodec;
}

export interface TransactionalWriter {
  /** The last committed checkpoint of `sourceTopic`; partitions without one are absent. */
  readCheckpoint(sourceTopic: string): Promise<SourceCheckpoint[]>;
  /**
   * Produces `records` inside the open transaction (opening one when none is). Nothing is visible to
   * read_committed readers until `commit` commits it; a crash before that aborts them with it.
   */
  send(records: OutgoingCopy[], options?: SendOptions): Promise<void>;
  /**
   * Whether `sendEncoded` can be used: it needs Signalbox's produce encoder, which is not installed
   * over another kafkajs version than the one it was written for.
   */
  readonly takesEncoded: boolean;
  /**
   * Like `send`, for copies encoded ahead (`record-copies.ts`), all to one partition: each run is one
   * record batch of its own, written without compression.
   */
  sendEncoded(copies: { topic: string; partition: number; runs: EncodedCopies[] }): Promise<void>;
  /** Produces `records` and moves the checkpoint in one transaction (with whatever `send` put in it). */
  commit(records: OutgoingCopy[], sourceTopic: string, checkpoint: SourceCheckpoint[], options?: SendOptions): Promise<void>;
  close(): Promise<void>;
}

/** Kafka refuses a record batch above the topic's max.message.bytes (1 MB by default): each partition's part of a request stays below it. */
export const MAX_BATCH_BYTES = 900 * 1024;
/** A produce request carries one batch per target partition; this bounds the whole request (Kafka's limit is 100 MB). */
const MAX_REQUEST_BYTES = 16 * 1024 * 1024;

function toKafkaHeaders(headers: RecordHeader[], where: string): IHeaders {
  const out: Record<string, Buffer | Buffer[]> = {};
  for (const h of headers) {
    if (h.value === null) throw new AppError("BAD_REQUEST", `${where} has a header "${h.key}" with a null value, which the Kafka client used here (kafkajs) cannot write.`);
    const existing = out[h.key];
    if (existing === undefined) out[h.key] = h.value;
    else if (Array.isArray(existing)) existing.push(h.value);
    else out[h.key] = [existing, h.value];
  }
  return out as IHeaders;
}

/**
 * The copies as kafkajs's messages. With Signalbox's produce encoder installed they go as they are:
 * kafkajs reads only their key, value and partition, and the encoder writes their header list, null
 * values included. Otherwise kafkajs's own encoder needs its header object.
 */
function asKafkajsMessages(list: OutgoingCopy[], topic: string): Message[] {
  if (produceEncoderInstalled()) return list as unknown as Message[];
  return list.map((r) => ({ key: r.key, value: r.value, partition: r.partition, headers: toKafkaHeaders(r.headers, `A record for ${topic}`) }));
}

function sizeOf(record: OutgoingCopy): number {
  let size = 70 + (record.key?.length ?? 0) + (record.value?.length ?? 0);
  for (const h of record.headers) size += h.key.length + (h.value?.length ?? 0) + 4;
  return size;
}

/**
 * Splits `records` into produce requests: each target partition's part of a request stays under
 * `batchBytes` (Kafka's limit per batch), the request under `requestBytes`, and a request carries
 * several partitions' batches when the records go to several. Each partition's records keep their
 * order; records without a partition (hashed by the producer) are one stream with one allowance, so
 * whatever partitions they land on, no batch goes over.
 */
export function sliceForRequests<T extends OutgoingCopy>(records: T[], batchBytes = MAX_BATCH_BYTES, requestBytes = MAX_REQUEST_BYTES): T[][] {
  const streams = new Map<string, { records: T[]; next: number }>();
  for (const record of records) {
    const target = `${record.topic}\u0000${record.partition ?? "hashed"}`;
    const stream = streams.get(target);
    if (stream) stream.records.push(record);
    else streams.set(target, { records: [record], next: 0 });
  }
  const slices: T[][] = [];
  let left = records.length;
  while (left > 0) {
    const slice: T[] = [];
    let total = 0;
    for (const stream of streams.values()) {
      let used = 0;
      while (stream.next < stream.records.length) {
        const size = sizeOf(stream.records[stream.next]!);
        // A record above a limit still goes, alone in its batch.
        if (used > 0 && used + size > batchBytes) break;
        if (slice.length > 0 && total + size > requestBytes) break;
        slice.push(stream.records[stream.next]!);
        stream.next += 1;
        used += size;
        total += size;
      }
      if (total >= requestBytes) break;
    }
    left -= slice.length;
    slices.push(slice);
  }
  return slices;
}

function translate(error: unknown, action: string): AppError {
  // kafkajs wraps the broker's answer when it gives up retrying: look at every error in the chain.
  const types = kafkaErrorTypes(error);
  const has = (...names: string[]) => names.some((n) => types.includes(n));
  if (has("INVALID_PRODUCER_EPOCH", "PRODUCER_FENCED") || /fenced/i.test(String((error as Error).message))) {
    return new AppError("CONFLICT", "Another worker took over this job: its transactional producer fenced this one.", { cause: error });
  }
  if (has("MESSAGE_TOO_LARGE", "RECORD_LIST_TOO_LARGE")) {
    return new AppError("BAD_REQUEST", `The target topic refused a record as too large (its max.message.bytes is smaller than the record) while trying to ${action}.`, { cause: error });
  }
  return translateKafkaError(error, action);
}

/** The last committed checkpoint of `sourceTopic` in `groupId`; partitions without one are absent. */
export async function readJobCheckpoint(config: ClusterConnectionConfig, groupId: string, sourceTopic: string, label: string): Promise<SourceCheckpoint[]> {
  try {
    return await withAdmin(config, async (admin) => {
      const [topic] = await admin.fetchOffsets({ groupId, topics: [sourceTopic] });
      return (topic?.partitions ?? [])
        .filter((p) => Number(p.offset) >= 0)
        .map((p) => ({ partition: p.partition, offset: Number(p.offset), metadata: p.metadata ?? null }));
    });
  } catch (error) {
    throw translateKafkaError(error, `read the checkpoint of ${label}`);
  }
}

/**
 * kafkajs's default partitioner (murmur2 of the key, as Java clients), but a message with its
 * partition set returns at once: the default filters the partition list before it looks, an array
 * per message, and a replay's copies nearly all have their partition set.
 */
function partitionGivenFirst() {
  const hashed = Partitioners.DefaultPartitioner();
  return (args: PartitionerArgs) => args.message.partition ?? hashed(args);
}

export async function openTransactionalWriter(config: ClusterConnectionConfig, options: { transactionalId: string; checkpointGroupId: string; label: string }): Promise<TransactionalWriter> {
  const producer: Producer = getKafka(config).producer({
    transactionalId: options.transactionalId,
    idempotent: true,
    // kafkajs sends one request per broker at a time for an idempotent producer whatever this says;
    // concurrency comes from several writers (openWriterGroup).
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
    transactionTimeout: 60_000,
    // Right after a commit the coordinator is still writing its markers and answers the next
    // transaction's first request with CONCURRENT_TRANSACTIONS; kafkajs retries that with the
    // client's backoff (200 ms). Kafka's Java client backs off 20 ms here; so do we (replay of
    // 60k records: 8,038 → 9,654 msg/s).
    retry: { initialRetryTime: 20, retries: 10, maxRetryTime: 1000 },
    createPartitioner: partitionGivenFirst,
  });
  let transaction: Transaction | null;
  try {
    await producer.connect();
    // The first transaction() sends InitProducerId: it bumps the epoch of this transactional id,
    // fencing any older producer, and waits until Kafka has aborted that producer's open transaction.
    transaction = await producer.transaction();
  } catch (error) {
    await producer.disconnect().catch(() => undefined);
    throw translate(error, `start the transactional producer of ${options.label}`);
  }

  const fail = async (error: unknown, action: string): Promise<never> => {
    await transaction?.abort().catch(() => undefined);
    transaction = null;
    throw translate(error, action);
  };

  const send = async (records: OutgoingCopy[], sendOptions: SendOptions = {}) => {
    if (records.length === 0) return;
    try {
      transaction ??= await producer.transaction();
      const open = transaction;
      for (const slice of sliceForRequests(records)) {
        const byTopic = new Map<string, OutgoingCopy[]>();
        for (const r of slice) {
          const list = byTopic.get(r.topic);
          if (list) list.push(r);
          else byTopic.set(r.topic, [r]);
        }
        await open.sendBatch({
          compression: KAFKAJS_CODEC[sendOptions.compression ?? "none"],
          topicMessages: [...byTopic].map(([topic, list]) => ({
            topic,
            messages: asKafkajsMessages(list, topic),
          })),
        });
      }
    } catch (error) {
      return fail(error, `write a batch of ${options.label}`);
    }
  };

  const sendEncoded: TransactionalWriter["sendEncoded"] = async ({ topic, partition, runs }) => {
    if (runs.length === 0) return;
    if (!produceEncoderInstalled()) throw new AppError("BROKER_ERROR", "Records encoded ahead need Signalbox's produce encoder, which this kafkajs version does not take.");
    try {
      transaction ??= await producer.transaction();
      const open = transaction;
      for (const run of runs) {
        await open.sendBatch({ compression: CompressionTypes.None, topicMessages: [{ topic, messages: encodedRecordMessages(run.body, run.count, partition) as Message[] }] });
      }
    } catch (error) {
      return fail(error, `write a batch of ${options.label}`);
    }
  };

  return {
    readCheckpoint: (sourceTopic) => readJobCheckpoint(config, options.checkpointGroupId, sourceTopic, options.label),

    send,

    get takesEncoded() {
      return produceEncoderInstalled();
    },

    sendEncoded,

    async commit(records, sourceTopic, checkpoint, sendOptions) {
      await send(records, sendOptions);
      try {
        transaction ??= await producer.transaction();
        const open = transaction;
        if (checkpoint.length > 0) {
          await open.sendOffsets({
            consumerGroupId: options.checkpointGroupId,
            topics: [{ topic: sourceTopic, partitions: checkpoint.map((c) => ({ partition: c.partition, offset: String(c.offset), metadata: c.metadata })) }],
          } as Parameters<Transaction["sendOffsets"]>[0]);
        }
        await open.commit();
        transaction = null;
      } catch (error) {
        return fail(error, `commit a batch of ${options.label}`);
      }
    },

    async close() {
      await transaction?.abort().catch(() => undefined);
      await producer.disconnect().catch(() => undefined);
    },
  };
}

/** At most this many writers (producers, each with its own connections) per job. */
export const MAX_WRITERS_PER_JOB = 6;

/**
 * The job's source partitions in at most `maxWriters` groups: partition p goes to group p mod
 * maxWriters, whichever other partitions the job has. Each group's transactional id names its group
 * (`groupTransactionalId`), so the grouping must not change between runs of a job: a resumed run
 * then fences exactly the producers of the run before, even when it has fewer partitions left.
 */
export function partitionGroups(partitions: number[], maxWriters = MAX_WRITERS_PER_JOB): number[][] {
  const groups = new Map<number, number[]>();
  for (const p of [...new Set(partitions)].sort((a, b) => a - b)) {
    const slot = p % maxWriters;
    const group = groups.get(slot);
    if (group) group.push(p);
    else groups.set(slot, [p]);
  }
  return [...groups].sort(([a], [b]) => a - b).map(([, group]) => group);
}

/** The transactional id of the writer of one group: the job's id and the group's slot. */
export function groupTransactionalId(jobKafkaId: string, group: number[], maxWriters = MAX_WRITERS_PER_JOB): string {
  return `${jobKafkaId}.w${group[0]! % maxWriters}`;
}

export interface WriterGroup {
  /** One writer per group of source partitions, in the order of `partitionGroups`. */
  writers: { partitions: number[]; writer: TransactionalWriter }[];
  readCheckpoint(sourceTopic: string): Promise<SourceCheckpoint[]>;
  close(): Promise<void>;
}

/**
 * Opens a job's writers, one per group of its source partitions, all committing to the job's
 * checkpoint group. Every writer is open (so every producer of an older run is fenced and its open
 * transaction aborted) before the caller reads the checkpoint. `fence` names transactional ids
 * earlier versions used for the same job (one writer per job): they are fenced too, so a run of the
 * old version cannot commit after this one started.
 */
export async function openWriterGroup(config: ClusterConnectionConfig, options: { jobKafkaId: string; partitions: number[]; label: string; fence?: string[] }): Promise<WriterGroup> {
  const groups = partitionGroups(options.partitions);
  const opening = [
    ...groups.map((partitions) => openTransactionalWriter(config, { transactionalId: groupTransactionalId(options.jobKafkaId, partitions), checkpointGroupId: options.jobKafkaId, label: options.label })),
    ...(options.fence ?? []).map((transactionalId) => openTransactionalWriter(config, { transactionalId, checkpointGroupId: options.jobKafkaId, label: options.label })),
  ];
  const opened = await Promise.allSettled(opening);
  const ok = opened.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
  const failed = opened.find((r) => r.status === "rejected");
  // The fencing writers have done their work once open.
  await Promise.all(ok.slice(groups.length).map((w) => w.close()));
  if (failed) {
    await Promise.all(ok.slice(0, groups.length).map((w) => w.close()));
    throw failed.reason;
  }
  const writers = groups.map((partitions, i) => ({ partitions, writer: ok[i]! }));
  return {
    writers,
    readCheckpoint: (sourceTopic) => readJobCheckpoint(config, options.jobKafkaId, sourceTopic, options.label),
    close: async () => {
      await Promise.all(writers.map((w) => w.writer.close()));
    },
  };
}

/**
 * Deletes consumer groups that have no members (a finished job's checkpoint group). A group that does
 * not exist is already what we want: a job that ended before its first commit never created one, and
 * a cleanup that runs twice (the sweep after a crash) finds it gone.
 */
export async function deleteIdleGroups(config: ClusterConnectionConfig, groupIds: string[]): Promise<void> {
  if (groupIds.length === 0) return;
  try {
    await withAdmin(config, (admin) => admin.deleteGroups(groupIds));
  } catch (error) {
    const groups = (error as { groups?: { errorCode?: number }[] }).groups;
    if (groups?.length && groups.every((g) => !g.errorCode || g.errorCode === GROUP_ID_NOT_FOUND)) return;
    throw translateKafkaError(error, `delete consumer groups ${groupIds.join(", ")}`);
  }
}

/** Kafka's error code for a group that does not exist. */
const GROUP_ID_NOT_FOUND = 69;
