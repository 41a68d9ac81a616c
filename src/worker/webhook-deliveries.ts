// Delivers queued alert webhooks in the worker, apart from the sampler loop (see
// catalog/webhook-queue.ts for why).
import type { Env } from "~/env";
import { createLogger } from "~/lib/logger";
import { workWebhookDeliveries } from "~/server/catalog";
import { runWebhookDelivery } from "~/server/services/alerts/webhook-jobs";
import { webhookPolicy } from "~/server/services/alerts/webhook-policy";
import { startWithRetry } from "./failure-log";

const log = createLogger("alerts");
/** Deliveries in flight at once; each is bounded by its own 5 s deadline. */
const WEBHOOK_CONCURRENCY = 4;

/** Starts delivering, retrying every few seconds while the database is away; null if the worker stops first. */
export function startWebhookDeliveries(env: Env, signal: AbortSignal): Promise<(() => Promise<void>) | null> {
  const policy = webhookPolicy(env.WEBHOOK_ALLOWED_HOSTS);
  return startWithRetry(log, "webhook deliveries", () => workWebhookDeliveries(WEBHOOK_CONCURRENCY, (job, attempt) => runWebhookDelivery(job, attempt, { policy })), signal);
}
