// Flows (sagas) as architects declare them, and what the worker's flow monitor keeps of them
// (services/flows/monitor.ts): open and recent instances, per-minute buckets, per-topic integrity
// counts, its read positions and the causation summary proposals come from. A monitor round's
// changes and positions commit in one transaction (checkpointFlows), so a worker that dies between
// rounds reads again from where the last commit stood and counts nothing twice.
import "server-only";
import { sql } from "kysely";
import type { AuditRecord } from "./audit";
import { writeAudit } from "./audit";
import { getDb, getSql } from "./db";
import { epochMs, unnestRows, utc } from "./sql";

export interface FlowRow {
  id: string;
  clusterName: string;
  name: string;
  description: string;
  definition: unknown;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface FlowInstanceRow {
  flowId: string;
  correlationId: string;
  state: string;
  startedAt: number;
  lastEventAt: number;
  endedAt: number | null;
  detail: unknown;
}

export interface FlowBucketRow {
  flowId: string;
  minute: number;
  started: number;
  completed: number;
  compensated: number;
  failed: number;
  overSlo: number;
  duplicates: number;
  repeated: number;
  outOfOrder: number;
  /** Counts per LATENCY_BOUNDS_MS bucket (end to end, and per step `<after>><next>`), and their sums in ms. */
  latency: { e2e: number[]; steps: Record<string, number[]>; sums: { e2e: number; steps: Record<string, number> } };
}

export type FlowCounts = Omit<FlowBucketRow, "flowId" | "minute">;

export interface TopicIntegrityRow {
  topic: string;
  minute: number;
  events: number;
  duplicates: number;
  versionRegressions: number;
}

export interface FlowCheckpoint {
  clusterName: string;
  instances: FlowInstanceRow[];
  buckets: FlowBucketRow[];
  topics: TopicIntegrityRow[];
  cursors: { topic: string; partition: number; offset: number }[];
}

export async function listFlows(clusterName: string): Promise<FlowRow[]> {
  return getDb().flow.findMany({ where: { clusterName }, orderBy: { name: "asc" } });
}

export async function findFlow(clusterName: string, name: string): Promise<FlowRow | null> {
  return getDb().flow.findUnique({ where: { clusterName_name: { clusterName, name } } });
}

export type FlowInput = Pick<FlowRow, "clusterName" | "name" | "description" | "createdBy"> & { definition: object };

/** Creates a flow with its audit entry, in one transaction; null when the name is taken. */
export async function createFlow(input: FlowInput, audit: AuditRecord): Promise<FlowRow | null> {
  return getDb().$transaction(async (tx) => {
    if (await tx.flow.findUnique({ where: { clusterName_name: { clusterName: input.clusterName, name: input.name } } })) return null;
    const row = await tx.flow.create({ data: input });
    await writeAudit(audit, tx);
    return row;
  });
}

/** Replaces a flow's description and definition, with its audit entry; null when there is no such flow. */
export async function updateFlow(clusterName: string, name: string, change: { description: string; definition: object }, audit: (before: FlowRow) => AuditRecord): Promise<FlowRow | null> {
  return getDb().$transaction(async (tx) => {
    const before = await tx.flow.findUnique({ where: { clusterName_name: { clusterName, name } } });
    if (!before) return null;
    const row = await tx.flow.update({ where: { id: before.id }, data: change });
    await writeAudit(audit(before), tx);
    return row;
  });
}

/** Deletes a flow with its instances and history, and its audit entry; false when there was none. */
export async function deleteFlow(clusterName: string, name: string, audit: (before: FlowRow) => AuditRecord): Promise<boolean> {
  return getDb().$transaction(async (tx) => {
    const before = await tx.flow.findUnique({ where: { clusterName_name: { clusterName, name } } });
    if (!before) return false;
    await tx.flow.delete({ where: { id: before.id } });
    await tx.flowTotal.deleteMany({ where: { flowId: before.id } });
    await writeAudit(audit(before), tx);
    return true;
  });
}

const instanceColumns = ["flowId", "correlationId", "state", epochMs("startedAt").as("startedAt"), epochMs("lastEventAt").as("lastEventAt"), epochMs<number | null>("endedAt").as("endedAt"), "detail"] as const;

/** The open instances of these flows: what a restarted monitor takes back. */
export async function listOpenFlowInstances(flowIds: string[]): Promise<FlowInstanceRow[]> {
  if (flowIds.length === 0) return [];
  return getSql().selectFrom("FlowInstance").select([...instanceColumns]).where("flowId", "in", flowIds).where("state", "in", ["RUNNING", "STUCK", "FAILED"]).where("endedAt", "is", null).execute();
}

/** A flow's instances in `states`, newest start first. */
export async function listFlowInstances(flowId: string, states: string[], limit: number): Promise<FlowInstanceRow[]> {
  return getSql().selectFrom("FlowInstance").select([...instanceColumns]).where("flowId", "=", flowId).where("state", "in", states).orderBy("startedAt", "desc").limit(limit).execute();
}

/** How many open instances of each flow are in each state now (a FAILED one given up on has ended: not counted). */
export async function countFlowInstances(flowIds: string[]): Promise<{ flowId: string; state: string; count: number }[]> {
  if (flowIds.length === 0) return [];
  const rows = await getSql().selectFrom("FlowInstance").select(["flowId", "state", sql<number>`count(*)::int`.as("count")]).where("flowId", "in", flowIds).where("endedAt", "is", null).groupBy(["flowId", "state"]).execute();
  return rows;
}

export async function findFlowInstance(flowId: string, correlationId: string): Promise<FlowInstanceRow | null> {
  return (await getSql().selectFrom("FlowInstance").select([...instanceColumns]).where("flowId", "=", flowId).where("correlationId", "=", correlationId).executeTakeFirst()) ?? null;
}

export async function listFlowBuckets(flowIds: string[], since: Date): Promise<FlowBucketRow[]> {
  if (flowIds.length === 0) return [];
  const rows = await getSql()
    .selectFrom("FlowBucket")
    .select(["flowId", epochMs("minute").as("minute"), "started", "completed", "compensated", "failed", "overSlo", "duplicates", "repeated", "outOfOrder", "latency"])
    .where("flowId", "in", flowIds)
    .where("minute", ">=", utc(since))
    .orderBy("minute", "asc")
    .execute();
  return rows as FlowBucketRow[];
}

export async function listTopicIntegrity(clusterName: string, since: Date): Promise<TopicIntegrityRow[]> {
  return getSql()
    .selectFrom("TopicIntegrityBucket")
    .select(["topic", epochMs("minute").as("minute"), "events", "duplicates", "versionRegressions"])
    .where("clusterName", "=", clusterName)
    .where("minute", ">=", utc(since))
    .orderBy("minute", "asc")
    .execute();
}

/** Since-start totals per flow (for /metrics counters). */
export async function listFlowTotals(flowIds: string[]): Promise<Map<string, FlowCounts>> {
  if (flowIds.length === 0) return new Map();
  const rows = await getDb().flowTotal.findMany({ where: { flowId: { in: flowIds } } });
  return new Map(rows.map((r) => [r.flowId, r.totals as unknown as FlowCounts]));
}

export async function readFlowCursors(clusterName: string): Promise<Map<string, Map<number, number>>> {
  const rows = await getDb().flowCursor.findMany({ where: { clusterName } });
  const byTopic = new Map<string, Map<number, number>>();
  for (const r of rows) byTopic.set(r.topic, (byTopic.get(r.topic) ?? new Map()).set(r.partition, Number(r.offset)));
  return byTopic;
}

function addCounts(into: FlowCounts, from: FlowCounts): FlowCounts {
  const sumArrays = (a: number[] = [], b: number[] = []) => Array.from({ length: Math.max(a.length, b.length) }, (_, i) => (a[i] ?? 0) + (b[i] ?? 0));
  const steps: Record<string, number[]> = { ...into.latency.steps };
  for (const [key, counts] of Object.entries(from.latency.steps)) steps[key] = sumArrays(steps[key], counts);
  const stepSums: Record<string, number> = { ...into.latency.sums?.steps };
  for (const [key, ms] of Object.entries(from.latency.sums?.steps ?? {})) stepSums[key] = (stepSums[key] ?? 0) + ms;
  return {
    started: into.started + from.started,
    completed: into.completed + from.completed,
    compensated: into.compensated + from.compensated,
    failed: into.failed + from.failed,
    overSlo: into.overSlo + from.overSlo,
    duplicates: into.duplicates + from.duplicates,
    repeated: into.repeated + from.repeated,
    outOfOrder: into.outOfOrder + from.outOfOrder,
    latency: { e2e: sumArrays(into.latency.e2e, from.latency.e2e), steps, sums: { e2e: (into.latency.sums?.e2e ?? 0) + (from.latency.sums?.e2e ?? 0), steps: stepSums } },
  };
}

export const NO_FLOW_COUNTS: FlowCounts = { started: 0, completed: 0, compensated: 0, failed: 0, overSlo: 0, duplicates: 0, repeated: 0, outOfOrder: 0, latency: { e2e: [], steps: {}, sums: { e2e: 0, steps: {} } } };

/** Adds up buckets (e.g. a window's minutes) into one set of counts. */
export function sumFlowCounts(rows: FlowCounts[]): FlowCounts {
  return rows.reduce((sum, row) => addCounts(sum, row), NO_FLOW_COUNTS);
}

/**
 * One monitor round: the instances that changed, the minutes' counts added to what is stored, the
 * since-start totals, the topics' integrity counts, and the read positions, in one transaction.
 */
export async function checkpointFlows(checkpoint: FlowCheckpoint): Promise<void> {
  const { clusterName } = checkpoint;
  await getSql()
    .transaction()
    .execute(async (trx) => {
      // A flow deleted during the round: what the round counted for it goes with it.
      const flowIds = [...new Set([...checkpoint.instances, ...checkpoint.buckets].map((r) => r.flowId))];
      const live = new Set(flowIds.length ? (await trx.selectFrom("Flow").select("id").where("id", "in", flowIds).forShare().execute()).map((r) => r.id) : []);
      const i = checkpoint.instances.filter((r) => live.has(r.flowId));
      if (i.length > 0) {
        const values = unnestRows(
          {
            flowId: { type: "text[]", values: i.map((r) => r.flowId) },
            correlationId: { type: "text[]", values: i.map((r) => r.correlationId) },
            state: { type: "text[]", values: i.map((r) => r.state) },
            startedAt: { type: "timestamp[]", values: i.map((r) => new Date(r.startedAt).toISOString()) },
            lastEventAt: { type: "timestamp[]", values: i.map((r) => new Date(r.lastEventAt).toISOString()) },
            endedAt: { type: "timestamp[]", values: i.map((r) => (r.endedAt === null ? null : new Date(r.endedAt).toISOString())) },
            detail: { type: "text[]", values: i.map((r) => JSON.stringify(r.detail)) },
          },
          "v",
        );
        await trx
          .insertInto("FlowInstance")
          .columns(["flowId", "correlationId", "state", "startedAt", "lastEventAt", "endedAt", "detail"])
          .expression(trx.selectFrom(values).select(["v.flowId", "v.correlationId", "v.state", "v.startedAt", "v.lastEventAt", "v.endedAt", sql`v.detail::jsonb`.as("detail")]))
          .onConflict((oc) =>
            oc.columns(["flowId", "correlationId"]).doUpdateSet({
              state: sql.ref("excluded.state"),
              startedAt: sql.ref("excluded.startedAt"),
              lastEventAt: sql.ref("excluded.lastEventAt"),
              endedAt: sql.ref("excluded.endedAt"),
              detail: sql.ref("excluded.detail"),
            }),
          )
          .execute();
      }
      const buckets = checkpoint.buckets.filter((b) => live.has(b.flowId));
      if (buckets.length > 0) {
        const minutes = [...new Set(buckets.map((b) => b.minute))];
        const stored = await trx
              .selectFrom("FlowBucket")
              .select(["flowId", epochMs("minute").as("minute"), "started", "completed", "compensated", "failed", "overSlo", "duplicates", "repeated", "outOfOrder", "latency"])
              .where("flowId", "in", flowIds)
              .where(sql<boolean>`${sql.ref("minute")} = ANY(${minutes.map((m) => new Date(m).toISOString())}::timestamp[])`)
              .forUpdate()
              .execute();
        const storedByKey = new Map(stored.map((s) => [`${s.flowId}@${s.minute}`, s as FlowBucketRow]));
        for (const delta of buckets) {
          const merged = addCounts(storedByKey.get(`${delta.flowId}@${delta.minute}`) ?? NO_FLOW_COUNTS, delta);
          await trx
            .insertInto("FlowBucket")
            .values({ flowId: delta.flowId, minute: utc(delta.minute), ...merged, latency: JSON.stringify(merged.latency) })
            .onConflict((oc) => oc.columns(["flowId", "minute"]).doUpdateSet({ ...merged, latency: JSON.stringify(merged.latency) }))
            .execute();
        }
        // Since-start totals: the round's buckets added to each flow's.
        for (const flowId of new Set(buckets.map((b) => b.flowId))) {
          const round = sumFlowCounts(buckets.filter((b) => b.flowId === flowId));
          const row = await trx.selectFrom("FlowTotal").select("totals").where("flowId", "=", flowId).forUpdate().executeTakeFirst();
          const totals = JSON.stringify(addCounts((row?.totals as FlowCounts | undefined) ?? NO_FLOW_COUNTS, round));
          await trx
            .insertInto("FlowTotal")
            .values({ flowId, totals, updatedAt: sql`(now() AT TIME ZONE 'UTC')` })
            .onConflict((oc) => oc.column("flowId").doUpdateSet({ totals, updatedAt: sql`(now() AT TIME ZONE 'UTC')` }))
            .execute();
        }
      }
      for (const t of checkpoint.topics) {
        await trx
          .insertInto("TopicIntegrityBucket")
          .values({ clusterName, topic: t.topic, minute: utc(t.minute), events: t.events, duplicates: t.duplicates, versionRegressions: t.versionRegressions })
          .onConflict((oc) =>
            oc.columns(["clusterName", "topic", "minute"]).doUpdateSet((eb) => ({
              events: sql`${eb.ref("TopicIntegrityBucket.events")} + ${t.events}`,
              duplicates: sql`${eb.ref("TopicIntegrityBucket.duplicates")} + ${t.duplicates}`,
              versionRegressions: sql`${eb.ref("TopicIntegrityBucket.versionRegressions")} + ${t.versionRegressions}`,
            })),
          )
          .execute();
      }
      if (checkpoint.cursors.length > 0) {
        const c = checkpoint.cursors;
        const values = unnestRows({ topic: { type: "text[]", values: c.map((r) => r.topic) }, partition: { type: "int[]", values: c.map((r) => r.partition) }, offset: { type: "bigint[]", values: c.map((r) => String(r.offset)) } }, "v");
        await trx
          .insertInto("FlowCursor")
          .columns(["clusterName", "topic", "partition", "offset"])
          .expression(trx.selectFrom(values).select((eb) => [eb.val(clusterName).as("clusterName"), "v.topic", "v.partition", "v.offset"]))
          .onConflict((oc) => oc.columns(["clusterName", "topic", "partition"]).doUpdateSet({ offset: (eb) => eb.ref("excluded.offset") }))
          .execute();
      }
    });
}

/** Forgets read positions of topics the monitor no longer reads (a topic deleted, or no flow needs it). */
export async function forgetFlowCursors(clusterName: string, keepTopics: string[]): Promise<number> {
  return (await getDb().flowCursor.deleteMany({ where: { clusterName, topic: { notIn: keepTopics } } })).count;
}

export async function saveFlowObservation(clusterName: string, observed: object): Promise<void> {
  await getDb().flowObservation.upsert({ where: { clusterName }, create: { clusterName, observed }, update: { observed } });
}

export async function readFlowObservation(clusterName: string): Promise<{ observed: unknown; updatedAt: Date } | null> {
  return getDb().flowObservation.findUnique({ where: { clusterName }, select: { observed: true, updatedAt: true } });
}

/**
 * Drops history older than `before` (buckets, integrity counts, finished instances), and keeps at
 * most `keepFinished` finished instances per flow (the newest). Open instances stay.
 */
export async function pruneFlowHistory(before: Date, keepFinished: number): Promise<number> {
  const db = getSql();
  let removed = Number((await db.deleteFrom("FlowBucket").where("minute", "<", utc(before)).executeTakeFirst()).numDeletedRows);
  removed += Number((await db.deleteFrom("TopicIntegrityBucket").where("minute", "<", utc(before)).executeTakeFirst()).numDeletedRows);
  removed += Number((await db.deleteFrom("FlowInstance").where("endedAt", "<", utc(before)).executeTakeFirst()).numDeletedRows);
  const extra = await sql<{ count: number }>`
    WITH ranked AS (
      SELECT "flowId", "correlationId", row_number() OVER (PARTITION BY "flowId" ORDER BY "endedAt" DESC) AS n
      FROM "FlowInstance" WHERE "endedAt" IS NOT NULL
    )
    DELETE FROM "FlowInstance" f USING ranked r
    WHERE f."flowId" = r."flowId" AND f."correlationId" = r."correlationId" AND r.n > ${keepFinished}`.execute(db);
  return removed + Number(extra.numAffectedRows ?? 0);
}
