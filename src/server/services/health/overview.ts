// What the Overview page shows: health plus the size of the cluster.
import { countConsumerGroups, countTopics, type ClusterConnectionConfig } from "~/server/broker";
import { describeError } from "~/server/errors";
import type { LagSnapshot } from "~/server/services/lag/types";
import { checkSystemHealth, type SystemHealth } from "./health";

export interface ClusterCounts {
  topics: number;
  internalTopics: number;
  partitions: number;
  consumerGroups: number;
  /** Cluster-wide replication health; null for a reader limited to some topics (it covers every topic). */
  underReplicated: number | null;
  offline: number | null;
}

export interface Overview {
  clusterName: string;
  health: SystemHealth;
  counts: ClusterCounts | null;
  countsError?: string;
}

/**
 * The counts a reader limited to some topics and groups may see, from the sampler's latest snapshot
 * (the broker's own counts would tell it how big the rest of the cluster is).
 */
export function visibleCounts(snapshot: Pick<LagSnapshot, "topics" | "groups">, mayReadTopic: (topic: string) => boolean, mayReadGroup: (group: string) => boolean): ClusterCounts {
  const topics = snapshot.topics.filter((t) => mayReadTopic(t.topic));
  return {
    topics: topics.filter((t) => !t.topic.startsWith("__")).length,
    internalTopics: topics.filter((t) => t.topic.startsWith("__")).length,
    partitions: topics.reduce((sum, t) => sum + t.partitions.length, 0),
    consumerGroups: snapshot.groups.filter((g) => mayReadGroup(g.groupId)).length,
    underReplicated: null,
    offline: null,
  };
}

export async function getOverview(options: { cluster: ClusterConnectionConfig; workerStaleAfterMs: number }): Promise<Overview> {
  const health = await checkSystemHealth(options);
  if (!health.kafka.ok) return { clusterName: options.cluster.name, health, counts: null, countsError: health.kafka.error };
  try {
    const [topics, consumerGroups] = await Promise.all([countTopics(options.cluster), countConsumerGroups(options.cluster)]);
    return { clusterName: options.cluster.name, health, counts: { ...topics, consumerGroups } };
  } catch (error) {
    return { clusterName: options.cluster.name, health, counts: null, countsError: describeError(error) };
  }
}
