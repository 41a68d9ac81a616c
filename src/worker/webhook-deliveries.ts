// Delivers queued alert webhooks in the worker, apart from the sampler loop (see
// catalog/webhook-queue.ts for why).
import type { Env } from "~/env";
import { createLogger } from "~/lib/logger";
import { sleep } from "~/lib/time";
import { workWebhookDeliveries } from "~/server/catalog";
import { describeError } from "~/server/errors";
import { runWebhookDelivery } from "~/server/services/alerts/webhook-jobs";
import { webhookPolicy } from "~/server/services/alerts/webhook-policy";

const log = createLogger("alerts");
/** Deliveries in flight at once; each is bounded by its own 5 s deadline. */
const WEBHOOK_CONCURRENCY = 4;

/** Starts delivering, retrying every few seconds while the database is away; null if the worker stops first. */
export async function startWebhookDeliveries(env: Env, signal: AbortSignal): Promise<(() => Promise<void>) | null> {
  const policy = webhookPolicy(env.WEBHOOK_ALLOWED_HOSTS);
  let lastError: string | null = null;
  while (!signal.aborted) {
    try {
      return await workWebhookDeliveries(WEBHOOK_CONCURRENCY, (job, attempt) => runWebhookDelivery(job, attempt, { policy }));
    } catch (error) {
      const message = describeError(error);
      if (message !== lastError) log.error("webhook deliveries could not start; retrying", { error: message });
      lastError = message;
      await sleep(5000, signal);
    }
  }
  return null;
}
