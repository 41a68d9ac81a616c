// The DLQ index (DlqRecord, DlqIndexCursor) and the queries the DLQ screens and actions run on it,
// joined with each record's state (DlqMessageState; no row = pending). Bulk writes and filtered reads
// are Kysely statements (db.ts): the inserts carry thousands of rows of column arrays, and the
// filters build their WHERE clause from the parts a user set. Small lookups (cursors, pruning) use Prisma.
//
// Timestamps are stored as Prisma stores them (UTC, without a zone) and read back as epoch ms, so the
// process's time zone never enters.
import "server-only";
import { sql, type ExpressionBuilder, type OnConflictBuilder } from "kysely";
import { writeAudit, type AuditRecord } from "./audit";
import { executeInTransaction, getDb, getSql, inTransaction, type DB, type PrismaTx } from "./db";
import type { DlqMessageStatus, DlqPosition } from "./dlq";
import { epochMs, nowUtc, unnestRows, utc } from "./sql";

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

/** Every indexed record with its state (none: pending). */
function recordsWithState() {
  return getSql()
    .selectFrom("DlqRecord as r")
    .leftJoin("DlqMessageState as s", (join) =>
      join.onRef("s.clusterName", "=", "r.clusterName").onRef("s.topic", "=", "r.topic").onRef("s.partition", "=", "r.partition").onRef("s.offset", "=", "r.offset"),
    );
}

type RecordsWithState = ReturnType<typeof recordsWithState>;

/** The records a query covers. */
function matching(q: DlqRecordQuery): RecordsWithState {
  let query = recordsWithState().where("r.clusterName", "=", q.clusterName).where("r.topic", "=", q.topic);
  if (q.status === "PENDING") query = query.where("s.status", "is", null);
  else if (q.status !== "ALL") query = query.where("s.status", "=", q.status);
  if (q.reason !== undefined) query = query.where("r.reason", "=", q.reason);
  if (q.key) query = q.keyMatch === "contains" ? query.where(sql<number>`strpos(${sql.ref("r.key")}, ${q.key})`, ">", 0) : query.where("r.key", "=", q.key);
  if (q.eventType) query = query.where("r.eventType", "=", q.eventType);
  if (q.correlationId) query = query.where("r.correlationId", "=", q.correlationId);
  if (q.from !== undefined) query = query.where("r.timestamp", ">=", utc(q.from));
  if (q.to !== undefined) query = query.where("r.timestamp", "<", utc(q.to));
  if (q.positions) {
    const partitions = q.positions.map((x) => x.partition);
    const offsets = q.positions.map((x) => String(x.offset));
    query = query.where(sql<boolean>`(${sql.ref("r.partition")}, ${sql.ref("r.offset")}) IN (SELECT * FROM unnest(${partitions}::int[], ${offsets}::bigint[]))`);
  }
  return query;
}

/** The columns of a DlqIndexedRecord, flat (the state's prefixed). */
function selectRecords(query: RecordsWithState) {
  return query.select([
    "r.partition",
    "r.offset",
    epochMs("r.timestamp").as("timestamp"),
    "r.key",
    "r.eventType",
    "r.eventId",
    "r.correlationId",
    "r.convention",
    "r.errorClass",
    "r.errorMessage",
    "r.reason",
    "r.originTopic",
    "r.originPartition",
    "r.originOffset",
    "r.attempts",
    "r.redriveAttempts",
    "r.preview",
    "r.valueBytes",
    "s.status as stateStatus",
    "s.jobId as stateJobId",
    "s.targetTopic as stateTargetTopic",
    "s.redriveAttempt as stateRedriveAttempt",
    "s.reason as stateReason",
    "s.actor as stateActor",
    epochMs<number | null>("s.updatedAt").as("stateUpdatedAt"),
  ]);
}

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

/** count(*), which pg returns as a string (bigint). */
const countAll = <D, T extends keyof D>(eb: ExpressionBuilder<D, T>) => eb.fn.countAll<string>();

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
  await sql`ANALYZE ${sql.table("DlqRecord")}, ${sql.table("DlqMessageState")}`.execute(getSql());
}

async function refreshAfterBulk(rows: number, tx?: PrismaTx): Promise<void> {
  if (rows < BULK_CHANGE_ROWS) return;
  // Inside a transaction, on its connection: another one would not see the rows it added yet.
  if (tx) await executeInTransaction(tx, sql`ANALYZE "DlqRecord", "DlqMessageState"`.compile(getSql()));
  else await refreshDlqStatistics();
}

// ---- writing the index ----

/** The next offset to read per partition; partitions never read are absent. */
export async function readDlqCursors(clusterName: string, topic: string): Promise<Map<number, number>> {
  const rows = await getDb().dlqIndexCursor.findMany({ where: { clusterName, topic } });
  return new Map(rows.map((r) => [r.partition, Number(r.nextOffset)]));
}

/** A cursor row only moves forward: two indexers reading the same range both succeed. */
const forwardCursor = (oc: OnConflictBuilder<DB, "DlqIndexCursor">) =>
  oc.columns(["clusterName", "topic", "partition"]).doUpdateSet((eb) => ({
    nextOffset: eb.fn<string>("GREATEST", [eb.ref("DlqIndexCursor.nextOffset"), eb.ref("excluded.nextOffset")]),
    updatedAt: eb.ref("excluded.updatedAt"),
  }));

/**
 * Adds records of one partition and moves its cursor to `nextOffset`, in one transaction. Two
 * indexers reading the same range (the worker and a page catching up) both succeed: rows already
 * there are kept and the cursor only moves forward.
 */
export async function appendDlqRecords(clusterName: string, topic: string, partition: number, rows: DlqIndexRow[], nextOffset: number): Promise<void> {
  await getSql()
    .transaction()
    .execute(async (trx) => {
      if (rows.length > 0) {
        const text = <K extends keyof DlqIndexRow>(k: K) => ({ type: "text[]" as const, values: rows.map((r) => r[k]) });
        const int = <K extends keyof DlqIndexRow>(k: K) => ({ type: "int[]" as const, values: rows.map((r) => r[k]) });
        const values = unnestRows(
          {
            offset: { type: "bigint[]", values: rows.map((r) => String(r.offset)) },
            timestamp: { type: "timestamp[]", values: rows.map((r) => new Date(r.timestamp).toISOString()) },
            key: text("key"),
            eventType: text("eventType"),
            eventId: text("eventId"),
            correlationId: text("correlationId"),
            convention: text("convention"),
            errorClass: text("errorClass"),
            errorMessage: text("errorMessage"),
            reason: text("reason"),
            originTopic: text("originTopic"),
            originPartition: int("originPartition"),
            originOffset: text("originOffset"),
            attempts: int("attempts"),
            redriveAttempts: int("redriveAttempts"),
            preview: text("preview"),
            valueBytes: int("valueBytes"),
          },
          "v",
        );
        await trx
          .insertInto("DlqRecord")
          .columns([
            "clusterName", "topic", "partition", "offset", "timestamp", "key", "eventType", "eventId", "correlationId", "convention",
            "errorClass", "errorMessage", "reason", "originTopic", "originPartition", "originOffset", "attempts", "redriveAttempts", "preview", "valueBytes",
          ])
          .expression(
            trx.selectFrom(values).select((eb) => [
              eb.val(clusterName).as("clusterName"),
              eb.val(topic).as("topic"),
              eb.val(partition).as("partition"),
              "v.offset", "v.timestamp", "v.key", "v.eventType", "v.eventId", "v.correlationId", "v.convention",
              "v.errorClass", "v.errorMessage", "v.reason", "v.originTopic", "v.originPartition", "v.originOffset", "v.attempts", "v.redriveAttempts", "v.preview", "v.valueBytes",
            ]),
          )
          .onConflict((oc) => oc.doNothing())
          .execute();
      }
      await trx.insertInto("DlqIndexCursor").values({ clusterName, topic, partition, nextOffset: String(nextOffset), updatedAt: nowUtc }).onConflict(forwardCursor).execute();
    });
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
  const db = getSql();
  const read = unnestRows({ partition: { type: "int[]", values: positions.map((p) => p.partition) }, nextOffset: { type: "bigint[]", values: positions.map((p) => String(p.offset)) } }, "v");
  await db
    .insertInto("DlqIndexCursor")
    .columns(["clusterName", "topic", "partition", "nextOffset", "updatedAt"])
    .expression(db.selectFrom(read).select((eb) => [eb.val(clusterName).as("clusterName"), eb.val(topic).as("topic"), "v.partition", "v.nextOffset", nowUtc.as("updatedAt")]))
    .onConflict(forwardCursor)
    .execute();
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
  return getSql()
    .transaction()
    .execute(async (trx) => {
      await trx.insertInto("DlqTopicIdentity").values({ clusterName, topic, topicId, updatedAt: nowUtc }).onConflict((oc) => oc.doNothing()).execute();
      // The row lock makes a concurrent catch-up (worker and page) wait, then find the new id.
      const row = await trx.selectFrom("DlqTopicIdentity").select("topicId").where("clusterName", "=", clusterName).where("topic", "=", topic).forUpdate().executeTakeFirst();
      if (!row || row.topicId === topicId) return null;
      const states = await trx.deleteFrom("DlqMessageState").where("clusterName", "=", clusterName).where("topic", "=", topic).executeTakeFirst();
      const records = await trx.deleteFrom("DlqRecord").where("clusterName", "=", clusterName).where("topic", "=", topic).executeTakeFirst();
      await trx.deleteFrom("DlqIndexCursor").where("clusterName", "=", clusterName).where("topic", "=", topic).execute();
      await trx.updateTable("DlqTopicIdentity").set({ topicId, updatedAt: nowUtc }).where("clusterName", "=", clusterName).where("topic", "=", topic).execute();
      return { previousTopicId: row.topicId, statesRemoved: Number(states.numDeletedRows), recordsRemoved: Number(records.numDeletedRows) };
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
  const logStarts = unnestRows({ p: { type: "int[]", values: starts.map((s) => s.partition) }, o: { type: "bigint[]", values: starts.map((s) => String(s.offset)) } }, "u");
  const counts = await getSql()
    .with("starts", (db) => db.selectFrom(logStarts).selectAll())
    // Unaliased tables: Kysely's types refuse an aliased DELETE inside a WITH.
    .with("states", (db) =>
      db
        .deleteFrom("DlqMessageState")
        .using("starts")
        .where("DlqMessageState.clusterName", "=", clusterName)
        .where("DlqMessageState.topic", "=", topic)
        .whereRef("DlqMessageState.partition", "=", "starts.p")
        .whereRef("DlqMessageState.offset", "<", "starts.o")
        .where("DlqMessageState.status", "<>", "QUEUED")
        .where(({ not, exists, selectFrom }) =>
          not(exists(selectFrom("Job").select(sql.lit(1).as("one")).whereRef("Job.key", "=", "DlqMessageState.jobKey").where("Job.status", "in", ["QUEUED", "RUNNING", "PAUSED"]))),
        )
        .returning(sql.lit(1).as("one")),
    )
    .with("records", (db) =>
      db
        .deleteFrom("DlqRecord")
        .using("starts")
        .where("DlqRecord.clusterName", "=", clusterName)
        .where("DlqRecord.topic", "=", topic)
        .whereRef("DlqRecord.partition", "=", "starts.p")
        .whereRef("DlqRecord.offset", "<", "starts.o")
        .returning(sql.lit(1).as("one")),
    )
    .selectNoFrom((eb) => [eb.selectFrom("records").select((c) => countAll(c).as("n")).as("records"), eb.selectFrom("states").select((c) => countAll(c).as("n")).as("states")])
    .executeTakeFirstOrThrow();
  return { records: Number(counts.records), states: Number(counts.states) };
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
  const order = options.newestFirst ? "desc" : "asc";
  const rows = await selectRecords(matching(q))
    .orderBy("r.timestamp", order)
    .orderBy("r.partition", order)
    .orderBy("r.offset", order)
    .limit(Math.max(0, Math.floor(options.limit)))
    .execute();
  return rows.map(toIndexedRecord);
}

/** The original topics the matching records name in their headers, each once; null for records that name none. */
export async function originTopicsOf(q: DlqRecordQuery): Promise<(string | null)[]> {
  const rows = await matching(q).select("r.originTopic").distinct().execute();
  return rows.map((r) => r.originTopic);
}

export async function countDlqRecords(q: DlqRecordQuery): Promise<number> {
  const row = await matching(q).select((eb) => countAll(eb).as("n")).executeTakeFirstOrThrow();
  return Number(row.n);
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
  const groups = await matching(q)
    .select((eb) => [
      "r.reason",
      eb.fn.min("r.errorClass").as("errorClass"),
      countAll(eb).as("n"),
      epochMs(eb.fn.min("r.timestamp")).as("first"),
      epochMs(eb.fn.max("r.timestamp")).as("last"),
    ])
    .groupBy("r.reason")
    .orderBy((eb) => countAll(eb), "desc")
    .orderBy("r.reason")
    .execute();
  if (groups.length === 0) return [];
  const ranked = selectRecords(matching(q)).select((eb) =>
    eb.fn
      .agg<string>("row_number")
      .over((ob) => ob.partitionBy("r.reason").orderBy("r.timestamp", "desc").orderBy("r.partition", "desc").orderBy("r.offset", "desc"))
      .as("rn"),
  );
  const samples = await getSql().selectFrom(ranked.as("x")).selectAll().where("x.rn", "<=", String(Math.max(0, Math.floor(sampleSize)))).execute();
  // rn is the rank within the reason, newest first: the sample keeps that order.
  const byReason = new Map<string, { rank: number; record: DlqIndexedRecord }[]>();
  for (const { rn, ...row } of samples) {
    const record = toIndexedRecord(row);
    const list = byReason.get(record.reason) ?? [];
    list.push({ rank: Number(rn), record });
    byReason.set(record.reason, list);
  }
  return groups.map((g) => ({
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
  const db = getSql();
  const from = utc(since);
  const ofTopic = recordsWithState().where("r.clusterName", "=", clusterName).where("r.topic", "=", topic);
  const open = (eb: ExpressionBuilder<DB & { s: DB["DlqMessageState"] }, "s">) => eb.or([eb("s.status", "is", null), eb("s.status", "=", "QUEUED")]);
  const [totals, resolved, reasons, source] = await Promise.all([
    ofTopic
      .select((eb) => [
        countAll(eb).as("indexed"),
        countAll(eb).filterWhere(open(eb)).as("open"),
        countAll(eb).filterWhere("r.timestamp", ">=", from).as("arrived"),
        epochMs<number | null>(eb.fn.min("r.timestamp").filterWhere(open(eb))).as("oldest"),
      ])
      .executeTakeFirstOrThrow(),
    db
      .selectFrom("DlqMessageState")
      .select((eb) => countAll(eb).as("n"))
      .where("clusterName", "=", clusterName)
      .where("topic", "=", topic)
      .where("status", "in", ["REDRIVEN", "DISCARDED"])
      .where("updatedAt", ">=", from)
      .executeTakeFirstOrThrow(),
    ofTopic
      .where(open)
      .select((eb) => ["r.reason", countAll(eb).as("n")])
      .groupBy("r.reason")
      .orderBy((eb) => countAll(eb), "desc")
      .orderBy("r.reason")
      .limit(3)
      .execute(),
    db
      .selectFrom("DlqRecord")
      .select("originTopic")
      .where("clusterName", "=", clusterName)
      .where("topic", "=", topic)
      .where("originTopic", "is not", null)
      .groupBy("originTopic")
      .orderBy((eb) => countAll(eb), "desc")
      .orderBy("originTopic")
      .limit(1)
      .executeTakeFirst(),
  ]);
  return {
    indexed: Number(totals.indexed),
    open: Number(totals.open),
    arrivedSince: Number(totals.arrived),
    resolvedSince: Number(resolved.n),
    oldestOpen: totals.oldest,
    topReasons: reasons.map((r) => ({ reason: r.reason, count: Number(r.n) })),
    sourceTopic: source?.originTopic ?? null,
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
  const db = getSql();
  // Null before `from`; else the start of the value's bucket (epoch ms). Grouped by position (1):
  // the expression's parameters would make a second copy of it a different expression.
  const bucket = (column: string) =>
    sql<number | null>`CASE WHEN ${sql.ref(column)} < ${utc(from)} THEN NULL ELSE (floor(extract(epoch FROM ${sql.ref(column)}) * 1000 / ${bucketMs}) * ${bucketMs})::float8 END`;
  const [arrivals, resolutions] = await Promise.all([
    db
      .selectFrom("DlqRecord as r")
      .select((eb) => [bucket("r.timestamp").as("b"), countAll(eb).as("n")])
      .where("r.clusterName", "=", clusterName)
      .where("r.topic", "=", topic)
      .groupBy(sql`1`)
      .execute(),
    // Only records still in the index: one that retention deleted no longer counts either way.
    db
      .selectFrom("DlqMessageState as s")
      .innerJoin("DlqRecord as r", (join) =>
        join.onRef("s.clusterName", "=", "r.clusterName").onRef("s.topic", "=", "r.topic").onRef("s.partition", "=", "r.partition").onRef("s.offset", "=", "r.offset"),
      )
      .select((eb) => [bucket("s.updatedAt").as("b"), countAll(eb).as("n")])
      .where("s.clusterName", "=", clusterName)
      .where("s.topic", "=", topic)
      .where("s.status", "in", ["REDRIVEN", "DISCARDED"])
      .groupBy(sql`1`)
      .execute(),
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
  const a = split(arrivals);
  const r = split(resolutions);
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
  tx?: PrismaTx,
): Promise<number> {
  const statement = getSql()
    .insertInto("DlqMessageState")
    .columns(["clusterName", "topic", "partition", "offset", "status", "jobKey", "targetTopic", "reason", "actor", "updatedAt"])
    .expression(
      matching({ ...q, status: "PENDING" }).select((eb) => [
        "r.clusterName",
        "r.topic",
        "r.partition",
        "r.offset",
        sql<DlqMessageStatus>`${state.status}::"DlqMessageStatus"`.as("status"),
        eb.val(state.jobKey ?? null).as("jobKey"),
        eb.val(state.targetTopic ?? null).as("targetTopic"),
        eb.val(state.reason ?? null).as("reason"),
        eb.val(state.actor).as("actor"),
        nowUtc.as("updatedAt"),
      ]),
    )
    .onConflict((oc) => oc.doNothing());
  // A change that is its own user action (a discard) is written with its audit entry, in one
  // transaction, so a crash cannot leave one without the other.
  const write = async (db: PrismaTx) => {
    const count = await executeInTransaction(db, statement.compile());
    if (count > 0 && audit) await writeAudit(audit(count), db);
    return count;
  };
  const changed = tx ? await write(tx) : audit ? await inTransaction(write) : Number((await statement.executeTakeFirst()).numInsertedOrUpdatedRows ?? 0);
  await refreshAfterBulk(changed, tx);
  return changed;
}

/**
 * Claims every pending record the query matches for job `jobKey` (QUEUED); returns how many. A
 * redrive claims in the transaction that creates its job (`tx`), so neither exists without the other.
 */
export function claimDlqRecords(q: DlqRecordQuery, claim: { jobKey: string; actor: string; targetTopic: string | null }, tx?: PrismaTx): Promise<number> {
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
  let query = getSql()
    .selectFrom("DlqRecord")
    .select(["clusterName", "topic", "partition", "offset", "errorClass", "errorMessage", "reason"])
    .where((eb) => eb.or([eb("errorMessage", "like", "%; nested exception is %"), eb("errorMessage", "~", "^Listener (failed|method)")]));
  if (after) {
    query = query.where((eb) => eb(eb.refTuple("clusterName", "topic", "partition", "offset"), ">", eb.tuple(after.clusterName, after.topic, after.partition, String(after.offset))));
  }
  const rows = await query.orderBy(["clusterName", "topic", "partition", "offset"]).limit(Math.max(1, Math.floor(limit))).execute();
  return rows.map((r) => ({ ...r, offset: Number(r.offset) }));
}

/** Sets the reason of each given record (one statement). */
export async function setDlqReasons(rows: (DlqRecordKey & { reason: string })[]): Promise<number> {
  if (rows.length === 0) return 0;
  const reasons = unnestRows(
    {
      c: { type: "text[]", values: rows.map((r) => r.clusterName) },
      t: { type: "text[]", values: rows.map((r) => r.topic) },
      p: { type: "int[]", values: rows.map((r) => r.partition) },
      o: { type: "bigint[]", values: rows.map((r) => String(r.offset)) },
      reason: { type: "text[]", values: rows.map((r) => r.reason) },
    },
    "v",
  );
  const result = await getSql()
    .updateTable("DlqRecord as r")
    .from(reasons)
    .set((eb) => ({ reason: eb.ref("v.reason") }))
    .whereRef("r.clusterName", "=", "v.c")
    .whereRef("r.topic", "=", "v.t")
    .whereRef("r.partition", "=", "v.p")
    .whereRef("r.offset", "=", "v.o")
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
