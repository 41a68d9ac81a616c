// Storage of the sampler's output: the latest snapshot per cluster, and topic/group history at
// two resolutions (raw 5 s rows, and 1-minute rollups), each kept as long as configured
// (HISTORY_RAW_RETENTION_MS, default 65 minutes; HISTORY_ROLLUP_RETENTION_MS, default 7 days).
import "server-only";
import { getDb, getPool } from "./db";

export const RAW_RESOLUTION = 5;
export const MINUTE_RESOLUTION = 60;

export interface HistoryRetention {
  rawMs: number;
  minuteMs: number;
}

export interface TopicSampleRow {
  topic: string;
  at: Date;
  endOffset: number;
  startOffset: number;
}

export interface GroupSampleRow {
  groupId: string;
  at: Date;
  committed: number;
  totalLag: number;
  maxLag: number;
  maxLagSeconds: number | null;
  status: string;
  members: number;
}

/** Replaces the cluster's latest snapshot. Written with pg, not Prisma: the payload is megabytes (see getPool). */
export async function saveLatestSnapshot(clusterName: string, takenAt: Date, cycleMs: number, payload: unknown): Promise<void> {
  // Timestamps as ISO strings: the columns hold UTC without a zone, as Prisma writes them.
  await getPool().query(
    `INSERT INTO "LagSnapshotLatest" ("clusterName", "takenAt", "cycleMs", "payload") VALUES ($1, $2::timestamp, $3, $4::jsonb)
     ON CONFLICT ("clusterName") DO UPDATE SET "takenAt" = EXCLUDED."takenAt", "cycleMs" = EXCLUDED."cycleMs", "payload" = EXCLUDED."payload"`,
    [clusterName, takenAt.toISOString(), cycleMs, JSON.stringify(payload)],
  );
}

export async function readLatestSnapshot<T>(clusterName: string): Promise<{ takenAt: Date; cycleMs: number; payload: T } | null> {
  const row = await getDb().lagSnapshotLatest.findUnique({ where: { clusterName } });
  return row ? { takenAt: row.takenAt, cycleMs: row.cycleMs, payload: row.payload as T } : null;
}

export async function readLatestSnapshotTime(clusterName: string): Promise<Date | null> {
  const row = await getDb().lagSnapshotLatest.findUnique({ where: { clusterName }, select: { takenAt: true } });
  return row?.takenAt ?? null;
}

/**
 * Appends raw history rows, each table in one statement of column arrays (so any row count fits
 * PostgreSQL's bind-parameter limit), through pg for the reason given at getPool.
 */
export async function insertRawSamples(clusterName: string, topics: TopicSampleRow[], groups: GroupSampleRow[]): Promise<void> {
  const pool = getPool();
  if (topics.length > 0) {
    await pool.query(
      `INSERT INTO "TopicSample" ("clusterName", "resolution", "topic", "at", "endOffset", "startOffset")
       SELECT $1, $2, * FROM unnest($3::text[], $4::timestamp[], $5::bigint[], $6::bigint[])
       ON CONFLICT DO NOTHING`,
      [clusterName, RAW_RESOLUTION, topics.map((t) => t.topic), topics.map((t) => t.at.toISOString()), topics.map((t) => t.endOffset), topics.map((t) => t.startOffset)],
    );
  }
  if (groups.length > 0) {
    await pool.query(
      `INSERT INTO "GroupSample" ("clusterName", "resolution", "groupId", "at", "committed", "totalLag", "maxLag", "maxLagSeconds", "status", "members")
       SELECT $1, $2, * FROM unnest($3::text[], $4::timestamp[], $5::bigint[], $6::bigint[], $7::bigint[], $8::float8[], $9::text[], $10::int[])
       ON CONFLICT DO NOTHING`,
      [
        clusterName,
        RAW_RESOLUTION,
        groups.map((g) => g.groupId),
        groups.map((g) => g.at.toISOString()),
        groups.map((g) => g.committed),
        groups.map((g) => g.totalLag),
        groups.map((g) => g.maxLag),
        groups.map((g) => g.maxLagSeconds),
        groups.map((g) => g.status),
        groups.map((g) => g.members),
      ],
    );
  }
}

/**
 * Rolls raw rows of the completed minutes in [from, to) up into minute rows: the last value of
 * each minute, and the worst lag seen in it. Idempotent (existing minute rows are kept).
 */
export async function rollUpMinutes(from: Date, to: Date): Promise<void> {
  const db = getDb();
  await db.$executeRaw`
    INSERT INTO "TopicSample" ("clusterName", "topic", "resolution", "at", "endOffset", "startOffset")
    SELECT "clusterName", "topic", ${MINUTE_RESOLUTION}, date_trunc('minute', "at"),
           (array_agg("endOffset" ORDER BY "at" DESC))[1], (array_agg("startOffset" ORDER BY "at" DESC))[1]
    FROM "TopicSample"
    WHERE "resolution" = ${RAW_RESOLUTION} AND "at" >= ${from} AND "at" < ${to}
    GROUP BY "clusterName", "topic", date_trunc('minute', "at")
    ON CONFLICT DO NOTHING`;
  await db.$executeRaw`
    INSERT INTO "GroupSample" ("clusterName", "groupId", "resolution", "at", "committed", "totalLag", "maxLag", "maxLagSeconds", "status", "members")
    SELECT "clusterName", "groupId", ${MINUTE_RESOLUTION}, date_trunc('minute', "at"),
           (array_agg("committed" ORDER BY "at" DESC))[1], (array_agg("totalLag" ORDER BY "at" DESC))[1],
           max("maxLag"), max("maxLagSeconds"),
           (array_agg("status" ORDER BY "at" DESC))[1], (array_agg("members" ORDER BY "at" DESC))[1]
    FROM "GroupSample"
    WHERE "resolution" = ${RAW_RESOLUTION} AND "at" >= ${from} AND "at" < ${to}
    GROUP BY "clusterName", "groupId", date_trunc('minute', "at")
    ON CONFLICT DO NOTHING`;
}

/** Deletes history rows older than their resolution's retention; returns how many of each went. */
export async function pruneHistory(now: Date, retention: HistoryRetention): Promise<{ raw: number; minute: number }> {
  const db = getDb();
  const rawBefore = new Date(now.getTime() - retention.rawMs);
  const minuteBefore = new Date(now.getTime() - retention.minuteMs);
  const [t1, g1, t2, g2] = await Promise.all([
    db.topicSample.deleteMany({ where: { resolution: RAW_RESOLUTION, at: { lt: rawBefore } } }),
    db.groupSample.deleteMany({ where: { resolution: RAW_RESOLUTION, at: { lt: rawBefore } } }),
    db.topicSample.deleteMany({ where: { resolution: MINUTE_RESOLUTION, at: { lt: minuteBefore } } }),
    db.groupSample.deleteMany({ where: { resolution: MINUTE_RESOLUTION, at: { lt: minuteBefore } } }),
  ]);
  return { raw: t1.count + g1.count, minute: t2.count + g2.count };
}

/** Rows of one topic in [from, to], plus the last row before `from` so readers can carry it forward. */
export async function readTopicSeries(clusterName: string, topic: string, resolution: number, from: Date, to: Date): Promise<TopicSampleRow[]> {
  const db = getDb();
  const where = { clusterName, topic, resolution };
  const [before, rows] = await Promise.all([
    db.topicSample.findFirst({ where: { ...where, at: { lt: from } }, orderBy: { at: "desc" } }),
    db.topicSample.findMany({ where: { ...where, at: { gte: from, lte: to } }, orderBy: { at: "asc" } }),
  ]);
  return [...(before ? [before] : []), ...rows].map((r) => ({ topic: r.topic, at: r.at, endOffset: Number(r.endOffset), startOffset: Number(r.startOffset) }));
}

export async function readGroupSeries(clusterName: string, groupId: string, resolution: number, from: Date, to: Date): Promise<GroupSampleRow[]> {
  const db = getDb();
  const where = { clusterName, groupId, resolution };
  const [before, rows] = await Promise.all([
    db.groupSample.findFirst({ where: { ...where, at: { lt: from } }, orderBy: { at: "desc" } }),
    db.groupSample.findMany({ where: { ...where, at: { gte: from, lte: to } }, orderBy: { at: "asc" } }),
  ]);
  return [...(before ? [before] : []), ...rows].map((r) => ({
    groupId: r.groupId,
    at: r.at,
    committed: Number(r.committed),
    totalLag: Number(r.totalLag),
    maxLag: Number(r.maxLag),
    maxLagSeconds: r.maxLagSeconds,
    status: r.status,
    members: r.members,
  }));
}

/** Recent topic rows for sparklines: every topic's rows since `from` at raw resolution. */
export async function readRecentTopicSamples(clusterName: string, from: Date): Promise<TopicSampleRow[]> {
  const rows = await getDb().topicSample.findMany({
    where: { clusterName, resolution: RAW_RESOLUTION, at: { gte: from } },
    orderBy: [{ topic: "asc" }, { at: "asc" }],
    select: { topic: true, at: true, endOffset: true, startOffset: true },
  });
  return rows.map((r) => ({ topic: r.topic, at: r.at, endOffset: Number(r.endOffset), startOffset: Number(r.startOffset) }));
}

export async function countHistoryRows(): Promise<{ topicRows: number; groupRows: number }> {
  const db = getDb();
  const [topicRows, groupRows] = await Promise.all([db.topicSample.count(), db.groupSample.count()]);
  return { topicRows, groupRows };
}

/** History rows of one cluster at one resolution (tests and benchmarks look at retention with it). */
export async function countTopicSamples(clusterName: string, resolution: number): Promise<number> {
  return getDb().topicSample.count({ where: { clusterName, resolution } });
}
