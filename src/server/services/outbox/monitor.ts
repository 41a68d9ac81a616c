// The outbox monitor: after each sampler cycle of a Kafka cluster, the worker reads the outbox
// tables whose relay publishes to it (OUTBOX_MONITORS), works out the publish rate and whether the
// relay has stalled, stores a sample for the page's history, and hands the result to the
// OUTBOX_STALLED alert rules. A relay has stalled when the oldest row still waiting is older than
// the monitor's stallAfterSeconds: a working relay keeps that age near its polling interval
// however busy the table is, while "rows are waiting" alone is normal.
import type { Env } from "~/env";
import type { OutboxMonitorConfig } from "~/lib/outbox-config";
import { createLogger } from "~/lib/logger";
import { defaultClusterDefinition } from "~/server/services/clusters/active-cluster";
import type { OutboxSampleRow } from "~/server/catalog";
import { describeError } from "~/server/errors";
import { readOutbox, type OutboxReading } from "~/server/outbox/reader";
import type { OutboxSnapshot, OutboxStatus } from "./outbox.types";

const log = createLogger("outbox");

/** A reading as the catalog stores it, its status one of the monitor's. */
export type OutboxSampleInput = OutboxSampleRow & { status: OutboxStatus };

export function outboxStatus(reading: Pick<OutboxReading, "unpublished" | "oldestAgeMs">, stallAfterSeconds: number): OutboxStatus {
  return reading.unpublished > 0 && reading.oldestAgeMs !== null && reading.oldestAgeMs > stallAfterSeconds * 1000 ? "STALLED" : "OK";
}

/**
 * Rows published per second between `since` and `at`: counted directly with a published column,
 * else the growth of the table's deletes since the previous reading. Null when there is no previous
 * reading to compare with, or PostgreSQL's statistics were reset in between (the count went back).
 */
export function publishRate(reading: Pick<OutboxReading, "publishedSince" | "deletedTotal">, since: number, previousDeleted: number | null | undefined, at: number): number | null {
  const seconds = (at - since) / 1000;
  if (seconds <= 0) return null;
  if (reading.publishedSince !== null) return reading.publishedSince / seconds;
  if (reading.deletedTotal === null || previousDeleted === null || previousDeleted === undefined || reading.deletedTotal < previousDeleted) return null;
  return (reading.deletedTotal - previousDeleted) / seconds;
}

/** The monitors whose relay publishes to `clusterName` (no cluster named: the default cluster). */
export function monitorsOf(env: Env, clusterName: string): OutboxMonitorConfig[] {
  const fallback = defaultClusterDefinition(env).name;
  return env.OUTBOX_MONITORS.filter((m) => (m.cluster ?? fallback) === clusterName);
}

/** One per worker and cluster: it keeps each monitor's previous reading, for the rate. */
export class OutboxWatcher {
  private readonly previous = new Map<string, { at: number; deletedTotal: number | null }>();

  constructor(
    private readonly env: Env,
    private readonly clusterName: string,
    private readonly read: typeof readOutbox = readOutbox,
  ) {}

  /** Null when no outbox publishes to this cluster. */
  async round(now = Date.now()): Promise<{ snapshot: OutboxSnapshot; samples: OutboxSampleInput[] } | null> {
    const monitors = monitorsOf(this.env, this.clusterName);
    if (monitors.length === 0) return null;
    const snapshot: OutboxSnapshot = { cluster: this.clusterName, takenAt: now, outboxes: [], unreachable: [] };
    const samples: OutboxSampleInput[] = [];
    await Promise.all(
      monitors.map(async (monitor) => {
        const before = this.previous.get(monitor.name) ?? null;
        const takenAt = new Date(now);
        try {
          // The first reading counts from one sampler interval back, so a published column gives a rate at once.
          const since = before?.at ?? now - this.env.SAMPLER_INTERVAL_MS;
          const reading = await this.read(monitor, new Date(since));
          const rate = publishRate(reading, since, before?.deletedTotal, now);
          this.previous.set(monitor.name, { at: now, deletedTotal: reading.deletedTotal });
          const status = outboxStatus(reading, monitor.stallAfterSeconds);
          snapshot.outboxes.push({ name: monitor.name, status, unpublished: reading.unpublished, oldestAgeMs: reading.oldestAgeMs, stallAfterSeconds: monitor.stallAfterSeconds });
          samples.push({ clusterName: this.clusterName, outbox: monitor.name, takenAt, unpublished: reading.unpublished, oldestAgeMs: reading.oldestAgeMs, publishedPerSec: rate, status, error: null });
        } catch (error) {
          const message = describeError(error);
          snapshot.unreachable.push(monitor.name);
          samples.push({ clusterName: this.clusterName, outbox: monitor.name, takenAt, unpublished: null, oldestAgeMs: null, publishedPerSec: null, status: "UNREACHABLE", error: message.slice(0, 500) });
          log.warn("outbox table could not be read", { cluster: this.clusterName, outbox: monitor.name, error: message });
        }
      }),
    );
    return { snapshot, samples };
  }
}
