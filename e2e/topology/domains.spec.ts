import path from "node:path";
import { kafkaTool } from "../../scripts/lib/local-kafka";
import { E2E_STACK } from "../../scripts/lib/test-ports";
import type { Locator } from "@playwright/test";
import { expect, test } from "../fixtures";
import { TopologyPage } from "../pages/topology-page";

// The readable view of a large system, on the demo's saga: its four domains collapsed into one node
// each, a click that opens one, and a node's neighbourhood. The saga's domains: orders (the orders
// topic, order-service writing it, and payments.DLQ, whose records come from orders); payments (the
// payments topic, payment-service, its group, which reads orders and inventory, and order-service's
// group, which reads payments); fulfilment (inventory, inventory-service and its group);
// customer-comms (notifications, notification-service and its group, which lags and can be ERR).
// Events go round a loop across two domains: orders → payment-service → payments → order-service →
// orders. The demo is below the size that groups by itself (GROUP_ABOVE_NODES), so these tests pick
// the grouping with the toolbar's switch or ?view=domains; the unit tests hold the threshold. Other
// specs leave topics and groups on the shared broker, so counts are lower bounds.

const ARTIFACTS = path.join(import.meta.dirname, "../artifacts");

const counts = async (domain: Locator) => ((await domain.getByTestId("domain-counts").textContent()) ?? "").match(/\d+/g)!.map(Number);

test("grouped by domain, each domain is one node with its rates and worst status, and its problems stay marked", async ({ page }) => {
  // A consumer group that committed at the start of orders and never moves again: with the demo's
  // traffic its lag grows while its offset stands still, which the sampler calls STALL, so ERR.
  // It reads orders only, so it is in the orders domain.
  const stalled = `e2e-topology-stalled-${Date.now()}`;
  await kafkaTool(E2E_STACK.kafkaPort, "kafka-consumer-groups", ["--group", stalled, "--topic", "orders", "--reset-offsets", "--to-earliest", "--execute"]);

  const topology = new TopologyPage(page);
  await topology.goto();
  await expect(topology.node("topic:orders")).toBeVisible();
  await page.getByTestId("view-domains").click();
  await expect(page.getByTestId("view-domains")).toHaveAttribute("aria-pressed", "true");

  for (const domain of ["orders", "payments", "fulfilment", "customer-comms"]) await expect(topology.node(`domain:${domain}`)).toBeVisible();
  for (const member of ["topic:orders", "topic:payments", "group:payment-service", "service:inventory-service"]) await expect(topology.node(member)).toHaveCount(0);
  await expect(page.getByTestId("domain-bar")).toContainText("Grouped by domain");

  const orders = topology.node("domain:orders");
  await expect(orders.getByTestId("domain-counts")).toContainText(/\d+ services? · \d+ topics? · \d+ groups?/);
  // orders holds its topic and payments.DLQ, order-service writing them, and the stalled group.
  // The graph is live: on a fresh stack payments.DLQ joins orders once the DLQ index has read its
  // records' origin, and the stalled group once the sampler has seen it, each with a later sample.
  await expect
    .poll(
      async () => {
        const [services, topics, groups] = await counts(orders);
        return services! >= 1 && topics! >= 2 && groups! >= 1;
      },
      { message: "orders holds a service, two topics (orders, payments.DLQ) and a group", timeout: 30_000 },
    )
    .toBe(true);
  await expect(orders).toContainText(/[1-9][\d.]* msg\/s/);
  // payments holds payment-service's group and order-service's (which reads payments): two at least.
  await expect
    .poll(
      async () => {
        const [services, topics, groups] = await counts(topology.node("domain:payments"));
        return services! >= 1 && topics! >= 1 && groups! >= 2;
      },
      { message: "payments holds a service, a topic and two groups", timeout: 30_000 },
    )
    .toBe(true);
  // Problems are marked on the collapsed node: the stalled group goes ERR, and payments.DLQ keeps growing.
  await expect(orders.getByTestId("domain-err-groups")).toHaveAttribute("title", new RegExp(stalled), { timeout: 120_000 });
  await expect(orders).toHaveAttribute("data-status", "ERR");
  await expect(orders.getByTestId("domain-growing-dlq")).toBeVisible({ timeout: 60_000 });
  await expect(orders.getByTestId("domain-growing-dlq")).toHaveAttribute("title", /payments\.DLQ/);
  // fulfilment (inventory-service, its topic and its group, which keeps up) has no ERR group and no DLQ: nothing to mark.
  await expect(topology.node("domain:fulfilment")).toBeVisible();
  await expect(topology.node("domain:fulfilment").getByTestId("domain-err-groups")).toHaveCount(0);
  await expect(topology.node("domain:fulfilment").getByTestId("domain-growing-dlq")).toHaveCount(0);
  // The edges between domains stand for the edges between their members, and the saga's loop shows
  // both ways: orders is read in payments (payment-service's group), and payments is read by
  // order-service's group, which runs as order-service in orders.
  await expect(topology.edge("domain-edge:consumed-by:domain:orders->domain:payments")).toHaveCount(1);
  await expect(topology.edge("domain-edge:runs-as:domain:payments->domain:orders")).toHaveCount(1);
  await expect.poll(async () => (await topology.framing()).outside).toEqual([]);
  await page.screenshot({ path: path.join(ARTIFACTS, "topology-domains.png") });
});

test("a click on a domain opens it in place, and its chip closes it again", async ({ page }) => {
  const topology = new TopologyPage(page);
  await topology.goto("domains");
  await topology.node("domain:payments").click();

  for (const id of ["topic:payments", "service:payment-service", "group:payment-service", "group:order-service"]) await expect(topology.node(id)).toBeVisible();
  await expect(topology.node("domain:payments")).toHaveCount(0);
  await expect(topology.node("domain:orders")).toBeVisible();
  await expect(topology.node("topic:orders")).toHaveCount(0);
  // Inside the open domain the real edges are drawn; from it to a closed one, an edge to the domain.
  await expect(topology.edge("produces:service:payment-service->topic:payments")).toHaveCount(1);
  await expect(topology.edge("consumed-by:topic:payments->group:order-service")).toHaveCount(1);
  // payment-service's group reads orders and inventory (both closed); order-service's group runs as order-service (in orders).
  await expect(topology.edge("domain-edge:consumed-by:domain:orders->group:payment-service")).toHaveCount(1);
  await expect(topology.edge("domain-edge:consumed-by:domain:fulfilment->group:payment-service")).toHaveCount(1);
  await expect(topology.edge("domain-edge:runs-as:group:order-service->domain:orders")).toHaveCount(1);
  await expect(page.locator('[data-testid="expanded-domain"][data-domain="payments"]')).toBeVisible();
  // The opened graph is framed whole.
  await expect.poll(async () => (await topology.framing()).outside).toEqual([]);
  await page.screenshot({ path: path.join(ARTIFACTS, "topology-domain-expanded.png") });

  // A node inside is a node like any other.
  await topology.node("group:payment-service").click();
  await expect(topology.panelTitle).toHaveText("payment-service");

  await page.locator('[data-testid="expanded-domain"][data-domain="payments"]').getByTestId("collapse-domain").click();
  await expect(topology.node("domain:payments")).toBeVisible();
  await expect(topology.node("topic:payments")).toHaveCount(0);
});

test("focusing a node on the saga's loop draws its neighbourhood, upstream and downstream, and going back restores the grouped view", async ({ page }) => {
  const topology = new TopologyPage(page);
  await topology.goto("domains");
  await topology.node("domain:payments").click();
  await topology.node("group:payment-service").click();
  await topology.panel.getByTestId("focus-node").click();

  const note = page.getByTestId("focus-note");
  await expect(note).toContainText("Neighbourhood of payment-service");
  // Upstream: what it reads (orders, and inventory for the compensation) and who writes them.
  // Downstream: the service it runs as, and what that service writes and dead-letters.
  for (const id of ["group:payment-service", "topic:orders", "service:order-service", "topic:inventory", "service:inventory-service", "service:payment-service", "topic:payments", "topic:payments.DLQ"]) {
    await expect(topology.node(id)).toBeVisible();
  }
  // Not in it: order-service's group, three hops on round the loop (payments → it → order-service →
  // orders would lead back here), other readers of orders, the notifications flow, and the domains.
  for (const id of ["group:order-service", "group:inventory-service", "group:notification-service", "topic:notifications", "domain:fulfilment", "domain:orders"]) await expect(topology.node(id)).toHaveCount(0);
  const [upstream, downstream] = ((await note.textContent()) ?? "").match(/(\d+) upstream, (\d+) downstream/)!.slice(1).map(Number);
  expect(upstream).toBeGreaterThanOrEqual(4);
  expect(downstream).toBeGreaterThanOrEqual(3);
  await expect.poll(async () => (await topology.framing()).outside).toEqual([]);
  await page.screenshot({ path: path.join(ARTIFACTS, "topology-focused.png") });

  await page.getByTestId("clear-focus").click();
  await expect(note).toHaveCount(0);
  await expect(topology.node("domain:fulfilment")).toBeVisible();
  await expect(topology.node("topic:payments")).toBeVisible();
  await expect(topology.node("topic:orders")).toHaveCount(0);
});
