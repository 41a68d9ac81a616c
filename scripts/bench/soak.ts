// `npm run bench:soak`: Signalbox left running under load for SOAK_MINUTES (30), to see what grows.
// The real stack on the bench ports (production build of the web app, the worker, the demo event
// system at 10× its default order rate), Chromium signed in and kept open on the overview, a group
// page, the topology and the DLQ (live over SSE the whole time), and a support tool discarding the
// pending DLQ records every SOAK_DISCARD_SECONDS (60), so record states are written too.
// Every SOAK_SAMPLE_SECONDS (15) it records the resident memory and CPU of the web and worker
// process trees, their event-loop delay (scripts/bench/lib/event-loop-probe.mjs, loaded into them),
// the size and row count of every PostgreSQL table, and counts what they log as errors.
//
// Lag history and the DLQ index are bounded by retention, which by default is far longer than a
// soak (raw history 65 min, rollups 7 days, the DLQ topic's retention 7 days). The soak shortens
// it (raw history 10 min, rollups 12 min, payments.DLQ 5 min; HISTORY_RAW_RETENTION_MS,
// HISTORY_ROLLUP_RETENTION_MS and SOAK_DLQ_RETENTION_MS override), and runs the conformance check
// every 15 s instead of 60 s (it keeps 50 runs per event type), so each bound shows within half an
// hour: the table gives rows at ¼, ½, ¾ and the end, and the slope over each half.
//
// Prints Markdown tables and writes the samples and results as JSON to .cache/bench/ (git-ignored).
// A benchmark, not a test: it asserts nothing.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { Browser, BrowserContext, Page } from "@playwright/test";
import pg from "pg";
import { parseEnv } from "../../src/env";
import { disconnectAll, readTopicBounds } from "../../src/server/broker";
import { kafkaTool, REPO_ROOT } from "../lib/local-kafka";
import { run, SERVER_CONDITION } from "../lib/processes";
import type { RunningStack } from "../lib/stack";
import { launchChromium } from "./lib/browser";
import { ProblemCounter, type LoggedProblems } from "./lib/log-errors";
import { tableSizes, type TableSize } from "./lib/postgres-tables";
import { processTree } from "./lib/process-tree";
import { printTable, runBench, say } from "./lib/report";
import { retryUntil } from "./lib/retry";
import { BENCH_STACK, benchCluster, startBenchStack } from "./lib/stack";
import { leastSquaresSlope, sum } from "./lib/stats";

const MINUTES = Number(process.env.SOAK_MINUTES || 30);
const SAMPLE_SECONDS = Number(process.env.SOAK_SAMPLE_SECONDS || 15);
const DISCARD_SECONDS = Number(process.env.SOAK_DISCARD_SECONDS ?? 60);
const RATE_FACTOR = 10;
const RETENTION = {
  HISTORY_RAW_RETENTION_MS: process.env.HISTORY_RAW_RETENTION_MS || String(10 * 60_000),
  HISTORY_ROLLUP_RETENTION_MS: process.env.HISTORY_ROLLUP_RETENTION_MS || String(12 * 60_000),
  dlqMs: Number(process.env.SOAK_DLQ_RETENTION_MS || 5 * 60_000),
};
/** The web app and worker log at the product's default unless told otherwise (read before main() quiets this process). */
const CHILD_LOG_LEVEL = process.env.LOG_LEVEL || "info";
const DLQ_TOPIC = "payments.DLQ";
const SLOW_GROUP = "notification-service";
/** The bench stack's one cluster (benchCluster()'s name). */
const CLUSTER_HOME = `/c/${benchCluster().name}`;
const STAMP = new Date().toISOString().replace(/[:.]/g, "-");
const OUT_DIR = path.join(REPO_ROOT, ".cache/bench");
const PROBE_DIR = path.join(OUT_DIR, `soak-${STAMP}-probe`);
const PROBE = path.join(REPO_ROOT, "scripts/bench/lib/event-loop-probe.mjs");

const MB = 1048576;
const minutes = (ms: number | string) => `${Number(ms) / 60_000} min`;

/** What keeps each growing table in bounds, as the soak configures it (the table's first column). */
const BOUNDS: Record<string, string> = {
  TopicSample: "both retentions",
  GroupSample: "both retentions",
  [DLQ_TOPIC]: `topic retention ${minutes(RETENTION.dlqMs)}`,
  DlqRecord: `${DLQ_TOPIC}'s retention`,
  DlqMessageState: `${DLQ_TOPIC}'s retention`,
  ConformanceCheck: "50 runs per event type",
  ObservedProducer: "7 days unseen",
  Session: "idle and absolute timeouts",
  AuditLog: "none: one entry per action, kept",
};
const round = (x: number, digits = 0) => (Number.isFinite(x) ? x.toFixed(digits) : "–");
const thousands = (x: number) => (Number.isFinite(x) ? Math.round(x).toLocaleString("en-US") : "–");

interface ProbeLine {
  at: number;
  pid: number;
  window: { p50: number; p99: number; max: number } | null;
  whole: { p50: number; p99: number; max: number } | null;
  steady: { p50: number; p99: number; max: number } | null;
}

interface ProcessSample {
  rssMb: number;
  cpuSeconds: number;
  /** The newest event-loop line of the tree's busiest Node process. */
  probe: ProbeLine | null;
}

interface Sample {
  /** Seconds since the soak started (the browser pages were open). */
  t: number;
  web: ProcessSample;
  worker: ProcessSample;
  tables: TableSize[];
  /** History rows by series kind and resolution (raw 5 s / minute rollups). */
  history: Record<"topicRaw" | "topicMinute" | "groupRaw" | "groupMinute", number>;
  /** Records payments.DLQ holds in Kafka (end − log start, summed over partitions). */
  dlqTopicRecords: number;
  /** tRPC calls each page completed since the previous sample. */
  browserCalls: Record<string, number>;
}

/** The newest line of each probe file, by pid. */
function readProbes(): Map<number, ProbeLine> {
  const lines = new Map<number, ProbeLine>();
  for (const file of fs.readdirSync(PROBE_DIR)) {
    if (!file.endsWith(".jsonl")) continue;
    const text = fs.readFileSync(path.join(PROBE_DIR, file), "utf8").trimEnd();
    const last = text.slice(text.lastIndexOf("\n") + 1);
    if (!last) continue;
    const line = JSON.parse(last) as ProbeLine;
    lines.set(line.pid, line);
  }
  return lines;
}

function sampleProcess(rootPid: number, probes: Map<number, ProbeLine>): ProcessSample {
  const tree = processTree(rootPid);
  // `next start` may run its server in a child process: the one doing the work is the one that used the most CPU.
  const busiest = tree.filter((p) => probes.has(p.pid)).sort((a, b) => b.cpuSeconds - a.cpuSeconds)[0];
  return { rssMb: sum(tree.map((p) => p.rssMb)), cpuSeconds: sum(tree.map((p) => p.cpuSeconds)), probe: busiest ? probes.get(busiest.pid)! : null };
}

async function historyCounts(db: pg.Client): Promise<Sample["history"]> {
  const { rows } = await db.query<{ kind: string; resolution: number; n: string }>(
    `SELECT 'topic' AS kind, resolution, count(*) AS n FROM "TopicSample" GROUP BY resolution
     UNION ALL SELECT 'group', resolution, count(*) FROM "GroupSample" GROUP BY resolution`,
  );
  const n = (kind: string, resolution: number) => Number(rows.find((r) => r.kind === kind && r.resolution === resolution)?.n ?? 0);
  return { topicRaw: n("topic", 5), topicMinute: n("topic", 60), groupRaw: n("group", 5), groupMinute: n("group", 60) };
}

/**
 * Counts the page's SSE streams (tRPC opens one EventSource per subscription). A string, not a
 * function: tsx would wrap a function's inner helpers in code the page does not have.
 */
const COUNT_EVENT_SOURCES = `(() => {
  const Original = window.EventSource;
  window.__soakEventSources = { opened: 0, open: 0 };
  window.EventSource = class extends Original {
    constructor(...args) {
      super(...args);
      window.__soakEventSources.opened += 1;
      window.__soakEventSources.open += 1;
      const close = this.close.bind(this);
      let closed = false;
      this.close = () => { if (!closed) { closed = true; window.__soakEventSources.open -= 1; } close(); };
    }
  };
})()`;

async function eventSources(page: Page): Promise<{ opened: number; open: number }> {
  return page.evaluate(() => (window as unknown as { __soakEventSources?: { opened: number; open: number } }).__soakEventSources ?? { opened: 0, open: 0 });
}

/** Opens a page and waits until `testId` shows; the first sample may not have named the group yet, so it retries. */
async function openLive(context: BrowserContext, url: string, testId: string, consoleErrors: string[]): Promise<Page> {
  const page = await context.newPage();
  page.on("console", (message) => {
    if (message.type() === "error") consoleErrors.push(`${url}: ${message.text().slice(0, 200)}`);
  });
  page.on("pageerror", (error) => consoleErrors.push(`${url}: ${error.message.slice(0, 200)}`));
  page.on("crash", () => consoleErrors.push(`${url}: the page crashed`));
  await retryUntil(
    async () => {
      await page.goto(url);
      await page.getByTestId(testId).first().waitFor({ timeout: 30_000 });
    },
    { timeoutMs: 180_000, intervalMs: 5000 },
  );
  return page;
}

async function pageHeapMb(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Performance.enable");
  const { metrics } = await cdp.send("Performance.getMetrics");
  await cdp.detach();
  return (metrics.find((m) => m.name === "JSHeapUsedSize")?.value ?? 0) / MB;
}

/**
 * The tRPC calls (queries and mutations, not the SSE streams) a page completed since the last
 * call, and how many of them failed. A page whose live refresh stalled completes none.
 */
async function completedCalls(page: Page): Promise<{ done: number; failed: number; procedures: Record<string, number> }> {
  return page.evaluate(() => {
    const calls = performance.getEntriesByType("resource").filter((e) => e.name.includes("/api/trpc/")) as (PerformanceResourceTiming & { responseStatus?: number })[];
    // The browser keeps at most 250 entries; cleared each time, none are lost between two samples.
    performance.clearResourceTimings();
    // Which procedures the page asked for (a batched request names several, comma-separated).
    const procedures: Record<string, number> = {};
    for (const call of calls) {
      for (const name of new URL(call.name).pathname.replace("/api/trpc/", "").split(",")) procedures[name] = (procedures[name] ?? 0) + 1;
    }
    return { done: calls.length, failed: calls.filter((c) => (c.responseStatus ?? 200) >= 400).length, procedures };
  });
}

/** What each open page shows at the end: still live, or stuck. */
async function pageLiveness(pages: Record<string, Page>, calls: Record<string, { done: number; failed: number; procedures: Record<string, number> }>, minutes: number): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  const overviewClass = await pages.overview!.getByTestId("live-indicator").first().getAttribute("class");
  result.overview = overviewClass === "live" ? "live indicator on" : `live indicator "${overviewClass}"`;
  const lastAt = Number((await pages.group!.getByTestId("lag-chart").first().getAttribute("data-last-at")) || 0);
  result.group = lastAt ? `lag chart's newest point ${round((Date.now() - lastAt) / 1000)} s old` : "lag chart has no point";
  result.topology = `graph shows ${(await pages.topology!.getByTestId("topology-counts").first().textContent())?.trim()}`;
  result.dlq = `depth shown ${(await pages.dlq!.getByTestId("dlq-depth").first().textContent())?.trim()}`;
  for (const [name, page] of Object.entries(pages)) {
    const streams = await eventSources(page);
    const c = calls[name]!;
    // The three procedures it asked for most, per minute: what its live refresh costs the server.
    const top = Object.entries(c.procedures).sort((a, b) => b[1] - a[1]).slice(0, 3).map(([procedure, n]) => `${procedure} ${round(n / minutes)}`).join(", ");
    result[name] += `, ${round(c.done / minutes)} tRPC requests/min answered (${c.failed} failed; most asked, per min: ${top}), SSE streams ${streams.open} open of ${streams.opened} opened`;
  }
  return result;
}

/** Rows or bytes of one table at each sample (0 before it existed). */
const seriesOf = (samples: Sample[], pick: (s: Sample) => number) => samples.map((s) => ({ x: s.t / 3600, y: pick(s) }));

/** Least-squares slope per hour over [from, to) of the run (fractions of its length). */
function slopeBetween(points: { x: number; y: number }[], totalHours: number, from: number, to: number): number {
  return leastSquaresSlope(points.filter((p) => p.x >= from * totalHours && p.x <= to * totalHours));
}

/** The value at the sample nearest to a fraction of the run. */
function valueAt(points: { x: number; y: number }[], totalHours: number, fraction: number): number {
  const target = fraction * totalHours;
  return points.reduce((best, p) => (Math.abs(p.x - target) < Math.abs(best.x - target) ? p : best), points[0]!).y;
}

async function main() {
  // The broker adapter in this process (reading the DLQ topic's bounds) would log each client at info.
  process.env.LOG_LEVEL = "warn";
  fs.mkdirSync(PROBE_DIR, { recursive: true });
  const logFile = path.join(OUT_DIR, `soak-${STAMP}.log`);
  const problems = new ProblemCounter();
  const password = randomBytes(18).toString("base64url");
  const defaultRate = parseEnv({ DATABASE_URL: "postgresql://defaults", KAFKA_BROKERS: "127.0.0.1:1" }).DEMO_ORDERS_PER_SEC;
  const ordersPerSec = defaultRate * RATE_FACTOR;
  const loadAtStart = os.loadavg();
  const setupStarted = performance.now();

  say(`starting the stack (production build, worker, demo at ${ordersPerSec} orders/s = ${RATE_FACTOR}× the default); output in ${path.relative(REPO_ROOT, logFile)}…`);
  const stack: RunningStack = await startBenchStack({
    logFile,
    withDemoSystem: true,
    signIn: true,
    onLine: (name, line) => problems.add(name, line),
    env: {
      LOG_LEVEL: CHILD_LOG_LEVEL,
      DEMO_ORDERS_PER_SEC: String(ordersPerSec),
      // Conformance keeps the last 50 runs per event type: at 15 s instead of 60 s that bound is
      // reached within 13 minutes, inside the soak.
      CONFORMANCE_INTERVAL_MS: process.env.CONFORMANCE_INTERVAL_MS || "15000",
      SIGNALBOX_SEED_DEMO_ACCOUNTS: "1",
      SIGNALBOX_DEMO_PASSWORD: password,
      HISTORY_RAW_RETENTION_MS: RETENTION.HISTORY_RAW_RETENTION_MS,
      HISTORY_ROLLUP_RETENTION_MS: RETENTION.HISTORY_ROLLUP_RETENTION_MS,
      NODE_OPTIONS: [process.env.NODE_OPTIONS, `--import=${pathToFileURL(PROBE).href}`].filter(Boolean).join(" "),
      SIGNALBOX_PROBE_DIR: PROBE_DIR,
      SIGNALBOX_PROBE_INTERVAL_MS: String(SAMPLE_SECONDS * 1000),
    },
  });
  const db = new pg.Client({ connectionString: BENCH_STACK.databaseUrl });
  let browser: Browser | null = null;
  try {
    await db.connect();
    const web = stack.processes.find((p) => p.name === "web")!;
    const worker = stack.processes.find((p) => p.name === "worker")!;
    const cluster = benchCluster();

    say(`shortening ${DLQ_TOPIC}'s retention to ${RETENTION.dlqMs / 60_000} min (kafka-configs)…`);
    // The demo creates the topic as it starts; until then the tool says it does not exist.
    await retryUntil(
      () => kafkaTool(BENCH_STACK.kafkaPort, "kafka-configs", ["--alter", "--entity-type", "topics", "--entity-name", DLQ_TOPIC, "--add-config", `retention.ms=${RETENTION.dlqMs},segment.ms=60000`]),
      { timeoutMs: 120_000, intervalMs: 2000 },
    );

    // A support tool with an API token, as a real one would call Signalbox; the secret is never printed.
    const token = await run(path.join(REPO_ROOT, "node_modules/.bin/tsx"), [...SERVER_CONDITION, "scripts/token.ts", "create", "--name", "soak-support", "--role", "support"], { cwd: REPO_ROOT, env: stack.env });
    const tokenLine = token.trim();
    const supportSecret = tokenLine.slice(tokenLine.indexOf(":") + 1);

    say("opening Chromium on the overview, a group page, the topology and the DLQ…");
    // Four screens on a wall: none of them is the foreground tab, and none may be throttled for it.
    browser = await launchChromium(["--disable-background-timer-throttling", "--disable-renderer-backgrounding", "--disable-backgrounding-occluded-windows"]);
    // One browser context (a profile of its own, signed in) per page. In one profile the four pages
    // hold six SSE streams, Chromium's limit of HTTP/1.1 connections to one host, and every other
    // request of every page then waits for ever (seen in the first soak run; see docs/benchmarks.md).
    const signedInContext = async () => {
      const context = await browser!.newContext({ baseURL: stack.url, viewport: { width: 1440, height: 900 } });
      await context.addInitScript(COUNT_EVENT_SOURCES);
      const signIn = await context.request.post("/api/auth/sign-in", { data: { email: "admin@signalbox.local", password } });
      if (!signIn.ok()) throw new Error(`sign-in failed: HTTP ${signIn.status()}`);
      return context;
    };
    const consoleErrors: string[] = [];
    const pages: Record<string, Page> = {
      // Every live page lives under its cluster (/c/<name>/…); "/" is the list of clusters.
      overview: await openLive(await signedInContext(), CLUSTER_HOME, "overview", consoleErrors),
      group: await openLive(await signedInContext(), `${CLUSTER_HOME}/groups/${SLOW_GROUP}`, "lag-chart", consoleErrors),
      topology: await openLive(await signedInContext(), `${CLUSTER_HOME}/topology`, "topology-canvas", consoleErrors),
      dlq: await openLive(await signedInContext(), `${CLUSTER_HOME}/dlq`, "dlq-depth", consoleErrors),
    };
    const calls: Record<string, { done: number; failed: number; procedures: Record<string, number> }> = Object.fromEntries(Object.keys(pages).map((name) => [name, { done: 0, failed: 0, procedures: {} }]));
    for (const page of Object.values(pages)) await completedCalls(page);
    const heapAtStart = Object.fromEntries(await Promise.all(Object.entries(pages).map(async ([name, page]) => [name, await pageHeapMb(page)] as const)));

    const setupSeconds = (performance.now() - setupStarted) / 1000;
    const t0 = Date.now();
    const endAt = t0 + MINUTES * 60_000;
    fs.writeFileSync(path.join(PROBE_DIR, "steady-after"), String(t0 + (MINUTES * 60_000) / 2));
    say(`setup took ${round(setupSeconds)} s; soaking for ${MINUTES} min, a sample every ${SAMPLE_SECONDS} s…`);

    const samples: Sample[] = [];
    const discards = { calls: 0, failed: 0, records: 0, firstFailure: null as string | null };
    const takeSample = async () => {
      const probes = readProbes();
      const bounds = await readTopicBounds(cluster, DLQ_TOPIC);
      const browserCalls: Record<string, number> = {};
      for (const [name, page] of Object.entries(pages)) {
        const c = await completedCalls(page);
        calls[name]!.done += c.done;
        calls[name]!.failed += c.failed;
        for (const [procedure, n] of Object.entries(c.procedures)) calls[name]!.procedures[procedure] = (calls[name]!.procedures[procedure] ?? 0) + n;
        browserCalls[name] = c.done;
      }
      samples.push({
        t: (Date.now() - t0) / 1000,
        browserCalls,
        web: sampleProcess(web.child.pid!, probes),
        worker: sampleProcess(worker.child.pid!, probes),
        tables: await tableSizes(db),
        history: await historyCounts(db),
        dlqTopicRecords: sum(bounds.map((b) => b.end - b.start)),
      });
    };
    const discardPending = async () => {
      discards.calls += 1;
      try {
        const response = await fetch(`${stack.url}/api/trpc/dlq.discard`, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${supportSecret}` },
          body: JSON.stringify({ json: { topic: DLQ_TOPIC, selection: { kind: "filter", filter: {} }, reason: "soak: resolved by the benchmark's support tool" } }),
          signal: AbortSignal.timeout(60_000),
        });
        const body = (await response.json()) as { result?: { data?: { json?: { discarded: number } } }; error?: { json?: { message?: string } } };
        if (!response.ok) throw new Error(`HTTP ${response.status}: ${body.error?.json?.message ?? "no message"}`);
        discards.records += body.result?.data?.json?.discarded ?? 0;
      } catch (error) {
        discards.failed += 1;
        discards.firstFailure ??= error instanceof Error ? error.message : String(error);
      }
    };

    let nextDiscard = DISCARD_SECONDS > 0 ? t0 + DISCARD_SECONDS * 1000 : Infinity;
    let nextReport = t0 + 5 * 60_000;
    for (let next = t0; next <= endAt; next += SAMPLE_SECONDS * 1000) {
      await new Promise((r) => setTimeout(r, Math.max(0, next - Date.now())));
      if (Date.now() >= nextDiscard) {
        await discardPending();
        nextDiscard += DISCARD_SECONDS * 1000;
      }
      await takeSample();
      if (Date.now() >= nextReport) {
        const s = samples.at(-1)!;
        say(`${round(s.t / 60)} min: web ${round(s.web.rssMb)} MB, worker ${round(s.worker.rssMb)} MB, DLQ index ${s.tables.find((t) => t.name === "DlqRecord")?.rows} rows, history ${sum(Object.values(s.history))} rows, errors web/worker ${problems.of("web").errors}/${problems.of("worker").errors}`);
        nextReport += 5 * 60_000;
      }
    }

    const liveness = await pageLiveness(pages, calls, MINUTES);
    const heapAtEnd = Object.fromEntries(await Promise.all(Object.entries(pages).map(async ([name, page]) => [name, await pageHeapMb(page)] as const)));
    fs.mkdirSync(path.join(REPO_ROOT, "e2e/artifacts"), { recursive: true });
    for (const [name, page] of Object.entries(pages)) await page.screenshot({ path: path.join(REPO_ROOT, `e2e/artifacts/soak-${name}.png`) });
    const loadAtEnd = os.loadavg();

    report({ samples, problems, discards, liveness, calls, heapAtStart, heapAtEnd, consoleErrors, ordersPerSec, setupSeconds, loadAtStart, loadAtEnd });
  } finally {
    await browser?.close();
    await db.end().catch(() => undefined);
    await disconnectAll();
    await stack.stop();
  }
}

interface Results {
  samples: Sample[];
  problems: ProblemCounter;
  discards: { calls: number; failed: number; records: number; firstFailure: string | null };
  liveness: Record<string, string>;
  /** tRPC requests each page completed over the run, by procedure. */
  calls: Record<string, { done: number; failed: number; procedures: Record<string, number> }>;
  heapAtStart: Record<string, number>;
  heapAtEnd: Record<string, number>;
  consoleErrors: string[];
  ordersPerSec: number;
  setupSeconds: number;
  loadAtStart: number[];
  loadAtEnd: number[];
}

function report(r: Results) {
  const { samples } = r;
  const hours = samples.at(-1)!.t / 3600;
  const first = samples[0]!;
  const last = samples.at(-1)!;
  const load = (l: number[]) => l.map((x) => x.toFixed(1)).join(" / ");
  const seconds = (ms: number) => `${round(ms / 1000)} s`;

  const processRow = (name: "web" | "worker") => {
    const rss = seriesOf(samples, (s) => s[name].rssMb);
    const secondHalf = samples.filter((s) => s.t / 3600 >= hours / 2);
    const cpuShare = (secondHalf.at(-1)![name].cpuSeconds - secondHalf[0]![name].cpuSeconds) / (secondHalf.at(-1)!.t - secondHalf[0]!.t);
    const probe = last[name].probe;
    const windows = samples.map((s) => s[name].probe?.window?.p99 ?? Number.NaN).filter(Number.isFinite);
    return {
      name,
      rssStart: first[name].rssMb,
      rssEnd: last[name].rssMb,
      rssPeak: Math.max(...rss.map((p) => p.y)),
      slopeFirstHalf: slopeBetween(rss, hours, 0, 0.5),
      slopeSecondHalf: slopeBetween(rss, hours, 0.5, 1),
      cpuShare,
      p99Whole: probe?.whole?.p99 ?? Number.NaN,
      p99SecondHalf: probe?.steady?.p99 ?? Number.NaN,
      worstWindowP99: windows.length ? Math.max(...windows) : Number.NaN,
      maxDelay: probe?.whole?.max ?? Number.NaN,
    };
  };
  const processes = [processRow("web"), processRow("worker")];

  console.log("");
  console.log(`Soak of ${round(hours * 60)} min, ${new Date().toISOString().slice(0, 10)}, on ${os.cpus().length} cores shared with other work (load average 1/5/15 min: ${load(r.loadAtStart)} before setup, ${load(r.loadAtEnd)} at the end).`);
  console.log(`Demo at ${r.ordersPerSec} orders/s (${RATE_FACTOR}× the default); Chromium open on the overview, /groups/${SLOW_GROUP}, the topology and the DLQ; a support tool discarded the pending DLQ records every ${DISCARD_SECONDS} s (${r.discards.calls} calls, ${thousands(r.discards.records)} records, ${r.discards.failed} failed${r.discards.firstFailure ? `: ${r.discards.firstFailure}` : ""}).`);
  console.log(`Retention shortened for the soak: raw history ${seconds(Number(RETENTION.HISTORY_RAW_RETENTION_MS))}, rollups ${seconds(Number(RETENTION.HISTORY_ROLLUP_RETENTION_MS))}, ${DLQ_TOPIC} ${seconds(RETENTION.dlqMs)} (segments of 60 s; the broker checks retention every 300 s). Setup (build, start, browser) ${round(r.setupSeconds)} s, not counted.`);
  console.log("");
  printTable(
    ["Process", "RSS start → end (peak), MB", "RSS slope 1st half, MB/h", "RSS slope 2nd half, MB/h", "CPU 2nd half", "Event-loop delay p99 since start / 2nd half, ms", `Worst ${SAMPLE_SECONDS}-s window p99 / max, ms`],
    processes.map((p) => [
      p.name,
      `${round(p.rssStart)} → ${round(p.rssEnd)} (${round(p.rssPeak)})`,
      round(p.slopeFirstHalf, 1),
      `**${round(p.slopeSecondHalf, 1)}**`,
      `${round(p.cpuShare * 100)} % of a core`,
      `${round(p.p99Whole, 1)} / **${round(p.p99SecondHalf, 1)}**`,
      `${round(p.worstWindowP99, 1)} / ${round(p.maxDelay, 1)}`,
    ]),
    ["left", "right", "right", "right", "right", "right", "right"],
  );

  // Tables, plus the history split by resolution and the DLQ topic itself: the bounded ones first.
  const tableNames = [...new Set(samples.flatMap((s) => s.tables.map((t) => t.name)))];
  const rowsOf = (name: string) => (s: Sample) => s.tables.find((t) => t.name === name)?.rows ?? 0;
  const bytesOf = (name: string) => (s: Sample) => (s.tables.find((t) => t.name === name)?.bytes ?? 0) / MB;
  const lines: { name: string; rows: (s: Sample) => number; mb: ((s: Sample) => number) | null }[] = [
    { name: "TopicSample, raw (5 s)", rows: (s) => s.history.topicRaw, mb: null },
    { name: "TopicSample, minute rollups", rows: (s) => s.history.topicMinute, mb: null },
    { name: "GroupSample, raw (5 s)", rows: (s) => s.history.groupRaw, mb: null },
    { name: "GroupSample, minute rollups", rows: (s) => s.history.groupMinute, mb: null },
    { name: `${DLQ_TOPIC} in Kafka (records, not a table)`, rows: (s) => s.dlqTopicRecords, mb: null },
    ...tableNames.map((name) => ({ name, rows: rowsOf(name), mb: bytesOf(name) })),
  ];
  const bound = (name: string) => BOUNDS[name.split(",")[0]!.split(" ")[0]!] ?? null;
  const tableRows: string[][] = [];
  const unchanged: string[] = [];
  const growth: Record<string, unknown>[] = [];
  for (const line of lines) {
    const rows = seriesOf(samples, line.rows);
    const mb = line.mb ? seriesOf(samples, line.mb) : null;
    const changed = rows.some((p) => p.y !== rows[0]!.y) || (mb && Math.abs(mb.at(-1)!.y - mb[0]!.y) >= 0.05);
    if (!changed) {
      unchanged.push(`${line.name} (${thousands(rows[0]!.y)})`);
      continue;
    }
    const at = (f: number) => thousands(valueAt(rows, hours, f));
    const entry = {
      name: line.name,
      rows: { start: rows[0]!.y, quarter: valueAt(rows, hours, 0.25), half: valueAt(rows, hours, 0.5), threeQuarters: valueAt(rows, hours, 0.75), end: rows.at(-1)!.y },
      rowsPerHour: { firstHalf: slopeBetween(rows, hours, 0, 0.5), secondHalf: slopeBetween(rows, hours, 0.5, 1) },
      mb: mb ? { start: mb[0]!.y, end: mb.at(-1)!.y, perHourSecondHalf: slopeBetween(mb, hours, 0.5, 1) } : null,
    };
    growth.push(entry);
    const limit = line.name.includes("raw (5 s)") ? `raw retention ${minutes(RETENTION.HISTORY_RAW_RETENTION_MS)}` : line.name.includes("minute rollups") ? `rollup retention ${minutes(RETENTION.HISTORY_ROLLUP_RETENTION_MS)}` : bound(line.name);
    tableRows.push([
      limit ? `${line.name} — ${limit}` : line.name,
      `${thousands(entry.rows.start)} → ${at(0.25)} → ${at(0.5)} → ${at(0.75)} → ${thousands(entry.rows.end)}`,
      thousands(entry.rowsPerHour.firstHalf),
      `**${thousands(entry.rowsPerHour.secondHalf)}**`,
      entry.mb ? `${round(entry.mb.start, 2)} → ${round(entry.mb.end, 2)}` : "",
      entry.mb ? round(entry.mb.perHourSecondHalf, 2) : "",
    ]);
  }
  console.log("");
  printTable(["PostgreSQL table (and what bounds it)", "Rows: start → ¼ → ½ → ¾ → end", "Rows/h, 1st half", "Rows/h, 2nd half", "MB start → end", "MB/h, 2nd half"], tableRows, ["left", "right", "right", "right", "right", "right"]);
  console.log(`\nUnchanged throughout (rows): ${unchanged.join(", ") || "none"}.`);

  console.log("");
  const problemRow = (name: string, p: LoggedProblems) => {
    const list = (m: Map<string, number>) => [...m].slice(0, 3).map(([message, n]) => `${n}× \`${message.replace(/\|/g, "\\|")}\``).join("; ");
    return [name, String(p.errors), list(p.distinctErrors) || "–", String(p.warnings), list(p.distinctWarnings) || "–"];
  };
  printTable(["Process", "Errors logged", "First distinct errors", "Warnings", "First distinct warnings"], [problemRow("web", r.problems.of("web")), problemRow("worker", r.problems.of("worker")), problemRow("demo system", r.problems.of("demo"))], ["left", "right", "left", "right", "left"]);
  console.log("");
  // A page that stalled for a while (its refetches waiting on the server) shows 0 somewhere here.
  const fewest = Object.keys(r.heapAtStart).map((name) => `${name} ${Math.min(...samples.slice(1).map((s) => s.browserCalls[name] ?? 0))}`).join(", ");
  console.log(`Fewest tRPC requests a page completed in one ${SAMPLE_SECONDS}-s interval: ${fewest}.`);
  const heap = Object.keys(r.heapAtStart).map((name) => `${name} ${round(r.heapAtStart[name]!)} → ${round(r.heapAtEnd[name]!)} MB`).join(", ");
  console.log(`Browser at the end: ${Object.entries(r.liveness).map(([name, state]) => `${name}: ${state}`).join("; ")}. JS heap per page: ${heap}. Console errors: ${r.consoleErrors.length}${r.consoleErrors.length ? ` (first: ${r.consoleErrors.slice(0, 3).join(" | ")})` : ""}.`);

  const resultFile = path.join(OUT_DIR, `soak-${STAMP}.json`);
  const problemsJson = (p: LoggedProblems) => ({ errors: p.errors, warnings: p.warnings, distinctErrors: Object.fromEntries(p.distinctErrors), distinctWarnings: Object.fromEntries(p.distinctWarnings) });
  fs.writeFileSync(
    resultFile,
    JSON.stringify(
      {
        date: new Date().toISOString(),
        machine: { cores: os.cpus().length, memoryGb: Math.round(os.totalmem() / 1024 ** 3), node: process.version, loadAtStart: r.loadAtStart, loadAtEnd: r.loadAtEnd, sharedWithOtherWork: true },
        config: { minutes: MINUTES, sampleSeconds: SAMPLE_SECONDS, discardSeconds: DISCARD_SECONDS, ordersPerSec: r.ordersPerSec, rateFactor: RATE_FACTOR, retention: RETENTION },
        setupSeconds: r.setupSeconds,
        processes,
        growth,
        problems: { web: problemsJson(r.problems.of("web")), worker: problemsJson(r.problems.of("worker")), demo: problemsJson(r.problems.of("demo")) },
        discards: r.discards,
        browser: { liveness: r.liveness, calls: r.calls, heapAtStartMb: r.heapAtStart, heapAtEndMb: r.heapAtEnd, consoleErrors: r.consoleErrors },
        samples,
      },
      null,
      1,
    ),
  );
  console.log(`\nSamples and results: ${path.relative(REPO_ROOT, resultFile)}; screenshots: e2e/artifacts/soak-*.png.`);
}

runBench("bench:soak", main);
