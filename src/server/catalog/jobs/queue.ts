// The job queue: pg-boss on the catalog's PostgreSQL delivers "run job N" to one worker at a time
// (SELECT … FOR UPDATE SKIP LOCKED). pg-boss 10 is the newest line that runs on Node 20; pg-boss
// 11+ needs Node 22. A delivery only says "someone should run job N now"; the job row and its
// advisory lock decide what actually runs (see src/worker/jobs/runner.ts; the rows are in ./rows.ts).
import "server-only";
import PgBoss from "pg-boss";
import { getEnv } from "~/env";
import { createLogger } from "~/lib/logger";

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
  const ids: string[] = [];
  for (let i = 0; i < concurrency; i += 1) {
    ids.push(
      await boss.work<{ jobId: number }>(JOB_QUEUE, { batchSize: 1, pollingIntervalSeconds: 1 }, async ([job]) => {
        if (job) await handle({ deliveryId: job.id, jobId: job.data.jobId });
      }),
    );
  }
  return async () => {
    await Promise.all(ids.map((id) => boss.offWork({ id }).catch(() => undefined)));
  };
}

export async function stopJobQueue(): Promise<void> {
  const pending = globalForQueue.__signalboxJobQueue;
  globalForQueue.__signalboxJobQueue = undefined;
  if (!pending) return;
  const boss = await pending.catch(() => null);
  await boss?.stop({ graceful: false, wait: true, timeout: 5000 }).catch(() => undefined);
}
