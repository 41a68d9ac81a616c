// Storage of the sampler's output: the latest snapshot per cluster, and topic/group history at
// two resolutions (raw 5 s rows, and 1-minute rollups), each kept as long as configured
// (HISTORY_RAW_RETENTION_MS, default 65 minutes; HISTORY_ROLLUP_RETENTION_MS, default 7 days).
// Every statement on these tables goes through Kysely: their writes are bulk (megabytes of
// snapshot, thousands of rows of column arrays), and one client reading what it wrote keeps one
// conversion of their timestamps and bigints.
import "server-only";
import { sql } from "kysely";
import { getSql } from "./db";
import { unnestRows, utc } from "./sql";

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

/** Replaces the cluster's latest snapshot. */
/** Stores the latest snapshot, and its list rows apart (`lists`), which the list pages read alone. */
export async function saveLatestSnapshot(clusterName: string, takenAt: Date, cycleMs: number, payload: unknown, lists: unknown = null): Promise<void> {
  await getSql()
    .insertInto("LagSnapshotLatest")
    .values({ clusterName, takenAt: utc(takenAt), cycleMs, payload: JSON.stringify(payload), lists: lists === null ? null : JSON.stringify(lists) })
    .onConflict((oc) =>
      oc.column("clusterName").doUpdateSet((eb) => ({ takenAt: eb.ref("excluded.takenAt"), cycleMs: eb.ref("excluded.cycleMs"), payload: eb.ref("excluded.payload"), lists: eb.ref("excluded.lists") })),
    )
    .execute();
}

/** The latest snapshot's list rows, without the snapshot; `lists` is null when its worker did not store them. */
export async function readLatestLists<T>(clusterName: string): Promise<{ takenAt: Date; lists: T | null } | null> {
  const row = await getSql().selectFrom("LagSnapshotLatest").select(["takenAt", "lists"]).where("clusterName", "=", clusterName).executeTakeFirst();
  return row ? { takenAt: row.takenAt, lists: (row.lists as T | null) ?? null } : null;
}

/** When the latest snapshot was taken and its cycle's duration, without the snapshot. */
export async function readLatestSnapshotHead(clusterName: string): Promise<{ takenAt: Date; cycleMs: number } | null> {
  const row = await getSql().selectFrom("LagSnapshotLatest").select(["takenAt", "cycleMs"]).where("clusterName", "=", clusterName).executeTakeFirst();
  return row ?? null;
}

export async function readLatestSnapshot<T>(clusterName: string): Promise<{ takenAt: Date; cycleMs: number; payload: T } | null> {
  const row = await getSql().selectFrom("LagSnapshotLatest").select(["takenAt", "cycleMs", "payload"]).where("clusterName", "=", clusterName).executeTakeFirst();
  return row ? { takenAt: row.takenAt, cycleMs: row.cycleMs, payload: row.payload as T } : null;
}

export async function readLatestSnapshotTime(clusterName: string): Promise<Date | null> {
  const row = await getSql().selectFrom("LagSnapshotLatest").select("takenAt").where("clusterName", "=", clusterName).executeTakeFirst();
  return row?.takenAt ?? null;
}

/** Appends raw history rows, each table in one statement of column arrays (so any row count fits PostgreSQL's bind-parameter limit). */
export async function insertRawSamples(clusterName: string, topics: TopicSampleRow[], groups: GroupSampleRow[]): Promise<void> {
  const db = getSql();
  if (topics.length > 0) {
    const rows = unnestRows(
      {
        topic: { type: "text[]", values: topics.map((t) => t.topic) },
        at: { type: "timestamp[]", values: topics.map((t) => t.at.toISOString()) },
        endOffset: { type: "bigint[]", values: topics.map((t) => t.endOffset) },
        startOffset: { type: "bigint[]", values: topics.map((t) => t.startOffset) },
      },
      "v",
    );
    await db
      .insertInto("TopicSample")
      .columns(["clusterName", "resolution", "topic", "at", "endOffset", "startOffset"])
      .expression(db.selectFrom(rows).select((eb) => [eb.val(clusterName).as("clusterName"), eb.val(RAW_RESOLUTION).as("resolution"), "v.topic", "v.at", "v.endOffset", "v.startOffset"]))
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
  if (groups.length > 0) {
    const rows = unnestRows(
      {
        groupId: { type: "text[]", values: groups.map((g) => g.groupId) },
        at: { type: "timestamp[]", values: groups.map((g) => g.at.toISOString()) },
        committed: { type: "bigint[]", values: groups.map((g) => g.committed) },
        totalLag: { type: "bigint[]", values: groups.map((g) => g.totalLag) },
        maxLag: { type: "bigint[]", values: groups.map((g) => g.maxLag) },
        maxLagSeconds: { type: "float8[]", values: groups.map((g) => g.maxLagSeconds) },
        status: { type: "text[]", values: groups.map((g) => g.status) },
        members: { type: "int[]", values: groups.map((g) => g.members) },
      },
      "v",
    );
    await db
      .insertInto("GroupSample")
      .columns(["clusterName", "resolution", "groupId", "at", "committed", "totalLag", "maxLag", "maxLagSeconds", "status", "members"])
      .expression(
        db
          .selectFrom(rows)
          .select((eb) => [eb.val(clusterName).as("clusterName"), eb.val(RAW_RESOLUTION).as("resolution"), "v.groupId", "v.at", "v.committed", "v.totalLag", "v.maxLag", "v.maxLagSeconds", "v.status", "v.members"]),
      )
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
}

/**
 * Rolls raw rows of the completed minutes in [from, to) up into minute rows: the last value of
 * each minute, and the worst lag seen in it. Idempotent (existing minute rows are kept).
 */
export async function rollUpMinutes(from: Date, to: Date): Promise<void> {
  const db = getSql();
  const minute = sql<Date>`date_trunc('minute', ${sql.ref("at")})`;
  // The value of the minute's last row; array_agg because PostgreSQL has no last() aggregate.
  const last = <T>(column: string) => sql<T>`(array_agg(${sql.ref(column)} ORDER BY ${sql.ref("at")} DESC))[1]`;
  const inWindow = { resolution: RAW_RESOLUTION, from: utc(from), to: utc(to) };
  await db
    .insertInto("TopicSample")
    .columns(["clusterName", "topic", "resolution", "at", "endOffset", "startOffset"])
    .expression(
      db
        .selectFrom("TopicSample")
        .select(["clusterName", "topic", sql.lit(MINUTE_RESOLUTION).as("resolution"), minute.as("at"), last<string>("endOffset").as("endOffset"), last<string>("startOffset").as("startOffset")])
        .where("resolution", "=", inWindow.resolution)
        .where("at", ">=", inWindow.from)
        .where("at", "<", inWindow.to)
        .groupBy(["clusterName", "topic", minute]),
    )
    .onConflict((oc) => oc.doNothing())
    .execute();
  await db
    .insertInto("GroupSample")
    .columns(["clusterName", "groupId", "resolution", "at", "committed", "totalLag", "maxLag", "maxLagSeconds", "status", "members"])
    .expression(
      db
        .selectFrom("GroupSample")
        .select((eb) => [
          "clusterName",
          "groupId",
          sql.lit(MINUTE_RESOLUTION).as("resolution"),
          minute.as("at"),
          last<string>("committed").as("committed"),
          last<string>("totalLag").as("totalLag"),
          // The worst lag seen in the minute, not its last.
          eb.fn.max("maxLag").as("maxLag"),
          eb.fn.max("maxLagSeconds").as("maxLagSeconds"),
          last<string>("status").as("status"),
          last<number>("members").as("members"),
        ])
        .where("resolution", "=", inWindow.resolution)
        .where("at", ">=", inWindow.from)
        .where("at", "<", inWindow.to)
        .groupBy(["clusterName", "groupId", minute]),
    )
    .onConflict((oc) => oc.doNothing())
    .execute();
}

/** Deletes history rows older than their resolution's retention; returns how many of each went. */
export async function pruneHistory(now: Date, retention: HistoryRetention): Promise<{ raw: number; minute: number }> {
  const db = getSql();
  const rawBefore = utc(now.getTime() - retention.rawMs);
  const minuteBefore = utc(now.getTime() - retention.minuteMs);
  const prune = async (table: "TopicSample" | "GroupSample", resolution: number, before: typeof rawBefore) =>
    Number((await db.deleteFrom(table).where("resolution", "=", resolution).where("at", "<", before).executeTakeFirst()).numDeletedRows);
  const [t1, g1, t2, g2] = await Promise.all([
    prune("TopicSample", RAW_RESOLUTION, rawBefore),
    prune("GroupSample", RAW_RESOLUTION, rawBefore),
    prune("TopicSample", MINUTE_RESOLUTION, minuteBefore),
    prune("GroupSample", MINUTE_RESOLUTION, minuteBefore),
  ]);
  return { raw: t1 + g1, minute: t2 + g2 };
}

const toTopicSample = (r: { topic: string; at: Date; endOffset: string; startOffset: string }): TopicSampleRow => ({
  topic: r.topic,
  at: r.at,
  endOffset: Number(r.endOffset),
  startOffset: Number(r.startOffset),
});

/** Rows of one topic in [from, to], plus the last row before `from` so readers can carry it forward. */
export async function readTopicSeries(clusterName: string, topic: string, resolution: number, from: Date, to: Date): Promise<TopicSampleRow[]> {
  const series = getSql()
    .selectFrom("TopicSample")
    .select(["topic", "at", "endOffset", "startOffset"])
    .where("clusterName", "=", clusterName)
    .where("topic", "=", topic)
    .where("resolution", "=", resolution);
  const [before, rows] = await Promise.all([
    series.where("at", "<", utc(from)).orderBy("at", "desc").limit(1).executeTakeFirst(),
    series.where("at", ">=", utc(from)).where("at", "<=", utc(to)).orderBy("at", "asc").execute(),
  ]);
  return [...(before ? [before] : []), ...rows].map(toTopicSample);
}

export async function readGroupSeries(clusterName: string, groupId: string, resolution: number, from: Date, to: Date): Promise<GroupSampleRow[]> {
  const series = getSql()
    .selectFrom("GroupSample")
    .select(["groupId", "at", "committed", "totalLag", "maxLag", "maxLagSeconds", "status", "members"])
    .where("clusterName", "=", clusterName)
    .where("groupId", "=", groupId)
    .where("resolution", "=", resolution);
  const [before, rows] = await Promise.all([
    series.where("at", "<", utc(from)).orderBy("at", "desc").limit(1).executeTakeFirst(),
    series.where("at", ">=", utc(from)).where("at", "<=", utc(to)).orderBy("at", "asc").execute(),
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
/** `topics`: only these (a page of the topics list); every topic when left out. */
export async function readRecentTopicSamples(clusterName: string, from: Date, topics?: readonly string[]): Promise<TopicSampleRow[]> {
  if (topics?.length === 0) return [];
  let query = getSql()
    .selectFrom("TopicSample")
    .select(["topic", "at", "endOffset", "startOffset"])
    .where("clusterName", "=", clusterName)
    .where("resolution", "=", RAW_RESOLUTION)
    .where("at", ">=", utc(from));
  if (topics) query = query.where("topic", "in", [...topics]);
  const rows = await query
    .orderBy("topic", "asc")
    .orderBy("at", "asc")
    .execute();
  return rows.map(toTopicSample);
}

const countRows = async (query: { executeTakeFirstOrThrow(): Promise<{ n: string | number | bigint }> }) => Number((await query.executeTakeFirstOrThrow()).n);

export async function countHistoryRows(): Promise<{ topicRows: number; groupRows: number }> {
  const db = getSql();
  const [topicRows, groupRows] = await Promise.all([
    countRows(db.selectFrom("TopicSample").select((eb) => eb.fn.countAll().as("n"))),
    countRows(db.selectFrom("GroupSample").select((eb) => eb.fn.countAll().as("n"))),
  ]);
  return { topicRows, groupRows };
}

/** History rows of one cluster at one resolution (tests and benchmarks look at retention with it). */
export async function countTopicSamples(clusterName: string, resolution: number): Promise<number> {
  return countRows(getSql().selectFrom("TopicSample").select((eb) => eb.fn.countAll().as("n")).where("clusterName", "=", clusterName).where("resolution", "=", resolution));
}
