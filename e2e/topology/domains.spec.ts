import path from "node:path";
import { kafkaTool } from "../../scripts/lib/local-kafka";
import { E2E_STACK } from "../../scripts/lib/test-ports";
import { expect, test } from "../fixtures";
import { TopologyPage } from "../pages/topology-page";

// The readable view of a large system, on the demo system: its four domains (orders, payments,
// fulfilment, customer-comms) collapsed into one node each, a click that opens one, and a node's
// neighbourhood. The demo is below the size that groups by itself (GROUP_ABOVE_NODES), so these
// tests pick the grouping with the toolbar's switch or ?view=domains; the unit tests hold the
// threshold. Other specs leave topics and groups on the shared broker, so counts are lower bounds.

const ARTIFACTS = path.join(import.meta.dirname, "../artifacts");

test("grouped by domain, each domain is one node with its rates and worst status, and its problems stay marked", async ({ page }) => {
  // A consumer group that committed at the start of orders and never moves again: with the demo's
  // traffic its lag grows while its offset stands still, which the sampler calls STALL, so ERR.
  const stalled = `e2e-topology-stalled-${Date.now()}`;
  await kafkaTool(E2E_STACK.kafkaPort, "kafka-consumer-groups", ["--group", stalled, "--topic", "orders", "--reset-offsets", "--to-earliest", "--execute"]);

  const topology = new TopologyPage(page);
  await topology.goto();
  await expect(topology.node("topic:orders")).toBeVisible();
  await page.getByTestId("view-domains").click();
  await expect(page.getByTestId("view-domains")).toHaveAttribute("aria-pressed", "true");

  for (const domain of ["orders", "payments", "fulfilment", "customer-comms"]) await expect(topology.node(`domain:${domain}`)).toBeVisible();
  await expect(topology.node("topic:orders")).toHaveCount(0);
  await expect(page.getByTestId("domain-bar")).toContainText("Grouped by domain");

  const orders = topology.node("domain:orders");
  // orders holds its topic, order-service writing it, the groups reading it, and payments.DLQ (its records come from orders).
  await expect(orders.getByTestId("domain-counts")).toContainText(/\d+ services? · \d+ topics · \d+ groups/);
  const [services, topics, groups] = ((await orders.getByTestId("domain-counts").textContent()) ?? "").match(/\d+/g)!.map(Number);
  expect(services).toBeGreaterThanOrEqual(1);
  expect(topics).toBeGreaterThanOrEqual(2);
  expect(groups).toBeGreaterThanOrEqual(3);
  await expect(orders).toContainText(/[1-9][\d.]* msg\/s/);
  // Problems are marked on the collapsed node: the stalled group goes ERR, and payments.DLQ keeps growing.
  // (The demo's slow notification-service may be ERR already: wait for the stalled group by name.)
  await expect(orders.getByTestId("domain-err-groups")).toHaveAttribute("title", new RegExp(stalled), { timeout: 120_000 });
  await expect(orders).toHaveAttribute("data-status", "ERR");
  await expect(orders.getByTestId("domain-growing-dlq")).toBeVisible({ timeout: 60_000 });
  await expect(orders.getByTestId("domain-growing-dlq")).toHaveAttribute("title", /payments\.DLQ/);
  // fulfilment (inventory-service and its topic) has no ERR group and no DLQ: nothing to mark.
  await expect(topology.node("domain:fulfilment")).toBeVisible();
  await expect(topology.node("domain:fulfilment").getByTestId("domain-err-groups")).toHaveCount(0);
  await expect(topology.node("domain:fulfilment").getByTestId("domain-growing-dlq")).toHaveCount(0);
  // The edges between domains stand for the edges between their members: order events flow from orders into payments.
  await expect(topology.edge("domain-edge:runs-as:domain:orders->domain:payments")).toHaveCount(1);
  await expect.poll(async () => (await topology.framing()).outside).toEqual([]);
  await page.screenshot({ path: path.join(ARTIFACTS, "topology-domains.png") });
});

test("a click on a domain opens it in place, and its chip closes it again", async ({ page }) => {
  const topology = new TopologyPage(page);
  await topology.goto("domains");
  await topology.node("domain:orders").click();

  for (const id of ["topic:orders", "service:order-service", "group:payment-service", "group:inventory-service", "topic:payments.DLQ"]) await expect(topology.node(id)).toBeVisible();
  await expect(topology.node("domain:orders")).toHaveCount(0);
  await expect(topology.node("domain:payments")).toBeVisible();
  // Inside the open domain the real edges are drawn; from it to a closed one, an edge to the domain.
  await expect(topology.edge("produces:service:order-service->topic:orders")).toHaveCount(1);
  await expect(topology.edge("domain-edge:runs-as:group:payment-service->domain:payments")).toHaveCount(1);
  await expect(page.locator('[data-testid="expanded-domain"][data-domain="orders"]')).toBeVisible();
  // The opened graph is framed whole.
  await expect.poll(async () => (await topology.framing()).outside).toEqual([]);
  await page.screenshot({ path: path.join(ARTIFACTS, "topology-domain-expanded.png") });

  // A node inside is a node like any other.
  await topology.node("group:payment-service").click();
  await expect(topology.panelTitle).toHaveText("payment-service");

  await page.locator('[data-testid="expanded-domain"][data-domain="orders"]').getByTestId("collapse-domain").click();
  await expect(topology.node("domain:orders")).toBeVisible();
  await expect(topology.node("topic:orders")).toHaveCount(0);
});

test("focusing a node draws its neighbourhood, upstream and downstream, and going back restores the grouped view", async ({ page }) => {
  const topology = new TopologyPage(page);
  await topology.goto("domains");
  await topology.node("domain:orders").click();
  await topology.node("group:payment-service").click();
  await topology.panel.getByTestId("focus-node").click();

  const note = page.getByTestId("focus-note");
  await expect(note).toContainText("Neighbourhood of payment-service");
  // Upstream: orders and order-service writing it. Downstream: the service the group runs as, and what it writes.
  for (const id of ["group:payment-service", "topic:orders", "service:order-service", "service:payment-service", "topic:payments"]) await expect(topology.node(id)).toBeVisible();
  // Not in it: another reader of orders, the notifications flow three hops on, and the other domains.
  await expect(topology.node("group:inventory-service")).toHaveCount(0);
  await expect(topology.node("group:notification-service")).toHaveCount(0);
  await expect(topology.node("domain:fulfilment")).toHaveCount(0);
  await expect(note).toContainText(/[2-9] upstream, [3-9] downstream/);
  await expect.poll(async () => (await topology.framing()).outside).toEqual([]);
  await page.screenshot({ path: path.join(ARTIFACTS, "topology-focused.png") });

  await page.getByTestId("clear-focus").click();
  await expect(note).toHaveCount(0);
  await expect(topology.node("domain:fulfilment")).toBeVisible();
  await expect(topology.node("topic:orders")).toBeVisible();
});
