// Storage of the sampler's output: the latest snapshot per cluster, and topic/group history at
// two resolutions (raw 5 s kept 1 hour, 1-minute rollups kept 7 days).
import { getDb } from "./db";

export const RAW_RESOLUTION = 5;
export const MINUTE_RESOLUTION = 60;
export const RAW_RETENTION_MS = 65 * 60_000;
export const MINUTE_RETENTION_MS = 7 * 24 * 3_600_000;

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

export async function saveLatestSnapshot(clusterName: string, takenAt: Date, cycleMs: number, payload: unknown): Promise<void> {
  const data = { takenAt, cycleMs, payload: payload as object };
  await getDb().lagSnapshotLatest.upsert({ where: { clusterName }, create: { clusterName, ...data }, update: data });
}

export async function readLatestSnapshot<T>(clusterName: string): Promise<{ takenAt: Date; cycleMs: number; payload: T } | null> {
  const row = await getDb().lagSnapshotLatest.findUnique({ where: { clusterName } });
  return row ? { takenAt: row.takenAt, cycleMs: row.cycleMs, payload: row.payload as T } : null;
}

export async function readLatestSnapshotTime(clusterName: string): Promise<Date | null> {
  const row = await getDb().lagSnapshotLatest.findUnique({ where: { clusterName }, select: { takenAt: true } });
  return row?.takenAt ?? null;
}

export async function insertRawSamples(clusterName: string, topics: TopicSampleRow[], groups: GroupSampleRow[]): Promise<void> {
  const db = getDb();
  // Chunks keep each INSERT under PostgreSQL's 65,535 bind-parameter limit.
  for (let i = 0; i < topics.length; i += 5000) {
    await db.topicSample.createMany({
      data: topics.slice(i, i + 5000).map((t) => ({ clusterName, resolution: RAW_RESOLUTION, topic: t.topic, at: t.at, endOffset: BigInt(t.endOffset), startOffset: BigInt(t.startOffset) })),
      skipDuplicates: true,
    });
  }
  for (let i = 0; i < groups.length; i += 5000) {
    await db.groupSample.createMany({
      data: groups.slice(i, i + 5000).map((g) => ({
        clusterName,
        resolution: RAW_RESOLUTION,
        groupId: g.groupId,
        at: g.at,
        committed: BigInt(g.committed),
        totalLag: BigInt(g.totalLag),
        maxLag: BigInt(g.maxLag),
        maxLagSeconds: g.maxLagSeconds,
        status: g.status,
        members: g.members,
      })),
      skipDuplicates: true,
    });
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

export async function pruneHistory(now: Date): Promise<{ raw: number; minute: number }> {
  const db = getDb();
  const rawBefore = new Date(now.getTime() - RAW_RETENTION_MS);
  const minuteBefore = new Date(now.getTime() - MINUTE_RETENTION_MS);
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
