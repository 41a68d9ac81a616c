import path from "node:path";
import { expect, test } from "../fixtures";
import { TopologyPage } from "../pages/topology-page";

// The topology of the demo system: the catalog declares it (seed), the broker shows it (sampler),
// and the producer sampler infers who writes to each topic from recent messages.

const ARTIFACTS = path.join(import.meta.dirname, "../artifacts");

test("the graph draws the demo system live, a click opens the side panel, and the path lights up", async ({ page }) => {
  const topology = new TopologyPage(page);
  await topology.goto();
  await expect(topology.node("topic:orders")).toBeVisible();
  await page.getByRole("button", { name: "fit view" }).click();
  for (const id of ["service:order-service", "topic:orders", "group:payment-service", "service:payment-service", "topic:payments", "group:notification-service", "topic:payments.DLQ"]) {
    await expect(topology.node(id)).toBeVisible();
  }
  // Live numbers: the orders topic shows a produce rate, and the producer is confirmed by traffic.
  await expect(topology.node("topic:orders")).toContainText(/[1-9][\d.]* msg\/s/);
  await expect(topology.node("service:order-service")).toHaveAttribute("data-source", "both");
  await expect(topology.edge("produces:service:order-service->topic:orders")).toBeVisible();
  await expect(topology.node("topic:payments.DLQ")).toHaveAttribute("data-dlq", "true");
  await expect(topology.node("group:notification-service")).toHaveAttribute("data-status", /OK|WARN|ERR|PENDING/);
  await page.screenshot({ path: path.join(ARTIFACTS, "topology.png") });

  await topology.node("group:payment-service").click();
  await expect(topology.panel).toBeVisible();
  await expect(topology.panelTitle).toHaveText("payment-service");
  await expect(topology.panel).toContainText("Declared in the catalog and observed on the broker.");
  await expect(topology.panel.getByTestId("panel-link")).toHaveAttribute("href", "/groups/payment-service");

  await topology.panel.getByTestId("show-path").click();
  await expect(page.getByTestId("path-note")).toContainText("payment-service");
  // On payment-service's path: orders upstream, payments downstream; inventory is not.
  await expect(topology.node("topic:orders")).not.toHaveClass(/tp-dimmed/);
  await expect(topology.node("topic:payments")).not.toHaveClass(/tp-dimmed/);
  await expect(topology.node("topic:inventory")).toHaveClass(/tp-dimmed/);
  await page.screenshot({ path: path.join(ARTIFACTS, "topology-path.png") });
});

test("a filter narrows the graph to one team's flows, and clearing it brings everything back", async ({ page }) => {
  const topology = new TopologyPage(page);
  await topology.goto();
  await expect(topology.node("topic:orders")).toBeVisible();
  const [, total] = await topology.counts();

  await topology.teamFilter.selectOption("fulfilment");
  await expect.poll(async () => (await topology.counts())[0]).toBeLessThan(total);
  await page.getByRole("button", { name: "fit view" }).click();
  await expect(topology.node("service:inventory-service")).toBeVisible();
  await expect(topology.node("topic:inventory")).toBeVisible();
  await expect(topology.node("group:notification-service")).toHaveCount(0);
  await expect(topology.node("topic:payments")).toHaveCount(0);
  await page.screenshot({ path: path.join(ARTIFACTS, "topology-filtered.png") });

  await page.getByTestId("clear-filters").click();
  await expect.poll(async () => (await topology.counts())[0]).toBe(total);

  await topology.search.fill("no-such-service-anywhere");
  await expect(page.getByTestId("topology-no-match")).toBeVisible();
});

test("drift lists what the catalog does not declare, and GET /api/topology.json serves the documented shape", async ({ page, request }) => {
  const topology = new TopologyPage(page);
  await topology.goto();
  // The demo's dead-letter topic has no event type bound in the catalog.
  const dlq = page.locator('[data-testid="drift-item"][data-kind="undeclared-topic"][data-node-id="topic:payments.DLQ"]');
  await expect(dlq).toBeVisible();
  await dlq.getByTestId("drift-show").click();
  await expect(topology.panelTitle).toHaveText("payments.DLQ");

  const response = await request.get("/api/topology.json");
  expect(response.status()).toBe(200);
  const body = (await response.json()) as { nodes: { id: string; type: string; label: string; source: string }[]; edges: { id: string; from: string; to: string; type: string }[]; drift: { kind: string }[] };
  expect(body.nodes.find((n) => n.id === "topic:orders")).toMatchObject({ type: "topic", label: "orders", source: "both" });
  expect(body.edges.find((e) => e.from === "topic:orders" && e.to === "group:payment-service")).toMatchObject({ type: "consumed-by" });
  expect(body.drift.map((d) => d.kind)).toContain("undeclared-topic");
});
