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
  // Attached rather than visible: a level edge is a flat path, which has no height to be "visible".
  await expect(topology.edge("produces:service:order-service->topic:orders")).toHaveCount(1);
  await expect(topology.node("topic:payments.DLQ")).toHaveAttribute("data-dlq", "true");
  await expect(topology.node("group:notification-service")).toHaveAttribute("data-status", /OK|WARN|ERR|PENDING/);
  await page.screenshot({ path: path.join(ARTIFACTS, "topology.png") });

  await topology.node("group:payment-service").click();
  await expect(topology.panel).toBeVisible();
  await expect(topology.panelTitle).toHaveText("payment-service");
  await expect(topology.panel).toContainText("Declared in the catalog and observed on the broker.");
  await expect(topology.panel.getByTestId("panel-link")).toHaveAttribute("href", "/c/local/groups/payment-service");

  await topology.panel.getByTestId("show-path").click();
  await expect(page.getByTestId("path-note")).toContainText("payment-service");
  // On payment-service's path: orders and inventory upstream (it refunds when stock fails),
  // payments and its DLQ downstream. The saga closes a loop through order-service, so the demo's
  // own topics are all on the path; what is not (Kafka Connect's internal topics) is dimmed.
  await expect(topology.panel).toContainText("reads inventory");
  await expect(topology.panel).toContainText("reads orders");
  for (const id of ["topic:orders", "topic:inventory", "topic:payments", "topic:payments.DLQ"]) await expect(topology.node(id)).not.toHaveClass(/tp-dimmed/);
  await expect(page.locator('[data-testid="topology-node"].tp-dimmed').first()).toBeAttached();
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
  // fulfilment reads orders and payments, but nothing of theirs reaches the notifications topic.
  await expect(topology.node("topic:notifications")).toHaveCount(0);
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

for (const size of [
  { width: 1280, height: 800 },
  { width: 1024, height: 768 },
]) {
  test(`the first view at ${size.width}×${size.height} fits every node of the graph inside the canvas`, async ({ page }) => {
    await page.setViewportSize(size);
    const topology = new TopologyPage(page);
    await topology.goto();
    await expect(topology.node("topic:payments.DLQ")).toBeVisible();
    const [, total] = await topology.counts();
    // The layout is asynchronous: poll until it has been applied and framed, then every node must be in view.
    await expect.poll(() => topology.framing()).toEqual({ drawn: total, outside: [] });
    await page.screenshot({ path: path.join(ARTIFACTS, `topology-first-view-${size.width}x${size.height}.png`) });
  });
}

test("once the user has moved the view, live updates leave it where they put it", async ({ page }) => {
  const topology = new TopologyPage(page);
  await topology.goto();
  // The layout comes after the data (and the header's counts): wait until every node is drawn and framed.
  await expect(topology.node("topic:orders")).toBeVisible();
  const [, total] = await topology.counts();
  await expect.poll(() => topology.framing()).toEqual({ drawn: total, outside: [] });
  // Zoom in on the pane with the wheel, as a person would.
  const fitted = await topology.viewport();
  const pane = await page.locator(".tp-canvas .react-flow__pane").boundingBox();
  await page.mouse.move(pane!.x + pane!.width / 2, pane!.y + pane!.height / 2);
  await page.mouse.wheel(0, -400);
  await expect.poll(() => topology.viewport()).not.toBe(fitted);
  await expect.poll(() => topology.framing()).not.toEqual({ drawn: total, outside: [] });
  const moved = await topology.viewport();
  // Two more live updates reach the screen (the worker samples every 2 s in this stack)…
  const seen = await topology.liveUpdates();
  await expect.poll(() => topology.liveUpdates(), { timeout: 45_000 }).toBeGreaterThanOrEqual(seen + 2);
  // …and the camera has not been re-fitted.
  expect(await topology.viewport()).toBe(moved);
});

test("the DLQ is drawn with the service that dead-letters into it and a link back to its source topic", async ({ page }) => {
  const topology = new TopologyPage(page);
  await topology.goto();
  // The demo's payment-service dead-letters the orders it cannot charge; the records' headers name orders.
  const back = topology.edge("dead-letters-from:topic:orders->topic:payments.DLQ");
  const writes = topology.edge("dead-letters:service:payment-service->topic:payments.DLQ");
  await expect(back).toHaveCount(1);
  await expect(writes).toHaveCount(1);
  // The name alone (payments.DLQ → payments) is not taken once the records say otherwise.
  await expect(topology.edge("dead-letters-from:topic:payments->topic:payments.DLQ")).toHaveCount(0);

  await topology.node("topic:payments.DLQ").click();
  await expect(topology.panelTitle).toHaveText("payments.DLQ");
  const facts = topology.panel.getByTestId("dlq-facts");
  await expect(facts.getByTestId("dlq-source")).toContainText("orders");
  await expect(facts.getByTestId("dlq-source")).toContainText("its records' headers name it");
  await expect(facts.getByTestId("dlq-writer")).toContainText("payment-service");
  await expect(facts.getByTestId("dlq-source-link")).toHaveAttribute("href", "/c/local/topics/orders");
  await expect(facts.getByTestId("dlq-page-link")).toHaveAttribute("href", "/c/local/dlq?topic=payments.DLQ");
  await page.screenshot({ path: path.join(ARTIFACTS, "topology-dlq-selected.png") });

  // The source topic is one click away on the graph too.
  await facts.getByTestId("dlq-source-show").click();
  await expect(topology.panelTitle).toHaveText("orders");
  await expect(topology.node("topic:orders")).toHaveClass(/tp-selected/);

  // Searching for the DLQ keeps its flow (source topic, writer) and frames it close enough to read the labels.
  await topology.search.fill("payments.DLQ");
  await expect.poll(async () => (await topology.counts())[0]).toBe(3);
  await expect(back).toContainText("dead letters from");
  await expect.poll(() => topology.framing()).toEqual({ drawn: 3, outside: [] });
  await page.screenshot({ path: path.join(ARTIFACTS, "topology-dlq-search.png") });

  await topology.node("topic:payments.DLQ").click();
  await topology.panel.getByTestId("dlq-page-link").click();
  await expect(page).toHaveURL(/\/dlq\?topic=payments\.DLQ$/);
  await expect(page.getByTestId("dlq-page")).toBeVisible();
});

test("the graph refetches once per announced sample, not on every render", async ({ page }) => {
  // Count the samples the page is told about (the live stream's "sample" messages) and the graph
  // requests it makes. A refresh callback that changed on every render once made each refetch
  // trigger the next: 111 graph requests for 4 samples.
  await page.addInitScript(() => {
    const counts = { liveMessages: 0 };
    (window as unknown as { __sse: typeof counts }).__sse = counts;
    const Native = window.EventSource;
    window.EventSource = class extends Native {
      constructor(url: string | URL, init?: EventSourceInit) {
        super(url, init);
        if (String(url).includes("live.events")) {
          this.addEventListener("message", (event) => {
            if (String(event.data).includes('"kind":"sample"')) counts.liveMessages++;
          });
        }
      }
    };
  });
  let graphRequests = 0;
  page.on("request", (request) => {
    if (new URL(request.url()).pathname.includes("topology.graph")) graphRequests++;
  });
  const topology = new TopologyPage(page);
  await topology.goto();
  await expect(topology.node("topic:orders")).toBeVisible();
  const liveMessages = () => page.evaluate(() => (window as unknown as { __sse: { liveMessages: number } }).__sse.liveMessages);
  await expect.poll(liveMessages, { timeout: 30_000 }).toBeGreaterThanOrEqual(4);
  // The first load, one refetch per sample, and one catch-up per reconnect at most.
  expect(graphRequests).toBeLessThanOrEqual((await liveMessages()) + 3);
  expect(graphRequests).toBeGreaterThanOrEqual(2);
});
