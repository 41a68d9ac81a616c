// At-least-once delivery, seen in a trace: the demo's outbox relay delivers a share of orders twice
// (DEMO_DUPLICATE_RATE); payment-service skips the copy, notification-service does not. The trace of
// such an order says both, and marks the rows.
import path from "node:path";
import { kcatConsume } from "../../scripts/lib/kcat";
import { E2E_STACK } from "../../scripts/lib/test-ports";
import { expect, test } from "../fixtures";

const ARTIFACTS = path.join(import.meta.dirname, "../artifacts");
const bootstrap = `127.0.0.1:${E2E_STACK.kafkaPort}`;

const causedBy = (records: Awaited<ReturnType<typeof kcatConsume>>, id: string) => records.filter((r) => r.headers.some(([k, v]) => k === "causationId" && v === id));

/**
 * An OrderPlaced that is twice on the orders topic, was paid or declined (not dead-lettered), and was
 * notified twice (notification-service is slow and may be far behind), read with kcat (independent
 * of Signalbox), and when it was written.
 */
async function duplicatedOrder(): Promise<{ eventId: string; at: number } | null> {
  const seen = new Map<string, number>();
  const [payments, notifications] = [await kcatConsume(bootstrap, "payments"), await kcatConsume(bootstrap, "notifications")];
  for (const record of await kcatConsume(bootstrap, "orders")) {
    const eventId = record.headers.find(([k]) => k === "eventId")?.[1];
    const type = record.headers.find(([k]) => k === "eventType")?.[1];
    if (!eventId || type !== "OrderPlaced") continue;
    const count = (seen.get(eventId) ?? 0) + 1;
    seen.set(eventId, count);
    if (count === 2 && causedBy(payments, eventId).length > 0 && causedBy(notifications, eventId).length >= 2) {
      return { eventId, at: Date.parse((JSON.parse(record.value!.toString("utf8")) as { timestamp: string }).timestamp) };
    }
  }
  return null;
}

test("the trace of an order delivered twice says so, and names the service that answered it twice", async ({ page }) => {
  test.setTimeout(180_000);
  // 2 % of 5 orders a second are delivered twice; the slow notification-service answers them in time.
  let order: { eventId: string; at: number } | null = null;
  await expect.poll(async () => (order = await duplicatedOrder()) !== null, { timeout: 150_000, intervals: [5000] }).toBe(true);

  await page.goto(`/c/local/messages/trace?id=${order!.eventId}&at=${order!.at}&topics=orders,payments,inventory,notifications`);
  await page.getByTestId("trace-run").click();
  const findings = page.getByTestId("trace-findings");
  await expect(findings.getByTestId("finding-redelivered")).toContainText(`OrderPlaced ${order!.eventId} was delivered 2× on orders`, { timeout: 60_000 });
  await expect(findings.getByTestId("finding-repeated")).toContainText("notification-service sent 2 NotificationSent for one OrderPlaced");
  await expect(page.locator('[data-testid="timeline-row"][data-finding="delivered again"][data-event-type="OrderPlaced"]')).toHaveCount(1);
  await expect(page.locator('[data-testid="timeline-row"][data-event-type="NotificationSent"] [data-testid="timeline-finding"]')).toHaveText(["answered 2× for one cause"]);
  // payment-service is idempotent: one payment answer for the order.
  await expect(page.locator('[data-testid="timeline-row"][data-event-type="PaymentSucceeded"], [data-testid="timeline-row"][data-event-type="PaymentFailed"]')).toHaveCount(1);
  await page.screenshot({ path: path.join(ARTIFACTS, "trace-duplicates.png"), fullPage: true });
});
