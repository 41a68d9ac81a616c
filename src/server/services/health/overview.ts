// What the Overview page shows: health plus the size of the cluster.
import { countConsumerGroups, countTopics, type ClusterConnectionConfig } from "~/server/broker";
import { describeError } from "~/server/errors";
import { checkSystemHealth, type SystemHealth } from "./health";

export interface ClusterCounts {
  topics: number;
  internalTopics: number;
  partitions: number;
  consumerGroups: number;
}

export interface Overview {
  clusterName: string;
  health: SystemHealth;
  counts: ClusterCounts | null;
  countsError?: string;
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
