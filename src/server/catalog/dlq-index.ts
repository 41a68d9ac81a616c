// The DLQ index (DlqRecord, DlqIndexCursor) and the queries the DLQ screens and actions run on it,
// joined with each record's state (DlqMessageState; no row = pending). Bulk writes and filtered reads
// go through pg rather than Prisma: the inserts carry thousands of rows of column arrays, and the
// filters build their WHERE clause from the parts a user set (see getPool for why Prisma is avoided
// for bulk). Small lookups (cursors, pruning) use Prisma.
//
// Timestamps are stored as Prisma stores them (UTC, without a zone) and read back as epoch ms, so the
// process's time zone never enters.
import "server-only";
import { writeAudit, type AuditRecord } from "./audit";
import { getDb, getPool, inTransaction, type CatalogTransaction } from "./db";
import type { DlqMessageStatus, DlqPosition } from "./dlq";

/** One record as the indexer read it. */
export interface DlqIndexRow {
  partition: number;
  offset: number;
  timestamp: number;
  key: string | null;
  eventType: string | null;
  eventId: string | null;
  correlationId: string | null;
  convention: string;
  errorClass: string | null;
  errorMessage: string | null;
  reason: string;
  originTopic: string | null;
  originPartition: number | null;
  originOffset: string | null;
  attempts: number | null;
  redriveAttempts: number;
  preview: string;
  valueBytes: number;
}

/** A record's state, as lists show it (the edit's texts are left to the single-record view). */
export interface DlqStateSummary {
  status: DlqMessageStatus;
  jobId: number | null;
  targetTopic: string | null;
  redriveAttempt: number | null;
  /** The discard reason. */
  reason: string | null;
  actor: string;
  updatedAt: Date;
}

export type DlqIndexedRecord = DlqIndexRow & { state: DlqStateSummary | null };

/** PENDING: no state; ALL: any. */
export type DlqStatusFilter = "PENDING" | DlqMessageStatus | "ALL";

/** Which indexed records a query covers. Everything here is SQL; payload filters are applied by the caller, who passes `positions`. */
export interface DlqRecordQuery {
  clusterName: string;
  topic: string;
  status: DlqStatusFilter;
  reason?: string;
  key?: string;
  keyMatch?: "equals" | "contains";
  eventType?: string;
  correlationId?: string;
  /** Epoch ms, inclusive. */
  from?: number;
  /** Epoch ms, exclusive. */
  to?: number;
  /** Only these positions (a selection, or what a payload filter matched). */
  positions?: DlqPosition[];
}

const FROM = `"DlqRecord" r LEFT JOIN "DlqMessageState" s
  ON s."clusterName" = r."clusterName" AND s.topic = r.topic AND s.partition = r.partition AND s."offset" = r."offset"`;

const COLUMNS = `r.partition, r."offset"::text AS "offset", (extract(epoch FROM r."timestamp") * 1000)::float8 AS "timestamp",
  r.key, r."eventType", r."eventId", r."correlationId", r.convention, r."errorClass", r."errorMessage", r.reason,
  r."originTopic", r."originPartition", r."originOffset", r.attempts, r."redriveAttempts", r.preview, r."valueBytes",
  s.status AS "stateStatus", s."jobId" AS "stateJobId", s."targetTopic" AS "stateTargetTopic", s."redriveAttempt" AS "stateRedriveAttempt",
  s.reason AS "stateReason", s.actor AS "stateActor", (extract(epoch FROM s."updatedAt") * 1000)::float8 AS "stateUpdatedAt"`;

type RawRecord = Omit<DlqIndexRow, "offset"> & {
  offset: string;
  stateStatus: DlqMessageStatus | null;
  stateJobId: number | null;
  stateTargetTopic: string | null;
  stateRedriveAttempt: number | null;
  stateReason: string | null;
  stateActor: string | null;
  stateUpdatedAt: number | null;
};

function toIndexedRecord(r: RawRecord): DlqIndexedRecord {
  const { stateStatus, stateJobId, stateTargetTopic, stateRedriveAttempt, stateReason, stateActor, stateUpdatedAt, offset, ...row } = r;
  return {
    ...row,
    offset: Number(offset),
    state: stateStatus ? { status: stateStatus, jobId: stateJobId, targetTopic: stateTargetTopic, redriveAttempt: stateRedriveAttempt, reason: stateReason, actor: stateActor ?? "", updatedAt: new Date(stateUpdatedAt ?? 0) } : null,
  };
}

/** Appends a statement parameter and returns its placeholder ($1, $2, …). */
function bind(params: unknown[], value: unknown): string {
  params.push(value);
  return `$${params.length}`;
}

/** Builds the WHERE clause of a query, appending its parameters to `params`. */
function whereClause(q: DlqRecordQuery, params: unknown[]): string {
  const p = (value: unknown) => bind(params, value);
  const parts = [`r."clusterName" = ${p(q.clusterName)}`, `r.topic = ${p(q.topic)}`];
  if (q.status === "PENDING") parts.push("s.status IS NULL");
  else if (q.status !== "ALL") parts.push(`s.status = ${p(q.status)}::"DlqMessageStatus"`);
  if (q.reason !== undefined) parts.push(`r.reason = ${p(q.reason)}`);
  if (q.key) parts.push(q.keyMatch === "contains" ? `strpos(r.key, ${p(q.key)}) > 0` : `r.key = ${p(q.key)}`);
  if (q.eventType) parts.push(`r."eventType" = ${p(q.eventType)}`);
  if (q.correlationId) parts.push(`r."correlationId" = ${p(q.correlationId)}`);
  if (q.from !== undefined) parts.push(`r."timestamp" >= ${p(new Date(q.from).toISOString())}::timestamp`);
  if (q.to !== undefined) parts.push(`r."timestamp" < ${p(new Date(q.to).toISOString())}::timestamp`);
  if (q.positions) {
    parts.push(`(r.partition, r."offset") IN (SELECT * FROM unnest(${p(q.positions.map((x) => x.partition))}::int[], ${p(q.positions.map((x) => String(x.offset)))}::bigint[]))`);
  }
  return parts.join(" AND ");
}

// ---- planner statistics ----

/** Changes of at least this many rows at once refresh the tables' statistics right away. */
export const BULK_CHANGE_ROWS = 2_000;

/**
 * Refreshes the planner's statistics of the index and the states. Without it, the first queries
 * after a bulk load plan for the tiny tables the last statistics described: a nested loop over
 * 50,000 × 50,000 rows took 140 s in bench:dlq, a hash join 0.1 s. Autovacuum catches up within a
 * minute or so; this closes that window.
 */
export async function refreshDlqStatistics(): Promise<void> {
  await getPool().query(`ANALYZE "DlqRecord", "DlqMessageState"`);
}

async function refreshAfterBulk(rows: number, tx?: CatalogTransaction): Promise<void> {
  if (rows < BULK_CHANGE_ROWS) return;
  // Inside a transaction, on its connection: another one would not see the rows it added yet.
  if (tx) await tx.$executeRawUnsafe(`ANALYZE "DlqRecord", "DlqMessageState"`);
  else await refreshDlqStatistics();
}

// ---- writing the index ----

/** The next offset to read per partition; partitions never read are absent. */
export async function readDlqCursors(clusterName: string, topic: string): Promise<Map<number, number>> {
  const rows = await getDb().dlqIndexCursor.findMany({ where: { clusterName, topic } });
  return new Map(rows.map((r) => [r.partition, Number(r.nextOffset)]));
}

/**
 * Adds records of one partition and moves its cursor to `nextOffset`, in one transaction. Two
 * indexers reading the same range (the worker and a page catching up) both succeed: rows already
 * there are kept and the cursor only moves forward.
 */
export async function appendDlqRecords(clusterName: string, topic: string, partition: number, rows: DlqIndexRow[], nextOffset: number): Promise<void> {
  const client = await getPool().connect();
  try {
    await client.query("BEGIN");
    if (rows.length > 0) {
      const col = <K extends keyof DlqIndexRow>(k: K) => rows.map((r) => r[k]);
      await client.query(
        `INSERT INTO "DlqRecord" ("clusterName", topic, partition, "offset", "timestamp", key, "eventType", "eventId", "correlationId", convention,
           "errorClass", "errorMessage", reason, "originTopic", "originPartition", "originOffset", attempts, "redriveAttempts", preview, "valueBytes")
         SELECT $1, $2, $3, * FROM unnest($4::bigint[], $5::timestamp[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[],
           $11::text[], $12::text[], $13::text[], $14::text[], $15::int[], $16::text[], $17::int[], $18::int[], $19::text[], $20::int[])
         ON CONFLICT DO NOTHING`,
        [
          clusterName,
          topic,
          partition,
          rows.map((r) => String(r.offset)),
          rows.map((r) => new Date(r.timestamp).toISOString()),
          col("key"),
          col("eventType"),
          col("eventId"),
          col("correlationId"),
          col("convention"),
          col("errorClass"),
          col("errorMessage"),
          col("reason"),
          col("originTopic"),
          col("originPartition"),
          col("originOffset"),
          col("attempts"),
          col("redriveAttempts"),
          col("preview"),
          col("valueBytes"),
        ],
      );
    }
    await client.query(
      `INSERT INTO "DlqIndexCursor" ("clusterName", topic, partition, "nextOffset", "updatedAt") VALUES ($1, $2, $3, $4, now() AT TIME ZONE 'UTC')
       ON CONFLICT ("clusterName", topic, partition) DO UPDATE SET "nextOffset" = GREATEST("DlqIndexCursor"."nextOffset", EXCLUDED."nextOffset"), "updatedAt" = EXCLUDED."updatedAt"`,
      [clusterName, topic, partition, String(nextOffset)],
    );
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** A partition's cursor, and when the indexer last read that partition to its end (epoch ms). */
export interface DlqCursorState {
  nextOffset: number;
  checkedAt: number;
}

export async function readDlqCursorStates(clusterName: string, topic: string): Promise<Map<number, DlqCursorState>> {
  const rows = await getDb().dlqIndexCursor.findMany({ where: { clusterName, topic } });
  return new Map(rows.map((r) => [r.partition, { nextOffset: Number(r.nextOffset), checkedAt: r.updatedAt.getTime() }]));
}

/**
 * Records that the indexer read each partition to `nextOffset` just now: the cursor moves forward
 * (never back) and its time says when the index was last known to be this far, even when the round
 * found nothing new (so "updated 4 s ago" is true for a quiet topic, and an empty partition has a row).
 * One statement per topic and round.
 */
export async function markDlqPartitionsRead(clusterName: string, topic: string, positions: DlqPosition[]): Promise<void> {
  if (positions.length === 0) return;
  await getPool().query(
    `INSERT INTO "DlqIndexCursor" ("clusterName", topic, partition, "nextOffset", "updatedAt")
     SELECT $1, $2, p, o, now() AT TIME ZONE 'UTC' FROM unnest($3::int[], $4::bigint[]) AS x(p, o)
     ON CONFLICT ("clusterName", topic, partition) DO UPDATE
       SET "nextOffset" = GREATEST("DlqIndexCursor"."nextOffset", EXCLUDED."nextOffset"), "updatedAt" = EXCLUDED."updatedAt"`,
    [clusterName, topic, positions.map((p) => p.partition), positions.map((p) => String(p.offset))],
  );
}

/** The Kafka topic id the index recorded for this DLQ topic; null when none was. */
export async function readDlqTopicId(clusterName: string, topic: string): Promise<string | null> {
  const row = await getDb().dlqTopicIdentity.findUnique({ where: { clusterName_topic: { clusterName, topic } }, select: { topicId: true } });
  return row?.topicId ?? null;
}

/**
 * Starts a partition's index over at `fromOffset`: the topic was deleted and created again under its
 * name (its cursor is past the new topic's end). The partition's record states go in the same
 * transaction: they describe the old topic's records, whose offsets the new topic reuses.
 * Returns how many states were removed.
 */
export async function resetDlqPartition(clusterName: string, topic: string, partition: number, fromOffset: number): Promise<number> {
  const db = getDb();
  const [states] = await db.$transaction([
    db.dlqMessageState.deleteMany({ where: { clusterName, topic, partition } }),
    db.dlqRecord.deleteMany({ where: { clusterName, topic, partition } }),
    db.dlqIndexCursor.upsert({
      where: { clusterName_topic_partition: { clusterName, topic, partition } },
      create: { clusterName, topic, partition, nextOffset: BigInt(fromOffset) },
      update: { nextOffset: BigInt(fromOffset) },
    }),
  ]);
  return states.count;
}

export interface DlqTopicRecreation {
  previousTopicId: string;
  statesRemoved: number;
  recordsRemoved: number;
}

/**
 * Records `topicId` as the identity of the DLQ topic. When another id was recorded, the topic was
 * deleted and created again under its name: the old topic's index, cursors and record states are
 * removed in the same transaction that records the new id (so no reader sees old states on new
 * records), and what was removed is returned. The first id seen keeps what is there.
 */
export async function recordDlqTopicIdentity(clusterName: string, topic: string, topicId: string): Promise<DlqTopicRecreation | null> {
  return getDb().$transaction(async (tx) => {
    await tx.$executeRaw`
      INSERT INTO "DlqTopicIdentity" ("clusterName", topic, "topicId", "updatedAt") VALUES (${clusterName}, ${topic}, ${topicId}, now() AT TIME ZONE 'UTC')
      ON CONFLICT DO NOTHING`;
    // The row lock makes a concurrent catch-up (worker and page) wait, then find the new id.
    const [row] = await tx.$queryRaw<{ topicId: string }[]>`
      SELECT "topicId" FROM "DlqTopicIdentity" WHERE "clusterName" = ${clusterName} AND topic = ${topic} FOR UPDATE`;
    if (!row || row.topicId === topicId) return null;
    const states = await tx.dlqMessageState.deleteMany({ where: { clusterName, topic } });
    const records = await tx.dlqRecord.deleteMany({ where: { clusterName, topic } });
    await tx.dlqIndexCursor.deleteMany({ where: { clusterName, topic } });
    await tx.dlqTopicIdentity.update({ where: { clusterName_topic: { clusterName, topic } }, data: { topicId } });
    return { previousTopicId: row.topicId, statesRemoved: states.count, recordsRemoved: records.count };
  });
}

/**
 * Drops indexed records below each partition's log start (deleted by retention), and their states:
 * what was done with a record that no longer exists describes nothing, and kept, the states would
 * grow with every record ever discarded or redriven while the index stays as small as the topic.
 * Two kinds stay: QUEUED claims (their job marks them expired, or releases them), and states of a
 * job that has not ended (it counts its claims when it resumes). One statement.
 */
export async function dropDlqRecordsBelow(clusterName: string, topic: string, starts: DlqPosition[]): Promise<{ records: number; states: number }> {
  if (starts.length === 0) return { records: 0, states: 0 };
  const { rows } = await getPool().query<{ records: string; states: string }>(
    `WITH starts AS (SELECT * FROM unnest($3::int[], $4::bigint[]) AS s(p, o)),
     states AS (
       DELETE FROM "DlqMessageState" st USING starts
       WHERE st."clusterName" = $1 AND st.topic = $2 AND st.partition = starts.p AND st."offset" < starts.o AND st.status <> 'QUEUED'
         AND NOT EXISTS (SELECT 1 FROM "Job" j WHERE j.key = st."jobKey" AND j.status IN ('QUEUED', 'RUNNING', 'PAUSED'))
       RETURNING 1),
     records AS (
       DELETE FROM "DlqRecord" r USING starts
       WHERE r."clusterName" = $1 AND r.topic = $2 AND r.partition = starts.p AND r."offset" < starts.o
       RETURNING 1)
     SELECT (SELECT count(*) FROM records) AS records, (SELECT count(*) FROM states) AS states`,
    [clusterName, topic, starts.map((s) => s.partition), starts.map((s) => String(s.offset))],
  );
  return { records: Number(rows[0]!.records), states: Number(rows[0]!.states) };
}

/** The topics the index holds (the worker forgets those that stopped being DLQs). */
export async function listIndexedDlqTopics(clusterName: string): Promise<string[]> {
  const rows = await getDb().dlqIndexCursor.findMany({ where: { clusterName }, select: { topic: true }, distinct: ["topic"], orderBy: { topic: "asc" } });
  return rows.map((r) => r.topic);
}

/** Forgets the index of topics that are no longer dead-letter queues (deleted, or no longer matched). */
export async function pruneDlqIndex(clusterName: string, keepTopics: string[]): Promise<number> {
  const db = getDb();
  const [records] = await db.$transaction([
    db.dlqRecord.deleteMany({ where: { clusterName, topic: { notIn: keepTopics } } }),
    db.dlqIndexCursor.deleteMany({ where: { clusterName, topic: { notIn: keepTopics } } }),
  ]);
  return records.count;
}

// ---- reading ----

export async function queryDlqRecords(q: DlqRecordQuery, options: { limit: number; newestFirst?: boolean }): Promise<DlqIndexedRecord[]> {
  const params: unknown[] = [];
  const where = whereClause(q, params);
  const order = options.newestFirst ? `r."timestamp" DESC, r.partition DESC, r."offset" DESC` : `r."timestamp", r.partition, r."offset"`;
  const { rows } = await getPool().query<RawRecord>(`SELECT ${COLUMNS} FROM ${FROM} WHERE ${where} ORDER BY ${order} LIMIT ${Math.max(0, Math.floor(options.limit))}`, params);
  return rows.map(toIndexedRecord);
}

export async function countDlqRecords(q: DlqRecordQuery): Promise<number> {
  const params: unknown[] = [];
  const { rows } = await getPool().query<{ n: string }>(`SELECT count(*) AS n FROM ${FROM} WHERE ${whereClause(q, params)}`, params);
  return Number(rows[0]!.n);
}

export interface DlqReasonRow {
  reason: string;
  errorClass: string | null;
  count: number;
  firstSeen: number;
  lastSeen: number;
  /** The group's newest records, newest first. */
  sample: DlqIndexedRecord[];
}

/** The matching records grouped by reason (most first), each with its `sampleSize` newest records. */
export async function groupDlqRecords(q: DlqRecordQuery, sampleSize: number): Promise<DlqReasonRow[]> {
  const params: unknown[] = [];
  const where = whereClause(q, params);
  const pool = getPool();
  const groups = await pool.query<{ reason: string; errorClass: string | null; n: string; first: number; last: number }>(
    `SELECT r.reason, min(r."errorClass") AS "errorClass", count(*) AS n,
            (extract(epoch FROM min(r."timestamp")) * 1000)::float8 AS first, (extract(epoch FROM max(r."timestamp")) * 1000)::float8 AS last
     FROM ${FROM} WHERE ${where} GROUP BY r.reason ORDER BY count(*) DESC, r.reason`,
    params,
  );
  if (groups.rows.length === 0) return [];
  const samples = await pool.query<RawRecord & { rn: string }>(
    `SELECT * FROM (
       SELECT ${COLUMNS}, row_number() OVER (PARTITION BY r.reason ORDER BY r."timestamp" DESC, r.partition DESC, r."offset" DESC) AS rn
       FROM ${FROM} WHERE ${where}
     ) x WHERE rn <= ${Math.max(0, Math.floor(sampleSize))}`,
    params,
  );
  // rn is the rank within the reason, newest first: the sample keeps that order.
  const byReason = new Map<string, { rank: number; record: DlqIndexedRecord }[]>();
  for (const { rn, ...row } of samples.rows) {
    const record = toIndexedRecord(row);
    const list = byReason.get(record.reason) ?? [];
    list.push({ rank: Number(rn), record });
    byReason.set(record.reason, list);
  }
  return groups.rows.map((g) => ({
    reason: g.reason,
    errorClass: g.errorClass,
    count: Number(g.n),
    firstSeen: g.first,
    lastSeen: g.last,
    sample: (byReason.get(g.reason) ?? []).sort((a, b) => a.rank - b.rank).map((x) => x.record),
  }));
}

export interface DlqTopicStats {
  /** Indexed records. */
  indexed: number;
  /** Indexed records neither redriven nor discarded. */
  open: number;
  /** Records that arrived at or after `since`. */
  arrivedSince: number;
  /** Records redriven or discarded at or after `since`. */
  resolvedSince: number;
  /** Epoch ms of the oldest open record; null when none. */
  oldestOpen: number | null;
  topReasons: { reason: string; count: number }[];
  /** The original topic most records name; null when none does. */
  sourceTopic: string | null;
}

export async function dlqTopicStats(clusterName: string, topic: string, since: number): Promise<DlqTopicStats> {
  const pool = getPool();
  const sinceText = new Date(since).toISOString();
  const open = `(s.status IS NULL OR s.status = 'QUEUED')`;
  const [totals, resolved, reasons, sources] = await Promise.all([
    pool.query<{ indexed: string; open: string; arrived: string; oldest: number | null }>(
      `SELECT count(*) AS indexed, count(*) FILTER (WHERE ${open}) AS open, count(*) FILTER (WHERE r."timestamp" >= $3::timestamp) AS arrived,
              (extract(epoch FROM min(r."timestamp") FILTER (WHERE ${open})) * 1000)::float8 AS oldest
       FROM ${FROM} WHERE r."clusterName" = $1 AND r.topic = $2`,
      [clusterName, topic, sinceText],
    ),
    pool.query<{ n: string }>(
      `SELECT count(*) AS n FROM "DlqMessageState" WHERE "clusterName" = $1 AND topic = $2 AND status IN ('REDRIVEN', 'DISCARDED') AND "updatedAt" >= $3::timestamp`,
      [clusterName, topic, sinceText],
    ),
    pool.query<{ reason: string; n: string }>(
      `SELECT r.reason, count(*) AS n FROM ${FROM} WHERE r."clusterName" = $1 AND r.topic = $2 AND ${open} GROUP BY r.reason ORDER BY count(*) DESC, r.reason LIMIT 3`,
      [clusterName, topic],
    ),
    pool.query<{ originTopic: string }>(
      `SELECT "originTopic" FROM "DlqRecord" WHERE "clusterName" = $1 AND topic = $2 AND "originTopic" IS NOT NULL GROUP BY "originTopic" ORDER BY count(*) DESC, "originTopic" LIMIT 1`,
      [clusterName, topic],
    ),
  ]);
  const t = totals.rows[0]!;
  return {
    indexed: Number(t.indexed),
    open: Number(t.open),
    arrivedSince: Number(t.arrived),
    resolvedSince: Number(resolved.rows[0]!.n),
    oldestOpen: t.oldest,
    topReasons: reasons.rows.map((r) => ({ reason: r.reason, count: Number(r.n) })),
    sourceTopic: sources.rows[0]?.originTopic ?? null,
  };
}

export interface DlqHistoryCounts {
  /** Records that arrived before `from`, and those resolved (redriven or discarded) before it. */
  arrivedBefore: number;
  resolvedBefore: number;
  /** Per bucket start (epoch ms, a multiple of the bucket size): arrivals and resolutions in it. */
  arrivals: Map<number, number>;
  resolutions: Map<number, number>;
}

/** Arrivals (by record timestamp) and resolutions (by state time) of one DLQ's indexed records, bucketed from `from`. */
export async function dlqHistoryCounts(clusterName: string, topic: string, from: number, bucketMs: number): Promise<DlqHistoryCounts> {
  const pool = getPool();
  const params = [clusterName, topic, new Date(from).toISOString(), bucketMs];
  const bucket = (column: string) => `(floor(extract(epoch FROM ${column}) * 1000 / $4) * $4)::float8`;
  const [arrivals, resolutions] = await Promise.all([
    pool.query<{ b: number | null; n: string }>(
      `SELECT CASE WHEN r."timestamp" < $3::timestamp THEN NULL ELSE ${bucket(`r."timestamp"`)} END AS b, count(*) AS n
       FROM "DlqRecord" r WHERE r."clusterName" = $1 AND r.topic = $2 GROUP BY 1`,
      params,
    ),
    // Only records still in the index: one that retention deleted no longer counts either way.
    pool.query<{ b: number | null; n: string }>(
      `SELECT CASE WHEN s."updatedAt" < $3::timestamp THEN NULL ELSE ${bucket(`s."updatedAt"`)} END AS b, count(*) AS n
       FROM "DlqMessageState" s JOIN "DlqRecord" r
         ON s."clusterName" = r."clusterName" AND s.topic = r.topic AND s.partition = r.partition AND s."offset" = r."offset"
       WHERE s."clusterName" = $1 AND s.topic = $2 AND s.status IN ('REDRIVEN', 'DISCARDED') GROUP BY 1`,
      params,
    ),
  ]);
  const split = (rows: { b: number | null; n: string }[]) => {
    let before = 0;
    const buckets = new Map<number, number>();
    for (const row of rows) {
      if (row.b === null) before += Number(row.n);
      else buckets.set(row.b, Number(row.n));
    }
    return { before, buckets };
  };
  const a = split(arrivals.rows);
  const r = split(resolutions.rows);
  return { arrivedBefore: a.before, resolvedBefore: r.before, arrivals: a.buckets, resolutions: r.buckets };
}

// ---- acting on a query's records ----

/**
 * Gives every pending record the query matches a state, in one statement (nothing is held in
 * memory, whatever the count); returns how many. A record that already has a state is left alone,
 * so a second click changes nothing.
 */
async function setPendingState(
  q: DlqRecordQuery,
  state: { status: "QUEUED" | "DISCARDED"; actor: string; jobKey?: string; targetTopic?: string | null; reason?: string },
  audit?: (changed: number) => AuditRecord,
  tx?: CatalogTransaction,
): Promise<number> {
  const params: unknown[] = [];
  const where = whereClause({ ...q, status: "PENDING" }, params);
  const p = (value: unknown) => bind(params, value);
  const sql = `INSERT INTO "DlqMessageState" ("clusterName", topic, partition, "offset", status, "jobKey", "targetTopic", reason, actor, "updatedAt")
     SELECT r."clusterName", r.topic, r.partition, r."offset", ${p(state.status)}::"DlqMessageStatus", ${p(state.jobKey ?? null)}, ${p(state.targetTopic ?? null)}, ${p(state.reason ?? null)}, ${p(state.actor)}, now() AT TIME ZONE 'UTC'
     FROM ${FROM} WHERE ${where}
     ON CONFLICT DO NOTHING`;
  // A change that is its own user action (a discard) is written with its audit entry, in one
  // transaction, so a crash cannot leave one without the other.
  const write = async (db: CatalogTransaction) => {
    const count = await db.$executeRawUnsafe(sql, ...params);
    if (count > 0 && audit) await writeAudit(audit(count), db);
    return count;
  };
  const changed = tx ? await write(tx) : audit ? await inTransaction(write) : ((await getPool().query(sql, params)).rowCount ?? 0);
  await refreshAfterBulk(changed, tx);
  return changed;
}

/**
 * Claims every pending record the query matches for job `jobKey` (QUEUED); returns how many. A
 * redrive claims in the transaction that creates its job (`tx`), so neither exists without the other.
 */
export function claimDlqRecords(q: DlqRecordQuery, claim: { jobKey: string; actor: string; targetTopic: string | null }, tx?: CatalogTransaction): Promise<number> {
  return setPendingState(q, { status: "QUEUED", ...claim }, undefined, tx);
}

/** Marks every pending record the query matches discarded, with the reason; returns how many. */
export function discardDlqRecords(q: DlqRecordQuery, actor: string, reason: string, audit: (discarded: number) => AuditRecord): Promise<number> {
  return setPendingState(q, { status: "DISCARDED", actor, reason }, audit);
}

// ---- regrouping reasons computed by an earlier rule ----

/** Where a keyset walk over the index stands. */
export interface DlqRecordKey {
  clusterName: string;
  topic: string;
  partition: number;
  offset: number;
}

export interface DlqStoredFailure extends DlqRecordKey {
  errorClass: string | null;
  errorMessage: string | null;
  reason: string;
}

/**
 * Indexed records whose stored message looks like a wrapped listener failure (Spring's "Listener
 * failed; …", "Listener method '…' threw exception; …" or "…; nested exception is …"), after `after`,
 * in key order, at most `limit`. The caller decides which of them to regroup.
 */
export async function listWrappedDlqFailures(after: DlqRecordKey | null, limit: number): Promise<DlqStoredFailure[]> {
  const { rows } = await getPool().query<Omit<DlqStoredFailure, "offset"> & { offset: string }>(
    `SELECT "clusterName", topic, partition, "offset"::text AS "offset", "errorClass", "errorMessage", reason FROM "DlqRecord"
     WHERE ("errorMessage" LIKE '%; nested exception is %' OR "errorMessage" ~ '^Listener (failed|method)')
       AND ($1::text IS NULL OR ("clusterName", topic, partition, "offset") > ($1::text, $2::text, $3::int, $4::bigint))
     ORDER BY "clusterName", topic, partition, "offset" LIMIT $5`,
    [after?.clusterName ?? null, after?.topic ?? null, after?.partition ?? null, after ? String(after.offset) : null, Math.max(1, Math.floor(limit))],
  );
  return rows.map((r) => ({ ...r, offset: Number(r.offset) }));
}

/** Sets the reason of each given record (one statement). */
export async function setDlqReasons(rows: (DlqRecordKey & { reason: string })[]): Promise<number> {
  if (rows.length === 0) return 0;
  const result = await getPool().query(
    `UPDATE "DlqRecord" r SET reason = v.reason
     FROM unnest($1::text[], $2::text[], $3::int[], $4::bigint[], $5::text[]) AS v(c, t, p, o, reason)
     WHERE r."clusterName" = v.c AND r.topic = v.t AND r.partition = v.p AND r."offset" = v.o`,
    [rows.map((r) => r.clusterName), rows.map((r) => r.topic), rows.map((r) => r.partition), rows.map((r) => String(r.offset)), rows.map((r) => r.reason)],
  );
  return result.rowCount ?? 0;
}
