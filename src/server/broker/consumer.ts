// A consumer-group runner for Signalbox's own reads (demo system and tests).
import "server-only";
import type { Consumer } from "kafkajs";
import { getKafka } from "./connection";
import { translateKafkaError } from "./errors";
import type { ClusterConnectionConfig, ConsumedRecord } from "./types";

export interface GroupConsumer {
  stop(): Promise<void>;
}

export interface GroupConsumerOptions {
  groupId: string;
  topics: string[];
  fromBeginning?: boolean;
  /** Called once per record, in partition order; the offset is committed after it resolves. */
  eachRecord: (record: ConsumedRecord) => Promise<void>;
}

export async function runGroupConsumer(config: ClusterConnectionConfig, options: GroupConsumerOptions): Promise<GroupConsumer> {
  const consumer: Consumer = getKafka(config).consumer({
    groupId: options.groupId,
    sessionTimeout: 15000,
    heartbeatInterval: 3000,
    retry: { initialRetryTime: 300, retries: 10 },
  });
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: options.topics, fromBeginning: options.fromBeginning ?? true });
    await consumer.run({
      eachMessage: async ({ topic, partition, message }) => {
        await options.eachRecord({
          topic,
          partition,
          offset: message.offset,
          timestamp: message.timestamp,
          key: message.key,
          value: message.value,
          headers: message.headers as ConsumedRecord["headers"],
        });
      },
    });
  } catch (error) {
    await consumer.disconnect().catch(() => undefined);
    throw translateKafkaError(error, `start consumer group ${options.groupId}`);
  }
  return { stop: () => consumer.disconnect() };
}
