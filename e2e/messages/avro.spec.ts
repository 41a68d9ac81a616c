import path from "node:path";
import { expect, test } from "../fixtures";
import { MessagesPage } from "../pages/messages-page";

// The demo's Avro event: payment-service sends PaymentSettled Confluent-framed in Avro after each
// captured payment. The browser decodes it to its JSON encoding, and the trace places it after the
// payment it settles (the envelope headers carry its causation id).
const ARTIFACTS = path.join(import.meta.dirname, "../artifacts");

test("the demo's Avro PaymentSettled records are decoded in the browser and traced after their payment", async ({ page }) => {
  const messages = new MessagesPage(page);
  await messages.goto("payments");
  await messages.searchAndWait();
  const settled = messages.rows.filter({ has: page.getByTestId("event-type-cell").getByText("PaymentSettled", { exact: true }) }).first();
  await settled.click();
  const opened = page.getByTestId("message-detail");
  await expect(opened.getByTestId("schema-format")).toHaveText("avro");
  await expect(opened).toContainText('"eventType": "PaymentSettled"');
  await expect(opened).toContainText('"amountMinor":');
  await page.screenshot({ path: path.join(ARTIFACTS, "messages-avro.png"), fullPage: true });

  await opened.getByTestId("trace-link").click();
  await page.getByTestId("trace-run").click();
  const tree = page.getByTestId("trace-tree");
  await expect(tree.locator('[data-testid="tree-node"][data-event-type="PaymentSucceeded"] [data-testid="tree-node"][data-event-type="PaymentSettled"]').first()).toBeVisible({ timeout: 60_000 });
});
