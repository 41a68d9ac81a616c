// A thin producer for Signalbox's own writes (demo system, tests; later replay and redrive).
import "server-only";
import kafkajs, { type IHeaders, type Producer } from "kafkajs";
import { getKafka } from "./connection";
import { translateKafkaError } from "./errors";
import type { ClusterConnectionConfig, OutgoingRecord } from "./types";

export interface RecordProducer {
  send(topic: string, records: OutgoingRecord[]): Promise<void>;
  disconnect(): Promise<void>;
}

// The Java client's murmur2 partitioner (kafkajs's "DefaultPartitioner" since 2.0): keys land on the
// same partition as when Java services produce them. Naming it explicitly also silences kafkajs's
// start-up warning about the changed default.
const { Partitioners } = kafkajs;

function toMessages(records: OutgoingRecord[]) {
  return records.map((r) => ({
    key: r.key ?? null,
    value: r.value,
    partition: r.partition,
    timestamp: r.timestamp,
    headers: r.headers as IHeaders | undefined,
  }));
}

export async function createProducer(config: ClusterConnectionConfig, options: { idempotent?: boolean } = {}): Promise<RecordProducer> {
  const producer: Producer = getKafka(config).producer({
    idempotent: options.idempotent ?? true,
    maxInFlightRequests: options.idempotent === false ? undefined : 1,
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner,
    // A long-lived writer outlasts a leader moving or a topic just created: for a moment after
    // CreateTopics a broker can list itself as leader in its metadata and still answer
    // NOT_LEADER_FOR_PARTITION (seen at load 10). The client's 2 retries (under half a second) are
    // for answering people quickly; this keeps trying for about 6 s.
    retry: { initialRetryTime: 200, retries: 6, maxRetryTime: 1000 },
  });
  try {
    await producer.connect();
  } catch (error) {
    throw translateKafkaError(error, "connect a producer");
  }
  return {
    async send(topic, records) {
      try {
        await producer.send({ topic, messages: toMessages(records) });
      } catch (error) {
        throw translateKafkaError(error, `produce to ${topic}`);
      }
    },
    disconnect: () => producer.disconnect(),
  };
}

/**
 * Writes one record with acks from every in-sync replica and returns where Kafka put it. For a
 * person's produce from the console: a producer of its own, connected for this one write.
 */
export async function produceRecord(config: ClusterConnectionConfig, topic: string, record: OutgoingRecord): Promise<{ partition: number; offset: string }> {
  const producer: Producer = getKafka(config).producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner });
  try {
    await producer.connect();
    const [written] = await producer.send({ topic, acks: -1, messages: toMessages([record]) });
    if (!written) throw new Error(`Kafka acknowledged no record for ${topic}`);
    return { partition: written.partition, offset: String(written.baseOffset ?? written.offset) };
  } catch (error) {
    throw translateKafkaError(error, `produce to ${topic}`);
  } finally {
    await producer.disconnect().catch(() => undefined);
  }
}

export interface OpenTransaction {
  send(topic: string, records: OutgoingRecord[]): Promise<void>;
  commit(): Promise<void>;
  abort(): Promise<void>;
}

/**
 * Begins a Kafka transaction. Until it commits, its records raise the high watermark but not the
 * last stable offset, which is where read_committed and read_uncommitted readers disagree.
 */
export async function beginTransaction(config: ClusterConnectionConfig, transactionalId: string): Promise<OpenTransaction> {
  const producer: Producer = getKafka(config).producer({
    transactionalId,
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  try {
    await producer.connect();
    const transaction = await producer.transaction();
    const end = async (fn: () => Promise<void>) => {
      try {
        await fn();
      } finally {
        await producer.disconnect();
      }
    };
    return {
      async send(topic, records) {
        await transaction.send({ topic, messages: toMessages(records) });
      },
      commit: () => end(() => transaction.commit()),
      abort: () => end(() => transaction.abort()),
    };
  } catch (error) {
    await producer.disconnect().catch(() => undefined);
    throw translateKafkaError(error, `begin transaction ${transactionalId}`);
  }
}
