// The DLQ page while no worker runs (the only writer of the DLQ index): it says so instead of
// "still reading" forever, an action that needs the whole index is refused with the reason and
// changes nothing, and once the worker runs again the page catches up by itself.
//
// The stack's worker is paused (SIGSTOP) rather than killed: a killed worker would have to be started
// again by this spec, outside the stack that owns it. A paused one sends no heartbeat and reads
// nothing, which is what the page must notice.
import path from "node:path";
import { kcatProduce } from "../../scripts/lib/kcat";
import { kafkaTool } from "../../scripts/lib/local-kafka";
import { E2E_STACK } from "../../scripts/lib/test-ports";
import { expect, test } from "../fixtures";

const bootstrap = `127.0.0.1:${E2E_STACK.kafkaPort}`;
const ARTIFACTS = path.join(import.meta.dirname, "../artifacts");

test("with the worker stopped the DLQ page says the index is not updating, refuses a whole-group action, and recovers when it runs again", async ({ page }) => {
  test.setTimeout(180_000);
  const pid = Number(process.env.E2E_WORKER_PID);
  expect(pid, "e2e/global-setup.ts records the worker's process id").toBeGreaterThan(0);
  const run = `e2e-nowork-${Date.now()}`;
  const dlq = `${run}.DLQ`;
  await kafkaTool(E2E_STACK.kafkaPort, "kafka-topics", ["--create", "--topic", dlq, "--partitions", "1"]);
  const failures = (from: number, count: number) => Array.from({ length: count }, (_, i) => `k-${from + i}\t{"eventId":"${run}-${from + i}"}\n`).join("");
  const headers = ["x-error-class=CardDeclined", "x-error-message=card declined", `x-original-topic=${run}-payments`, "x-original-partition=0", "x-original-offset=1"];
  await kcatProduce(bootstrap, dlq, failures(0, 3), headers);

  await page.goto("/dlq");
  const row = page.locator(`[data-testid="dlq-topic-row"][data-topic="${dlq}"]`);
  await row.getByRole("button", { name: dlq }).click();
  const group = page.getByTestId("dlq-group").first();
  await expect(group.getByTestId("dlq-group-count")).toHaveText("3");
  const lagLine = page.getByTestId("dlq-index-lag");
  await expect(lagLine).toHaveAttribute("data-state", "running");

  process.kill(pid, "SIGSTOP");
  try {
    await kcatProduce(bootstrap, dlq, failures(3, 5), headers);
    // The heartbeat goes stale (WORKER_STALE_AFTER_MS) and the line turns without a new read.
    await expect(lagLine).toHaveAttribute("data-state", "stopped", { timeout: 60_000 });
    await expect(lagLine.getByTestId("dlq-index-lag-text")).toContainText("Index not updating: no worker is running (last worker heartbeat");
    // A fresh read counts the records that arrived since.
    await page.reload();
    await row.getByRole("button", { name: dlq }).click();
    await expect(lagLine.getByTestId("dlq-index-lag-detail")).toContainText("5 records not indexed");
    await expect(row.getByTestId("dlq-depth")).toHaveText("8");
    await expect(row.getByTestId("dlq-index-behind")).toHaveText("5 not indexed");
    await expect(group.getByTestId("dlq-group-count")).toHaveText("3");

    // Discarding the whole group must cover all 8: refused, with the reason, nothing discarded.
    await group.getByTestId("dlq-discard-start").click();
    await group.getByTestId("dlq-discard-reason").fill("test records");
    await group.getByTestId("dlq-discard-confirm").click();
    await expect(group.getByTestId("dlq-action-error")).toContainText(`The DLQ index of ${dlq} is 5 records behind and no worker is running to read them`);
    await page.screenshot({ path: path.join(ARTIFACTS, "dlq-index-lag-stopped.png"), fullPage: true });
    await expect(group.getByTestId("dlq-group-count")).toHaveText("3");
  } finally {
    process.kill(pid, "SIGCONT");
  }

  // Running again: its next round reads the 5 in, and the page follows without a reload.
  await expect(group.getByTestId("dlq-group-count")).toHaveText("8", { timeout: 60_000 });
  await expect(lagLine).toHaveAttribute("data-state", "running", { timeout: 30_000 });
  await expect(lagLine.getByTestId("dlq-index-lag-text")).toHaveText(/^Index up to date · updated \d+ s ago$/);
});
