import path from "node:path";
import { kcatConsume } from "../../scripts/lib/kcat";
import { E2E_STACK } from "../../scripts/lib/test-ports";
import { expect, test } from "../fixtures";

// Producing one record from a topic's page: copied from an existing record, the envelope filled
// in, checked against the event type's schema (a wrong currency is named with its path), written
// where the page says, and read back with kcat.

const ARTIFACTS = path.join(import.meta.dirname, "../artifacts");
const data = (currency: string) => ({ orderId: "ord-e2e-1", customerId: "cust-e2e", items: [{ sku: "sku-1", quantity: 2, unitPrice: 4.5 }], total: 9, currency });

test("a support engineer copies a record, fixes it, checks it against its schema and produces it", async ({ page }) => {
  await page.goto("/topics/orders");
  await page.getByTestId("produce-link").click();
  await expect(page.getByTestId("produce-form")).toBeVisible();

  // Copy a record the demo wrote: its key and value fill the form.
  await page.goto("/topics/orders/produce?from=orders/0/0");
  await expect(page.getByTestId("produce-copied-from")).toContainText("orders/0/0");
  await expect(page.getByTestId("produce-value")).not.toHaveValue("");

  // A new event: the envelope's identity filled by the button, then a wrong currency.
  await page.getByTestId("produce-key").fill("ord-e2e-1");
  await page.getByTestId("produce-value").fill(JSON.stringify({ eventType: "OrderPlaced", data: data("XYZ") }));
  await page.getByTestId("produce-fill-envelope").click();
  const filled = JSON.parse(await page.getByTestId("produce-value").inputValue()) as { eventId: string; source: string; metadata: { correlationId: string } };
  expect(filled.eventId).toMatch(/^[0-9a-f-]{36}$/);
  expect(filled.source).toBe("signalbox-console");
  expect(filled.metadata.correlationId).toMatch(/^[0-9a-f-]{36}$/);
  await page.getByTestId("produce-check-button").click();
  await expect(page.getByTestId("produce-problem").first()).toContainText("/data/currency");
  await page.screenshot({ path: path.join(ARTIFACTS, "produce-invalid.png"), fullPage: true });
  await page.getByTestId("produce-submit").click();
  await expect(page.getByTestId("produce-error")).toContainText("Nothing was written");

  await page.getByTestId("produce-value").fill(JSON.stringify({ ...filled, data: data("EUR") }, null, 2));
  await page.getByTestId("produce-partition").selectOption("1");
  await page.getByTestId("produce-add-header").click();
  await page.getByLabel("Header name").last().fill("x-fixed-by");
  await page.getByLabel("Header value").last().fill("e2e");
  await page.getByTestId("produce-check-button").click();
  await expect(page.getByTestId("produce-check")).toContainText("Valid OrderPlaced");
  await page.getByTestId("produce-submit").click();
  const written = page.getByTestId("produce-written");
  await expect(written).toContainText(/Written to partition 1 at offset \d+/);
  await page.screenshot({ path: path.join(ARTIFACTS, "produce-written.png"), fullPage: true });

  const offset = Number((await written.textContent())!.match(/offset (\d+)/)![1]);
  const record = (await kcatConsume(`127.0.0.1:${E2E_STACK.kafkaPort}`, "orders")).find((r) => r.partition === 1 && r.offset === offset)!;
  expect(JSON.parse(record.value!.toString()).eventId).toBe(filled.eventId);
  expect(record.key?.toString()).toBe("ord-e2e-1");
  expect(record.headers).toContainEqual(["x-fixed-by", "e2e"]);
  // The copied record's envelope headers were given the new identity too.
  expect(record.headers).toContainEqual(["eventId", filled.eventId]);
});
