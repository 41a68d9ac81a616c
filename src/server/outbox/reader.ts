// Reads a transactional outbox table in someone else's PostgreSQL: how many rows wait, how old the
// oldest is, and how many were published. Signalbox never writes there: every session is read-only
// (default_transaction_read_only) with a statement timeout, and table and column names come from
// configuration, validated (src/lib/outbox-config.ts) and quoted as identifiers.
import "server-only";
import pg from "pg";
import type { OutboxMonitorConfig } from "~/lib/outbox-config";

export interface OutboxReading {
  /** Rows not published yet. */
  unpublished: number;
  /** Age of the oldest of them, by the database's clock; null when none waits. */
  oldestAgeMs: number | null;
  /** With a published column: rows published after `since`. Null otherwise. */
  publishedSince: number | null;
  /** Without one: the table's cumulative deletes (pg_stat_user_tables.n_tup_del), from which the caller derives a rate. */
  deletedTotal: number | null;
}

const STATEMENT_TIMEOUT_MS = 5000;
const pools = new Map<string, pg.Pool>();

function poolFor(monitor: OutboxMonitorConfig): pg.Pool {
  const key = `${monitor.name}\u0000${monitor.url}`;
  let pool = pools.get(key);
  if (!pool) {
    pool = new pg.Pool({
      connectionString: monitor.url,
      max: 1,
      idleTimeoutMillis: 60_000,
      connectionTimeoutMillis: 5000,
      application_name: "signalbox-outbox-monitor",
      options: `-c default_transaction_read_only=on -c statement_timeout=${STATEMENT_TIMEOUT_MS}`,
    });
    // A dropped idle connection is reported by the next read, not as a crash.
    pool.on("error", () => undefined);
    pools.set(key, pool);
  }
  return pool;
}

/** `schema.table` quoted part by part. */
function qualified(table: string): string {
  return table.split(".").map((part) => pg.escapeIdentifier(part)).join(".");
}

export async function readOutbox(monitor: OutboxMonitorConfig, since: Date): Promise<OutboxReading> {
  const pool = poolFor(monitor);
  const table = qualified(monitor.table);
  const created = pg.escapeIdentifier(monitor.createdColumn);
  if (monitor.publishedColumn) {
    const published = pg.escapeIdentifier(monitor.publishedColumn);
    const { rows } = await pool.query<{ unpublished: string; oldest_age_ms: number | null; published_since: string }>(
      `SELECT count(*) FILTER (WHERE ${published} IS NULL) AS unpublished,
              extract(epoch FROM now() - min(${created}) FILTER (WHERE ${published} IS NULL)) * 1000 AS oldest_age_ms,
              count(*) FILTER (WHERE ${published} > $1) AS published_since
         FROM ${table}`,
      [since],
    );
    const row = rows[0]!;
    return { unpublished: Number(row.unpublished), oldestAgeMs: ageOf(row.oldest_age_ms), publishedSince: Number(row.published_since), deletedTotal: null };
  }
  const [{ rows }, stats] = await Promise.all([
    pool.query<{ unpublished: string; oldest_age_ms: number | null }>(`SELECT count(*) AS unpublished, extract(epoch FROM now() - min(${created})) * 1000 AS oldest_age_ms FROM ${table}`),
    pool.query<{ deleted: string }>(`SELECT n_tup_del AS deleted FROM pg_stat_user_tables WHERE relid = to_regclass($1)`, [table]),
  ]);
  const row = rows[0]!;
  return { unpublished: Number(row.unpublished), oldestAgeMs: ageOf(row.oldest_age_ms), publishedSince: null, deletedTotal: stats.rows[0] ? Number(stats.rows[0].deleted) : null };
}

function ageOf(value: number | string | null): number | null {
  return value === null ? null : Math.max(0, Math.round(Number(value)));
}

/** Closes every pool (tests, and a worker shutting down). */
export async function closeOutboxReaders(): Promise<void> {
  const all = [...pools.values()];
  pools.clear();
  await Promise.allSettled(all.map((p) => p.end()));
}
