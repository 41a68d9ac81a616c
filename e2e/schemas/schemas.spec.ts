import path from "node:path";
import { kcatProduceBytes } from "../../scripts/lib/kcat";
import { encodeConfluentFrame } from "../../src/lib/wire-format";
import { E2E_STACK } from "../../scripts/lib/test-ports";
import { expect, test } from "../fixtures";
import { EventTypePage, SchemasListPage } from "../pages/schemas-page";

// The schema catalog on the running stack: the demo's event types are seeded, an architect (the
// configured admin) registers a type, evolves it compatibly, and is refused an incompatible change.
const ARTIFACTS = path.join(import.meta.dirname, "../artifacts");
const run = Date.now().toString(36);

const shipment = (properties: Record<string, object>, required: string[] = ["shipmentId"]) => ({
  $schema: "http://json-schema.org/draft-07/schema#",
  title: `ShipmentDispatched${run}`,
  type: "object",
  additionalProperties: false,
  required,
  properties: { shipmentId: { type: "string" }, weightKg: { type: "number" }, ...properties },
});

test("the catalog lists the demo's event types with versions, topics, producers and consumers", async ({ page }) => {
  const list = new SchemasListPage(page);
  await list.goto();
  for (const name of ["OrderPlaced", "PaymentSucceeded", "PaymentFailed", "StockReserved", "NotificationSent"]) await expect(list.row(name)).toBeVisible();
  await expect(list.row("OrderPlaced").getByTestId("latest-version")).toHaveText("v2");
  await expect(list.row("OrderPlaced")).toContainText("orders");
  await expect(list.row("OrderPlaced")).toContainText("order-service");
  await page.screenshot({ path: path.join(ARTIFACTS, "schemas-list.png"), fullPage: true });

  await list.row("OrderPlaced").getByTestId("schema-link").click();
  const detail = new EventTypePage(page);
  await expect(page.getByTestId("producer-row")).toHaveText(/order-service/);
  await expect(page.getByTestId("subscription-row")).toHaveCount(3);
  // The seeded v2 added an optional field to a closed object: compatible, and the diff says so.
  await expect(detail.diff.getByTestId("diff-backward")).toContainText("yes");
  await expect(detail.diff.getByTestId("diff-change")).toContainText(["optional property `data.channel` was added"]);
});

test("register a type, add a compatible version and see the diff, then an incompatible one is refused with its reasons", async ({ page }) => {
  const name = `ShipmentDispatched${run}`;
  const list = new SchemasListPage(page);
  await list.goto();
  await list.register({ name, domain: "logistics", owner: "warehouse", topics: `e2e-shipments-${run}`, schema: shipment({}) });

  const detail = new EventTypePage(page);
  await expect(page).toHaveURL(new RegExp(`/schemas/${name}$`));
  await expect(detail.versionRows).toHaveCount(1);
  await page.screenshot({ path: path.join(ARTIFACTS, "schemas-registered.png"), fullPage: true });

  // A compatible change: an optional property on a closed object.
  await detail.submitVersion(shipment({ carrier: { type: "string", maxLength: 40 } }));
  await expect(page.getByTestId("outcome-created")).toContainText(`Registered ${name} v2`);
  await expect(detail.versionRows).toHaveCount(2);
  await expect(detail.diff.getByTestId("diff-change")).toHaveText([/compatible\s*optional property `carrier` was added/]);
  await expect(detail.diff.getByTestId("line-diff").locator(".line.added")).toContainText([/"carrier"/]);
  await page.screenshot({ path: path.join(ARTIFACTS, "schemas-diff.png"), fullPage: true });

  // The same schema again is not a new version.
  await detail.submitVersion(shipment({ carrier: { type: "string", maxLength: 40 } }));
  await expect(page.getByTestId("outcome-existing")).toContainText("Already registered as v2");

  // Breaking: a changed type and a newly required property.
  await detail.submitVersion(shipment({ carrier: { type: "string", maxLength: 40 }, weightKg: { type: "string" } }, ["shipmentId", "carrier"]));
  await expect(detail.refusal).toContainText("Refused: incompatible under BACKWARD (2 reasons)");
  await expect(detail.refusal.getByTestId("refusal-reason")).toContainText(["property `carrier` became required", "type of `weightKg` changed from number to string"]);
  await expect(detail.versionRows).toHaveCount(2);
  await detail.refusal.scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(ARTIFACTS, "schemas-refused.png"), fullPage: true });

  // A malformed schema says where it is wrong.
  await detail.submitVersion('{"type": "object", "properties": {"weightKg": {"type": "numbr"}}}');
  await expect(page.getByTestId("outcome-invalid")).toContainText("at /properties/weightKg/type");

  // A duplicate name is refused by the register form and nothing changes.
  await list.goto();
  await list.register({ name, domain: "x", owner: "y", topics: "", schema: shipment({}) });
  await expect(page.getByTestId("register-error")).toContainText(`An event type named "${name}" already exists`);
});

test("conformance samples live traffic on demand and shows violations with their error paths", async ({ page }) => {
  // The demo keeps producing OrderPlaced; add a few broken ones so the newest sample surely holds some.
  const bootstrap = `127.0.0.1:${E2E_STACK.kafkaPort}`;
  const broken = { eventId: "6a2f41a3-c54c-4ce8-92d2-0324e1c32e22", eventType: "OrderPlaced", timestamp: new Date().toISOString(), version: 1, source: "e2e", metadata: { correlationId: "c", causationId: null } };
  await kcatProduceBytes(bootstrap, "orders", "e2e-1", new TextEncoder().encode(JSON.stringify({ ...broken, data: { orderId: "ord-e2e", items: [{ sku: "sku-mug", quantity: 1 }], total: 3, currency: "EUR" } })));
  await kcatProduceBytes(bootstrap, "orders", "e2e-2", Uint8Array.from([0xca, 0xfe, 0xba, 0xbe]));
  // Framed with an unknown id; the frame header holds NUL bytes, which the stored preview must survive.
  await kcatProduceBytes(bootstrap, "orders", "e2e-3", encodeConfluentFrame(987654, new TextEncoder().encode("{}")));

  const detail = new EventTypePage(page);
  await detail.goto("OrderPlaced");
  const checkNow = page.getByTestId("conformance-check");
  await checkNow.click();
  // Wait for this check (not an earlier round of the worker) to finish, and to have succeeded.
  await expect(checkNow).toHaveAttribute("data-state", "done", { timeout: 60_000 });
  await expect(page.getByTestId("conformance-error")).toHaveCount(0);
  await expect(detail.conformance.getByTestId("conformance-sample")).toContainText(/of \d+ sampled messages conform/);
  const percent = Number(await detail.conformance.getByTestId("conformance-percent").getAttribute("data-value"));
  expect(percent).toBeLessThan(100);
  await expect(detail.conformance.getByTestId("violation-error").filter({ hasText: "/data/customerId" })).not.toHaveCount(0);
  await expect(detail.conformance.getByTestId("violation")).toContainText([/binary data \(4 bytes, not UTF-8 text\)/]);
  await expect(detail.conformance.getByTestId("violation")).toContainText([/schema id 987654/]);
  await detail.conformance.scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(ARTIFACTS, "schemas-conformance.png"), fullPage: true });
});

test("the registry API answers Confluent clients on the running app", async ({ request }) => {
  const subjects = await request.get("/api/schema-registry/subjects");
  expect(subjects.status()).toBe(200);
  expect(subjects.headers()["content-type"]).toBe("application/vnd.schemaregistry.v1+json");
  expect(await subjects.json()).toEqual(expect.arrayContaining(["OrderPlaced", "notifications-value"]));
  const unknown = await request.get("/api/schema-registry/subjects/nope/versions");
  expect(unknown.status()).toBe(404);
  expect(await unknown.json()).toMatchObject({ error_code: 40401 });
});
