// What happened to each dead-lettered record, keyed by its position (cluster, DLQ topic, partition,
// offset). A record without a row is pending. Claims are inserts that skip existing rows, so two
// redrives of the same record (a double-click) cannot both claim it.
import "server-only";
import { getDb, getSql, type PrismaTx } from "./db";
import { unnestRows, utc } from "./sql";
import type { DlqMessageStatus } from "./generated/prisma/client";

export type { DlqMessageStatus };

export interface DlqPosition {
  partition: number;
  offset: number;
}

export interface DlqStateRow {
  clusterName: string;
  topic: string;
  partition: number;
  offset: number;
  status: DlqMessageStatus;
  jobKey: string | null;
  jobId: number | null;
  targetTopic: string | null;
  redriveAttempt: number | null;
  reason: string | null;
  editBefore: string | null;
  editAfter: string | null;
  actor: string;
  updatedAt: Date;
}

type Raw = Omit<DlqStateRow, "offset"> & { offset: bigint };
const toRow = (r: Raw): DlqStateRow => ({ ...r, offset: Number(r.offset) });

/**
 * Claims the positions that have no row yet for job `jobKey`; returns the ones claimed, in order.
 * Positions already queued, redriven or discarded are left alone.
 */
export async function claimDlqPositions(
  clusterName: string,
  topic: string,
  positions: DlqPosition[],
  claim: { jobKey: string; actor: string; targetTopic: string | null; editBefore?: string | null; editAfter?: string | null },
  tx?: PrismaTx,
): Promise<DlqPosition[]> {
  const db = tx ?? getDb();
  const claimed: DlqPosition[] = [];
  // createMany skips duplicates but does not say which; insert in slices and read back the job's rows.
  for (let i = 0; i < positions.length; i += 5_000) {
    await db.dlqMessageState.createMany({
      data: positions.slice(i, i + 5_000).map((p) => ({
        clusterName,
        topic,
        partition: p.partition,
        offset: BigInt(p.offset),
        status: "QUEUED" as const,
        jobKey: claim.jobKey,
        targetTopic: claim.targetTopic,
        editBefore: claim.editBefore ?? null,
        editAfter: claim.editAfter ?? null,
        actor: claim.actor,
      })),
      skipDuplicates: true,
    });
  }
  const rows = await db.dlqMessageState.findMany({ where: { jobKey: claim.jobKey }, select: { partition: true, offset: true }, orderBy: [{ partition: "asc" }, { offset: "asc" }] });
  for (const r of rows) claimed.push({ partition: r.partition, offset: Number(r.offset) });
  return claimed;
}

export async function setDlqClaimJobId(jobKey: string, jobId: number, tx?: PrismaTx): Promise<void> {
  await (tx ?? getDb()).dlqMessageState.updateMany({ where: { jobKey }, data: { jobId } });
}

/** The job's claims still to write, in position order. */
export async function listQueuedClaims(jobKey: string): Promise<DlqStateRow[]> {
  const rows = await getDb().dlqMessageState.findMany({ where: { jobKey, status: "QUEUED" }, orderBy: [{ partition: "asc" }, { offset: "asc" }] });
  return rows.map(toRow);
}

/** The DLQ partitions a job has claims in, whatever their status: its writers are grouped by them, so they must not shrink as claims are redriven. */
export async function listClaimPartitions(jobKey: string): Promise<number[]> {
  const rows = await getDb().dlqMessageState.findMany({ where: { jobKey }, select: { partition: true }, distinct: ["partition"], orderBy: { partition: "asc" } });
  return rows.map((r) => r.partition);
}

export async function countClaims(jobKey: string): Promise<Record<DlqMessageStatus, number>> {
  const groups = await getDb().dlqMessageState.groupBy({ by: ["status"], where: { jobKey }, _count: { _all: true } });
  const counts: Record<DlqMessageStatus, number> = { QUEUED: 0, REDRIVEN: 0, DISCARDED: 0, EXPIRED: 0 };
  for (const g of groups) counts[g.status] = g._count._all;
  return counts;
}

/** Records where each claim goes, just before the Kafka transaction that writes them (one statement per batch). */
export async function planClaims(jobKey: string, plans: { partition: number; offset: number; targetTopic: string; redriveAttempt: number }[]): Promise<void> {
  if (plans.length === 0) return;
  const planned = unnestRows(
    {
      p: { type: "int[]", values: plans.map((p) => p.partition) },
      o: { type: "bigint[]", values: plans.map((p) => String(p.offset)) },
      t: { type: "text[]", values: plans.map((p) => p.targetTopic) },
      a: { type: "int[]", values: plans.map((p) => p.redriveAttempt) },
    },
    "v",
  );
  await getSql()
    .updateTable("DlqMessageState as s")
    .from(planned)
    .set((eb) => ({ targetTopic: eb.ref("v.t"), redriveAttempt: eb.ref("v.a") }))
    .where("s.jobKey", "=", jobKey)
    .whereRef("s.partition", "=", "v.p")
    .whereRef("s.offset", "=", "v.o")
    .where("s.status", "=", "QUEUED")
    .execute();
}

/**
 * Marks the job's claims in `partition` below `beforeOffset` as redriven: their Kafka transaction
 * committed. Only claims that were planned (planClaims gave them a target just before their
 * transaction) were written: a claim the job skipped (no target known) or never saw (deleted by
 * retention) lies below the checkpoint too, but was not written and must not be marked.
 */
export async function markClaimsRedriven(jobKey: string, partition: number, beforeOffset: number): Promise<number> {
  const result = await getDb().dlqMessageState.updateMany({
    where: { jobKey, partition, offset: { lt: BigInt(beforeOffset) }, status: "QUEUED", redriveAttempt: { not: null } },
    data: { status: "REDRIVEN" },
  });
  return result.count;
}

/** The job's claims that retention deleted before it reached them: never written, and gone from the topic. */
export async function markClaimsExpired(jobKey: string, partition: number, offsets: number[], reason: string): Promise<number> {
  if (offsets.length === 0) return 0;
  const result = await getDb().dlqMessageState.updateMany({
    where: { jobKey, partition, offset: { in: offsets.map(BigInt) }, status: "QUEUED" },
    data: { status: "EXPIRED", reason },
  });
  return result.count;
}

/**
 * Notes on the indexed records why a redrive could not write them. Their claims are released when
 * the job ends, so they are pending again; the note is what tells the user why they still are.
 */
export async function noteRedriveProblem(clusterName: string, topic: string, partition: number, offsets: number[], problem: string): Promise<void> {
  if (offsets.length === 0) return;
  await getDb().dlqRecord.updateMany({ where: { clusterName, topic, partition, offset: { in: offsets.map(BigInt) } }, data: { redriveProblem: problem } });
}

/** Why the last redrive could not write the record at this position, if one could not. */
export async function findRedriveProblem(clusterName: string, topic: string, position: DlqPosition): Promise<string | null> {
  const row = await getDb().dlqRecord.findUnique({
    where: { clusterName_topic_partition_offset: { clusterName, topic, partition: position.partition, offset: BigInt(position.offset) } },
    select: { redriveProblem: true },
  });
  return row?.redriveProblem ?? null;
}

/** The job is over: what it did not write is pending again (its rows go). */
export async function releaseQueuedClaims(jobKey: string): Promise<number> {
  const result = await getDb().dlqMessageState.deleteMany({ where: { jobKey, status: "QUEUED" } });
  return result.count;
}

/**
 * Claims without a job long after they were made: pending again. A redrive claims its records and
 * creates its job in one transaction, so none are made any more; this sweeps those an older version
 * left behind when its web process died between the two.
 */
export async function releaseOrphanClaims(olderThan: Date): Promise<number> {
  const result = await getSql()
    .deleteFrom("DlqMessageState")
    .where("status", "=", "QUEUED")
    .where("jobId", "is", null)
    .where("createdAt", "<", utc(olderThan))
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom("Job").select("Job.id").whereRef("Job.key", "=", "DlqMessageState.jobKey"))))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/**
 * Jobs that ended before `finishedBefore` yet still hold QUEUED claims: their cleanup (which credits
 * what their last transaction committed, then releases the rest) failed or never ran, e.g. the
 * worker died or Kafka was away when the job ended. Without a sweep those records stay queued forever.
 */
export async function listEndedJobsHoldingClaims(clusterName: string, finishedBefore: Date): Promise<{ id: number; key: string; kind: string; params: unknown }[]> {
  return getSql()
    .selectFrom("Job as j")
    .select(["j.id", "j.key", "j.kind", "j.params"])
    .where("j.clusterName", "=", clusterName)
    .where("j.status", "in", ["COMPLETED", "CANCELLED", "FAILED"])
    .where("j.finishedAt", "<", utc(finishedBefore))
    .where(({ exists, selectFrom }) => exists(selectFrom("DlqMessageState as s").select("s.jobKey").whereRef("s.jobKey", "=", "j.key").where("s.status", "=", "QUEUED")))
    .orderBy("j.id")
    .execute();
}

export async function listDlqStates(clusterName: string, topic: string): Promise<DlqStateRow[]> {
  const rows = await getDb().dlqMessageState.findMany({ where: { clusterName, topic } });
  return rows.map(toRow);
}

export async function findDlqState(clusterName: string, topic: string, position: DlqPosition): Promise<DlqStateRow | null> {
  const row = await getDb().dlqMessageState.findUnique({ where: { clusterName_topic_partition_offset: { clusterName, topic, partition: position.partition, offset: BigInt(position.offset) } } });
  return row ? toRow(row) : null;
}
