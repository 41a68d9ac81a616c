// The broker adapter: the only module that talks to Kafka. Import from here, never from kafkajs.
import "server-only";

export {
  describeCluster,
  describeReplicas,
  countTopics,
  countConsumerGroups,
  listTopicNames,
  ensureTopics,
  deleteTopics,
  parseProtocolVersion,
  describeBrokerDefaults,
  describeTopicConfig,
  createTopic,
  replaceTopicOverrides,
  addPartitions,
  partitionCount,
} from "./admin";
export { createProducer, produceRecord, beginTransaction, type RecordProducer, type OpenTransaction } from "./producer";
export { runGroupConsumer, type GroupConsumer, type GroupConsumerOptions } from "./consumer";
export { readLatestRecords } from "./sample";
export {
  readPartitionOffsets,
  listConsumerGroupIds,
  describeConsumerGroups,
  deleteConsumerGroups,
  type GroupDeletion,
  fetchCommittedOffsets,
  fetchCommittedOffsetsOfGroups,
  commitGroupOffsets,
  deleteRecordsBefore,
  type PartitionOffsetRange,
  type ConsumerGroupDescription,
  type ConsumerGroupMember,
  type CommittedOffset,
} from "./offsets";
import { disconnectClients } from "./connection";
import { disconnectOffsetReaders } from "./offsets";
import { disconnectRecordReaders } from "./reader";
import { disconnectTopicIdReaders } from "./topic-id";
import { disconnectBrokerReaders } from "./brokers";

/** Closes every Kafka connection this process opened (shutdown, between tests). */
export async function disconnectAll(): Promise<void> {
  await Promise.all([disconnectOffsetReaders(), disconnectRecordReaders(), disconnectTopicIdReaders(), disconnectBrokerReaders(), disconnectClients()]);
}
export { redactConnection } from "./redact";
export type * from "./types";
export { fetchRecords, readTopicBounds, offsetsForTimestamp, disconnectRecordReaders, type PartitionPosition, type PartitionBounds, type PartitionFetchResult, type FetchOptions } from "./reader";
export { batchCodecs } from "./batch-codec";
export { openTransactionalWriter, openWriterGroup, partitionGroups, groupTransactionalId, readJobCheckpoint, sliceForRequests, deleteIdleGroups, MAX_WRITERS_PER_JOB, type TransactionalWriter, type WriterGroup, type OutgoingCopy, type SourceCheckpoint, type SendOptions, type CompressionCodec } from "./transactional-writer";
export { fetchTopicId, fetchTopicIds } from "./topic-id";
export { selectedBounds, readRange, READ_RANGE_FETCH_BYTES, type PartitionChunk } from "./range";
export { copyEncoder, type CopyEncoder, type CopyHeaders, type CopiesOfRange, type EncodedCopies } from "./record-copies";
export { testConnection, principalOf, type ConnectionTestReport, type ConnectionStepResult, type ConnectionStep, type FailureCategory } from "./connection-test";
export { describeBrokers, describeBrokerConfig, describeLogDirs, alterBrokerConfig } from "./brokers";
export { describeAllAcls, createAcl, deleteAcl, type AclListing, type KnownAclBinding } from "./acls";
