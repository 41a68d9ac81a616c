// Durable jobs in PostgreSQL: the rows (parameters, status, progress, history) and the per-job
// advisory lock a runner holds while it works. State changes are conditional updates, so a
// request and a runner racing on the same job cannot both win.
import "server-only";
import { writeAudit, type AuditRecord } from "../audit";
import { sql } from "kysely";
import { getDb, getSql, inTransaction, type PrismaTx } from "../db";
import type { JobStatus } from "../generated/prisma/client";
import { advisoryLease, type Lease } from "../leases";
import type { Role } from "../types";

export type { JobStatus };
export const TERMINAL_JOB_STATUSES: JobStatus[] = ["COMPLETED", "CANCELLED", "FAILED"];

export interface JobRow {
  id: number;
  kind: string;
  key: string;
  clusterName: string;
  status: JobStatus;
  requested: string | null;
  params: unknown;
  progress: unknown;
  summary: string;
  createdBy: string;
  createdByRole: Role;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  updatedAt: Date;
  attempts: number;
  workerId: string | null;
  heartbeatAt: Date | null;
  deliveryId: string | null;
  error: string | null;
}

/**
 * Inserts a job and its audit entries (which name its id) in one transaction: never one without the
 * other. Given `tx`, in that transaction, with whatever else the caller writes (a redrive's claims).
 */
export async function insertJob(
  input: { kind: string; key: string; clusterName: string; params: unknown; progress: unknown; summary: string; createdBy: string; createdByRole: Role; idempotencyKey?: string | null },
  audits: (row: JobRow) => AuditRecord[] = () => [],
  tx?: PrismaTx,
): Promise<JobRow> {
  const write = async (db: PrismaTx) => {
    const row = await db.job.create({ data: { ...input, params: input.params as object, progress: input.progress as object } });
    for (const audit of audits(row)) await writeAudit(audit, db);
    return row;
  };
  return tx ? write(tx) : inTransaction(write);
}

export async function findJobByIdempotencyKey(createdBy: string, idempotencyKey: string): Promise<JobRow | null> {
  return getDb().job.findUnique({ where: { createdBy_idempotencyKey: { createdBy, idempotencyKey } } });
}

export async function findJob(id: number): Promise<JobRow | null> {
  return getDb().job.findUnique({ where: { id } });
}

export async function listJobRows(options: { kind?: string; limit: number; clusterName: string }): Promise<JobRow[]> {
  return getDb().job.findMany({ where: { clusterName: options.clusterName, ...(options.kind ? { kind: options.kind } : {}) }, orderBy: { id: "desc" }, take: options.limit });
}

/** Jobs that should be running or waiting for a worker. */
export async function listActiveJobRows(): Promise<JobRow[]> {
  return getDb().job.findMany({ where: { status: { in: ["QUEUED", "RUNNING"] } }, orderBy: { id: "asc" } });
}

/** Jobs `createdBy` has queued or running, over every cluster: what the per-user job limit counts. */
export async function countActiveJobsCreatedBy(createdBy: string): Promise<number> {
  return getDb().job.count({ where: { createdBy, status: { in: ["QUEUED", "RUNNING"] } } });
}

/**
 * Moves a job from one of `from` to `to` with `data`; returns the updated row, or null when the
 * job was not in one of those states (someone else changed it first). With `audit`, the entry for
 * the change is written in the same transaction, and only when the change happened.
 */
export async function transitionJob(
  id: number,
  from: JobStatus[],
  data: Partial<Omit<JobRow, "id" | "params" | "progress">> & { progress?: unknown },
  audit?: (row: JobRow) => AuditRecord,
): Promise<JobRow | null> {
  const { progress, ...rest } = data;
  const write = async (db: PrismaTx) => {
    const result = await db.job.updateMany({ where: { id, status: { in: from } }, data: { ...rest, ...(progress !== undefined ? { progress: progress as object } : {}) } });
    if (result.count !== 1) return null;
    const row = await db.job.findUnique({ where: { id } });
    if (row && audit) await writeAudit(audit(row), db);
    return row;
  };
  return audit ? inTransaction(write) : write(getDb());
}

/** Records a pause or cancel request for the runner; only while the job can still act on it. */
export async function requestJob(id: number, request: "pause" | "cancel", audit?: (row: JobRow) => AuditRecord): Promise<JobRow | null> {
  return transitionJob(id, ["QUEUED", "RUNNING"], { requested: request }, audit);
}

export async function readJobRequest(id: number): Promise<{ status: JobStatus; requested: string | null } | null> {
  return getDb().job.findUnique({ where: { id }, select: { status: true, requested: true } });
}

export async function saveJobProgress(id: number, progress: unknown, now = new Date()): Promise<void> {
  await getDb().job.updateMany({ where: { id, status: "RUNNING" }, data: { progress: progress as object, heartbeatAt: now } });
}

export async function setJobDelivery(id: number, deliveryId: string): Promise<void> {
  await getDb().job.update({ where: { id }, data: { deliveryId } });
}

/** Advisory-lock keys of jobs: a fixed high part, so they never collide with the sampler lease. */
const JOB_LOCK_BASE = 0x5b0c_0000_0000;

export function jobLockKey(id: number): number {
  return JOB_LOCK_BASE + id;
}

/** The lock a runner holds while it works on job `id`; PostgreSQL drops it if the runner's process dies. */
export function jobLease(id: number): Lease {
  return advisoryLease(jobLockKey(id));
}

/**
 * Which of `ids` have a live runner, read from pg_locks without taking any lock (taking one to test
 * it would make a runner that is just starting fail to get it).
 */
export async function jobsWithLiveRunner(ids: number[]): Promise<Set<number>> {
  if (ids.length === 0) return new Set();
  const { rows } = await sql<{ key: string }>`
    SELECT ((classid::bigint << 32) | objid::bigint)::text AS key
    FROM pg_locks
    WHERE locktype = 'advisory' AND objsubid = 1 AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`.execute(getSql());
  const held = new Set(rows.map((r) => Number(r.key)));
  return new Set(ids.filter((id) => held.has(jobLockKey(id))));
}
