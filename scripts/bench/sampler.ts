// `npm run bench:sampler`: the lag sampler at scale, on the real stack (broker, PostgreSQL, worker,
// web app). Creates BENCH_PARTITIONS partitions (BENCH_PARTITIONS_PER_TOPIC to a topic) and
// BENCH_GROUPS consumer groups with commits, lets the worker sample, and prints a table:
// sampler cycle (median, p95 over 20 cycles) and its cost per partition, worker CPU and memory,
// /metrics render time, the consumer groups and topics pages in Chromium (first row, filter, sort),
// and Kafka's own `kafka-consumer-groups --describe --all-groups` as the peer in the same run.
// A benchmark, not a test: it asserts nothing.
//
// Above about 14,000 partitions one local broker runs out of open files (the hard limit here is
// 20,000, and every partition keeps its active segment open), so the bench starts a cluster of
// ceil(partitions / 14,000) brokers (BENCH_KAFKA_NODES overrides it): see scripts/kafka/README.md.
import { execFile } from "node:child_process";
import os from "node:os";
import { promisify } from "node:util";
import type { Browser, BrowserContext } from "@playwright/test";
import pLimit from "p-limit";
import pg from "pg";
import { commitGroupOffsets, createProducer, disconnectAll, ensureTopics } from "../../src/server/broker";
import { kafkaTool } from "../lib/local-kafka";
import { launchChromium } from "./lib/browser";
import { timeInPage, traceInPage, typeInto, type PageTrace } from "./lib/page-timing";
import { processTree, type ProcessUsage } from "./lib/process-tree";
import { printMeasureTable, printTable, runBench, say } from "./lib/report";
import { retryUntil } from "./lib/retry";
import { BENCH_STACK, benchCluster, startBenchStack } from "./lib/stack";
import { median, percentile, sum } from "./lib/stats";
import type { CyclePhases, LagSnapshot } from "../../src/server/services/lag/types";
import { renderClustersMetrics } from "../../src/server/services/metrics/prometheus";

const execFileAsync = promisify(execFile);
const PARTITIONS_PER_TOPIC = Number(process.env.BENCH_PARTITIONS_PER_TOPIC || 5);
const TOTAL_PARTITIONS = Number(process.env.BENCH_PARTITIONS || 10_000);
const TOPICS = Math.ceil(TOTAL_PARTITIONS / PARTITIONS_PER_TOPIC);
const PARTITIONS = PARTITIONS_PER_TOPIC;
const GROUPS = Number(process.env.BENCH_GROUPS || 1000);
const CYCLES = Number(process.env.BENCH_CYCLES || 20);
const PARTITIONS_PER_BROKER = 14_000;
const KAFKA_NODES = Number(process.env.BENCH_KAFKA_NODES || Math.ceil((TOPICS * PARTITIONS) / PARTITIONS_PER_BROKER));
const { kafkaPort: KAFKA_PORT, databaseUrl: DATABASE_URL } = BENCH_STACK;
const topicName = (i: number) => `bench-${String(i).padStart(5, "0")}`;
const groupName = (g: number) => `bench-group-${String(g).padStart(4, "0")}`;

/** One list page as the bench drives it: its path, test ids, and the names of its first and last rows. */
interface ListPage {
  label: string;
  path: string;
  rowTestId: string;
  rowAttr: string;
  filterTestId: string;
  countTestId: string;
  /** The name column's sort button: clicked once it sorts ascending, twice descending. */
  sortTestId: string;
  last: string;
}

interface PageTimes {
  firstRow: number;
  /** From the request until typing the last row's name into the filter leaves that row (hydration included). */
  interactive: number;
  /** From typing into the filter until only the matching row shows, through Playwright (fill, then its waits). */
  filter: number;
  /** From clicking the name column (ascending → descending) until the last name is the first row, through Playwright. */
  sort: number;
  /**
   * The same three timed in the page, without the driver's polling (Playwright retries a wait after
   * 0, 20, 50, 100, 100 and then every 500 ms, so a step that missed a check showed up to 0.5 s late):
   * navigation start → first row painted; input event or click → the answer painted. The filter and
   * the sort run on a reloaded page, so the answer is not already in the page's query cache.
   * Just after load, the page's own follow-up work (the live stream's first refetch, Next's prefetches
   * of the sidebar's links) competes with them; "settled" waits SETTLE_MS first.
   */
  firstRowInPage: number;
  filterInPage: number;
  sortInPage: number;
  filterSettled: number;
  sortSettled: number;
}

/** How long the settled filter and sort wait after the page became idle. */
const SETTLE_MS = 3000;

/** One settled run of each under Chromium's tracer. */
type PageProfiles = Record<"filter" | "sort", PageTrace & { totalMs: number }>;

/** Opens a list page in `context` and times it (PageTimes); with `profileAs`, a settled filter and sort also run under Chromium's tracer. */
async function timeListPage(context: BrowserContext, url: string, list: ListPage, profileAs?: string): Promise<PageTimes & { profiles?: PageProfiles }> {
  const page = await context.newPage();
  const rowSelector = (name: string) => `[data-testid="${list.rowTestId}"][${list.rowAttr}="${name}"]`;
  const row = (name: string) => page.locator(rowSelector(name));
  const filterSelector = `[data-testid="${list.filterTestId}"]`;
  const sortSelector = `[data-testid="${list.sortTestId}"]`;
  const firstSelector = `[data-testid="${list.rowTestId}"]`;
  // When the first row is painted, in the page's own clock (0 = navigation start).
  await page.addInitScript(`(() => {
    const observer = new MutationObserver(() => {
      if (!document.querySelector(${JSON.stringify(firstSelector)})) return;
      observer.disconnect();
      requestAnimationFrame(() => { window.__firstRowAt = performance.now(); });
    });
    observer.observe(document, { subtree: true, childList: true });
  })()`);
  const hydrated = () =>
    page.waitForFunction((id) => {
      const input = document.querySelector(`[data-testid="${id}"]`);
      return !!input && Object.keys(input).some((k) => k.startsWith("__reactFiber"));
    }, list.filterTestId);
  const s = performance.now();
  // From the request until the first row is on screen, whether the server sent it in the HTML
  // or the browser fetched and rendered it after loading the scripts.
  await page.goto(url + list.path, { waitUntil: "commit" });
  await page.getByTestId(list.rowTestId).first().waitFor({ timeout: 60_000 });
  const firstRow = performance.now() - s;
  // Interactive: React has taken over the page and the filter answers typing.
  await hydrated();
  const f = performance.now();
  await page.getByTestId(list.filterTestId).fill(list.last);
  await row(list.last).waitFor({ timeout: 60_000 });
  await page.getByTestId(list.countTestId).filter({ hasText: /^1 of / }).waitFor({ timeout: 60_000 });
  const filtered = performance.now();
  await page.waitForFunction("window.__firstRowAt !== undefined");
  const firstRowInPage = (await page.evaluate("window.__firstRowAt")) as number;
  const clearFilter = async () => {
    await page.getByTestId(list.filterTestId).fill("");
    await page.getByTestId(list.countTestId).filter({ hasNotText: /^1 of / }).waitFor({ timeout: 60_000 });
  };
  await clearFilter();
  // Ascending by name first (not timed), then the timed flip to descending: the last name comes first.
  const header = page.getByTestId(list.sortTestId).locator("xpath=..");
  const sortAscending = async () => {
    if ((await header.getAttribute("aria-sort")) === "ascending") return;
    await page.getByTestId(list.sortTestId).click();
    await header.and(page.locator('[aria-sort="ascending"]')).waitFor({ timeout: 60_000 });
  };
  await sortAscending();
  const t = performance.now();
  await page.getByTestId(list.sortTestId).click();
  await page.locator(`[data-testid="${list.rowTestId}"][aria-rowindex="2"][${list.rowAttr}="${list.last}"]`).waitFor({ timeout: 60_000 });
  const sorted = performance.now();

  // In the page, each on a fresh load: the filter's and the sort's answers are not in the query cache.
  const reload = async () => {
    await page.reload({ waitUntil: "commit" });
    await page.getByTestId(list.rowTestId).first().waitFor({ timeout: 60_000 });
    await hydrated();
    // Hydration marks the input before it commits; an input event in between was lost. Idle: committed.
    await page.evaluate("new Promise((resolve) => requestIdleCallback(() => resolve(), { timeout: 5000 }))");
  };
  const oneRowLeft = `document.querySelector('[data-testid="${list.countTestId}"]')?.textContent?.startsWith("1 of ") && document.querySelector(${JSON.stringify(rowSelector(list.last))})`;
  const lastFirst = `document.querySelector(${JSON.stringify(`[data-testid="${list.rowTestId}"][aria-rowindex="2"][${list.rowAttr}="${list.last}"]`)})`;
  // Each step is made ready on a fresh load (untimed), then timed alone, so a trace holds the step only.
  const readyForFilter = async (settle: number) => {
    await reload();
    await page.waitForTimeout(settle);
  };
  const readyForSort = async (settle: number) => {
    await reload();
    await sortAscending();
    await page.waitForTimeout(settle);
  };
  const filterStep = () => timeInPage(page, typeInto(filterSelector, list.last), oneRowLeft);
  const sortStep = () => timeInPage(page, `document.querySelector(${JSON.stringify(sortSelector)}).click()`, lastFirst);
  await readyForFilter(0);
  const filterInPage = await filterStep();
  await readyForSort(0);
  const sortInPage = await sortStep();
  await readyForFilter(SETTLE_MS);
  const filterSettled = await filterStep();
  await readyForSort(SETTLE_MS);
  const sortSettled = await sortStep();
  let profiles: PageProfiles | undefined;
  if (profileAs) {
    let filterMs = 0;
    await readyForFilter(SETTLE_MS);
    const filter = await traceInPage(page, `${profileAs}-filter`, async () => (filterMs = await filterStep()));
    let sortMs = 0;
    await readyForSort(SETTLE_MS);
    const sort = await traceInPage(page, `${profileAs}-sort`, async () => (sortMs = await sortStep()));
    profiles = { filter: { ...filter, totalMs: filterMs }, sort: { ...sort, totalMs: sortMs } };
    // What the sorted list looked like, to check by eye (rows, sparklines, long names).
    await page.screenshot({ path: `e2e/artifacts/bench-sampler-${list.label}-sorted.png` });
  }
  await page.close();
  return { firstRow, interactive: filtered - s, filter: filtered - f, sort: sorted - t, firstRowInPage, filterInPage, sortInPage, filterSettled, sortSettled, profiles };
}

/** PAGE_LOADS first visits (a fresh context each: nothing cached) and as many returning visits (one warmed context). */
async function timeListPageVisits(browser: Browser, url: string, list: ListPage, loads: number): Promise<{ first: PageTimes[]; returning: PageTimes[]; profiles: PageProfiles }> {
  const first: PageTimes[] = [];
  for (let i = 0; i < loads; i++) {
    const context = await browser.newContext();
    first.push(await timeListPage(context, url, list));
    await context.close();
  }
  const warm = await browser.newContext();
  await timeListPage(warm, url, list);
  const returning: PageTimes[] = [];
  for (let i = 0; i < loads; i++) returning.push(await timeListPage(warm, url, list));
  const { profiles } = await timeListPage(warm, url, list, `signalbox-bench-${list.label}`);
  await warm.close();
  return { first, returning, profiles: profiles! };
}

const ms = (values: number[]) => `${median(values).toFixed(0)} ms`;

async function main() {
  const t0 = performance.now();
  const stack = await startBenchStack({
    logFile: "/tmp/signalbox-bench-stack.log",
    kafkaNodes: KAFKA_NODES,
    env: { LOG_LEVEL: "warn", SAMPLER_INTERVAL_MS: "5000", KAFKA_CONNECTION_TIMEOUT_MS: "10000" },
  });
  const cluster = benchCluster();
  const db = new pg.Client({ connectionString: DATABASE_URL });
  await db.connect();
  try {
    say(`creating ${TOPICS} topics × ${PARTITIONS} partitions…`);
    const topics = Array.from({ length: TOPICS }, (_, i) => topicName(i));
    for (let i = 0; i < topics.length; i += 200) await retryUntil(() => ensureTopics(cluster, topics.slice(i, i + 200).map((topic) => ({ topic, numPartitions: PARTITIONS }))));
    say("producing 10 records to each of the first 200 topics…");
    const producer = await createProducer(cluster, { idempotent: false });
    for (const topic of topics.slice(0, 200)) await retryUntil(() => producer.send(topic, Array.from({ length: 10 }, (_, i) => ({ key: `k${i}`, value: "{}" }))));
    await producer.disconnect();
    say(`committing offsets for ${GROUPS} consumer groups…`);
    // Each commit is one OffsetCommit round trip, so many can be in flight at once.
    const limit = pLimit(64);
    await Promise.all(
      Array.from({ length: GROUPS }, (_, g) =>
        limit(() => retryUntil(() => commitGroupOffsets(cluster, groupName(g), topics[g % topics.length]!, Array.from({ length: PARTITIONS }, (_, partition) => ({ partition, offset: 0 }))))),
      ),
    );
    const setupSeconds = (performance.now() - t0) / 1000;
    const loadAtStart = os.loadavg();
    say(`setup took ${setupSeconds.toFixed(0)} s; waiting for ${CYCLES} sampler cycles that see all groups…`);

    await db.query("LISTEN signalbox_lag_snapshot");
    const worker = stack.processes.find((p) => p.name === "worker")!;
    const cycles: number[] = [];
    const phases: CyclePhases[] = [];
    // From a cycle's start until its snapshot is stored and announced: how old the data is when pages see it.
    const ages: number[] = [];
    let cpuStart: number | null = null;
    let cpuStartAt = 0;
    let cpuShare = 0;
    let peakRss = 0;
    let peakTree: ProcessUsage[] = [];
    // Resident memory is sampled every 250 ms while the measured cycles run, so a peak inside a cycle is seen.
    const rssSampler = setInterval(() => {
      if (cpuStart === null) return;
      const tree = processTree(worker.child.pid!);
      const rss = sum(tree.map((p) => p.rssMb));
      if (rss > peakRss) [peakRss, peakTree] = [rss, tree];
    }, 250);
    await new Promise<void>((resolve, reject) => {
      const timeout = setTimeout(() => reject(new Error("timed out waiting for sampler cycles")), 15 * 60_000);
      let done = false;
      db.on("notification", async () => {
        if (done) return;
        const announcedAt = Date.now();
        const row = await db.query<{ cycleMs: number; groups: number; takenAtMs: number; phases: CyclePhases | null }>(
          `SELECT "cycleMs", jsonb_array_length(payload->'groups') AS groups, (extract(epoch FROM "takenAt") * 1000)::float8 AS "takenAtMs", payload->'phases' AS phases FROM "LagSnapshotLatest"`,
        );
        const r = row.rows[0];
        if (done || !r || r.groups < GROUPS) return;
        const cpuNow = sum(processTree(worker.child.pid!).map((p) => p.cpuSeconds));
        if (cpuStart === null) {
          // The first complete cycle warms caches (and reads metadata); measure from the next ones.
          cpuStart = cpuNow;
          cpuStartAt = performance.now();
          return;
        }
        cycles.push(r.cycleMs);
        if (r.phases) phases.push(r.phases);
        ages.push(announcedAt - r.takenAtMs);
        if (cycles.length >= CYCLES) {
          done = true;
          clearTimeout(timeout);
          cpuShare = (cpuNow - cpuStart) / ((performance.now() - cpuStartAt) / 1000);
          resolve();
        }
      });
    });
    clearInterval(rssSampler);
    const lifetimePeaks = processTree(worker.child.pid!);

    // The list pages' server answers alone (tRPC over HTTP, no browser): a filter and a sort by name,
    // descending, of each list, 5 times each. Before /metrics, whose scrapes make the web process load
    // and render whole snapshots for a minute afterwards.
    const serverTimes = new Map<string, number[]>();
    const ask = async (label: string, procedure: string, input: object) => {
      const times: number[] = [];
      for (let i = 0; i < 5; i++) {
        const s = performance.now();
        const response = await fetch(`${stack.url}/api/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`);
        if (!response.ok) throw new Error(`${procedure} answered ${response.status}: ${(await response.text()).slice(0, 200)}`);
        await response.text();
        times.push(performance.now() - s);
      }
      serverTimes.set(label, times);
    };
    await ask("groups filter", "lag.groupsPage", { filter: groupName(GROUPS - 1) });
    await ask("groups sort", "lag.groupsPage", { sort: "group", dir: "desc" });
    await ask("topics filter", "lag.topicsPage", { filter: topicName(TOPICS - 1) });
    await ask("topics sort", "lag.topicsPage", { sort: "topic", dir: "desc" });
    const serverMs = (label: string) => `${median(serverTimes.get(label)!).toFixed(0)} ms`;

    // The first scrape turns on rendering each arriving snapshot ahead (scrape-cache.ts) and so pays a
    // render itself; then scrapes 2 s apart, as a busy Prometheus would. Timed with curl asking for
    // gzip, as Prometheus asks, until the last byte: Node's fetch took 0.25–0.55 s more to gunzip and
    // decode 44 MB itself, which is the scraper's cost, not the server's. Each answer's Server-Timing
    // says how much of it was the server's work before the body started.
    const metricsTimes: number[] = [];
    const metricsServer: { auth: number; read: number; render: number }[] = [];
    let metricsWireBytes = 0;
    for (let i = 0; i < 7; i++) {
      if (i > 0) await new Promise((r) => setTimeout(r, 2000));
      const { stdout } = await execFileAsync("curl", ["-sS", "-D", "-", "-o", "/dev/null", "-H", "Accept-Encoding: gzip", "-w", "\\ncurl: %{time_total} %{size_download}", `${stack.url}/metrics`]);
      const [seconds, bytes] = /curl: ([\d.]+) (\d+)/.exec(stdout)!.slice(1).map(Number) as [number, number];
      metricsTimes.push(seconds * 1000);
      metricsWireBytes = bytes;
      const dur = (name: string) => Number(new RegExp(`${name};dur=([\\d.]+)`, "i").exec(stdout)?.[1] ?? NaN);
      metricsServer.push({ auth: dur("auth"), read: dur("read"), render: dur("render") });
    }
    const metricsBytes = (await (await fetch(`${stack.url}/metrics`)).text()).length;
    // renderMetrics alone, in this process, on the latest snapshot: the first render (what a scrape
    // paid before the families were rendered ahead) and the next (what a scrape pays now: the copy).
    const { rows: latest } = await db.query<{ payload: LagSnapshot }>(`SELECT payload FROM "LagSnapshotLatest"`);
    const renderOptions = { now: Date.now(), staleAfterMs: Infinity, constLabels: { cluster: "local" } };
    const renderTimes: [number, number] = [0, 0];
    for (const i of [0, 1] as const) {
      const s = performance.now();
      await renderClustersMetrics([{ snapshot: latest[0]!.payload, options: renderOptions }]);
      renderTimes[i] = performance.now() - s;
    }

    // Printed now: at the largest sizes a page that fails below must not take these numbers with it.
    say(`cycles (ms): ${cycles.join(", ")}; peak worker RSS ${peakRss.toFixed(0)} MB; worker CPU ${(cpuShare * 100).toFixed(0)} %; /metrics (ms): ${metricsTimes.map((t) => t.toFixed(0)).join(", ")}, ${metricsBytes} bytes`);
    const browser = await launchChromium();
    const PAGE_LOADS = 5;
    const groupsPage = await timeListPageVisits(
      browser,
      stack.url,
      { label: "groups", path: "/groups", rowTestId: "group-row", rowAttr: "data-group", filterTestId: "group-filter", countTestId: "group-count", sortTestId: "sort-group", last: groupName(GROUPS - 1) },
      PAGE_LOADS,
    );
    const topicsPage = await timeListPageVisits(
      browser,
      stack.url,
      { label: "topics", path: "/topics", rowTestId: "topic-row", rowAttr: "data-topic", filterTestId: "topic-filter", countTestId: "topic-count", sortTestId: "sort-topic", last: topicName(TOPICS - 1) },
      PAGE_LOADS,
    );
    await browser.close();

    const sPeer = performance.now();
    await kafkaTool(KAFKA_PORT, "kafka-consumer-groups", ["--describe", "--all-groups"]);
    const peerMs = performance.now() - sPeer;

    const loadAtEnd = os.loadavg();
    const list = (times: PageTimes[], key: keyof PageTimes) => times.map((t) => t[key].toFixed(0)).join(", ");
    say(`cycles (ms): ${cycles.join(", ")}; /metrics (ms): ${metricsTimes.map((t) => t.toFixed(0)).join(", ")}`);
    for (const [label, visits] of [["groups", groupsPage], ["topics", topicsPage]] as const) {
      say(`${label} page, first visits: first row ${list(visits.first, "firstRow")}; request → filter ${list(visits.first, "interactive")}; filter ${list(visits.first, "filter")}; sort ${list(visits.first, "sort")}`);
      say(`${label} page, returning visits: first row ${list(visits.returning, "firstRow")}; request → filter ${list(visits.returning, "interactive")}; filter ${list(visits.returning, "filter")}; sort ${list(visits.returning, "sort")}`);
    }
    const load = (l: number[]) => l.map((x) => x.toFixed(2)).join(", ");
    const partitions = TOPICS * PARTITIONS;
    const perPartition = (totalMs: number) => `${((totalMs * 1000) / partitions).toFixed(0)} µs`;
    const pageRows = (label: string, visits: { first: PageTimes[]; returning: PageTimes[] }): [string, string][] => [
      [`${label} page, request → first row (median of ${PAGE_LOADS})`, ms(visits.first.map((v) => v.firstRow))],
      [`${label} page, request → filter answers (median of ${PAGE_LOADS})`, ms(visits.first.map((v) => v.interactive))],
      [`${label} page, filter typed → one row left / sort by name flipped → last name first, through Playwright (median of ${PAGE_LOADS})`, `${ms(visits.first.map((v) => v.filter))} / ${ms(visits.first.map((v) => v.sort))}`],
      [
        `${label} page, timed in the page (no driver polling), first / returning visits (median of ${PAGE_LOADS}): navigation start → first row painted; filter and sort, event → answer painted`,
        `first row ${ms(visits.first.map((v) => v.firstRowInPage))} / ${ms(visits.returning.map((v) => v.firstRowInPage))}; filter ${ms(visits.first.map((v) => v.filterInPage))} / ${ms(visits.returning.map((v) => v.filterInPage))}; sort ${ms(visits.first.map((v) => v.sortInPage))} / ${ms(visits.returning.map((v) => v.sortInPage))}`,
      ],
      [
        `${label} page, the same ${SETTLE_MS / 1000} s after load (settled), first / returning visits (median of ${PAGE_LOADS})`,
        `filter ${ms(visits.first.map((v) => v.filterSettled))} / ${ms(visits.returning.map((v) => v.filterSettled))}; sort ${ms(visits.first.map((v) => v.sortSettled))} / ${ms(visits.returning.map((v) => v.sortSettled))}`,
      ],
      [
        `Same, returning visit with cached scripts: first row / request → filter answers (median of ${PAGE_LOADS})`,
        `${ms(visits.returning.map((v) => v.firstRow))} / ${ms(visits.returning.map((v) => v.interactive))}`,
      ],
    ];
    // Median of each step over the cycles; the metadata re-read only over the cycles that made it.
    const phase = (key: keyof CyclePhases) => {
      const values = phases.map((p) => p[key]).filter((v) => key !== "metadataMs" || v > 0);
      return values.length ? `${median(values).toFixed(0)}${key === "metadataMs" ? ` (in ${values.length} of ${phases.length} cycles)` : ""}` : "–";
    };
    const rows: [string, string][] = [
      ["Cluster", `${TOPICS} topics × ${PARTITIONS} partitions = ${partitions} partitions, ${GROUPS} groups with commits, ${KAFKA_NODES} broker${KAFKA_NODES === 1 ? "" : "s"}`],
      [`Sampler cycle, median of ${cycles.length}`, `${median(cycles)} ms`],
      ["Sampler cycle, p95", `${percentile(cycles, 95)} ms`],
      ["Sampler cycle cost per partition (median cycle / partitions)", perPartition(median(cycles))],
      [
        "Cycle steps, medians in ms: ListGroups / metadata re-read / ListOffsets / OffsetFetch / build (ListOffsets and OffsetFetch overlap)",
        `${phase("listGroupsMs")} / ${phase("metadataMs")} / ${phase("listOffsetsMs")} / ${phase("offsetFetchMs")} / ${phase("buildMs")}`,
      ],
      ["Cycle start → stored and announced, median", `${median(ages).toFixed(0)} ms`],
      ["Worker CPU while sampling", `${(cpuShare * 100).toFixed(0)} % of one core`],
      ["Worker resident memory (peak)", `${peakRss.toFixed(0)} MB (${peakTree.map((p) => `${p.command} ${p.rssMb.toFixed(0)}`).join(" + ")})`],
      ["Worker peak RSS since start (VmHWM per process)", lifetimePeaks.map((p) => `${p.command} ${p.peakRssMb.toFixed(0)} MB`).join(", ")],
      [
        "GET /metrics, curl with gzip until the last byte: first scrape / median of the next 6, 2 s apart",
        `${metricsTimes[0]!.toFixed(0)} ms / ${median(metricsTimes.slice(1)).toFixed(0)} ms, ${(metricsBytes / 1024 / 1024).toFixed(1)} MB of text, ${(metricsWireBytes / 1024 / 1024).toFixed(1)} MB gzipped (each: ${metricsTimes.map((t) => t.toFixed(0)).join(", ")})`,
      ],
      [
        "… of which the server's work before the body (Server-Timing auth + read + render, each scrape)",
        metricsServer.map((m) => `${m.auth.toFixed(0)}+${m.read.toFixed(0)}+${m.render.toFixed(0)}`).join(", ") + " ms; the rest is the body: encoding, gzip, transfer",
      ],
      ["renderMetrics alone on the latest snapshot: first render / again (its lag families kept)", `${renderTimes[0].toFixed(0)} ms / ${renderTimes[1].toFixed(0)} ms`],
      [
        "Server answer alone (tRPC over HTTP, median of 5): groups filter / groups sort by name, descending / topics filter / topics sort",
        `${serverMs("groups filter")} / ${serverMs("groups sort")} / ${serverMs("topics filter")} / ${serverMs("topics sort")}`,
      ],
      ...pageRows("Consumer groups", groupsPage),
      ...pageRows("Topics", topicsPage),
      ["Peer: kafka-consumer-groups --describe --all-groups (cost per partition)", `${(peerMs / 1000).toFixed(1)} s (${perPartition(peerMs)})`],
      ["Setup (broker, topics, records, commits, build, start)", `${setupSeconds.toFixed(0)} s`],
      ["Load average (1, 5, 15 min) when sampling began / at the end", `${load(loadAtStart)} / ${load(loadAtEnd)} (${os.cpus().length} cores)`],
    ];
    printMeasureTable(rows);
    // Where a settled filter's and sort's time goes in the browser, one traced run each.
    for (const [label, visits] of [["groups", groupsPage], ["topics", topicsPage]] as const) {
      for (const [step, trace] of Object.entries(visits.profiles)) {
        const at = (ms: number | null) => (ms === null ? "–" : `${ms.toFixed(0)} ms`);
        say(
          `${label} page, ${step} (settled, traced): answer painted after ${trace.totalMs.toFixed(0)} ms; its request left at ${at(trace.requestSentMs)} and its answer was in at ${at(trace.answerArrivedMs)}. ` +
            `The main thread's work by kind (kinds nest; RunTask is the busy time; /tmp/signalbox-bench-${label}-${step}.trace.json):`,
        );
        printTable(["Time", "Kind"], trace.kinds.map((t) => [`${t.ms.toFixed(1)} ms`, t.where]), ["right", "left"]);
        console.log("");
      }
    }
  } finally {
    await db.end();
    await disconnectAll();
    await stack.stop();
  }
}

// `-- --clusters`: one worker sampling three clusters (sampler-clusters.ts) instead.
if (process.argv.includes("--clusters")) runBench("bench:sampler --clusters", () => import("./sampler-clusters").then((m) => m.samplerClustersBench()));
else runBench("bench:sampler", main);
