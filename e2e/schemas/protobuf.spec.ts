import path from "node:path";
import { kcatConsume } from "../../scripts/lib/kcat";
import { E2E_STACK } from "../../scripts/lib/test-ports";
import { parseConfluentFrame } from "../../src/lib/wire-format";
import { expect, test } from "../fixtures";
import { MessagesPage } from "../pages/messages-page";
import { EventTypePage, SchemasListPage } from "../pages/schemas-page";

// Protobuf in the catalog on the running stack: the demo's StockAllocated (a .proto, sent
// Confluent-framed by inventory-service) is shown as text and its records decoded; an architect
// registers a Protobuf event type, evolves it, and is refused a change that breaks the wire format.
const ARTIFACTS = path.join(import.meta.dirname, "../artifacts");
const run = Date.now().toString(36);

test("the demo's Protobuf event type shows its .proto, checks a change with Protobuf's rules, and its records are decoded in the browser", async ({ page }) => {
  const detail = new EventTypePage(page);
  await detail.goto("StockAllocated");
  await expect(page.getByTestId("version-format")).toHaveText("Protobuf");
  await expect(page.getByTestId("schema-view")).toContainText("message StockAllocated {");
  await expect(page.getByTestId("schema-view")).toContainText("int32 quantity = 2;");

  const narrowed = (await detail.editor.inputValue()).replace("int32 quantity = 2;", "string quantity = 2;");
  await detail.editor.fill(narrowed);
  await page.getByTestId("version-check").click();
  await expect(page.getByTestId("check-incompatible")).toContainText("FIELD_SCALAR_KIND_CHANGED");
  await expect(page.getByTestId("check-incompatible")).toContainText("int32 -> string; the wire types differ (varint vs length-delimited)");
  await page.screenshot({ path: path.join(ARTIFACTS, "schemas-protobuf-check.png"), fullPage: true });

  const messages = new MessagesPage(page);
  await messages.goto("inventory");
  await messages.searchAndWait();
  const allocated = messages.rows.filter({ has: page.getByTestId("event-type-cell").getByText("StockAllocated", { exact: true }) }).first();
  await allocated.click();
  const opened = page.getByTestId("message-detail");
  await expect(opened.getByTestId("schema-format")).toHaveText("protobuf");
  await expect(opened).toContainText('"eventType": "StockAllocated"');
  await expect(opened).toContainText('"allocations": [');
  await expect(opened).toContainText('"correlationId":');
  await page.screenshot({ path: path.join(ARTIFACTS, "messages-protobuf.png"), fullPage: true });

  // "Produce again" copies the decoded JSON with its schema id: producing encodes it as Protobuf again.
  await opened.getByTestId("produce-again-link").click();
  await expect(page.getByTestId("produce-copied-from")).toContainText(/The record is Protobuf \(schema id \d+\), shown as JSON: it is encoded again with that schema/);
  const schemaId = Number(await page.getByTestId("produce-schema-id").inputValue());
  expect(schemaId).toBeGreaterThan(0);
  await page.getByTestId("produce-submit").click();
  const written = page.getByTestId("produce-written");
  await expect(written).toContainText(/Written to partition \d+ at offset \d+/);
  await page.screenshot({ path: path.join(ARTIFACTS, "produce-protobuf-again.png"), fullPage: true });
  const [, partition, offset] = (await written.textContent())!.match(/partition (\d+) at offset (\d+)/)!.map(Number);
  const record = (await kcatConsume(`127.0.0.1:${E2E_STACK.kafkaPort}`, "inventory")).find((r) => r.partition === partition && r.offset === offset)!;
  expect(parseConfluentFrame(record.value!)?.schemaId).toBe(schemaId);
});

test("register a Protobuf event type from the form, add a field, see the diff; reusing a field number with another type is refused", async ({ page }) => {
  const name = `ParcelWeighed${run}`;
  const proto = (fields: string) => `syntax = "proto3";\npackage e2e.depot;\n\nmessage ${name} {\n  string parcel_id = 1;\n  int64 grams = 2;${fields}\n}\n`;
  const list = new SchemasListPage(page);
  await list.goto();
  await page.getByTestId("register-open").click();
  await page.getByTestId("et-format").selectOption("PROTOBUF");
  await expect(page.getByTestId("et-schema")).toHaveValue(/syntax = "proto3";/);
  await page.getByTestId("et-name").fill(name);
  await page.getByTestId("et-domain").fill("logistics");
  await page.getByTestId("et-owner").fill("warehouse");
  await page.getByTestId("et-topics").fill(`e2e-parcels-${run}`);
  await page.getByTestId("et-schema").fill(proto(""));
  await page.getByTestId("et-submit").click();

  const detail = new EventTypePage(page);
  await expect(page).toHaveURL(new RegExp(`/schemas/${name}$`));
  await expect(page.getByTestId("version-format")).toHaveText("Protobuf");

  await detail.submitVersion(proto("\n  string depot = 3;"));
  await expect(page.getByTestId("outcome-created")).toContainText(`Registered ${name} v2`);
  await expect(detail.diff.getByTestId("diff-change")).toHaveText([/compatible\s*field `ParcelWeighed\w+\.depot` \(number 3\) is not in the writer's schema/]);
  await expect(detail.diff.getByTestId("line-diff").locator(".line.added")).toContainText([/string depot = 3;/]);
  await page.screenshot({ path: path.join(ARTIFACTS, "schemas-protobuf-diff.png"), fullPage: true });

  await detail.submitVersion(proto("\n  bool depot = 3;"));
  await expect(detail.refusal).toContainText("FIELD_SCALAR_KIND_CHANGED");
  await expect(detail.refusal).toContainText("string -> bool");
  await expect(detail.versionRows).toHaveCount(2);
});
