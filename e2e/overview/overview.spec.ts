import path from "node:path";
import { E2E_STACK } from "../../scripts/lib/test-ports";
import { expect, test } from "../fixtures";

test("Overview shows the live cluster, matching Kafka's own tools", async ({ overview, kafka, page }) => {
  await overview.goto();

  await expect(overview.kafkaStatus.getByText("healthy")).toBeVisible();
  await expect(overview.dbStatus.getByText("healthy")).toBeVisible();
  await expect(overview.workerStatus.getByText("healthy")).toBeVisible();
  await expect(overview.liveIndicator).toContainText("Live");

  await expect(overview.clusterId).toHaveText(await kafka.clusterId());
  await expect(overview.brokers).toHaveText(`127.0.0.1:${E2E_STACK.kafkaPort}`);
  await expect(overview.kafkaVersion).toHaveText(/^\d+\.\d+$/);
  // One broker holds every replica: nothing is under-replicated or offline, and no banner says so.
  await expect(page.getByTestId("under-replicated")).toHaveText("0");
  await expect(page.getByTestId("offline-partitions")).toHaveText("0");
  await expect(page.getByTestId("replica-health")).toHaveCount(0);

  // The demo system creates its topics and groups as it starts; the page follows by itself.
  await expect(async () => {
    const topics = await kafka.topics();
    expect(topics).toEqual(expect.arrayContaining(["orders", "payments", "inventory", "notifications", "payments.DLQ"]));
    await expect(overview.count("topics")).toHaveText(String(topics.length), { timeout: 3000 });
    await expect(overview.count("partitions")).toHaveText(String(await kafka.partitionCount()), { timeout: 3000 });
    const groups = await kafka.groups();
    expect(groups).toEqual(expect.arrayContaining(["payment-service", "inventory-service", "notification-service"]));
    await expect(overview.count("groups")).toHaveText(String(groups.length), { timeout: 3000 });
  }).toPass({ timeout: 60_000 });

  // The demo dead-letters a share of its payments: the DLQ card flags payments.DLQ as growing.
  await expect(page.locator('[data-testid="dlq-card-growing"][data-topic="payments.DLQ"]')).toBeVisible({ timeout: 45_000 });
  await expect(page.getByTestId("dlq-card-summary")).toContainText("waiting in");

  await page.screenshot({ path: path.join(import.meta.dirname, "../artifacts/overview.png"), fullPage: true });
});

test("the health endpoint answers JSON in the documented shape", async ({ request, kafka }) => {
  const response = await request.get("/api/health");
  expect(response.status()).toBe(200);
  const body = await response.json();
  expect(body).toMatchObject({
    status: "ok",
    kafka: { ok: true, brokers: [`127.0.0.1:${E2E_STACK.kafkaPort}`], clusterId: await kafka.clusterId() },
    db: { ok: true },
    worker: { ok: true },
  });
  expect(typeof body.kafka.latencyMs).toBe("number");
  expect(Date.parse(body.worker.lastSeen)).not.toBeNaN();
});
