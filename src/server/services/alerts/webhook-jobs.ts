// Runs one queued webhook delivery (see catalog/webhook-queue.ts) and records its outcome on the
// alert: PENDING while attempts remain, DELIVERED, or FAILED with the reason operators see.
import { createLogger } from "~/lib/logger";
import { findAlertRuleWebhook, recordWebhookStatus, type WebhookAttempt, type WebhookDeliveryState, type WebhookJob } from "~/server/catalog";
import { deliverWebhook, type DeliveryOptions } from "./webhook-delivery";
import { webhookOrigin } from "./webhook-policy";

const log = createLogger("alerts");

/** Thrown to tell the queue that this attempt failed and another may succeed. */
export class RetryDelivery extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = "RetryDelivery";
  }
}

export async function runWebhookDelivery(job: WebhookJob, attempt: WebhookAttempt, options: DeliveryOptions): Promise<void> {
  // The alert shows the delivery of its latest change: once it resolved, the firing one's outcome is not recorded.
  const record = (state: WebhookDeliveryState, reason: string) => recordWebhookStatus(job.alertId, state, reason, job.alertState);
  const url = await findAlertRuleWebhook(job.ruleId);
  if (!url) {
    await record("FAILED", "the rule no longer has a webhook");
    return;
  }
  const outcome = await deliverWebhook(url, job.payload, options);
  if (outcome.ok) {
    await record("DELIVERED", outcome.reason);
    return;
  }
  // The URL's path and query may hold a token: logs get its origin only.
  const fields = { alert: job.alertId, origin: webhookOrigin(url), reason: outcome.reason, attempt: attempt.number, of: attempt.of };
  if (outcome.retry && attempt.number < attempt.of) {
    log.info("alert webhook attempt failed; will retry", fields);
    await record("PENDING", `attempt ${attempt.number} of ${attempt.of} failed: ${outcome.reason}`);
    throw new RetryDelivery(outcome.reason);
  }
  log.warn("alert webhook failed", fields);
  await record("FAILED", attempt.number > 1 ? `${outcome.reason} (after ${attempt.number} attempts)` : outcome.reason);
}
