// Depth and inflow of one DLQ over time, for its charts, from the DLQ index: a record arrives at its
// timestamp and leaves the depth when it is redriven or discarded (its state's time). So the chart
// needs no sampler history, starts with the first record the topic still holds, and agrees with the
// overview's numbers at its right edge.
import { dlqHistoryCounts, type DlqHistoryCounts } from "~/server/catalog";
import { RANGE_MS, type TimeRange } from "~/server/services/lag/queries";

export interface DlqHistoryPoint {
  /** End of the bucket (epoch ms): depth is as of this moment. */
  at: number;
  /** Records not yet redriven or discarded. */
  depth: number;
  /** Records dead-lettered per minute during the bucket. */
  inflowPerMin: number;
}

/** About 30 to 170 points per range. */
const BUCKET_MS: Record<TimeRange, number> = { live: 30_000, "15m": 30_000, "1h": 60_000, "24h": 15 * 60_000, "7d": 3_600_000 };

/**
 * The series from `from` (a bucket boundary) to `now`, one point per bucket. Depth never goes
 * below zero (a record resolved before it arrived, by its producer's clock, counts as gone).
 */
export function dlqDepthSeries(counts: DlqHistoryCounts, from: number, now: number, bucketMs: number): DlqHistoryPoint[] {
  const points: DlqHistoryPoint[] = [];
  let depth = counts.arrivedBefore - counts.resolvedBefore;
  for (let start = from; start < now; start += bucketMs) {
    const arrived = counts.arrivals.get(start) ?? 0;
    depth += arrived - (counts.resolutions.get(start) ?? 0);
    points.push({ at: Math.min(start + bucketMs, now), depth: Math.max(0, depth), inflowPerMin: arrived / (bucketMs / 60_000) });
  }
  return points;
}

export async function dlqHistory(clusterName: string, topic: string, range: TimeRange, now = Date.now()): Promise<{ points: DlqHistoryPoint[]; bucketMs: number }> {
  const bucketMs = BUCKET_MS[range];
  const from = Math.floor((now - RANGE_MS[range]) / bucketMs) * bucketMs;
  const counts = await dlqHistoryCounts(clusterName, topic, from, bucketMs);
  return { points: dlqDepthSeries(counts, from, now, bucketMs), bucketMs };
}
