// Alert webhook deliveries: a pg-boss queue of its own, beside the durable-job queue. Unlike durable
// jobs (one row each, resumed by the runner's reaper), a delivery is small and idempotent enough
// for pg-boss's own retries: a failed attempt is thrown back and pg-boss schedules the next with
// exponential backoff. The sampler only enqueues, so a hung receiver never stalls sampling.
import "server-only";
import type PgBoss from "pg-boss";
import { createQueueOnce, getJobQueue, pollDeliveries } from "./jobs/queue";

export const WEBHOOK_QUEUE = "signalbox-webhooks";

/** What a delivery carries. The URL is not in it: it may hold a token, and is read from the rule when sending. */
export interface WebhookJob {
  alertId: string;
  /** The change this delivery announces. */
  alertState: "FIRING" | "RESOLVED";
  ruleId: string;
  payload: Record<string, unknown>;
}

export interface WebhookRetry {
  /** Attempts in all, the first included. */
  attempts: number;
  /** pg-boss waits about this many seconds × 2^(retry) (with jitter) before each retry. */
  retryDelaySeconds: number;
}

/** 5 attempts over roughly 15 to 30 seconds. */
export const WEBHOOK_RETRY: WebhookRetry = { attempts: 5, retryDelaySeconds: 1 };

// A worker that dies mid-delivery leaves the job active; after this it expires and is retried.
// Far above the delivery's own 5 s deadline.
const WEBHOOK_QUEUE_OPTIONS: PgBoss.Queue = {
  name: WEBHOOK_QUEUE,
  policy: "standard",
  retryLimit: WEBHOOK_RETRY.attempts - 1,
  retryDelay: WEBHOOK_RETRY.retryDelaySeconds,
  retryBackoff: true,
  expireInSeconds: 60,
  retentionDays: 1,
};

const queueReady = new WeakSet<PgBoss>();

async function webhookQueue(options: { supervise: boolean } = { supervise: false }): Promise<PgBoss> {
  const boss = await getJobQueue(options);
  if (!queueReady.has(boss)) {
    await createQueueOnce(boss, WEBHOOK_QUEUE_OPTIONS);
    queueReady.add(boss);
  }
  return boss;
}

export async function enqueueWebhook(job: WebhookJob, retry: WebhookRetry = WEBHOOK_RETRY): Promise<string> {
  const boss = await webhookQueue();
  const id = await boss.send(WEBHOOK_QUEUE, job, { retryLimit: retry.attempts - 1, retryDelay: retry.retryDelaySeconds, retryBackoff: true });
  if (!id) throw new Error(`pg-boss refused to queue the webhook of alert ${job.alertId}`);
  return id;
}

// Each idle slot polls PostgreSQL this often; a slot that just finished a delivery looks again at once.
const POLL_SECONDS = 2;

export interface WebhookAttempt {
  /** 1 for the first attempt. */
  number: number;
  of: number;
}

/**
 * Calls `handle` for each delivery, `concurrency` at a time. A handler that throws fails the
 * attempt, and pg-boss retries it while attempts remain. Returns a stop function.
 */
export async function workWebhookDeliveries(concurrency: number, handle: (job: WebhookJob, attempt: WebhookAttempt) => Promise<void>): Promise<() => Promise<void>> {
  const boss = await webhookQueue({ supervise: true });
  return pollDeliveries<WebhookJob>(boss, WEBHOOK_QUEUE, { concurrency, pollSeconds: POLL_SECONDS }, (job) => handle(job.data, { number: job.retryCount + 1, of: job.retryLimit + 1 }));
}
