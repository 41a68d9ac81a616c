// `npm run bench:topology`: the Topology page on a synthetic system of BENCH_SERVICES services,
// BENCH_TOPICS topics and as many consumer groups (defaults 100 / 300 / 300: about 700 nodes and
// 1,000 edges; BENCH_SERVICES=286 BENCH_TOPICS=857 gives the 2,000-node row), in 12 domains,
// declared in the catalog and live on a real broker, with traffic on every topic so every edge rate
// changes at each sample. Measured in Chromium through Playwright, for the first view (grouped by
// domain above GROUP_ABOVE_NODES) and for every node drawn (?view=nodes): first render, layout, the
// time a live update of all rates takes to reach the screen, frame times while panning and zooming,
// opening a domain, and page memory. A benchmark, not a test: it asserts nothing.
import type { Page } from "@playwright/test";
import pLimit from "p-limit";
import { createEnvelope, envelopeHeaders } from "../../src/lib/envelope";
import { commitGroupOffsets, createProducer, disconnectAll, ensureTopics } from "../../src/server/broker";
import { launchChromium } from "./lib/browser";
import { traceInPage } from "./lib/page-timing";
import { printTable, runBench, say } from "./lib/report";
import { retryUntil } from "./lib/retry";
import { BENCH_STACK, benchCluster, startBenchStack } from "./lib/stack";
import { percentile } from "./lib/stats";

const SERVICES = Number(process.env.BENCH_SERVICES || 100);
const TOPICS = Number(process.env.BENCH_TOPICS || 300);
const GROUPS = TOPICS;
const UPDATES = Number(process.env.BENCH_UPDATES || 10);
const SAMPLER_INTERVAL_MS = 2000;

const fmt = (ms: number) => `${ms.toFixed(0)} ms`;

const pad = (n: number, width: number) => String(n).padStart(width, "0");
const topicName = (i: number) => `bench-topo.t${pad(i, 3)}`;
const eventTypeName = (i: number) => `BenchEvent${pad(i, 3)}`;
const serviceName = (i: number) => `bench-svc-${pad(i, 2)}`;
const groupName = (j: number) => `bench-grp-${pad(j, 3)}`;
/** Service i produces event types 3i..3i+2 (one topic each); group j runs as service (j + 7) mod N. */
const producerOf = (topic: number) => Math.floor(topic / 3) % SERVICES;
const serviceOfGroup = (j: number) => (j + 7) % SERVICES;
/** Every group reads its own topic; every third also reads one more, for about 1,000 edges. */
const topicsOfGroup = (j: number) => (j % 3 === 0 ? [j, (j + 50) % TOPICS] : [j]);

async function declareCatalog(databaseEnv: Record<string, string | undefined>) {
  // The catalog module reads DATABASE_URL at first use; point this process at the bench database.
  Object.assign(process.env, databaseEnv);
  const { applyDeclaredCatalog } = await import("../../src/server/services/schemas/declared-catalog");
  const { disconnectDb } = await import("../../src/server/catalog");
  const services = Array.from({ length: SERVICES }, (_, i) => ({
    name: serviceName(i),
    team: `team-${i % 10}`,
    description: "synthetic",
    produces: [] as { eventType: string; topic: string }[],
    consumes: [] as { topic: string; groupId: string }[],
  }));
  for (let t = 0; t < TOPICS; t++) services[producerOf(t)]!.produces.push({ eventType: eventTypeName(t), topic: topicName(t) });
  for (let g = 0; g < GROUPS; g++) for (const t of topicsOfGroup(g)) services[serviceOfGroup(g)]!.consumes.push({ topic: topicName(t), groupId: groupName(g) });
  const eventTypes = Array.from({ length: TOPICS }, (_, t) => ({
    name: eventTypeName(t),
    domain: `domain-${t % 12}`,
    owner: `team-${producerOf(t) % 10}`,
    description: "synthetic",
    topic: topicName(t),
    versions: [{ $schema: "http://json-schema.org/draft-07/schema#", type: "object", properties: { n: { type: "integer" } } }],
  }));
  const actor = { email: "bench@signalbox.local", name: "Bench", role: "admin" as const };
  await applyDeclaredCatalog(actor, "local", { services, eventTypes });
  await disconnectDb();
}

/** Produces one enveloped record to every topic, from its producing service. */
async function produceRound(producer: Awaited<ReturnType<typeof createProducer>>, perTopic: number) {
  const limit = pLimit(16);
  await Promise.all(
    Array.from({ length: TOPICS }, (_, t) =>
      limit(() => {
        const records = Array.from({ length: perTopic }, () => {
          const envelope = createEnvelope({ eventType: eventTypeName(t), source: serviceName(producerOf(t)), data: { n: t } });
          return { key: String(t), value: JSON.stringify(envelope), headers: envelopeHeaders(envelope) };
        });
        return producer.send(topicName(t), records);
      }),
    ),
  );
}

async function heapMb(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Performance.enable");
  const { metrics } = await cdp.send("Performance.getMetrics");
  await cdp.detach();
  return (metrics.find((m) => m.name === "JSHeapUsedSize")?.value ?? 0) / 1024 / 1024;
}

/**
 * A point on the empty pane, nearest the canvas's centre: a drag that starts on a node pans too, but
 * one that starts on an edge or its rate label does not (it selected the page's text instead, and the
 * grouped view's centre is often a label between domains).
 */
async function emptyPanePoint(page: Page, box: { x: number; y: number; width: number; height: number }) {
  const candidates: { x: number; y: number }[] = [];
  for (let dy = 0; dy <= 0.4; dy += 0.05) for (let dx = 0; dx <= 0.4; dx += 0.05) for (const [sx, sy] of [[1, 1], [-1, 1], [1, -1], [-1, -1]] as const) candidates.push({ x: box.x + box.width * (0.5 + sx * dx), y: box.y + box.height * (0.5 + sy * dy) });
  candidates.sort((a, b) => Math.hypot(a.x - box.x - box.width / 2, a.y - box.y - box.height / 2) - Math.hypot(b.x - box.x - box.width / 2, b.y - box.y - box.height / 2));
  for (const c of candidates) {
    const onPane = await page.evaluate(`document.elementFromPoint(${c.x}, ${c.y})?.classList.contains("react-flow__pane") ?? false`);
    if (onPane) return c;
  }
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

const cameraOf = (page: Page) => page.locator(".react-flow__viewport").evaluate((el) => (el as HTMLElement).style.transform);

/** Drags the canvas for ~1 s, then zooms in and out with the wheel; the frame intervals the page saw meanwhile, and whether the drag moved the camera. */
/** Frame times while dragging the view and then while zooming it with the wheel (the latter crosses the detail zoom, where labels and numbers appear). */
async function panFrames(page: Page): Promise<{ frames: number[]; dragFrames: number[]; zoomFrames: number[]; panned: boolean }> {
  const box = (await page.getByTestId("topology-canvas").boundingBox())!;
  const start = await emptyPanePoint(page, box);
  // A string, not a function: tsx wraps named inner functions in a helper the page does not have.
  await page.evaluate(`(() => {
    window.__frames = [];
    window.__stop = false;
    let last = performance.now();
    function tick(t) {
      window.__frames.push(t - last);
      last = t;
      if (!window.__stop) requestAnimationFrame(tick);
    }
    requestAnimationFrame(tick);
  })()`);
  const { x, y } = start;
  const before = await cameraOf(page);
  await page.mouse.move(x, y);
  await page.mouse.down();
  for (let i = 0; i < 60; i++) await page.mouse.move(x - i * 8, y - Math.sin(i / 6) * 40);
  await page.mouse.up();
  const dragEnd = (await page.evaluate("window.__frames.length")) as number;
  const panned = (await cameraOf(page)) !== before;
  for (let i = 0; i < 16; i++) await page.mouse.wheel(0, i < 8 ? -120 : 120);
  const frames = await page.evaluate(() => {
    const w = window as unknown as { __frames: number[]; __stop: boolean };
    w.__stop = true;
    return w.__frames.slice(1);
  });
  // __frames[0] was dropped above: the drag's frames are the first dragEnd - 1.
  return { frames, dragFrames: frames.slice(0, dragEnd - 1), zoomFrames: frames.slice(dragEnd - 1), panned };
}

const VIEWS = [
  { key: "first", title: "First view (default)", query: "" },
  { key: "nodes", title: "Every node (?view=nodes)", query: "?view=nodes" },
] as const;

interface ViewResult {
  drawnNodes: number;
  drawnEdges: number;
  firstRender: number[];
  /** Navigation → the HTML received, and → its scripts run (DOMContentLoaded), ms. */
  html: number[];
  scripts: number[];
  layout: number[];
  updates: number[];
  relayouts: number;
  frames: number[];
  dragFrames: number[];
  zoomFrames: number[];
  /** Whether the drag moved the camera (a drag that starts on an edge does not pan). */
  panned: boolean;
  expandMs: number | null;
  heap: number;
  /** A second pan and zoom, under Chromium's tracer (its frames not counted above): the main thread's work by kind, and the frames it drew. */
  panTrace: { kinds: { where: string; ms: number }[]; threads: { where: string; ms: number }[]; frames: number };
}

type Browser = Awaited<ReturnType<typeof launchChromium>>;

/** Loads the page three times, then on the last load waits for live updates, pans and zooms, and (when grouped) opens a domain and focuses a node. */
async function measureView(browser: Browser, url: string, view: (typeof VIEWS)[number]): Promise<ViewResult> {
  const firstRender: number[] = [];
  const html: number[] = [];
  const scripts: number[] = [];
  const layout: number[] = [];
  let page: Page | null = null;
  for (let i = 0; i < 3; i++) {
    await page?.close();
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(url);
    await page.waitForFunction(() => window.__topologyStats?.firstRenderMs != null, undefined, { timeout: 120_000 });
    const s = await page.evaluate(() => window.__topologyStats!);
    firstRender.push(s.firstRenderMs!);
    // Where the first render's time went: the HTML, then the scripts (DOMContentLoaded), then
    // hydration, the graph's request, layout and drawing.
    const nav = await page.evaluate(() => {
      const entry = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming;
      return { html: entry.responseEnd, scripts: entry.domContentLoadedEventEnd };
    });
    html.push(nav.html);
    scripts.push(nav.scripts);
    layout.push(s.lastLayoutMs!);
  }
  // One more load under the tracer (not counted above), for DevTools: where a first render's time goes.
  await page?.close();
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  const loading = page;
  await traceInPage(loading, `signalbox-bench-topology-${view.key}-load`, async () => {
    await loading.goto(url);
    await loading.waitForFunction(() => window.__topologyStats?.firstRenderMs != null, undefined, { timeout: 120_000 });
  });
  const p = page;
  const drawnNodes = await p.getByTestId("topology-node").count();
  const drawnEdges = await p.locator(".react-flow__edge").count();
  // To look at, not to measure.
  await p.waitForTimeout(1000);
  const shot = (name: string) => p.screenshot({ path: `e2e/artifacts/bench-topology-${name}.png` });
  await shot(`${view.key}-view`);
  const layoutsBefore = await p.evaluate(() => window.__topologyStats!.layouts);
  say(`${view.title}: waiting for ${UPDATES} live updates…`);
  const waitForUpdates = () => p.waitForFunction((n) => (window.__topologyStats?.updateMs.length ?? 0) > n, UPDATES, { timeout: UPDATES * SAMPLER_INTERVAL_MS * 5 + 60_000 });
  // BENCH_TRACE_UPDATES=1: the updates under Chromium's tracer (slower), kept for DevTools, to see what a slow one did.
  if (process.env.BENCH_TRACE_UPDATES) await traceInPage(p, `signalbox-bench-topology-${view.key}-updates`, waitForUpdates);
  else await waitForUpdates();
  const updates = (await p.evaluate(() => window.__topologyStats!.updateMs)).slice(1); // the first is the initial render
  const relayouts = (await p.evaluate(() => window.__topologyStats!.layouts)) - layoutsBefore;
  await p.getByRole("button", { name: "fit view" }).click();
  const { frames, dragFrames, zoomFrames, panned } = await panFrames(p);
  // Once more under the tracer, which slows the page: where a frame's time goes (script, style, layout, paint).
  let tracedFrames = 0;
  const { kinds, threads } = await traceInPage(p, `signalbox-bench-topology-${view.key}-pan`, async () => (tracedFrames = (await panFrames(p)).frames.length));
  const panTrace = { kinds, threads, frames: tracedFrames };
  const heap = await heapMb(p);

  let expandMs: number | null = null;
  // One of the synthetic domains (the bench database also holds the demo catalog's, without traffic).
  const domainNode = p.locator('[data-testid="topology-node"][data-node-id="domain:domain-0"]');
  // Framed again first: after the drag and the zoom the domain may be out of view, and undrawn.
  await p.getByRole("button", { name: "fit view" }).click();
  await p.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  if (await domainNode.count()) {
    const before = await p.evaluate(() => window.__topologyStats!.layouts);
    const started = Date.now();
    await domainNode.click();
    await p.waitForFunction((n) => window.__topologyStats!.layouts > n, before, { timeout: 60_000 });
    await p.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    expandMs = Date.now() - started;
    await p.waitForTimeout(1000);
    await shot(`${view.key}-expanded`);
    // Focus a consumer group of the open domain: its neighbourhood alone is drawn.
    await p.locator('[data-testid="topology-node"][data-kind="group"]').first().click();
    await p.getByTestId("focus-node").click();
    await p.getByTestId("focus-note").waitFor();
    await p.waitForTimeout(1500);
    await shot(`${view.key}-focused`);
  }
  await p.close();
  return { drawnNodes, drawnEdges, firstRender, html, scripts, layout, updates, relayouts, frames, dragFrames, zoomFrames, panned, expandMs, heap, panTrace };
}

async function main() {
  const stack = await startBenchStack({
    logFile: "/tmp/signalbox-bench-topology-stack.log",
    env: { LOG_LEVEL: "warn", SAMPLER_INTERVAL_MS: String(SAMPLER_INTERVAL_MS), TOPOLOGY_PRODUCER_SAMPLE_INTERVAL_MS: "5000" },
  });
  const cluster = benchCluster();
  let traffic: NodeJS.Timeout | null = null;
  let running = false;
  try {
    say(`declaring ${SERVICES} services, ${TOPICS} event types and ${GROUPS} subscriptions in the catalog…`);
    await declareCatalog({ DATABASE_URL: BENCH_STACK.databaseUrl, KAFKA_BROKERS: cluster.brokers.join(",") });
    say(`creating ${TOPICS} topics and committing offsets for ${GROUPS} groups…`);
    await ensureTopics(cluster, Array.from({ length: TOPICS }, (_, t) => ({ topic: topicName(t), numPartitions: 1 })));
    const producer = await createProducer(cluster, { idempotent: false });
    // New partitions can still be settling their leaders on a busy machine: retry the first round.
    // At 2,000 nodes (857 new partitions) leaders took over 10 s to settle on the loaded machine.
    await retryUntil(() => produceRound(producer, 3), { timeoutMs: 120_000, intervalMs: 2000 });
    const limit = pLimit(16);
    await Promise.all(Array.from({ length: GROUPS }, (_, g) => limit(async () => {
      for (const t of topicsOfGroup(g)) await commitGroupOffsets(cluster, groupName(g), topicName(t), [{ partition: 0, offset: 1 }]);
    })));
    // Keep every topic busy so each sample changes every edge's rate.
    traffic = setInterval(() => {
      if (running) return;
      running = true;
      void produceRound(producer, 1).finally(() => (running = false));
    }, 1000);
    say("waiting for the sampler and the producer sampler to see everything…");
    const deadline = Date.now() + 180_000;
    let nodes = 0;
    let edges = 0;
    while (Date.now() < deadline) {
      const body = (await (await fetch(`${stack.url}/api/topology.json`)).json()) as { nodes: unknown[]; edges: { source: string }[]; producersObservedAt: string | null };
      nodes = body.nodes.length;
      edges = body.edges.length;
      if (nodes >= SERVICES + TOPICS + GROUPS && body.producersObservedAt && body.edges.filter((e) => e.source === "both").length >= TOPICS) break;
      await new Promise((r) => setTimeout(r, 2000));
    }
    say(`the graph has ${nodes} nodes and ${edges} edges`);

    // A server in use has run each page before (compiled its code paths, loaded the snapshot): one
    // unmeasured visit of each view, so the first measured load is not the server's first.
    const warmUp = await launchChromium();
    const coldRender: number[] = [];
    for (const view of VIEWS) {
      const page = await warmUp.newPage({ viewport: { width: 1440, height: 900 } });
      await page.goto(`${stack.url}/topology${view.query}`);
      await page.waitForFunction(() => window.__topologyStats?.firstRenderMs != null, undefined, { timeout: 120_000 });
      coldRender.push(await page.evaluate(() => window.__topologyStats!.firstRenderMs!));
      await page.close();
    }
    await warmUp.close();

    const answers: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      await (await fetch(`${stack.url}/api/topology.json`)).arrayBuffer();
      answers.push(performance.now() - t0);
    }
    const serverMs = percentile(answers, 50);
    const pages: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      await (await fetch(`${stack.url}/topology`)).arrayBuffer();
      pages.push(performance.now() - t0);
    }
    const pageMs = percentile(pages, 50);

    const browser = await launchChromium();
    const results: ViewResult[] = [];
    for (const view of VIEWS) results.push(await measureView(browser, `${stack.url}/topology${view.query}`, view));
    await browser.close();

    say(`${SERVICES} services, ${TOPICS} topics, ${GROUPS} groups: ${nodes} nodes, ${edges} edges`);
    const row = (measure: string, pick: (r: ViewResult, i: number) => string) => [measure, ...results.map(pick)];
    printTable(
      ["Measure", ...VIEWS.map((v) => v.title)],
      [
        row("Drawn", (r) => `${r.drawnNodes} nodes, ${r.drawnEdges} edges`),
        row("First render (navigation → graph on screen), median of 3", (r) => fmt(percentile(r.firstRender, 50))),
        row("… the server's first visit (cold, unmeasured above), one load", (_, i) => fmt(coldRender[i]!)),
        row("… of which the HTML (server), median", (r) => fmt(percentile(r.html, 50))),
        row("… and the page's scripts run (DOMContentLoaded), median", (r) => fmt(percentile(r.scripts, 50))),
        row("The graph's data alone (`GET /api/topology.json`), median of 5", () => fmt(serverMs)),
        row("The page's HTML alone (`GET /topology`, no browser), median of 5", () => fmt(pageMs)),
        row("Layout in the browser, median of 3", (r) => fmt(percentile(r.layout, 50))),
        row("Live update of all rates (data in → frame painted), median", (r) => `${fmt(percentile(r.updates, 50))} (of ${r.updates.length})`),
        row("Live update, p95", (r) => fmt(percentile(r.updates, 95))),
        row("Layouts re-run by live updates", (r) => String(r.relayouts)),
        row("Panning and zooming, frame time median / p95", (r) => `${fmt(percentile(r.frames, 50))} / ${fmt(percentile(r.frames, 95))} (${r.frames.length} frames${r.panned ? "" : "; the drag did not pan"})`),
        row("… while dragging / while zooming with the wheel, p95", (r) => `${fmt(percentile(r.dragFrames, 95))} (${r.dragFrames.length} frames) / ${fmt(percentile(r.zoomFrames, 95))} (${r.zoomFrames.length} frames)`),
        row("Opening a domain (click → laid out and painted)", (r) => (r.expandMs === null ? "–" : fmt(r.expandMs))),
        row("Page JS heap after updates", (r) => `${r.heap.toFixed(0)} MB`),
      ],
      ["left", "right", "right"],
    );
    for (const [i, r] of results.entries()) {
      say(`${VIEWS[i]!.title}: a traced pan and zoom, ${r.panTrace.frames} frames; the main thread's work by kind (kinds nest; RunTask is the busy time; /tmp/signalbox-bench-topology-${VIEWS[i]!.key}-pan.trace.json):`);
      printTable(["Time", "Kind"], r.panTrace.kinds.map((k) => [`${k.ms.toFixed(1)} ms`, k.where]), ["right", "left"]);
      say("… and every thread's busy time (raster and GPU work happen off the main thread):");
      printTable(["Busy", "Thread"], r.panTrace.threads.map((k) => [`${k.ms.toFixed(1)} ms`, k.where]), ["right", "left"]);
    }
    if (traffic) clearInterval(traffic);
    traffic = null;
    while (running) await new Promise((r) => setTimeout(r, 100));
    await producer.disconnect();
  } finally {
    if (traffic) clearInterval(traffic);
    await disconnectAll();
    await stack.stop();
  }
}

runBench("bench:topology", main);
