// Exactly-once copying for durable jobs (replay, redrive): records are produced inside a Kafka
// transaction together with the source position, committed as offsets of a per-job consumer group
// (Kafka's consume-transform-produce pattern, `sendOffsets`). Either both land or neither does. A
// stable transactional id per job means a restarted worker fences the killed one: its open
// transaction is aborted before the new one reads the checkpoint.
import "server-only";
import kafkajs, { type IHeaders, type Producer, type Transaction } from "kafkajs";
import { AppError } from "../errors";
import { getKafka, withAdmin } from "./connection";
import { kafkaErrorTypes, translateKafkaError } from "./errors";
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

export interface TransactionalWriter {
  /** The last committed checkpoint of `sourceTopic`; partitions without one are absent. */
  readCheckpoint(sourceTopic: string): Promise<SourceCheckpoint[]>;
  /** Produces `records` and moves the checkpoint in one transaction. */
  commit(records: OutgoingCopy[], sourceTopic: string, checkpoint: SourceCheckpoint[]): Promise<void>;
  close(): Promise<void>;
}

/** Kafka refuses a record batch above the topic's max.message.bytes (1 MB by default): send in slices below it. */
const MAX_SEND_BYTES = 900 * 1024;

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

function sizeOf(record: OutgoingCopy): number {
  let size = 70 + (record.key?.length ?? 0) + (record.value?.length ?? 0);
  for (const h of record.headers) size += h.key.length + (h.value?.length ?? 0) + 4;
  return size;
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

export async function openTransactionalWriter(config: ClusterConnectionConfig, options: { transactionalId: string; checkpointGroupId: string; label: string }): Promise<TransactionalWriter> {
  const producer: Producer = getKafka(config).producer({
    transactionalId: options.transactionalId,
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
    transactionTimeout: 60_000,
    // Right after a commit the coordinator is still writing its markers and answers the next
    // transaction's first request with CONCURRENT_TRANSACTIONS; kafkajs retries that with the
    // client's backoff (200 ms). Kafka's Java client backs off 20 ms here; so do we (replay of
    // 60k records: 8,038 → 9,654 msg/s).
    retry: { initialRetryTime: 20, retries: 10, maxRetryTime: 1000 },
    createPartitioner: Partitioners.DefaultPartitioner,
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

  return {
    async readCheckpoint(sourceTopic) {
      try {
        return await withAdmin(config, async (admin) => {
          const [topic] = await admin.fetchOffsets({ groupId: options.checkpointGroupId, topics: [sourceTopic] });
          return (topic?.partitions ?? [])
            .filter((p) => Number(p.offset) >= 0)
            .map((p) => ({ partition: p.partition, offset: Number(p.offset), metadata: p.metadata ?? null }));
        });
      } catch (error) {
        throw translateKafkaError(error, `read the checkpoint of ${options.label}`);
      }
    },

    async commit(records, sourceTopic, checkpoint) {
      try {
        transaction ??= await producer.transaction();
        const open = transaction;
        let slice: OutgoingCopy[] = [];
        let sliceBytes = 0;
        const flush = async () => {
          if (slice.length === 0) return;
          const byTopic = new Map<string, OutgoingCopy[]>();
          for (const r of slice) {
            const list = byTopic.get(r.topic);
            if (list) list.push(r);
            else byTopic.set(r.topic, [r]);
          }
          await open.sendBatch({
            topicMessages: [...byTopic].map(([topic, list]) => ({
              topic,
              messages: list.map((r) => ({ key: r.key, value: r.value, partition: r.partition, headers: toKafkaHeaders(r.headers, `A record for ${topic}`) })),
            })),
          });
          slice = [];
          sliceBytes = 0;
        };
        for (const record of records) {
          const size = sizeOf(record);
          if (sliceBytes + size > MAX_SEND_BYTES) await flush();
          slice.push(record);
          sliceBytes += size;
        }
        await flush();
        if (checkpoint.length > 0) {
          await open.sendOffsets({
            consumerGroupId: options.checkpointGroupId,
            topics: [{ topic: sourceTopic, partitions: checkpoint.map((c) => ({ partition: c.partition, offset: String(c.offset), metadata: c.metadata })) }],
          } as Parameters<Transaction["sendOffsets"]>[0]);
        }
        await open.commit();
        transaction = null;
      } catch (error) {
        await transaction?.abort().catch(() => undefined);
        transaction = null;
        throw translate(error, `write a batch of ${options.label}`);
      }
    },

    async close() {
      await transaction?.abort().catch(() => undefined);
      await producer.disconnect().catch(() => undefined);
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
