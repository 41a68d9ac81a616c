// The broker adapter: the only module that talks to Kafka. Import from here, never from kafkajs.
export { describeCluster, countTopics, countConsumerGroups, listTopicNames, ensureTopics, deleteTopics, parseProtocolVersion } from "./admin";
export { createProducer, type RecordProducer } from "./producer";
export { runGroupConsumer, type GroupConsumer, type GroupConsumerOptions } from "./consumer";
export { disconnectAll } from "./connection";
export { redactConnection } from "./redact";
export type * from "./types";
