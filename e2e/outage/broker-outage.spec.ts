import path from "node:path";
import { expect, test } from "../fixtures";

test("stopping the broker shows on the Overview within seconds, and the page recovers by itself", async ({ overview, kafka, page, request }) => {
  test.setTimeout(180_000);
  await overview.goto();
  const clusterId = await kafka.clusterId();
  await expect(overview.clusterId).toHaveText(clusterId);

  await kafka.stopBroker();
  try {
    await expect(overview.kafkaDownBanner).toBeVisible({ timeout: 20_000 });
    await expect(overview.kafkaDownBanner).toContainText("unreachable");
    await expect(overview.kafkaStatus.getByText("down")).toBeVisible();
    // Still the Overview, not an error page.
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Overview");
    expect((await request.get("/api/health")).status()).toBe(503);
    await page.screenshot({ path: path.join(import.meta.dirname, "../artifacts/overview-broker-down.png"), fullPage: true });
  } finally {
    await kafka.startBroker();
  }

  // No reload: the live subscription brings the page back.
  await expect(overview.kafkaDownBanner).toBeHidden({ timeout: 60_000 });
  await expect(overview.clusterId).toHaveText(clusterId);
  await expect(overview.kafkaStatus.getByText("healthy")).toBeVisible();
  await expect.poll(async () => (await request.get("/api/health")).status(), { timeout: 30_000 }).toBe(200);
});
