// The outbox monitor's readings (services/outbox/monitor.ts): one row per watched outbox and
// sampler cycle, kept as long as the raw lag history (HISTORY_RAW_RETENTION_MS).
import "server-only";
import { getDb } from "./db";

export interface OutboxSampleRow {
  clusterName: string;
  outbox: string;
  takenAt: Date;
  unpublished: number | null;
  oldestAgeMs: number | null;
  publishedPerSec: number | null;
  status: string;
  error: string | null;
}

export async function recordOutboxSamples(samples: OutboxSampleRow[]): Promise<void> {
  if (samples.length > 0) await getDb().outboxSample.createMany({ data: samples });
}

/** A cluster's outbox readings since `since`, oldest first. */
export async function listOutboxSamples(clusterName: string, since: Date): Promise<OutboxSampleRow[]> {
  return getDb().outboxSample.findMany({
    where: { clusterName, takenAt: { gte: since } },
    orderBy: [{ takenAt: "asc" }, { outbox: "asc" }],
    select: { clusterName: true, outbox: true, takenAt: true, unpublished: true, oldestAgeMs: true, publishedPerSec: true, status: true, error: true },
  });
}

export async function pruneOutboxSamples(before: Date): Promise<number> {
  return (await getDb().outboxSample.deleteMany({ where: { takenAt: { lt: before } } })).count;
}
