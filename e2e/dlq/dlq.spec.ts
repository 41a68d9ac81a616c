// The DLQ screens on the whole stack: overview, grouped list, detail (text only, stack trace), a bulk
// redrive with progress to completion (kcat confirms the copies), and the audit entry.
import path from "node:path";
import { kcatConsume, kcatProduce } from "../../scripts/lib/kcat";
import { kafkaTool } from "../../scripts/lib/local-kafka";
import { E2E_STACK } from "../../scripts/lib/test-ports";
import { expect, test } from "../fixtures";

const ARTIFACTS = path.join(import.meta.dirname, "../artifacts");
const bootstrap = `127.0.0.1:${E2E_STACK.kafkaPort}`;


test("DLQ: overview, history, grouped list, detail, a hand-picked discard, a bulk redrive to completion, state, a catalog declaration, and the audit entries", async ({ page }) => {
  test.setTimeout(120_000);
  const run = `e2e-${Date.now()}`;
  const dlq = `${run}.DLQ`;
  const source = `${run}-orders`;
  await kafkaTool(E2E_STACK.kafkaPort, "kafka-topics", ["--create", "--topic", dlq, "--partitions", "1"]);
  await kafkaTool(E2E_STACK.kafkaPort, "kafka-topics", ["--create", "--topic", source, "--partitions", "3"]);
  const envelope = (i: number, extra = "") => `order-${i}\t{"eventId":"evt-${run}-${i}","eventType":"OrderPlaced","data":{"orderId":"o-${i}"${extra}}}\n`;
  // 8 from a Kafka Connect sink (with a stack trace), 4 from a Signalbox service; one hostile payload.
  await kcatProduce(bootstrap, dlq, Array.from({ length: 8 }, (_, i) => envelope(i)).join(""), [
    `__connect.errors.topic=${source}`,
    "__connect.errors.partition=1",
    "__connect.errors.offset=42",
    "__connect.errors.exception.class.name=org.apache.kafka.connect.errors.DataException",
    "__connect.errors.exception.message=Converting byte[] to Kafka Connect data failed due to serialization error",
    // One line: the copies keep this header, and kcatConsume (the reader below) cannot parse a header holding "\n".
    "__connect.errors.exception.stacktrace=org.apache.kafka.connect.errors.DataException: boom at org.apache.kafka.connect.json.JsonConverter.toConnectData(JsonConverter.java:324)",
  ]);
  await kcatProduce(bootstrap, dlq, [envelope(100), envelope(101), envelope(102), envelope(103, `,"note":"<img src=x onerror=\\"window.__pwned=1\\">"`)].join(""), [
    `x-original-topic=${source}`,
    "x-original-partition=0",
    "x-original-offset=7",
    "x-error-class=PaymentGatewayTimeoutException",
    "x-error-message=Payment gateway did not answer within 3000 ms",
    "x-attempts=3",
  ]);

  await page.goto("/dlq");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Dead-letter queues");
  const row = page.locator(`[data-testid="dlq-topic-row"][data-topic="${dlq}"]`);
  await expect(row.getByTestId("dlq-depth")).toHaveText("12");
  await expect(row).toContainText("DataException");
  await expect(row).toContainText(source);
  await expect(page.locator('[data-testid="dlq-topic-row"][data-topic="payments.DLQ"]')).toBeVisible();
  await row.getByRole("button", { name: dlq }).click();

  const groups = page.getByTestId("dlq-group");
  await expect(groups).toHaveCount(2);
  await expect(groups.nth(0).getByTestId("dlq-group-reason")).toHaveText("org.apache.kafka.connect.errors.DataException: Converting byte[] to Kafka Connect data failed due to serialization error");
  await expect(groups.nth(0).getByTestId("dlq-group-count")).toHaveText("8");
  await expect(groups.nth(1).getByTestId("dlq-group-reason")).toHaveText("PaymentGatewayTimeoutException: Payment gateway did not answer within <n> ms");
  await expect(groups.nth(1).getByTestId("dlq-group-count")).toHaveText("4");
  // The worker read the topic in (only it writes the index): the lag line says so, and ages.
  const lagLine = page.getByTestId("dlq-index-lag");
  await expect(lagLine).toHaveAttribute("data-state", "running");
  await expect(lagLine.getByTestId("dlq-index-lag-text")).toHaveText(/^Index up to date · updated \d+ s ago$/);
  await expect(row.getByTestId("dlq-index-behind")).toHaveCount(0);
  await page.screenshot({ path: path.join(ARTIFACTS, "dlq-index-lag-running.png"), fullPage: true });
  // The selected DLQ's depth and inflow over time (the series is unit-tested in history.test.ts and
  // checked against the overview in index.int.test.ts): both charts drew a line.
  const history = page.getByTestId("dlq-history");
  await expect(history).toContainText(`${dlq} over time`);
  await expect(history.getByTestId("dlq-depth-chart").locator(".recharts-area-area")).toBeVisible();
  await expect(history.getByTestId("dlq-inflow-chart").locator(".recharts-area-area")).toBeVisible();
  await page.screenshot({ path: path.join(ARTIFACTS, "dlq-overview-groups.png"), fullPage: true });

  // The hostile payload's detail: text, never HTML; headers and the reading shown.
  await groups.nth(1).getByTestId("dlq-row-open").first().click();
  const detail = page.getByTestId("dlq-detail");
  await expect(detail.getByTestId("dlq-detail-error")).toContainText("PaymentGatewayTimeoutException");
  await expect(detail.getByTestId("dlq-detail-payload")).toContainText('<img src=x onerror=\\"window.__pwned=1\\">');
  await expect(detail.locator("img")).toHaveCount(0);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  await expect(detail.getByTestId("dlq-detail-status")).toHaveText("pending");
  await expect(detail.getByTestId("dlq-detail-attempts")).toHaveText("3 delivery attempts before it was dead-lettered. Never redriven before. A redrive now is attempt 1 of 3.");
  // Edit and redrive checks the edit as it is typed; keeping the original changes nothing.
  await detail.getByTestId("dlq-detail-edit").click();
  await detail.getByTestId("dlq-edit-value").fill('{"eventId": ');
  await expect(detail.getByTestId("dlq-edit-check")).toContainText("value: Not JSON");
  await page.screenshot({ path: path.join(ARTIFACTS, "dlq-detail-hostile.png"), fullPage: true });
  await detail.getByRole("button", { name: "Keep the original" }).click();

  // A Kafka Connect record shows its stack trace.
  await groups.nth(0).getByTestId("dlq-row-open").first().click();
  await expect(detail.getByTestId("dlq-detail-stack")).toContainText("JsonConverter.toConnectData");
  await page.screenshot({ path: path.join(ARTIFACTS, "dlq-detail-connect.png"), fullPage: true });
  await detail.getByRole("button", { name: "Close" }).click();

  // Two rows checked by hand, discarded with a reason: the group and the depth go down by two.
  const timeouts = groups.nth(1);
  await timeouts.getByTestId("dlq-row-check").nth(0).check();
  await timeouts.getByTestId("dlq-row-check").nth(1).check();
  const selection = page.getByTestId("dlq-selection");
  await expect(selection.getByTestId("dlq-selection-count")).toHaveText("2 selected");
  await selection.getByTestId("dlq-discard-start").click();
  await selection.getByTestId("dlq-discard-reason").fill("duplicates of orders already refunded");
  await page.screenshot({ path: path.join(ARTIFACTS, "dlq-selection.png"), fullPage: true });
  await selection.getByTestId("dlq-discard-confirm").click();
  await expect(selection).toHaveCount(0);
  await expect(groups.nth(1).getByTestId("dlq-group-count")).toHaveText("2");
  await expect(row.getByTestId("dlq-depth")).toHaveText("10");

  // Bulk redrive of the 8 Kafka Connect failures at 4 msg/s, with progress to completion.
  await groups.nth(0).getByTestId("dlq-redrive-start").click();
  await groups.nth(0).getByTestId("dlq-rate").fill("4");
  await expect(groups.nth(0).getByTestId("dlq-redrive-confirm")).toHaveText(`Redrive 8 to ${source}`);
  await groups.nth(0).getByTestId("dlq-redrive-confirm").click();
  const running = page.getByTestId("dlq-running-job");
  await expect(running.getByTestId("job-progress")).toBeVisible();
  await page.screenshot({ path: path.join(ARTIFACTS, "dlq-redrive-running.png"), fullPage: true });
  await expect(running.getByTestId("job-status")).toHaveAttribute("data-status", "COMPLETED", { timeout: 60_000 });
  await expect(running.getByTestId("job-written")).toHaveAttribute("data-value", "8");
  await expect(groups).toHaveCount(1);
  await expect(row.getByTestId("dlq-depth")).toHaveText("2", { timeout: 20_000 });
  await page.screenshot({ path: path.join(ARTIFACTS, "dlq-redrive-done.png"), fullPage: true });

  const copies = (await kcatConsume(bootstrap, source)).filter((r) => r.headers.some(([k]) => k === "x-replay-of"));
  expect(copies).toHaveLength(8);
  expect(new Set(copies.map((c) => c.headers.find(([k]) => k === "x-replay-of")![1])).size).toBe(8);
  expect(copies.every((c) => c.headers.some(([k, v]) => k === "x-redrive-attempt" && v === "1"))).toBe(true);

  // What happened to each record stays visible: the redriven ones, with who, which job and where.
  await page.getByTestId("dlq-filter-status").selectOption("REDRIVEN");
  await expect(groups).toHaveCount(1);
  await expect(groups.nth(0).getByTestId("dlq-group-count")).toHaveText("8");
  await expect(groups.nth(0).getByTestId("dlq-row-state").first()).toContainText("redriven job #");
  await expect(groups.nth(0).getByTestId("dlq-row-state").first()).toContainText(`→ ${source}`);
  await page.screenshot({ path: path.join(ARTIFACTS, "dlq-redriven-state.png"), fullPage: true });

  // A topic no pattern finds becomes a DLQ when declared in the catalog, with its source topic.
  const declared = `${run}-billing-failures`;
  await kafkaTool(E2E_STACK.kafkaPort, "kafka-topics", ["--create", "--topic", declared, "--partitions", "1"]);
  await kcatProduce(bootstrap, declared, envelope(200), []);
  await expect(page.locator(`[data-testid="dlq-topic-row"][data-topic="${declared}"]`)).toHaveCount(0);
  const declarations = page.getByTestId("dlq-declarations");
  await declarations.getByTestId("dlq-declare-topic").fill(declared);
  await declarations.getByTestId("dlq-declare-source").fill(source);
  await declarations.getByTestId("dlq-declare-submit").click();
  await expect(declarations.locator(`[data-testid="dlq-declaration-row"][data-topic="${declared}"]`)).toContainText(source);
  const declaredRow = page.locator(`[data-testid="dlq-topic-row"][data-topic="${declared}"]`);
  await expect(declaredRow.getByTestId("dlq-declared")).toBeVisible();
  await expect(declaredRow.getByTestId("dlq-depth")).toHaveText("1");
  await expect(declaredRow).toContainText(source);
  await page.screenshot({ path: path.join(ARTIFACTS, "dlq-declared.png"), fullPage: true });

  await page.getByRole("navigation", { name: "Main" }).getByTestId("nav-/audit").click();
  const audit = page.getByTestId("audit-table");
  await expect(audit).toContainText("dlq.redrive");
  await expect(audit).toContainText("dlq.discard");
  await expect(audit).toContainText("dlq.declare");
  await expect(audit).toContainText(dlq);
  await page.screenshot({ path: path.join(ARTIFACTS, "dlq-audit.png"), fullPage: true });
});
