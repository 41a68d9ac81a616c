// The job queue: pg-boss on the catalog's PostgreSQL delivers "run job N" to one worker at a time
// (SELECT … FOR UPDATE SKIP LOCKED). pg-boss 10 is the newest line that runs on Node 20; pg-boss
// 11+ needs Node 22. A delivery only says "someone should run job N now"; the job row and its
// advisory lock decide what actually runs (see src/worker/jobs/runner.ts; the rows are in ./rows.ts).
import "server-only";
import PgBoss from "pg-boss";
import { getEnv } from "~/env";
import { createLogger } from "~/lib/logger";
import { sleep } from "~/lib/time";

const log = createLogger("job-queue");
export const JOB_QUEUE = "signalbox-jobs";

export interface JobDelivery {
  deliveryId: string;
  jobId: number;
}

export type DeliveryState = "created" | "retry" | "active" | "completed" | "cancelled" | "failed";

const globalForQueue = globalThis as unknown as { __signalboxJobQueue?: Promise<PgBoss> };

/**
 * The process's pg-boss instance. The worker supervises (expiry, archiving); the web app only sends.
 */
export function getJobQueue(options: { supervise: boolean } = { supervise: false }): Promise<PgBoss> {
  globalForQueue.__signalboxJobQueue ??= (async () => {
    const boss = new PgBoss({
      connectionString: getEnv().DATABASE_URL,
      schema: "pgboss",
      max: 4,
      supervise: options.supervise,
      schedule: false,
      migrate: true,
    });
    boss.on("error", (error) => log.warn("pg-boss error", { error: error.message }));
    await boss.start();
    // Deliveries are not retried by pg-boss: the runner records failures itself, and the
    // worker's reaper re-delivers jobs whose runner died (see runner.ts).
    await createQueueOnce(boss, { name: JOB_QUEUE, policy: "standard", retryLimit: 0, expireInHours: 23, retentionDays: 7 });
    return boss;
  })().catch((error) => {
    globalForQueue.__signalboxJobQueue = undefined;
    throw error;
  });
  return globalForQueue.__signalboxJobQueue;
}

/** Creates `queue` unless it exists (pg-boss keeps queues, with their options, in its schema). */
export async function createQueueOnce(boss: PgBoss, queue: PgBoss.Queue): Promise<void> {
  await boss.createQueue(queue.name, queue).catch(async (error: Error) => {
    if (!/already exists/i.test(error.message)) throw error;
  });
}

export async function sendDelivery(jobId: number, options: { startAfterSeconds?: number } = {}): Promise<string> {
  const boss = await getJobQueue();
  const id = options.startAfterSeconds ? await boss.sendAfter(JOB_QUEUE, { jobId }, {}, options.startAfterSeconds) : await boss.send(JOB_QUEUE, { jobId });
  if (!id) throw new Error(`pg-boss refused to queue job ${jobId}`);
  return id;
}

export async function deliveryState(deliveryId: string): Promise<{ state: DeliveryState; startedOn: Date | null } | null> {
  const boss = await getJobQueue();
  const job = await boss.getJobById(JOB_QUEUE, deliveryId);
  return job ? { state: job.state, startedOn: job.startedOn ?? null } : null;
}

export async function cancelDelivery(deliveryId: string): Promise<void> {
  const boss = await getJobQueue();
  await boss.cancel(JOB_QUEUE, deliveryId).catch(() => undefined);
}

/** Calls `handle` for each delivery, `concurrency` at a time; polls every second. Returns a stop function. */
export async function workDeliveries(concurrency: number, handle: (delivery: JobDelivery) => Promise<void>): Promise<() => Promise<void>> {
  const boss = await getJobQueue({ supervise: true });
  return pollDeliveries<{ jobId: number }>(boss, JOB_QUEUE, { concurrency, pollSeconds: 1 }, (job) => handle({ deliveryId: job.id, jobId: job.data.jobId }));
}

/** What pollDeliveries needs of pg-boss (a fake one in its tests). */
export type DeliverySource = Pick<PgBoss, "fetch" | "complete" | "fail">;

/**
 * Takes deliveries of `queue` and calls `handle` for each, `concurrency` at a time, polling every
 * `pollSeconds` while there are none; then completes the delivery, or fails it (pg-boss retries it,
 * if its queue allows) when `handle` threw. Returns a function that stops taking deliveries and
 * waits for those being handled.
 *
 * Our own loop rather than pg-boss's `work()`: pg-boss 10 completes or fails a delivery without
 * awaiting it, so when PostgreSQL restarted at that moment the rejection went unhandled and ended
 * the worker process (found by the chaos suite, pg_ctl stop -m fast mid-job).
 */
export function pollDeliveries<T>(boss: DeliverySource, queue: string, options: { concurrency: number; pollSeconds: number }, handle: (job: PgBoss.JobWithMetadata<T>) => Promise<void>): () => Promise<void> {
  const stopped = new AbortController();
  let fetchFailing = false;
  const slot = async () => {
    while (!stopped.signal.aborted) {
      let job: PgBoss.JobWithMetadata<T> | undefined;
      try {
        [job] = await boss.fetch<T>(queue, { batchSize: 1, includeMetadata: true });
        if (fetchFailing) log.info("taking deliveries again", { queue });
        fetchFailing = false;
      } catch (error) {
        // Logged once while it lasts: the database is away, and every slot polls.
        if (!fetchFailing) log.warn("could not take deliveries; retrying", { queue, error: (error as Error).message });
        fetchFailing = true;
      }
      if (!job) {
        await sleep(options.pollSeconds * 1000, stopped.signal);
        continue;
      }
      let failure: Error | null = null;
      try {
        await handle(job);
      } catch (error) {
        failure = error instanceof Error ? error : new Error(String(error));
      }
      try {
        if (failure) await boss.fail(queue, job.id, { message: failure.message });
        else await boss.complete(queue, job.id);
      } catch (error) {
        // The delivery stays active until it expires; the job's own row says what happened to it.
        log.warn("could not record a delivery's outcome", { queue, deliveryId: job.id, error: (error as Error).message });
      }
    }
  };
  const slots = Array.from({ length: options.concurrency }, slot);
  return async () => {
    stopped.abort();
    await Promise.all(slots);
  };
}

export async function stopJobQueue(): Promise<void> {
  const pending = globalForQueue.__signalboxJobQueue;
  globalForQueue.__signalboxJobQueue = undefined;
  if (!pending) return;
  const boss = await pending.catch(() => null);
  await boss?.stop({ graceful: false, wait: true, timeout: 5000 }).catch(() => undefined);
}
