import path from "node:path";
import { kcatConsume } from "../../scripts/lib/kcat";
import { kafkaTool } from "../../scripts/lib/local-kafka";
import { E2E_STACK } from "../../scripts/lib/test-ports";
import { expect, test } from "../fixtures";
import { MessagesPage, ReplayPage } from "../pages/messages-page";

// Support staff's path through the demo system: browse orders with a filter, trace one order across
// services, replay filtered orders as a durable job (dry run first) and find it in the history.

const ARTIFACTS = path.join(import.meta.dirname, "../artifacts");
const bootstrap = `127.0.0.1:${E2E_STACK.kafkaPort}`;

async function produceWithKcat(topic: string, lines: string, extra: string[] = []) {
  const { spawn } = await import("node:child_process");
  await new Promise<void>((resolve, reject) => {
    const child = spawn("kcat", ["-b", bootstrap, "-t", topic, "-P", "-K", "\t", "-X", "message.max.bytes=8000000", ...extra], { stdio: ["pipe", "ignore", "pipe"] });
    let err = "";
    child.stderr.on("data", (c: Buffer) => (err += c.toString()));
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`kcat exited ${code}: ${err}`))));
    child.stdin.end(lines);
  });
}

test("browse orders with a filter, then trace one order from OrderPlaced to NotificationSent", async ({ page }) => {
  test.setTimeout(120_000);
  const messages = new MessagesPage(page);
  await messages.goto();
  await expect(page.getByTestId("message-list-empty")).toContainText("Choose a topic");
  await page.screenshot({ path: path.join(ARTIFACTS, "messages-empty.png"), fullPage: true });

  await messages.chooseTopic("orders");
  await expect(page.getByTestId("partition-chip")).toHaveCount(3);
  await messages.start.selectOption("earliest");
  await page.getByTestId("limit-select").selectOption("20");
  await messages.filter("event-type").fill("OrderPlaced");
  await messages.filter("json-path").fill("data.currency");
  await messages.filter("json-value").fill("EUR");
  await messages.searchAndWait();
  await expect(messages.rows).toHaveCount(20);
  for (const type of await messages.rows.evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.eventType))) expect(type).toBe("OrderPlaced");
  await expect(messages.summary).toHaveAttribute("data-matched", "20");

  // A filter nothing matches says so.
  await messages.filter("json-value").fill("CHF");
  await messages.searchAndWait();
  await expect(page.getByTestId("message-list-empty")).toContainText("No record matched");
  await messages.filter("json-value").fill("EUR");
  await messages.searchAndWait();
  await page.screenshot({ path: path.join(ARTIFACTS, "messages-browse-filtered.png"), fullPage: true });

  await messages.rows.first().click();
  const detail = page.getByTestId("message-detail");
  await expect(detail.getByTestId("header-row").first()).toBeVisible();
  await expect(detail.getByTestId("detail-value")).toContainText('"eventType": "OrderPlaced"');
  await page.screenshot({ path: path.join(ARTIFACTS, "messages-detail.png"), fullPage: true });

  // The earliest orders were handled long ago, even by the slow notification-service.
  await detail.getByTestId("trace-link").click();
  await expect(page).toHaveURL(/\/messages\/trace\?id=/);
  await page.getByTestId("trace-run").click();
  const timeline = page.getByTestId("timeline-row");
  await expect(timeline.first()).toBeVisible({ timeout: 60_000 });
  const types = await timeline.evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.eventType));
  expect(types[0]).toBe("OrderPlaced");
  expect(types).toContain("NotificationSent");
  // The saga went one of its ways: paid, then stock reserved or (no stock) refunded and cancelled;
  // or declined and cancelled. (A payment dead-lettered in processing stops after OrderPlaced.)
  if (types.includes("PaymentSucceeded")) expect(types.filter((t) => t === "StockReserved" || t === "StockReservationFailed")).toHaveLength(1);
  if (types.includes("StockReservationFailed")) expect(types).toEqual(expect.arrayContaining(["PaymentRefunded", "OrderCancelled"]));
  if (types.includes("PaymentFailed")) expect(types).toContain("OrderCancelled");
  const tree = page.getByTestId("trace-tree");
  await expect(tree.locator('[data-testid="tree-node"][data-depth="0"]')).toHaveCount(1);
  await expect(tree.locator('[data-testid="tree-node"][data-depth="0"]').first()).toHaveAttribute("data-event-type", "OrderPlaced");
  await expect(tree.locator('[data-testid="tree-node"][data-depth="1"][data-event-type="NotificationSent"]').first()).toBeVisible();
  await page.screenshot({ path: path.join(ARTIFACTS, "messages-trace.png"), fullPage: true });

  // Any event of the trace can be produced again: the form opens filled from that record.
  await timeline.first().getByTestId("trace-produce-again").click();
  await expect(page.getByTestId("produce-copied-from")).toContainText(/Copied from orders\/\d+\/\d+/);
  await expect(page.getByTestId("produce-value")).toHaveValue(/"eventType": "OrderPlaced"/);
});

test("awkward records: binary, 5 MB, no key, and a <script> payload shown as text", async ({ page }) => {
  test.setTimeout(90_000);
  const topic = `e2e-awkward-${Date.now()}`;
  await kafkaTool(E2E_STACK.kafkaPort, "kafka-topics", ["--create", "--topic", topic, "--partitions", "1", "--config", "max.message.bytes=8000000"]);
  const hostile = `<script>window.__pwned=1</script><img src=x onerror="window.__pwned=1">`;
  await produceWithKcat(topic, `hostile\t${hostile}\n`, ["-H", "x-dup=one", "-H", "x-dup=two"]);
  await produceWithKcat(topic, `big\t{"blob":"${"x".repeat(5 * 1024 * 1024)}"}\n`);
  await produceWithKcat(topic, "no key here\n", ["-K", "\u0001"]);
  await produceWithKcat(topic, "bin\t\u0001\u0002\u0003\u00ff\n");

  const messages = new MessagesPage(page);
  await messages.goto(topic);
  await messages.start.selectOption("earliest");
  await messages.searchAndWait();
  await expect(messages.rows).toHaveCount(4);
  await messages.rows.first().click();
  await expect(page.getByTestId("detail-value")).toHaveText(hostile);
  await expect(page.getByTestId("header-row")).toHaveCount(2);
  await expect(page.locator("img[src=x]")).toHaveCount(0);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  await page.screenshot({ path: path.join(ARTIFACTS, "messages-hostile.png"), fullPage: true });

  await messages.rows.nth(1).click();
  await expect(page.getByTestId("detail-value")).toContainText("cut at 2,048 characters");
  await page.getByTestId("detail-value-show-all").click();
  await expect(page.getByTestId("detail-value")).not.toContainText("cut at", { timeout: 30_000 });
  await page.screenshot({ path: path.join(ARTIFACTS, "messages-big.png") });
  await expect(messages.rows.nth(2).getByTestId("key-cell")).toHaveText("null");
  await expect(messages.rows.nth(3).getByTestId("value-cell")).toContainText("binary");
});

test("replay filtered orders: dry run, progress to completion, then the job history", async ({ page }) => {
  test.setTimeout(150_000);
  const target = `e2e-replay-${Date.now()}`;
  await kafkaTool(E2E_STACK.kafkaPort, "kafka-topics", ["--create", "--topic", target, "--partitions", "3"]);
  const replay = new ReplayPage(page);
  await replay.goto();
  await expect(page.getByTestId("job-history-empty")).toBeVisible();
  await replay.field("replay-source").selectOption("orders");
  await replay.field("range-offsets").check();
  await replay.field("replay-filter-event-type").fill("OrderPlaced");
  await replay.field("replay-target").selectOption(target);
  await replay.field("replay-rate").fill("20");
  await replay.field("replay-max").fill("60");
  await expect(replay.field("start-replay")).toBeDisabled();
  await replay.field("dry-run").click();
  await expect(replay.field("dry-run-result")).toHaveAttribute("data-would-write", "60", { timeout: 60_000 });
  await expect(page.getByTestId("dry-run-sample").getByTestId("message-row").first()).toBeVisible();
  await page.screenshot({ path: path.join(ARTIFACTS, "replay-dry-run.png"), fullPage: true });

  await replay.field("start-replay").click();
  await expect(page).toHaveURL(/\/replay\/jobs\/\d+$/);
  const jobId = page.url().split("/").pop()!;
  await expect(page.getByTestId("job-status")).toHaveAttribute("data-status", "RUNNING", { timeout: 30_000 });
  await expect.poll(async () => Number(await page.getByTestId("job-written").getAttribute("data-value")), { timeout: 30_000 }).toBeGreaterThan(0);
  await page.screenshot({ path: path.join(ARTIFACTS, "replay-job-running.png"), fullPage: true });
  await expect(page.getByTestId("job-status")).toHaveAttribute("data-status", "COMPLETED", { timeout: 60_000 });
  await expect(page.getByTestId("job-written")).toHaveText("60");
  await expect(page.getByTestId("job-created-by")).toHaveText("admin@signalbox.local");
  await page.screenshot({ path: path.join(ARTIFACTS, "replay-job-completed.png"), fullPage: true });

  // kcat, the independent reader: 60 copies, each of a different order, all marked with the job.
  const copies = await kcatConsume(bootstrap, target);
  expect(copies).toHaveLength(60);
  expect(new Set(copies.map((c) => c.headers.find(([k]) => k === "x-replay-of")?.[1])).size).toBe(60);
  expect(copies.every((c) => c.headers.some(([k, v]) => k === "x-replay-job" && v === jobId))).toBe(true);

  await page.goto("/replay");
  const row = page.locator(`[data-testid="job-row"][data-job="${jobId}"]`);
  await expect(row).toHaveAttribute("data-status", "COMPLETED");
  await expect(row).toContainText(`orders → ${target}`);
  await page.screenshot({ path: path.join(ARTIFACTS, "replay-history.png"), fullPage: true });

  await page.goto("/audit");
  await expect(page.getByTestId("audit-table")).toContainText("job.completed");
  await expect(page.getByTestId("audit-table")).toContainText("job.create");
});

test("resetting an active group's offsets is refused with Kafka's reason", async ({ page }) => {
  await page.goto("/groups/payment-service/reset");
  await expect(page.getByTestId("reset-preview")).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId("reset-refusal")).toContainText("can only be reset if the group 'payment-service' is inactive");
  await page.getByTestId("reset-execute").click();
  await page.getByTestId("reset-confirm").click();
  await expect(page.getByTestId("reset-error")).toContainText("is inactive");
  await page.screenshot({ path: path.join(ARTIFACTS, "reset-offsets-refused.png"), fullPage: true });
});
