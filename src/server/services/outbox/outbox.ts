// What the Outbox page shows: each outbox table whose relay publishes to this cluster, its last
// reading and the last hour of readings. Configuration comes from OUTBOX_MONITORS; the connection
// URL never leaves the server (the page sees host, port and database only).
import type { Env } from "~/env";
import { listOutboxSamples } from "~/server/catalog";
import type { OutboxMetrics } from "~/server/services/metrics/prometheus";
import { monitorsOf } from "./monitor";
import type { OutboxStatus } from "./outbox.types";

export interface OutboxPoint {
  at: number;
  unpublished: number | null;
  oldestAgeMs: number | null;
  publishedPerSec: number | null;
  status: OutboxStatus;
}

export interface OutboxView {
  name: string;
  /** host:port/database, without the user or password. */
  database: string;
  table: string;
  createdColumn: string;
  publishedColumn: string | null;
  stallAfterSeconds: number;
  latest: (OutboxPoint & { error: string | null }) | null;
  history: OutboxPoint[];
}

/** The URL's host, port and database: enough to say which database, nothing to log in with. */
export function databaseLabel(url: string): string {
  const parsed = new URL(url);
  return `${parsed.hostname}${parsed.port ? `:${parsed.port}` : ""}${parsed.pathname}`;
}

export async function outboxOverview(env: Env, clusterName: string, minutes: number, now = Date.now()): Promise<{ outboxes: OutboxView[]; sampleIntervalMs: number }> {
  const monitors = monitorsOf(env, clusterName);
  const samples = monitors.length > 0 ? await listOutboxSamples(clusterName, new Date(now - minutes * 60_000)) : [];
  return {
    sampleIntervalMs: env.SAMPLER_INTERVAL_MS,
    outboxes: monitors.map((monitor) => {
      const own = samples.filter((s) => s.outbox === monitor.name);
      const history = own.map((s) => ({ at: s.takenAt.getTime(), unpublished: s.unpublished, oldestAgeMs: s.oldestAgeMs, publishedPerSec: s.publishedPerSec, status: s.status as OutboxStatus }));
      const last = own.at(-1);
      return {
        name: monitor.name,
        database: databaseLabel(monitor.url),
        table: monitor.table,
        createdColumn: monitor.createdColumn,
        publishedColumn: monitor.publishedColumn,
        stallAfterSeconds: monitor.stallAfterSeconds,
        latest: last ? { ...history.at(-1)!, error: last.error } : null,
        history,
      };
    }),
  };
}

/**
 * Each watched outbox's last reading, for /metrics; an outbox read longer ago than three sampler
 * intervals is left out, so a stopped worker's numbers are not scraped as current.
 */
export async function latestOutboxReadings(env: Env, clusterName: string, now = Date.now()): Promise<OutboxMetrics[]> {
  if (monitorsOf(env, clusterName).length === 0) return [];
  const samples = await listOutboxSamples(clusterName, new Date(now - 3 * env.SAMPLER_INTERVAL_MS));
  const last = new Map(samples.map((s) => [s.outbox, s]));
  return [...last.values()].map((s) => ({ name: s.outbox, status: s.status as OutboxStatus, unpublished: s.unpublished, oldestAgeMs: s.oldestAgeMs, publishedPerSec: s.publishedPerSec }));
}
