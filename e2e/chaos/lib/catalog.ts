// The chaos suite reads the catalog directly (pg): a job's state while the web is down, the jobs a
// submission's idempotency key started, and what each DLQ record's claim says. Reads only.
import pg from "pg";

export interface JobState {
  id: number;
  status: string;
  attempts: number;
  written: number;
  error: string | null;
}

export class ChaosCatalog {
  private readonly pool: pg.Pool;

  constructor(databaseUrl: string) {
    // A restarted PostgreSQL breaks pooled connections; the pool drops them and connects again.
    this.pool = new pg.Pool({ connectionString: databaseUrl, max: 2, connectionTimeoutMillis: 3000 });
    this.pool.on("error", () => undefined);
  }

  async job(id: number): Promise<JobState> {
    const { rows } = await this.pool.query<{ id: number; status: string; attempts: number; written: string | null; error: string | null }>(
      `SELECT id, status::text AS status, attempts, progress->>'written' AS written, error FROM "Job" WHERE id = $1`,
      [id],
    );
    const row = rows[0];
    if (!row) throw new Error(`no job #${id}`);
    return { ...row, written: Number(row.written ?? 0) };
  }

  /** The jobs one submission started (its idempotency key), oldest first. */
  async jobsOfSubmission(idempotencyKey: string): Promise<number[]> {
    const { rows } = await this.pool.query<{ id: number }>(`SELECT id FROM "Job" WHERE "idempotencyKey" = $1 ORDER BY id`, [idempotencyKey]);
    return rows.map((r) => r.id);
  }

  /** How many of the DLQ topic's records are in each state (no row: pending). */
  async dlqStates(topic: string): Promise<Record<string, number>> {
    const { rows } = await this.pool.query<{ status: string; n: string }>(`SELECT status::text AS status, count(*) AS n FROM "DlqMessageState" WHERE topic = $1 GROUP BY status`, [topic]);
    return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
  }

  /** Claims whose job does not exist: what a start that died between claiming and creating its job leaves. */
  async claimsWithoutJob(topic: string): Promise<number> {
    const { rows } = await this.pool.query<{ n: string }>(
      `SELECT count(*) AS n FROM "DlqMessageState" s WHERE s.topic = $1 AND s.status = 'QUEUED' AND NOT EXISTS (SELECT 1 FROM "Job" j WHERE j.key = s."jobKey")`,
      [topic],
    );
    return Number(rows[0]?.n ?? 0);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
