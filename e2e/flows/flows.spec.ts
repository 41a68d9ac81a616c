// The Flows page on the e2e stack's demo saga: the seeded "Order checkout" flow shows completed and
// compensated instances, a diagram with counts on its steps and compensations drawn apart, charts,
// and the instances that need someone (dead-lettered payments, and orders inventory silently
// dropped); one stuck instance is followed to its trace. Then an architect's view: an invalid
// declaration is refused with the reason, and the flow, once deleted, comes back from Signalbox's
// proposal of what it observed. A topic's panel on the topology names the flows through it, and the
// topology draws one flow alone.
import path from "node:path";
import { expect, test } from "../fixtures";
import { TopologyPage } from "../pages/topology-page";

const ARTIFACTS = path.join(import.meta.dirname, "../artifacts");
const FLOW = "Order checkout";

test("the demo saga: outcomes, a diagram with compensations apart, stuck instances followed to their trace", async ({ page }) => {
  await page.goto(`/c/local/flows?flow=${encodeURIComponent(FLOW)}`);
  const card = page.locator(`[data-testid="flow-card"][data-flow="${FLOW}"]`);
  await expect(card).toBeVisible();
  const detail = page.getByTestId("flow-detail");
  await expect(detail).toHaveAttribute("data-flow", FLOW);
  // The demo completes most orders and compensates some (declined payments, stock that cannot be reserved).
  await expect(detail.getByTestId("flow-stat-completed").locator(".value")).not.toHaveText("0", { timeout: 60_000 });
  await expect(detail.getByTestId("flow-stat-compensated").locator(".value")).not.toHaveText("0", { timeout: 60_000 });

  // The diagram: every declared event type, compensations drawn apart, counts on the taken steps.
  const diagram = page.getByTestId("flow-diagram");
  for (const type of ["OrderPlaced", "PaymentSucceeded", "PaymentFailed", "StockReserved", "StockAllocated", "PaymentRefunded", "OrderCancelled"]) {
    await expect(diagram.locator(`[data-testid="flow-node"][data-event-type="${type}"]`)).toBeVisible();
  }
  await expect(diagram.locator('[data-testid="flow-node"][data-event-type="OrderPlaced"]')).toHaveAttribute("data-role", "start");
  await expect(diagram.locator('[data-testid="flow-node"][data-event-type="OrderCancelled"]')).toHaveAttribute("data-role", "compensated");
  await expect(diagram.locator(".flow-edge-compensation")).toHaveCount(3);
  await expect(diagram.locator(".react-flow__edge-text").first()).toHaveText(/^[\d,]+( · p95 .+)?$/);
  await expect(page.getByTestId("flow-latency-chart")).not.toHaveAttribute("data-points", "0", { timeout: 90_000 });

  // Payments dead-lettered by payment-service fail their saga; orders inventory drops get stuck past the step's 10 s SLO.
  const failed = page.locator('[data-testid="flow-problem"][data-state="FAILED"]');
  await expect(failed.first()).toBeVisible({ timeout: 60_000 });
  await expect(failed.first().getByTestId("flow-problem-dlq")).toHaveText("DLQ payments.DLQ");
  const stuck = page.locator('[data-testid="flow-problem"][data-state="STUCK"]');
  await expect(stuck.first()).toBeVisible({ timeout: 90_000 });
  await expect(stuck.first()).toContainText("PaymentSucceeded → StockReserved | StockReservationFailed");
  await page.screenshot({ path: path.join(ARTIFACTS, "flows.png"), fullPage: true });

  // Followed to its trace: the saga's events, and nothing after the payment.
  const correlationId = await stuck.first().getAttribute("data-correlation-id");
  await stuck.first().getByTestId("flow-problem-trace").click();
  await expect(page).toHaveURL(/\/c\/local\/messages\/trace\?id=/);
  const timeline = page.getByTestId("trace-timeline");
  await expect(timeline).toContainText("OrderPlaced", { timeout: 60_000 });
  await expect(timeline).toContainText("PaymentSucceeded");
  await expect(timeline).not.toContainText("StockReserved");
  await expect(page.getByTestId("trace-id")).toHaveValue(correlationId!);
  await page.screenshot({ path: path.join(ARTIFACTS, "flows-stuck-trace.png"), fullPage: true });

  // On the topology, a topic's panel names the flows its events belong to.
  const topology = new TopologyPage(page);
  await topology.goto();
  await page.getByRole("button", { name: "fit view" }).click();
  await topology.node("topic:payments").click();
  const flowItem = topology.panel.locator(`[data-testid="node-panel-flow"][data-flow="${FLOW}"]`);
  await expect(flowItem).toBeVisible();
  await expect(flowItem).toContainText(/stuck or failed|running/);
  await flowItem.getByRole("link", { name: FLOW }).click();
  await expect(page.getByTestId("flow-detail")).toHaveAttribute("data-flow", FLOW);

  // The whole flow on the topology graph: the topics its event types travel on, their producers and
  // readers, and nothing else (notifications carries no event of the saga).
  await page.getByTestId("flow-on-topology").click();
  await expect(page).toHaveURL(/\/c\/local\/topology\?flow=Order/);
  await expect(page.getByTestId("flow-bar")).toContainText(`Flow ${FLOW}`);
  await expect(page.getByTestId("filter-flow")).toHaveValue(FLOW);
  for (const topic of ["orders", "payments", "inventory"]) await expect(topology.node(`topic:${topic}`)).toBeVisible();
  await expect(topology.node("service:order-service")).toBeVisible();
  await expect(topology.node("topic:notifications")).toHaveCount(0);
  await page.screenshot({ path: path.join(ARTIFACTS, "flows-on-topology.png"), fullPage: true });
  await page.getByTestId("clear-flow").click();
  await expect(page.getByTestId("flow-bar")).toHaveCount(0);
  await expect(page.getByTestId("filter-flow")).toHaveValue("");
});

test("an architect's declaration is checked against the catalog; a deleted flow comes back from the proposal", async ({ page }) => {
  await page.goto("/c/local/flows");
  await page.getByTestId("flow-declare").click();
  const editor = page.getByTestId("flow-editor");
  await editor.getByTestId("flow-name-input").fill("Returns <script>alert(1)</script>");
  await editor.getByTestId("flow-start-input").fill("ReturnRequested");
  await editor.getByLabel("Step 1 after").fill("ReturnRequested");
  await editor.getByLabel("Step 1 expected next").fill("ReturnShipped");
  await editor.getByTestId("flow-completed-input").fill("ReturnShipped");
  await editor.getByTestId("flow-save").click();
  await expect(editor.getByTestId("flow-editor-error")).toContainText("letters, digits");
  await editor.getByTestId("flow-name-input").fill("Returns");
  await editor.getByTestId("flow-save").click();
  await expect(editor.getByTestId("flow-editor-error")).toContainText("Not in the catalog: ReturnRequested, ReturnShipped");
  await page.screenshot({ path: path.join(ARTIFACTS, "flows-declare-refused.png"), fullPage: true });
  await editor.getByRole("button", { name: "Cancel" }).click();

  // Deleted, the flow is proposed again from the causation chains the monitor observed.
  page.once("dialog", (dialog) => void dialog.accept());
  await page.goto(`/c/local/flows?flow=${encodeURIComponent(FLOW)}`);
  await page.getByTestId("flow-delete").click();
  await expect(page.getByTestId("flows-none")).toBeVisible();
  const proposal = page.locator('[data-testid="flow-proposal"][data-start="OrderPlaced"]');
  await expect(proposal).toBeVisible({ timeout: 30_000 });
  await expect(proposal).toContainText("PaymentSucceeded → StockReservationFailed | StockReserved");
  await expect(proposal).toContainText("Left out: NotificationSent");
  await page.screenshot({ path: path.join(ARTIFACTS, "flows-proposal.png"), fullPage: true });
  await proposal.getByTestId("flow-proposal-use").click();
  await editor.getByTestId("flow-name-input").fill(FLOW);
  await editor.getByTestId("flow-save").click();
  await expect(page.locator(`[data-testid="flow-card"][data-flow="${FLOW}"]`)).toBeVisible();
  await expect(page.getByTestId("flow-detail")).toHaveAttribute("data-flow", FLOW);
  await expect(page.getByTestId("flow-diagram").locator('[data-testid="flow-node"][data-event-type="StockAllocated"]')).toHaveAttribute("data-role", "completed");
});
