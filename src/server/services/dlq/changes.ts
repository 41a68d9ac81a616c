// "Something changed in this DLQ": new records indexed, records claimed, redriven or discarded, a
// declaration added or removed. Announced over PostgreSQL NOTIFY, so every open DLQ page (and the
// Overview's DLQ card) refetches what it shows at once instead of polling. Topic names repeat across
// clusters, so every announcement about a topic names its cluster too.
import { CHANNELS, notificationBatches, notify } from "~/server/catalog";

/** A NOTIFY payload naming a topic of a cluster. */
export interface ClusterTopic {
  cluster: string;
  topic: string;
}

export function clusterTopicPayload(cluster: string, topic: string): string {
  return JSON.stringify({ cluster, topic } satisfies ClusterTopic);
}

/** The cluster and topic a payload names; null for anything else (a foreign or older sender's payload). */
export function parseClusterTopic(payload: string): ClusterTopic | null {
  try {
    const value: unknown = JSON.parse(payload);
    if (typeof value !== "object" || value === null) return null;
    const { cluster, topic } = value as Record<string, unknown>;
    return typeof cluster === "string" && typeof topic === "string" ? { cluster, topic } : null;
  } catch {
    return null;
  }
}

/** A batch of payloads as the topics each cluster announced, in the order clusters first appear. */
export function topicsByCluster(batch: string[]): { cluster: string; topics: string[] }[] {
  const byCluster = new Map<string, Set<string>>();
  for (const payload of batch) {
    const named = parseClusterTopic(payload);
    if (!named) continue;
    let topics = byCluster.get(named.cluster);
    if (!topics) byCluster.set(named.cluster, (topics = new Set()));
    topics.add(named.topic);
  }
  return [...byCluster].map(([cluster, topics]) => ({ cluster, topics: [...topics] }));
}

/** Tells listeners that `topic` of `cluster` changed. Never fails the caller: a lost announcement only delays a refresh. */
export async function announceDlqChange(cluster: string, topic: string): Promise<void> {
  await notify(CHANNELS.dlq, clusterTopicPayload(cluster, topic)).catch(() => undefined);
}

/** Yields the DLQ topics that changed, a batch per cluster at a time, until `signal` aborts. */
export async function* dlqChanges(signal?: AbortSignal): AsyncGenerator<{ cluster: string; topics: string[] }> {
  for await (const batch of notificationBatches(CHANNELS.dlq, signal)) yield* topicsByCluster(batch);
}
