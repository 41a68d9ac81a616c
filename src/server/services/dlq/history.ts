// Depth and inflow of one DLQ over time, for its chart. The sampler already keeps every topic's
// history (end offsets and produce rate); depth at a point is what the topic held then minus what
// support staff had resolved (redriven or discarded) by then, from the per-record state.
import { listDlqStates } from "~/server/catalog";
import { getTopic, topicHistory, type TimeRange } from "~/server/services/lag/queries";
import type { TopicPoint } from "~/server/services/lag/series";

export interface DlqHistoryPoint {
  at: number;
  /** Records not yet redriven or discarded. */
  depth: number;
  /** Records dead-lettered per second since the previous point; null when unknown. */
  inflow: number | null;
}

/**
 * `logStart` is the topic's current log start (summed over partitions): records retention already
 * deleted count at no point. `resolvedAt` are the epoch ms at which records were resolved.
 */
export function dlqDepthSeries(points: TopicPoint[], logStart: number, resolvedAt: number[]): DlqHistoryPoint[] {
  const resolved = [...resolvedAt].sort((a, b) => a - b);
  let i = 0;
  return points.map((p) => {
    while (i < resolved.length && resolved[i]! <= p.at) i += 1;
    return { at: p.at, depth: Math.max(0, p.endOffset - logStart - i), inflow: p.rate };
  });
}

export async function dlqHistory(clusterName: string, topic: string, range: TimeRange): Promise<{ points: DlqHistoryPoint[]; resolution: number }> {
  const [history, states, snapshot] = await Promise.all([
    topicHistory(clusterName, topic, range),
    listDlqStates(clusterName, topic),
    // A topic the sampler has not seen yet has no history either.
    getTopic(clusterName, topic).catch(() => null),
  ]);
  const logStart = snapshot?.partitions.reduce((sum, p) => sum + p.low, 0) ?? 0;
  const resolvedAt = states.filter((s) => s.status === "REDRIVEN" || s.status === "DISCARDED").map((s) => s.updatedAt.getTime());
  return { points: dlqDepthSeries(history.points, logStart, resolvedAt), resolution: history.resolution };
}
