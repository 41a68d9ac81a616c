// Bulk offset reads for the lag sampler: log start/end offsets of every partition, consumer
// groups with their members and assignments, and every group's committed offsets.
//
// Matching the reference tool: Kafka's ConsumerGroupCommand (`kafka-consumer-groups --describe`)
// computes lag against the high watermark, i.e. ListOffsets with isolation level
// read_uncommitted. kafkajs's admin.fetchTopicOffsets asks with read_committed (the last stable
// offset) and sends one request per topic. So end offsets are read here through a kafkajs cluster
// created with READ_UNCOMMITTED, which also batches all partitions into one ListOffsets request
// per leader broker. kafkajs exposes no public way to do that; it is pinned at 2.2.4 (and
// unmaintained), so the private factory used below cannot move under us, and a test fails loudly
// if it ever does.
import kafkajs from "kafkajs";
import pLimit from "p-limit";
import { withTimeout } from "~/lib/time";
import { AppError } from "../errors";
import { withAdmin } from "./connection";
import { internalClusterPool, READ_UNCOMMITTED } from "./internal-cluster";
import { translateKafkaError } from "./errors";
import type { ClusterConnectionConfig } from "./types";

const { AssignerProtocol } = kafkajs;

export interface PartitionOffsetRange {
  topic: string;
  partition: number;
  /** Log start offset. */
  low: number;
  /** High watermark (read_uncommitted), what kafka-consumer-groups calls LOG-END-OFFSET. */
  high: number;
}

export interface ConsumerGroupMember {
  memberId: string;
  clientId: string;
  host: string;
  assignments: { topic: string; partitions: number[] }[];
}

export interface ConsumerGroupDescription {
  groupId: string;
  state: string;
  protocolType: string;
  members: ConsumerGroupMember[];
}

export interface CommittedOffset {
  topic: string;
  partition: number;
  offset: number;
}

// The subset of kafkajs's internal Cluster used here.
interface RawCluster {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  refreshMetadata(): Promise<void>;
  addMultipleTargetTopics(topics: string[]): Promise<void>;
  findTopicPartitionMetadata(topic: string): { partitionId: number }[];
  fetchTopicsOffset(
    topics: { topic: string; fromBeginning: boolean; partitions: { partition: number }[] }[],
  ): Promise<{ topic: string; partitions: { partition: number; offset: string }[] }[]>;
}

const readUncommitted = internalClusterPool<RawCluster>(READ_UNCOMMITTED);

function budget(config: ClusterConnectionConfig, scale = 1): number {
  return (config.connectionTimeoutMs * 3 + 2000) * scale;
}

/** Log start and end offsets of every partition of the given topics, in one batch per leader. */
export async function readPartitionOffsets(config: ClusterConnectionConfig, topics: string[]): Promise<PartitionOffsetRange[]> {
  if (topics.length === 0) return [];
  const action = `read offsets of ${topics.length} topic(s)`;
  const ms = budget(config, 4);
  return withTimeout(
    readUncommitted.use(config, action, async (cluster) => {
      await cluster.addMultipleTargetTopics(topics);
      const request = (fromBeginning: boolean) =>
        topics.map((topic) => ({
          topic,
          fromBeginning,
          partitions: cluster.findTopicPartitionMetadata(topic).map((p) => ({ partition: p.partitionId })),
        }));
      const [ends, starts] = await Promise.all([cluster.fetchTopicsOffset(request(false)), cluster.fetchTopicsOffset(request(true))]);
      const startOf = new Map<string, number>();
      for (const t of starts) for (const p of t.partitions) startOf.set(`${t.topic}\u0000${p.partition}`, Number(p.offset));
      const result: PartitionOffsetRange[] = [];
      for (const t of ends) {
        for (const p of t.partitions) {
          const high = Number(p.offset);
          result.push({ topic: t.topic, partition: p.partition, high, low: startOf.get(`${t.topic}\u0000${p.partition}`) ?? high });
        }
      }
      return result.sort((a, b) => (a.topic === b.topic ? a.partition - b.partition : a.topic < b.topic ? -1 : 1));
    }),
    ms,
    () => new AppError("BROKER_TIMEOUT", `Kafka did not answer within ${ms} ms while trying to ${action}.`),
  );
}

async function adminCall<T>(config: ClusterConnectionConfig, action: string, fn: Parameters<typeof withAdmin<T>>[1], scale = 1): Promise<T> {
  const ms = budget(config, scale);
  try {
    return await withTimeout(withAdmin(config, fn), ms, () => new AppError("BROKER_TIMEOUT", `Kafka did not answer within ${ms} ms while trying to ${action}.`));
  } catch (error) {
    throw translateKafkaError(error, action);
  }
}

/** Consumer groups only (protocol type "consumer" or none), sorted by id. */
export async function listConsumerGroupIds(config: ClusterConnectionConfig): Promise<string[]> {
  return adminCall(config, "list consumer groups", async (admin) => {
    const { groups } = await admin.listGroups();
    return groups
      .filter((g) => g.protocolType === "consumer" || g.protocolType === "")
      .map((g) => g.groupId)
      .sort();
  });
}

function decodeAssignment(buffer: Buffer): { topic: string; partitions: number[] }[] {
  if (!buffer || buffer.length === 0) return [];
  try {
    const decoded = AssignerProtocol.MemberAssignment.decode(buffer);
    if (!decoded) return [];
    return Object.entries(decoded.assignment).map(([topic, partitions]) => ({ topic, partitions: [...partitions].sort((a, b) => a - b) }));
  } catch {
    // A client with a custom assignor may encode assignments its own way; show the member without them.
    return [];
  }
}

/** States, members and assignments; asks each coordinator for at most 100 groups per request. */
export async function describeConsumerGroups(config: ClusterConnectionConfig, groupIds: string[]): Promise<ConsumerGroupDescription[]> {
  if (groupIds.length === 0) return [];
  const chunks: string[][] = [];
  for (let i = 0; i < groupIds.length; i += 100) chunks.push(groupIds.slice(i, i + 100));
  const limit = pLimit(4);
  const described = await Promise.all(
    chunks.map((chunk) =>
      limit(() =>
        adminCall(config, `describe ${chunk.length} consumer group(s)`, async (admin) => {
          const { groups } = await admin.describeGroups(chunk);
          return groups.map((g) => ({
            groupId: g.groupId,
            state: g.state,
            protocolType: g.protocolType,
            members: g.members
              .map((m) => ({ memberId: m.memberId, clientId: m.clientId, host: m.clientHost.replace(/^\//, ""), assignments: decodeAssignment(m.memberAssignment) }))
              .sort((a, b) => a.memberId.localeCompare(b.memberId)),
          }));
        }),
      ),
    ),
  );
  return described.flat();
}

/**
 * Every committed offset of a group. With no topic list, OffsetFetch v2+ returns all partitions
 * the group has committed, as ConsumerGroupCommand asks; partitions without a commit are absent.
 */
export async function fetchCommittedOffsets(config: ClusterConnectionConfig, groupId: string): Promise<CommittedOffset[]> {
  return adminCall(config, `fetch committed offsets of group ${groupId}`, async (admin) => {
    const topics = await admin.fetchOffsets({ groupId });
    const offsets: CommittedOffset[] = [];
    for (const t of topics) {
      for (const p of t.partitions) {
        const offset = Number(p.offset);
        if (offset >= 0) offsets.push({ topic: t.topic, partition: p.partition, offset });
      }
    }
    return offsets;
  });
}

/** Committed offsets of many groups, with bounded concurrency. A group that fails is reported, not fatal. */
export async function fetchCommittedOffsetsOfGroups(
  config: ClusterConnectionConfig,
  groupIds: string[],
  concurrency = 8,
): Promise<Map<string, CommittedOffset[] | AppError>> {
  const limit = pLimit(concurrency);
  const entries = await Promise.all(
    groupIds.map((groupId) =>
      limit(async () => {
        try {
          return [groupId, await fetchCommittedOffsets(config, groupId)] as const;
        } catch (error) {
          return [groupId, translateKafkaError(error, `fetch committed offsets of group ${groupId}`)] as const;
        }
      }),
    ),
  );
  return new Map<string, CommittedOffset[] | AppError>(entries);
}

/** Releases the read_uncommitted clusters (shutdown, tests). */
export async function disconnectOffsetReaders(): Promise<void> {
  await readUncommitted.disconnectAll();
}

/** Sets a group's committed offsets (the group must have no active members, as Kafka requires). */
export async function commitGroupOffsets(config: ClusterConnectionConfig, groupId: string, topic: string, partitions: { partition: number; offset: number }[]): Promise<void> {
  await adminCall(config, `set offsets of group ${groupId}`, (admin) =>
    admin.setOffsets({ groupId, topic, partitions: partitions.map((p) => ({ partition: p.partition, offset: String(p.offset) })) }),
  );
}

/** Deletes records below `offset` in each partition (Kafka's DeleteRecords: the log start moves up). */
export async function deleteRecordsBefore(config: ClusterConnectionConfig, topic: string, partitions: { partition: number; offset: number }[]): Promise<void> {
  await adminCall(config, `delete records of ${topic}`, (admin) =>
    admin.deleteTopicRecords({ topic, partitions: partitions.map((p) => ({ partition: p.partition, offset: String(p.offset) })) }),
  );
}
