// The worker's job runner: takes deliveries from pg-boss, runs each job under its advisory lock,
// records the outcome, and re-delivers jobs whose runner died (the reaper).
//
// Why a reaper: pg-boss 10 marks an active job as failed only after its expiry (we use 23 h, since
// a replay at a low rate can run for hours). A worker killed with -9 must not leave its job stuck
// that long. The job's runner holds a session-level advisory lock, which PostgreSQL releases the
// moment the runner's connection dies; so "RUNNING in the table, but nobody holds its lock" means
// the runner is gone, and the reaper (every few seconds, and at worker start) delivers it again.
// Each job runs against its own cluster (Job.clusterName), whichever clusters this worker samples.
import type { ClusterConnectionConfig } from "~/server/broker";
import {
  CHANNELS,
  cancelDelivery,
  deliveryState,
  findJob,
  isDatabaseUnavailable,
  jobLease,
  jobsWithLiveRunner,
  listActiveJobRows,
  notify,
  readJobRequest,
  saveJobProgress,
  sendDelivery,
  setJobDelivery,
  transitionJob,
  translateDatabaseError,
  workDeliveries,
  type Actor,
  type JobRow,
  type Lease,
} from "~/server/catalog";
import { createLogger } from "~/lib/logger";
import { sleep } from "~/lib/time";
import { describeError, isAppError } from "~/server/errors";
import { Pacer } from "~/server/services/jobs/pacer";
import { ProgressMeter } from "~/server/services/jobs/progress";
import { EMPTY_PROGRESS, type JobContext, type JobHandler, type JobProgress, type StopReason } from "~/server/services/jobs/types";

const log = createLogger("jobs");

/** Outcomes are audited by the worker itself, not a person. */
export const WORKER_ACTOR: Actor = { email: "worker@signalbox.local", name: "Signalbox worker", role: "admin" };

export interface JobRunnerOptions {
  workerId: string;
  concurrency: number;
  /** How often the reaper looks for jobs whose runner died. */
  reapIntervalMs: number;
  /** A delivery taken this recently may still be taking its lock; the reaper leaves it alone. */
  claimGraceMs: number;
  /** How long to wait before retrying a job that failed because Kafka or the database was away. */
  retryAfterMs: number;
}

/** Kafka or PostgreSQL away or not ready: the job resumes from its checkpoint later, it does not fail. */
const RETRYABLE = new Set(["BROKER_UNREACHABLE", "BROKER_TIMEOUT", "BROKER_NOT_READY", "DATABASE_UNAVAILABLE"]);

/** Whether a job that stopped with `error` should resume later rather than fail. */
export function isRetryable(error: unknown): boolean {
  const translated = translateDatabaseError(error);
  return isAppError(translated) && RETRYABLE.has(translated.code);
}
const PROGRESS_EVERY_MS = 500;
const CONTROL_EVERY_MS = 300;
const LEASE_CHECK_EVERY_MS = 5000;

export class JobRunner {
  private readonly handlers = new Map<string, JobHandler<unknown>>();
  private readonly running = new Map<number, AbortController>();
  private readonly shutdown = new AbortController();
  private stopWork: (() => Promise<void>) | null = null;
  private reaping: Promise<void> | null = null;

  constructor(
    /** How to reach a job's cluster by its name; null when Signalbox no longer knows it. */
    private readonly clusterOf: (name: string) => Promise<ClusterConnectionConfig | null>,
    handlers: JobHandler<never>[],
    private readonly options: JobRunnerOptions,
  ) {
    for (const h of handlers) this.handlers.set(h.kind, h as unknown as JobHandler<unknown>);
  }

  async start(): Promise<void> {
    // Reap first: after a crash, the jobs the dead worker held are delivered again right away.
    await this.reap().catch((error) => log.warn("reaper failed", { error: describeError(error) }));
    this.stopWork = await workDeliveries(this.options.concurrency, ({ jobId, deliveryId }) => this.handleDelivery(jobId, deliveryId));
    this.reaping = (async () => {
      while (!this.shutdown.signal.aborted) {
        await sleep(this.options.reapIntervalMs, this.shutdown.signal);
        if (this.shutdown.signal.aborted) break;
        await this.reap().catch((error) => log.warn("reaper failed", { error: describeError(error) }));
      }
    })();
    log.info("job runner started", { concurrency: this.options.concurrency, kinds: [...this.handlers.keys()] });
  }

  /** Stops taking deliveries, asks running jobs to stop at their next checkpoint, and waits for them. */
  async stop(): Promise<void> {
    this.shutdown.abort();
    for (const controller of this.running.values()) controller.abort();
    await this.stopWork?.();
    await this.reaping;
    const deadline = Date.now() + 20_000;
    while (this.running.size > 0 && Date.now() < deadline) await sleep(100);
  }

  /** Jobs whose runner is gone, or that lost their delivery, get a new delivery. */
  async reap(now = Date.now()): Promise<number[]> {
    const rows = await listActiveJobRows();
    if (rows.length === 0) return [];
    const live = await jobsWithLiveRunner(rows.map((r) => r.id));
    const redelivered: number[] = [];
    for (const row of rows) {
      if (live.has(row.id) || this.running.has(row.id)) continue;
      const delivery = row.deliveryId ? await deliveryState(row.deliveryId) : null;
      if (delivery && (delivery.state === "created" || delivery.state === "retry")) continue;
      const startedAt = delivery?.startedOn?.getTime() ?? 0;
      if (row.status === "QUEUED" && delivery?.state === "active" && now - startedAt < this.options.claimGraceMs) continue;
      if (delivery?.state === "active" && row.deliveryId) await cancelDelivery(row.deliveryId);
      await setJobDelivery(row.id, await sendDelivery(row.id));
      redelivered.push(row.id);
      log.info(row.status === "RUNNING" ? "job's runner is gone; delivering it again" : "queued job had no delivery; delivering it", { jobId: row.id, kind: row.kind });
    }
    return redelivered;
  }

  async handleDelivery(jobId: number, deliveryId: string): Promise<void> {
    // pg-boss can hand over a delivery it fetched just before stop(); a stopped runner must not
    // start the job (the reaper of a live runner delivers it again).
    if (this.shutdown.signal.aborted) {
      log.debug("runner is stopping; leaving the delivery", { jobId, deliveryId });
      return;
    }
    // Another delivery of a job this runner works on (its lock's connection died in a database restart,
    // so the reaper delivered it again): the lock would be free for a second runner in this process.
    if (this.running.has(jobId)) {
      log.debug("this runner already runs the job; leaving the delivery", { jobId, deliveryId });
      return;
    }
    const lease = jobLease(jobId);
    let acquired = false;
    try {
      acquired = await lease.tryAcquire();
    } catch (error) {
      log.warn("could not take the job's lock; the reaper will deliver it again", { jobId, error: describeError(error) });
      return;
    }
    if (!acquired) {
      log.debug("another runner holds this job", { jobId, deliveryId });
      return;
    }
    const controller = new AbortController();
    this.running.set(jobId, controller);
    try {
      await this.runLocked(jobId, deliveryId, lease, controller);
    } catch (error) {
      // Recording the job's state failed. Its row still says RUNNING and nobody holds its lock once
      // this one is released, so the reaper delivers it again.
      if (isDatabaseUnavailable(error)) log.warn("could not record the job's state: the database is away; it will be delivered again", { jobId, error: describeError(error) });
      else log.error("job runner failed unexpectedly", { jobId, error: describeError(error) });
    } finally {
      this.running.delete(jobId);
      await lease.release();
    }
  }

  private async runLocked(jobId: number, deliveryId: string, lease: Lease, controller: AbortController): Promise<void> {
    const row = await findJob(jobId);
    if (!row || (row.status !== "QUEUED" && row.status !== "RUNNING")) return;
    const handler = this.handlers.get(row.kind);
    if (row.requested === "cancel" || row.requested === "pause") {
      await this.finish(row, row.requested === "cancel" ? "CANCELLED" : "PAUSED", row.progress as JobProgress, handler);
      return;
    }
    if (!handler) {
      await this.finish(row, "FAILED", row.progress as JobProgress, undefined, `This worker has no handler for jobs of kind "${row.kind}".`);
      return;
    }
    const parsed = handler.paramsSchema.safeParse(row.params);
    if (!parsed.success) {
      await this.finish(row, "FAILED", row.progress as JobProgress, handler, `The job's parameters are invalid: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
      return;
    }
    const cluster = await this.clusterOf(row.clusterName);
    if (!cluster) {
      await this.finish(row, "FAILED", row.progress as JobProgress, handler, `The job's cluster "${row.clusterName}" is no longer known to Signalbox (removed in Settings or from the configuration).`);
      return;
    }
    const started = await transitionJob(jobId, ["QUEUED", "RUNNING"], {
      status: "RUNNING",
      attempts: row.attempts + 1,
      workerId: this.options.workerId,
      startedAt: row.startedAt ?? new Date(),
      heartbeatAt: new Date(),
      deliveryId,
      error: null,
    });
    if (!started) return;
    await notify(CHANNELS.jobs, JSON.stringify({ id: jobId })).catch(() => undefined);
    // Which worker ran which attempt, for whoever reads the logs after a crash (and the chaos suite).
    log.info(row.attempts > 0 ? "resuming job from its checkpoint" : "job started", { jobId, kind: row.kind, attempt: row.attempts + 1, workerId: this.options.workerId });

    let latest: JobProgress = { ...EMPTY_PROGRESS, ...(row.progress as Partial<JobProgress>) };
    let stopReason: StopReason | null = null;
    const meter = new ProgressMeter();
    let lastSaved = 0;
    let saving: Promise<void> = Promise.resolve();
    const save = (force = false) => {
      const now = Date.now();
      if (!force && now - lastSaved < PROGRESS_EVERY_MS) return;
      lastSaved = now;
      const snapshot = latest;
      saving = saving
        .then(() => saveJobProgress(jobId, snapshot))
        .then(() => notify(CHANNELS.jobs, JSON.stringify({ id: jobId })))
        .catch((error) => log.warn("could not save progress", { jobId, error: describeError(error) }));
    };

    let lastControl = 0;
    let lastLeaseCheck = Date.now();
    let leaseLost = false;
    // After a database restart the job's lock may be gone, and another runner may hold it now: that
    // runner owns the job, so this one must not record anything about it (not even a failure).
    const stillOurs = async () => !leaseLost && (await lease.tryAcquire().catch(() => false));
    const ctx: JobContext<unknown> = {
      job: { id: row.id, key: row.key, kind: row.kind, params: parsed.data, createdBy: row.createdBy, attempts: row.attempts + 1 },
      cluster,
      signal: controller.signal,
      pacer: new Pacer(handler.ratePerSec(parsed.data)),
      log: createLogger(`job-${jobId}`),
      progress: (p) => {
        latest = meter.measure({ ...p, expected: p.expected ?? latest.expected, toRead: p.toRead ?? latest.toRead }, Date.now());
        save();
      },
      stopRequested: async () => {
        if (stopReason) return stopReason;
        if (this.shutdown.signal.aborted) stopReason = "shutdown";
        const now = Date.now();
        if (!stopReason && now - lastControl >= CONTROL_EVERY_MS) {
          lastControl = now;
          const state = await readJobRequest(jobId);
          if (state?.requested === "pause" || state?.requested === "cancel") stopReason = state.requested;
          else if (!state || state.status !== "RUNNING") stopReason = "shutdown";
        }
        if (!stopReason && now - lastLeaseCheck >= LEASE_CHECK_EVERY_MS) {
          lastLeaseCheck = now;
          // Our lock's connection died (database restart) and another runner took the job: step back.
          if (!(await lease.tryAcquire().catch(() => false))) {
            leaseLost = true;
            stopReason = "shutdown";
          }
        }
        if (stopReason) controller.abort();
        return stopReason;
      },
    };

    try {
      const result = await handler.run(ctx);
      await saving;
      if (!(await stillOurs())) return this.leaveToNextRunner(jobId, null);
      if (result.outcome === "finished") {
        await this.finish(row, "COMPLETED", latest, handler, null, result.note);
      } else {
        const reason = stopReason ?? "shutdown";
        if (reason === "shutdown") await this.requeue(row, latest, null, 0);
        else await this.finish(row, reason === "cancel" ? "CANCELLED" : "PAUSED", latest, handler);
      }
    } catch (error) {
      await saving;
      // A fenced producer, a dropped connection: whoever holds the lock now decides, not this runner.
      if (!(await stillOurs())) return this.leaveToNextRunner(jobId, error);
      const message = describeError(translateDatabaseError(error));
      if (isRetryable(error) && !this.shutdown.signal.aborted) {
        log.warn("job interrupted; it will resume from its checkpoint", { jobId, error: message });
        await this.requeue(row, latest, message, this.options.retryAfterMs);
      } else if (this.shutdown.signal.aborted) {
        await this.requeue(row, latest, null, 0);
      } else {
        log.error("job failed", { jobId, error: message });
        await this.finish(row, "FAILED", latest, handler, message);
      }
    }
  }

  /**
   * This runner lost the job's lock (its connection died with a database restart): another runner
   * holds it now, or the reaper delivers the job again once the database answers. Nothing is
   * recorded: a requeue or a failure written now would overwrite the state of the runner that owns it.
   */
  private leaveToNextRunner(jobId: number, error: unknown): void {
    log.warn("lost the job's lock (database restart); leaving the job to whichever runner holds it now, or to the reaper", { jobId, ...(error ? { error: describeError(translateDatabaseError(error)) } : {}) });
  }

  /** Back to the queue (worker shutting down, or Kafka away): it resumes from its checkpoint, on this or another worker. */
  private async requeue(row: JobRow, progress: JobProgress, error: string | null, afterMs: number): Promise<void> {
    await transitionJob(row.id, ["RUNNING"], { status: "QUEUED", progress: { ...progress, ratePerSec: null, etaSeconds: null }, error, workerId: null });
    try {
      await setJobDelivery(row.id, await sendDelivery(row.id, { startAfterSeconds: Math.ceil(afterMs / 1000) }));
    } catch {
      // The reaper delivers it.
    }
    await notify(CHANNELS.jobs, JSON.stringify({ id: row.id })).catch(() => undefined);
  }

  private async finish(row: JobRow, status: "COMPLETED" | "CANCELLED" | "PAUSED" | "FAILED", progress: JobProgress, handler: JobHandler<unknown> | undefined, error: string | null = null, note?: string): Promise<void> {
    const terminal = status !== "PAUSED";
    // A job that is not running has no rate and no ETA.
    const final = { ...EMPTY_PROGRESS, ...progress, ratePerSec: null, etaSeconds: null, updatedAt: Date.now() };
    // The outcome and its audit entry in one transaction: never a finished job without its record.
    const updated = await transitionJob(
      row.id,
      ["QUEUED", "RUNNING"],
      { status, requested: null, progress: final, error, finishedAt: terminal ? new Date() : null, workerId: null },
      () => ({
        actor: WORKER_ACTOR,
        action: `job.${status.toLowerCase()}`,
        targetType: "job",
        targetId: String(row.id),
        details: { kind: row.kind, startedBy: row.createdBy, read: final.read, matched: final.matched, written: final.written, ...(error ? { error } : {}), ...(note ? { note } : {}) },
      }),
    );
    if (!updated) return;
    await notify(CHANNELS.jobs, JSON.stringify({ id: row.id })).catch(() => undefined);
    log.info(`job ${status.toLowerCase()}`, { jobId: row.id, kind: row.kind, written: final.written, ...(error ? { error } : {}) });
    if (terminal && handler?.cleanup) {
      // Not rethrown: the job's outcome is recorded already. A redrive's claims are swept by the DLQ
      // index loop (releaseClaimsOfEndedJobs), which runs this cleanup again until it succeeds.
      const cluster = await this.clusterOf(row.clusterName).catch(() => null);
      // Without its cluster there is nothing to clean up against; the DLQ index loop's sweep does it
      // if the cluster comes back.
      if (!cluster) log.error("job cleanup skipped: its cluster is unknown or unreadable", { jobId: row.id, cluster: row.clusterName });
      else await handler.cleanup({ id: row.id, key: row.key, params: row.params }, cluster).catch((e) => log.error("job cleanup failed", { jobId: row.id, error: describeError(e) }));
    }
  }
}
