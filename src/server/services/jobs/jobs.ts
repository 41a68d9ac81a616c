// Durable jobs as the API sees them: create (audited, queued), pause, resume, cancel, list, and a
// live feed of changes. Job kinds (replay, redrive) call `createJob` with their own parameters.
import { grantsOf } from "~/server/services/auth/authorize";
import { hasRole } from "~/server/services/auth/roles";
import { randomUUID } from "node:crypto";
import {
  CHANNELS,
  findJob,
  findJobByIdempotencyKey,
  insertJob,
  listJobRows,
  notificationBatches,
  notify,
  requestJob,
  sendDelivery,
  setJobDelivery,
  transitionJob,
  type Actor,
  type AuditRecord,
  type PrismaTx,
  type JobRow,
  type JobStatus,
} from "~/server/catalog";
import { AppError } from "~/server/errors";
import { assertCanStartJob } from "~/server/services/limits/jobs";
import { EMPTY_PROGRESS, type JobProgress } from "./types";

export interface JobView {
  id: number;
  kind: string;
  status: JobStatus;
  requested: string | null;
  params: unknown;
  progress: JobProgress;
  summary: string;
  createdBy: string;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  heartbeatAt: Date | null;
  attempts: number;
  error: string | null;
  /** Names the job's Kafka transactional id and checkpoint group. */
  key: string;
}

export function toJobView(row: JobRow): JobView {
  return {
    id: row.id,
    kind: row.kind,
    status: row.status,
    requested: row.requested,
    params: row.params,
    progress: { ...EMPTY_PROGRESS, ...(row.progress as Partial<JobProgress>) },
    summary: row.summary,
    createdBy: row.createdBy,
    createdAt: row.createdAt,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
    heartbeatAt: row.heartbeatAt,
    attempts: row.attempts,
    error: row.error,
    key: row.key,
  };
}

async function announce(id: number): Promise<void> {
  await notify(CHANNELS.jobs, JSON.stringify({ id })).catch(() => undefined);
}

/** Queues a delivery; if that fails, the worker's reaper delivers the job later, so nothing is lost. */
async function deliver(id: number): Promise<void> {
  try {
    await setJobDelivery(id, await sendDelivery(id));
  } catch {
    // The row is QUEUED without a delivery: the reaper's next pass sends one.
  }
}

/** The topics a job reads and writes (a replay's source and target; a redrive's DLQ and targets), for scope checks. */
export function topicsOfJob(job: Pick<JobView, "params">): string[] {
  const p = (job.params ?? {}) as { request?: { sourceTopic?: unknown; targetTopic?: unknown }; dlqTopic?: unknown; targetTopic?: unknown; fallbackTopic?: unknown };
  return [p.request?.sourceTopic, p.request?.targetTopic, p.dlqTopic, p.targetTopic, p.fallbackTopic].filter((t): t is string => typeof t === "string" && t.length > 0);
}

const startsInFlight = new Map<string, Promise<JobView>>();

/**
 * Starts a job at most once per idempotency key and actor: a repeated submit (a double click, a
 * retried request) gets the job the first one started. Concurrent repeats in this process wait for
 * the first; later ones find it in the catalog; a race between processes ends at the unique index.
 */
export async function startOnce(actor: Actor, idempotencyKey: string | null | undefined, start: () => Promise<JobView>): Promise<JobView> {
  if (!idempotencyKey) return start();
  const id = `${actor.email}\n${idempotencyKey}`;
  const running = startsInFlight.get(id);
  if (running) return running;
  const attempt = (async () => {
    const existing = await findJobByIdempotencyKey(actor.email, idempotencyKey);
    return existing ? toJobView(existing) : start();
  })().finally(() => startsInFlight.delete(id));
  startsInFlight.set(id, attempt);
  return attempt;
}

export interface NewJob {
  kind: string;
  /** Chosen by a job kind that records it elsewhere first (a DLQ redrive claims records under it). */
  key?: string;
  params: unknown;
  summary: string;
  expected: number | null;
  toRead: number | null;
  /** The caller's own entry for the action that started the job, written with the job. */
  audit?: (jobId: number) => AuditRecord;
  idempotencyKey?: string | null;
}

/**
 * Writes the job's row and its audit entries, not yet delivered to a worker: `queueJob` does that.
 * Given `tx`, in that transaction, so a job kind can write what belongs to the job with it.
 */
export async function recordJob(actor: Actor, clusterName: string, input: NewJob, tx?: PrismaTx): Promise<JobRow> {
  // The role the job is recorded under: the actor's own, or, for someone who holds a role only through
  // a scoped binding (already checked for this job's topics by the router), that binding's.
  const createdByRole = actor.role ?? grantsOf(actor).find((g) => hasRole(g.role, "support"))?.role ?? grantsOf(actor)[0]?.role;
  if (!createdByRole) throw new AppError("FORBIDDEN", `${actor.email} has no role, so cannot start a job.`);
  return insertJob(
    {
      kind: input.kind,
      key: input.key ?? randomUUID(),
      clusterName,
      params: input.params,
      progress: { ...EMPTY_PROGRESS, expected: input.expected, toRead: input.toRead },
      summary: input.summary,
      createdBy: actor.email,
      createdByRole,
      idempotencyKey: input.idempotencyKey ?? null,
    },
    (job) => [
      { actor, action: `job.create`, targetType: "job", targetId: String(job.id), details: { kind: input.kind, summary: input.summary, params: input.params as object } },
      ...(input.audit ? [input.audit(job.id)] : []),
    ],
    tx,
  );
}

/** Hands a recorded job to the workers (once its transaction committed) and announces it. */
export async function queueJob(row: JobRow): Promise<JobView> {
  await deliver(row.id);
  await announce(row.id);
  return toJobView((await findJob(row.id)) ?? row);
}

/** Records a job and queues it. */
export async function createJob(actor: Actor, clusterName: string, input: NewJob): Promise<JobView> {
  return queueJob(await recordJob(actor, clusterName, input));
}

async function mustFind(id: number): Promise<JobRow> {
  const row = await findJob(id);
  if (!row) throw new AppError("NOT_FOUND", `No job #${id}.`);
  return row;
}

export async function pauseJob(actor: Actor, id: number): Promise<JobView> {
  const before = await mustFind(id);
  const row = await requestJob(id, "pause", (r) => ({ actor, action: "job.pause", targetType: "job", targetId: String(id), details: { kind: r.kind, progress: r.progress as object } }));
  if (!row) throw new AppError("CONFLICT", `Job #${id} is ${before.status.toLowerCase()}; only a queued or running job can be paused.`);
  await announce(id);
  return toJobView(row);
}

export async function resumeJob(actor: Actor, id: number): Promise<JobView> {
  const before = await mustFind(id);
  // A resumed job is queued again, so it counts against its creator's limit like a new one.
  if (before.status === "PAUSED") await assertCanStartJob(before.createdBy);
  const row = await transitionJob(id, ["PAUSED"], { status: "QUEUED", requested: null }, (r) => ({ actor, action: "job.resume", targetType: "job", targetId: String(id), details: { kind: r.kind } }));
  if (!row) throw new AppError("CONFLICT", `Job #${id} is ${before.status.toLowerCase()}; only a paused job can be resumed.`);
  await deliver(id);
  await announce(id);
  return toJobView((await findJob(id))!);
}

export async function cancelJob(actor: Actor, id: number): Promise<JobView> {
  const before = await mustFind(id);
  // A paused job has no runner: it goes back to the queue marked "cancel", and the worker records the
  // outcome and releases its checkpoint, the same way as for a running one.
  const audit = (r: JobRow) => ({ actor, action: "job.cancel", targetType: "job", targetId: String(id), details: { kind: r.kind, progress: r.progress as object } });
  const row = (await transitionJob(id, ["PAUSED"], { status: "QUEUED", requested: "cancel" }, audit)) ?? (await requestJob(id, "cancel", audit));
  if (!row) throw new AppError("CONFLICT", `Job #${id} is already ${before.status.toLowerCase()}.`);
  if (before.status === "PAUSED") await deliver(id);
  await announce(id);
  return toJobView(row);
}

export async function listJobs(clusterName: string, kind?: string, limit = 200): Promise<JobView[]> {
  return (await listJobRows({ clusterName, kind, limit })).map(toJobView);
}

export async function getJob(id: number): Promise<JobView> {
  return toJobView(await mustFind(id));
}

/** Yields the id of each job that changed (created, progressed, finished), until `signal` aborts. */
export async function* jobChanges(signal?: AbortSignal): AsyncGenerator<{ id: number }> {
  for await (const batch of notificationBatches(CHANNELS.jobs, signal)) {
    // Several reports of one job collapse into one: the page refetches what it shows anyway.
    const ids = new Set<number>();
    for (const payload of batch) {
      try {
        ids.add((JSON.parse(payload) as { id: number }).id);
      } catch {
        // Not ours; ignore.
      }
    }
    for (const id of ids) yield { id };
  }
}
