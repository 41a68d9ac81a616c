// Bulk offset reads for the lag sampler: log start/end offsets of every partition, consumer
// groups with their members and assignments, and every group's committed offsets.
//
// Matching the reference tool: Kafka's ConsumerGroupCommand (`kafka-consumer-groups --describe`)
// computes lag against the high watermark, i.e. ListOffsets with isolation level
// read_uncommitted. kafkajs's admin.fetchTopicOffsets asks with read_committed (the last stable
// offset) and sends one request per topic. So end offsets are read here through kafkajs's internal
// cluster, asking each leader broker with READ_UNCOMMITTED for all its partitions in one ListOffsets
// request. Committed offsets go the same way: one OffsetFetch per group straight to its cached
// coordinator (admin.fetchOffsets looks the coordinator up again for every group). kafkajs exposes
// no public way to do either; it is pinned at 2.2.4 (and unmaintained), so the private factory used
// below cannot move under us, and a test fails loudly if it ever does.
import "server-only";
import kafkajs from "kafkajs";
import pLimit from "p-limit";
import { withTimeout } from "~/lib/time";
import { AppError } from "../errors";
import { withAdmin } from "./connection";
import { internalClusterPool, READ_UNCOMMITTED } from "./internal-cluster";
import { translateKafkaError } from "./errors";
import { COORDINATOR_MOVED_CODES, encodeOffsetFetchGroups, OFFSET_FETCH_GROUPS_VERSION, OFFSET_FETCH_KEY, parseOffsetFetchGroups } from "./offset-fetch";
import { negotiateVersion, sendRawRequest } from "./raw-request";
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

type PartitionMetadata = { partitionId: number; leader: number };

// The subset of kafkajs's internal Cluster used here.
interface RawCluster {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  refreshMetadata(): Promise<void>;
  /** Node ids of the brokers in the loaded metadata. */
  getNodeIds(): string[];
  /** kafkajs's private broker pool: its loaded metadata and when that expires (metadataMaxAge). */
  brokerPool?: { metadata: { topicMetadata: { topic: string; partitionMetadata: PartitionMetadata[] }[] } | null; metadataExpireAt: number | null };
  /** Loads broker metadata when missing or older than metadataMaxAge; coordinator lookups need it. */
  refreshMetadataIfNecessary(): Promise<void>;
  addMultipleTargetTopics(topics: string[]): Promise<void>;
  findTopicPartitionMetadata(topic: string): PartitionMetadata[];
  findBroker(request: { nodeId: number }): Promise<RawBroker>;
  findGroupCoordinator(request: { groupId: string }): Promise<RawBroker>;
  findGroupCoordinatorMetadata(request: { groupId: string }): Promise<{ coordinator: { nodeId: number } }>;
}

type TopicPartitionAnswers = { topic: string; partitions: { partition: number; offset: string }[] }[];

// The subset of kafkajs's internal Broker (one connection to one broker) used here.
interface RawBroker {
  versions: Record<number, { minVersion: number; maxVersion: number }> | null;
  listGroups(): Promise<{ groups: { groupId: string; protocolType: string }[] }>;
  listOffsets(request: {
    isolationLevel: number;
    topics: { topic: string; partitions: { partition: number; timestamp: number }[] }[];
  }): Promise<{ responses: TopicPartitionAnswers }>;
  /** With no topics, OffsetFetch v2+ answers every partition the group has committed. */
  offsetFetch(request: { groupId: string; topics: [] }): Promise<{ responses: TopicPartitionAnswers }>;
  describeGroups(request: { groupIds: string[] }): Promise<{
    groups: { groupId: string; state: string; protocolType: string; members: { memberId: string; clientId: string; clientHost: string; memberAssignment: Buffer }[] }[];
  }>;
  offsetCommit(request: {
    groupId: string;
    groupGenerationId: number;
    memberId: string;
    topics: { topic: string; partitions: { partition: number; offset: string }[] }[];
  }): Promise<unknown>;
}

const readUncommitted = internalClusterPool<RawCluster>(READ_UNCOMMITTED);

// Topic name → partitions of one loaded metadata. kafkajs's findTopicPartitionMetadata scans the
// topic list for each topic asked (50 million name comparisons a cycle at 10,000 topics).
const partitionMaps = new WeakMap<object, Map<string, PartitionMetadata[]>>();

function partitionsOfTopics(cluster: RawCluster): (topic: string) => PartitionMetadata[] {
  const metadata = cluster.brokerPool?.metadata;
  // Should kafkajs's private field ever move, its public (slower) lookup still answers.
  if (!metadata?.topicMetadata) return (topic) => cluster.findTopicPartitionMetadata(topic);
  let map = partitionMaps.get(metadata);
  if (!map) partitionMaps.set(metadata, (map = new Map(metadata.topicMetadata.map((t) => [t.topic, t.partitionMetadata]))));
  return (topic) => map.get(topic) ?? [];
}

function budget(config: ClusterConnectionConfig, scale = 1): number {
  return (config.connectionTimeoutMs * 3 + 2000) * scale;
}

// ListOffsets timestamps that ask for the log end (high watermark) and the log start.
const LATEST = -1;
const EARLIEST = -2;

/**
 * Log start and end offsets of every partition of the given topics, in one batch per leader.
 * `freshMetadata` reloads the partition list first: the shared cluster caches it for a minute, so
 * an action right after partitions were added (a purge of every partition) would miss the new ones.
 */
export async function readPartitionOffsets(config: ClusterConnectionConfig, topics: string[], options: { freshMetadata?: boolean } = {}): Promise<PartitionOffsetRange[]> {
  if (topics.length === 0) return [];
  const action = `read offsets of ${topics.length} topic(s)`;
  const ms = budget(config, 4);
  return withTimeout(
    readUncommitted.use(config, action, async (cluster) => {
      await cluster.addMultipleTargetTopics(topics);
      if (options.freshMetadata) await cluster.refreshMetadata();
      // Partitions grouped by leader here, not by kafkajs's fetchTopicsOffset: that one merges the
      // answers by re-spreading one object per topic, quadratic in the topic count (seconds at 2,000).
      const byLeader = new Map<number, { topic: string; partitions: number[] }[]>();
      const partitionsOf = partitionsOfTopics(cluster);
      for (const topic of topics) {
        const perLeader = new Map<number, number[]>();
        for (const p of partitionsOf(topic)) {
          if (p.leader === null || p.leader === undefined || p.leader < 0) throw new Error(`There is no leader for partition ${p.partitionId} of ${topic}`);
          const list = perLeader.get(p.leader);
          if (list) list.push(p.partitionId);
          else perLeader.set(p.leader, [p.partitionId]);
        }
        for (const [leader, partitions] of perLeader) {
          const list = byLeader.get(leader);
          if (list) list.push({ topic, partitions });
          else byLeader.set(leader, [{ topic, partitions }]);
        }
      }
      const ask = async (timestamp: number) => {
        const answers = await Promise.all(
          [...byLeader].map(async ([nodeId, entries]) => {
            const broker = await cluster.findBroker({ nodeId });
            const { responses } = await broker.listOffsets({
              isolationLevel: READ_UNCOMMITTED,
              topics: entries.map((e) => ({ topic: e.topic, partitions: e.partitions.map((partition) => ({ partition, timestamp })) })),
            });
            return responses;
          }),
        );
        return answers.flat();
      };
      const [ends, starts] = await Promise.all([ask(LATEST), ask(EARLIEST)]);
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

/**
 * Consumer groups only (protocol type "consumer" or none), sorted by id. One ListGroups to every
 * broker at once. kafkajs's admin.listGroups re-reads the metadata of every topic first (50,000
 * partitions' worth on a big cluster, each sampler cycle) and then asks the brokers one after
 * another; the broker list is all it needs, and the loaded one is re-read when it expires.
 */
export async function listConsumerGroupIds(config: ClusterConnectionConfig): Promise<string[]> {
  const action = "list consumer groups";
  const ms = budget(config);
  return withTimeout(
    readUncommitted.use(config, action, async (cluster) => {
      const pool = cluster.brokerPool;
      if (!pool?.metadata || (pool.metadataExpireAt ?? 0) < Date.now()) await cluster.refreshMetadata();
      const answers = await Promise.all(cluster.getNodeIds().map(async (nodeId) => (await cluster.findBroker({ nodeId: Number(nodeId) })).listGroups()));
      return answers
        .flatMap((a) => a.groups)
        .filter((g) => g.protocolType === "consumer" || g.protocolType === "")
        .map((g) => g.groupId)
        .sort();
    }),
    ms,
    () => new AppError("BROKER_TIMEOUT", `Kafka did not answer within ${ms} ms while trying to ${action}.`),
  );
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

/**
 * States, members and assignments: one DescribeGroups per 100 groups to their coordinator, known from
 * the cache OffsetFetch keeps too. kafkajs's admin.describeGroups looks the coordinator of every group
 * up first, each time: 5,000 FindCoordinator round trips at 5,000 groups on every metadata re-read.
 */
export async function describeConsumerGroups(config: ClusterConnectionConfig, groupIds: string[]): Promise<ConsumerGroupDescription[]> {
  if (groupIds.length === 0) return [];
  const action = `describe ${groupIds.length} consumer group(s)`;
  const ms = budget(config, 4);
  const limit = pLimit(4);
  const described = await withTimeout(
    readUncommitted.use(config, action, async (cluster) => {
      const coordinators = await lookUpCoordinators(cluster, groupIds);
      const describe = async (nodeId: number, groups: string[]) => (await (await cluster.findBroker({ nodeId })).describeGroups({ groupIds: groups })).groups;
      const answers = await Promise.all(
        batchesByCoordinator(coordinators, groupIds, 100).map(({ nodeId, groups }) =>
          limit(async () => {
            try {
              return await describe(nodeId, groups);
            } catch (error) {
              const type = (error as { type?: string }).type;
              if (!type || !COORDINATOR_MOVED.has(type)) throw error;
              // A coordinator moved: look these groups up again and ask their coordinators once more.
              for (const groupId of groups) coordinators.delete(groupId);
              await lookUpCoordinators(cluster, groups);
              const again = await Promise.all(batchesByCoordinator(coordinators, groups, 100).map((batch) => describe(batch.nodeId, batch.groups)));
              return again.flat();
            }
          }),
        ),
      );
      return answers.flat();
    }),
    ms,
    () => new AppError("BROKER_TIMEOUT", `Kafka did not answer within ${ms} ms while trying to ${action}.`),
  );
  const position = new Map(groupIds.map((groupId, i) => [groupId, i]));
  return described
    .map((g) => ({
      groupId: g.groupId,
      state: g.state,
      protocolType: g.protocolType,
      members: g.members
        .map((m) => ({ memberId: m.memberId, clientId: m.clientId, host: m.clientHost.replace(/^\//, ""), assignments: decodeAssignment(m.memberAssignment) }))
        .sort((a, b) => a.memberId.localeCompare(b.memberId)),
    }))
    .sort((a, b) => (position.get(a.groupId) ?? 0) - (position.get(b.groupId) ?? 0));
}

export interface GroupDeletion {
  groupId: string;
  deleted: boolean;
  /** Why Kafka refused, in the user's terms. */
  reason?: string;
}

/** Kafka's refusal of one group's deletion, in the user's terms. */
function deletionRefusal(error: { type?: string; message?: string } | undefined): string {
  switch (error?.type) {
    case "NON_EMPTY_GROUP":
      return "it has active members: stop its consumers first";
    case "GROUP_ID_NOT_FOUND":
      return "no such group";
    case "GROUP_AUTHORIZATION_FAILED":
      return "Signalbox's principal is not allowed to delete it (it needs the DELETE operation on the GROUP resource)";
    default:
      return error?.message ?? "Kafka refused without a reason";
  }
}

/**
 * Deletes consumer groups (their committed offsets with them). Kafka refuses a group with members;
 * the answer is per group, so some may be deleted while others are refused.
 */
export async function deleteConsumerGroups(config: ClusterConnectionConfig, groupIds: string[]): Promise<GroupDeletion[]> {
  if (groupIds.length === 0) return [];
  return adminCall(config, `delete ${groupIds.length} consumer group(s)`, async (admin) => {
    try {
      await admin.deleteGroups(groupIds);
      return groupIds.map((groupId) => ({ groupId, deleted: true }));
    } catch (error) {
      // KafkaJSDeleteGroupsError lists only the groups that failed; the others were deleted.
      const failed = (error as { groups?: { groupId: string; error?: { type?: string; message?: string } }[] }).groups;
      if (!failed) throw error;
      const refused = new Map(failed.map((f) => [f.groupId, deletionRefusal(f.error)]));
      return groupIds.map((groupId) => (refused.has(groupId) ? { groupId, deleted: false, reason: refused.get(groupId)! } : { groupId, deleted: true }));
    }
  });
}

/** Kafka's answers when a group's coordinator moved or is not ready yet: look it up again. */
const COORDINATOR_MOVED = new Set(["NOT_COORDINATOR_FOR_GROUP", "GROUP_COORDINATOR_NOT_AVAILABLE", "GROUP_LOAD_IN_PROGRESS"]);

// Coordinator node per group, per raw cluster (a replaced cluster starts with an empty cache).
const coordinatorCaches = new WeakMap<RawCluster, Map<string, number>>();

function coordinatorCacheOf(cluster: RawCluster): Map<string, number> {
  let cache = coordinatorCaches.get(cluster);
  if (!cache) coordinatorCaches.set(cluster, (cache = new Map()));
  return cache;
}

/** Finds the coordinators of the groups not in the cache yet (FindCoordinator, a few at a time); returns the cache. */
async function lookUpCoordinators(cluster: RawCluster, groupIds: string[]): Promise<Map<string, number>> {
  const cache = coordinatorCacheOf(cluster);
  const unknown = groupIds.filter((groupId) => !cache.has(groupId));
  if (unknown.length === 0) return cache;
  // Coordinator lookups need broker metadata; a fresh cluster may not have loaded it yet.
  // (Checked only then: kafkajs's freshness check scans every topic per topic, costly at thousands.)
  await cluster.refreshMetadataIfNecessary();
  const limit = pLimit(16);
  await Promise.all(unknown.map((groupId) => limit(async () => cache.set(groupId, (await cluster.findGroupCoordinatorMetadata({ groupId })).coordinator.nodeId))));
  return cache;
}

/** The groups in batches of at most `size`, each to the coordinator the cache names. */
function batchesByCoordinator(coordinators: Map<string, number>, groupIds: string[], size: number): { nodeId: number; groups: string[] }[] {
  const byNode = new Map<number, string[]>();
  for (const groupId of groupIds) {
    const nodeId = coordinators.get(groupId)!;
    if (byNode.has(nodeId)) byNode.get(nodeId)!.push(groupId);
    else byNode.set(nodeId, [groupId]);
  }
  const batches: { nodeId: number; groups: string[] }[] = [];
  for (const [nodeId, groups] of byNode) for (let i = 0; i < groups.length; i += size) batches.push({ nodeId, groups: groups.slice(i, i + size) });
  return batches;
}

async function offsetFetch(cluster: RawCluster, groupId: string): Promise<CommittedOffset[]> {
  const coordinators = coordinatorCacheOf(cluster);
  for (let attempt = 1; ; attempt++) {
    let nodeId = coordinators.get(groupId);
    if (nodeId === undefined) {
      nodeId = (await cluster.findGroupCoordinatorMetadata({ groupId })).coordinator.nodeId;
      coordinators.set(groupId, nodeId);
    }
    try {
      const broker = await cluster.findBroker({ nodeId });
      const { responses } = await broker.offsetFetch({ groupId, topics: [] });
      const offsets: CommittedOffset[] = [];
      for (const t of responses) {
        for (const p of t.partitions) {
          const offset = Number(p.offset);
          // -1: the partition is listed without a commit.
          if (offset >= 0) offsets.push({ topic: t.topic, partition: p.partition, offset });
        }
      }
      return offsets;
    } catch (error) {
      coordinators.delete(groupId);
      const type = (error as { type?: string }).type;
      if (attempt >= 2 || !type || !COORDINATOR_MOVED.has(type)) throw error;
    }
  }
}

/**
 * Every committed offset of a group. With no topic list, OffsetFetch v2+ returns all partitions
 * the group has committed, as ConsumerGroupCommand asks; partitions without a commit are absent.
 */
export async function fetchCommittedOffsets(config: ClusterConnectionConfig, groupId: string): Promise<CommittedOffset[]> {
  const result = (await fetchCommittedOffsetsOfGroups(config, [groupId], 1)).get(groupId)!;
  if (result instanceof Error) throw result;
  return result;
}

/** Groups in one batched OffsetFetch: a few thousand partitions' answers per request at most on usual groups. */
const GROUPS_PER_OFFSET_FETCH = 100;

/**
 * Committed offsets of many groups, with bounded concurrency. A group that fails is reported, not fatal.
 * Groups whose coordinator is known go to it in batches (OffsetFetch v8, offset-fetch.ts); a group
 * whose batch answer says its coordinator moved, a broker older than Kafka 3.0, and groups whose
 * coordinator is not known yet go one by one as before (kafkajs's request, its errors and retries).
 */
export async function fetchCommittedOffsetsOfGroups(
  config: ClusterConnectionConfig,
  groupIds: string[],
  concurrency = 8,
): Promise<Map<string, CommittedOffset[] | AppError>> {
  if (groupIds.length === 0) return new Map();
  const ms = budget(config);
  const limit = pLimit(concurrency);
  const timeout = (action: string) => () => new AppError("BROKER_TIMEOUT", `Kafka did not answer within ${ms} ms while trying to ${action}.`);
  return readUncommitted.use(config, `fetch committed offsets of ${groupIds.length} group(s)`, async (cluster) => {
    // Unknown coordinators are looked up one group at a time, with that group's own read (below).
    const coordinators = coordinatorCacheOf(cluster);
    if (groupIds.some((g) => !coordinators.has(g))) await cluster.refreshMetadataIfNecessary();
    const results = new Map<string, CommittedOffset[] | AppError>();
    const oneByOne = groupIds.filter((groupId) => !coordinators.has(groupId));
    const batches = batchesByCoordinator(coordinators, groupIds.filter((groupId) => coordinators.has(groupId)), GROUPS_PER_OFFSET_FETCH);
    await Promise.all(
      batches.map(({ nodeId, groups }) =>
        limit(async () => {
          const action = `fetch committed offsets of ${groups.length} group(s)`;
          try {
            const broker = await cluster.findBroker({ nodeId });
            const version = negotiateVersion(broker, OFFSET_FETCH_KEY, OFFSET_FETCH_GROUPS_VERSION);
            if (version === null) {
              oneByOne.push(...groups);
              return;
            }
            const answers = await withTimeout(
              sendRawRequest(broker, { apiKey: OFFSET_FETCH_KEY, apiVersion: version, apiName: "OffsetFetch", body: encodeOffsetFetchGroups(groups), parse: parseOffsetFetchGroups }),
              ms,
              timeout(action),
            );
            for (const groupId of groups) {
              const answer = answers.get(groupId);
              if (answer && answer.errorCode === 0) {
                results.set(groupId, answer.offsets);
                continue;
              }
              if (!answer || COORDINATOR_MOVED_CODES.has(answer.errorCode)) coordinators.delete(groupId);
              // Asked again on its own: kafkajs's request names the error (or finds the new coordinator).
              oneByOne.push(groupId);
            }
          } catch (error) {
            // The coordinator did not answer: each of its groups reports that, as one by one they would.
            const failure = translateKafkaError(error, action);
            for (const groupId of groups) {
              coordinators.delete(groupId);
              results.set(groupId, failure);
            }
          }
        }),
      ),
    );
    await Promise.all(
      oneByOne.map((groupId) =>
        limit(async () => {
          const action = `fetch committed offsets of group ${groupId}`;
          try {
            results.set(groupId, await withTimeout(offsetFetch(cluster, groupId), ms, timeout(action)));
          } catch (error) {
            results.set(groupId, translateKafkaError(error, action));
          }
        }),
      ),
    );
    return new Map(groupIds.map((groupId) => [groupId, results.get(groupId)!]));
  });
}

/** Releases the read_uncommitted clusters (shutdown, tests). */
export async function disconnectOffsetReaders(): Promise<void> {
  await readUncommitted.disconnectAll();
}

/** Kafka's answers to a memberless commit while the group has members or is rebalancing. */
const GROUP_IS_ACTIVE = new Set(["UNKNOWN_MEMBER_ID", "ILLEGAL_GENERATION", "REBALANCE_IN_PROGRESS"]);

/**
 * Sets a group's committed offsets (the group must have no active members, as Kafka requires).
 * One OffsetCommit to the group's coordinator as a memberless client (generation -1), which is
 * what Kafka's AdminClient.alterConsumerGroupOffsets (`kafka-consumer-groups --reset-offsets`)
 * sends; the broker refuses it while the group has members. kafkajs's admin.setOffsets instead
 * joins the group with a temporary consumer and waits out a fetch, about 5 s per call.
 */
export async function commitGroupOffsets(config: ClusterConnectionConfig, groupId: string, topic: string, partitions: { partition: number; offset: number }[]): Promise<void> {
  const action = `set offsets of group ${groupId}`;
  const ms = budget(config);
  await withTimeout(
    readUncommitted.use(config, action, async (cluster) => {
      await cluster.refreshMetadataIfNecessary();
      const coordinator = await cluster.findGroupCoordinator({ groupId });
      try {
        await coordinator.offsetCommit({
          groupId,
          groupGenerationId: -1,
          memberId: "",
          topics: [{ topic, partitions: partitions.map((p) => ({ partition: p.partition, offset: String(p.offset) })) }],
        });
      } catch (error) {
        const type = (error as { type?: string }).type;
        if (type && GROUP_IS_ACTIVE.has(type)) {
          throw new AppError("CONFLICT", `Consumer group "${groupId}" has active members; Kafka accepts new offsets only while a group is inactive. Stop its consumers first.`, { cause: error });
        }
        throw error;
      }
    }),
    ms,
    () => new AppError("BROKER_TIMEOUT", `Kafka did not answer within ${ms} ms while trying to ${action}.`),
  );
}

/** Deletes records below `offset` in each partition (Kafka's DeleteRecords: the log start moves up). */
export async function deleteRecordsBefore(config: ClusterConnectionConfig, topic: string, partitions: { partition: number; offset: number }[]): Promise<void> {
  await adminCall(config, `delete records of ${topic}`, async (admin) => {
    // kafkajs finds each partition's leader in the admin client's metadata cache without loading it:
    // a topic this connection never looked at fails with "Topic metadata not loaded".
    await admin.fetchTopicMetadata({ topics: [topic] });
    await admin.deleteTopicRecords({ topic, partitions: partitions.map((p) => ({ partition: p.partition, offset: String(p.offset) })) });
  });
}
