// `npm run bench:sampler`: the lag sampler at scale, on the real stack (broker, PostgreSQL, worker,
// web app). Creates BENCH_TOPICS topics × BENCH_PARTITIONS partitions and BENCH_GROUPS consumer
// groups with commits, lets the worker sample, and prints a table:
// sampler cycle (median, p95 over 20 cycles), worker CPU and memory, /metrics render time,
// consumer-groups page load in Chromium, and Kafka's own `kafka-consumer-groups --describe
// --all-groups` as the peer. A benchmark, not a test: it asserts nothing.
import os from "node:os";
import type { BrowserContext } from "@playwright/test";
import pLimit from "p-limit";
import pg from "pg";
import { commitGroupOffsets, createProducer, disconnectAll, ensureTopics } from "../../src/server/broker";
import { kafkaTool } from "../lib/local-kafka";
import { launchChromium } from "./lib/browser";
import { processTree, type ProcessUsage } from "./lib/process-tree";
import { printMeasureTable, runBench, say } from "./lib/report";
import { retryUntil } from "./lib/retry";
import { BENCH_STACK, benchCluster, startBenchStack } from "./lib/stack";
import { median, percentile, sum } from "./lib/stats";

const TOPICS = Number(process.env.BENCH_TOPICS || 2000);
const PARTITIONS = Number(process.env.BENCH_PARTITIONS || 5);
const GROUPS = Number(process.env.BENCH_GROUPS || 1000);
const CYCLES = Number(process.env.BENCH_CYCLES || 20);
const { kafkaPort: KAFKA_PORT, databaseUrl: DATABASE_URL } = BENCH_STACK;

async function main() {
  const t0 = performance.now();
  const stack = await startBenchStack({
    logFile: "/tmp/signalbox-bench-stack.log",
    env: { LOG_LEVEL: "warn", SAMPLER_INTERVAL_MS: "5000", KAFKA_CONNECTION_TIMEOUT_MS: "10000" },
  });
  const cluster = benchCluster();
  const db = new pg.Client({ connectionString: DATABASE_URL });
  await db.connect();
  try {
    say(`creating ${TOPICS} topics × ${PARTITIONS} partitions…`);
    const topics = Array.from({ length: TOPICS }, (_, i) => `bench-${String(i).padStart(5, "0")}`);
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
        limit(() => retryUntil(() => commitGroupOffsets(cluster, `bench-group-${String(g).padStart(4, "0")}`, topics[g % topics.length]!, Array.from({ length: PARTITIONS }, (_, partition) => ({ partition, offset: 0 }))))),
      ),
    );
    const setupSeconds = (performance.now() - t0) / 1000;
    const loadAtStart = os.loadavg();
    say(`setup took ${setupSeconds.toFixed(0)} s; waiting for ${CYCLES} sampler cycles that see all groups…`);

    await db.query("LISTEN signalbox_lag_snapshot");
    const worker = stack.processes.find((p) => p.name === "worker")!;
    const cycles: number[] = [];
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
        const row = await db.query<{ cycleMs: number; groups: number; takenAtMs: number }>(
          `SELECT "cycleMs", jsonb_array_length(payload->'groups') AS groups, (extract(epoch FROM "takenAt") * 1000)::float8 AS "takenAtMs" FROM "LagSnapshotLatest"`,
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

    const metricsTimes: number[] = [];
    let metricsBytes = 0;
    for (let i = 0; i < 5; i++) {
      const s = performance.now();
      const body = await (await fetch(`${stack.url}/metrics`)).text();
      metricsTimes.push(performance.now() - s);
      metricsBytes = body.length;
    }

    const browser = await launchChromium();
    /** Opens /groups in `context`: ms until the first row shows, and until the filter answers typing. */
    const loadGroupsPage = async (context: BrowserContext) => {
      const page = await context.newPage();
      const s = performance.now();
      // From the request until the first row is on screen, whether the server sent it in the HTML
      // or the browser fetched and rendered it after loading the scripts.
      await page.goto(`${stack.url}/groups`, { waitUntil: "commit" });
      await page.getByTestId("group-row").first().waitFor({ timeout: 60_000 });
      const firstRow = performance.now() - s;
      // Interactive: React has taken over the page and the filter answers typing.
      await page.waitForFunction(() => {
        const input = document.querySelector('[data-testid="group-filter"]');
        return !!input && Object.keys(input).some((k) => k.startsWith("__reactFiber"));
      });
      const last = `bench-group-${String(GROUPS - 1).padStart(4, "0")}`;
      await page.getByTestId("group-filter").fill(last);
      await page.locator(`[data-testid="group-row"][data-group="${last}"]`).waitFor({ timeout: 60_000 });
      await page.getByTestId("group-count").filter({ hasText: /^1 of / }).waitFor({ timeout: 60_000 });
      const interactive = performance.now() - s;
      await page.close();
      return { firstRow, interactive };
    };
    const PAGE_LOADS = 5;
    const firstVisits: { firstRow: number; interactive: number }[] = [];
    for (let i = 0; i < PAGE_LOADS; i++) {
      // A fresh context each time: nothing cached, as on a first visit.
      const context = await browser.newContext();
      firstVisits.push(await loadGroupsPage(context));
      await context.close();
    }
    // Returning visits: one context whose HTTP and script caches the first load warmed.
    const returning = await browser.newContext();
    await loadGroupsPage(returning);
    const returnVisits: { firstRow: number; interactive: number }[] = [];
    for (let i = 0; i < PAGE_LOADS; i++) returnVisits.push(await loadGroupsPage(returning));
    await returning.close();
    const pageTimes = firstVisits.map((v) => v.firstRow);
    const interactiveTimes = firstVisits.map((v) => v.interactive);
    await browser.close();

    const sPeer = performance.now();
    await kafkaTool(KAFKA_PORT, "kafka-consumer-groups", ["--describe", "--all-groups"]);
    const peerMs = performance.now() - sPeer;

    const loadAtEnd = os.loadavg();
    say(`cycles (ms): ${cycles.join(", ")}; first row (ms): ${pageTimes.map((t) => t.toFixed(0)).join(", ")}; interactive (ms): ${interactiveTimes.map((t) => t.toFixed(0)).join(", ")}; returning (ms): ${returnVisits.map((v) => `${v.firstRow.toFixed(0)}/${v.interactive.toFixed(0)}`).join(", ")}; /metrics (ms): ${metricsTimes.map((t) => t.toFixed(0)).join(", ")}`);
    const load = (l: number[]) => l.map((x) => x.toFixed(2)).join(", ");
    const rows: [string, string][] = [
      ["Cluster", `${TOPICS} topics × ${PARTITIONS} partitions = ${TOPICS * PARTITIONS} partitions, ${GROUPS} groups with commits`],
      [`Sampler cycle, median of ${cycles.length}`, `${median(cycles)} ms`],
      ["Sampler cycle, p95", `${percentile(cycles, 95)} ms`],
      ["Cycle start → stored and announced, median", `${median(ages).toFixed(0)} ms`],
      ["Worker CPU while sampling", `${(cpuShare * 100).toFixed(0)} % of one core`],
      ["Worker resident memory (peak)", `${peakRss.toFixed(0)} MB (${peakTree.map((p) => `${p.command} ${p.rssMb.toFixed(0)}`).join(" + ")})`],
      ["Worker peak RSS since start (VmHWM per process)", lifetimePeaks.map((p) => `${p.command} ${p.peakRssMb.toFixed(0)} MB`).join(", ")],
      ["GET /metrics (median of 5)", `${median(metricsTimes).toFixed(0)} ms, ${(metricsBytes / 1024 / 1024).toFixed(1)} MB`],
      [`Consumer groups page, request → first row (median of ${PAGE_LOADS})`, `${median(pageTimes).toFixed(0)} ms`],
      [`Consumer groups page, request → filter answers (median of ${PAGE_LOADS})`, `${median(interactiveTimes).toFixed(0)} ms`],
      [
        `Same, returning visit with cached scripts: first row / filter answers (median of ${PAGE_LOADS})`,
        `${median(returnVisits.map((v) => v.firstRow)).toFixed(0)} ms / ${median(returnVisits.map((v) => v.interactive)).toFixed(0)} ms`,
      ],
      ["Peer: kafka-consumer-groups --describe --all-groups", `${(peerMs / 1000).toFixed(1)} s`],
      ["Setup (broker, topics, records, commits, build, start)", `${setupSeconds.toFixed(0)} s`],
      ["Load average (1, 5, 15 min) when sampling began / at the end", `${load(loadAtStart)} / ${load(loadAtEnd)} (${os.cpus().length} cores)`],
    ];
    printMeasureTable(rows);
  } finally {
    await db.end();
    await disconnectAll();
    await stack.stop();
  }
}

// `-- --clusters`: one worker sampling three clusters (sampler-clusters.ts) instead.
if (process.argv.includes("--clusters")) runBench("bench:sampler --clusters", () => import("./sampler-clusters").then((m) => m.samplerClustersBench()));
else runBench("bench:sampler", main);
