// `npm run bench:sampler`: the lag sampler at scale, on the real stack (broker, PostgreSQL, worker,
// web app). Creates BENCH_TOPICS topics × BENCH_PARTITIONS partitions and BENCH_GROUPS consumer
// groups with commits, lets the worker sample, and prints a table:
// sampler cycle (median, p95 over 20 cycles), worker CPU and memory, /metrics render time,
// consumer-groups page load in Chromium, and Kafka's own `kafka-consumer-groups --describe
// --all-groups` as the peer. A benchmark, not a test: it asserts nothing.
import fs from "node:fs";
import { chromium } from "@playwright/test";
import pLimit from "p-limit";
import pg from "pg";
import { commitGroupOffsets, createProducer, disconnectAll, ensureTopics, type ClusterConnectionConfig } from "../../src/server/broker";
import { kafkaTool } from "../lib/local-kafka";
import { startStack } from "../lib/stack";
import { BENCH_STACK } from "../lib/test-ports";

const TOPICS = Number(process.env.BENCH_TOPICS || 2000);
const PARTITIONS = Number(process.env.BENCH_PARTITIONS || 5);
const GROUPS = Number(process.env.BENCH_GROUPS || 1000);
const CYCLES = Number(process.env.BENCH_CYCLES || 20);
const { kafkaPort: KAFKA_PORT, webPort: WEB_PORT, databaseUrl: DATABASE_URL } = BENCH_STACK;

const say = (m: string) => console.log(`[bench] ${m}`);
const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
const median = (xs: number[]) => pct([...xs].sort((a, b) => a - b), 50);

/** Resident memory (MB) and CPU seconds of a process and all its descendants, from /proc. */
function processTree(rootPid: number): { rssMb: number; cpuSeconds: number } {
  const children = new Map<number, number[]>();
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // The process ended while we looked.
    }
  }
  const ticks = 100; // USER_HZ on Linux
  let rssKb = 0;
  let cpu = 0;
  const stack = [rootPid];
  while (stack.length) {
    const pid = stack.pop()!;
    try {
      const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
      rssKb += Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
      const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
      cpu += (Number(fields[11]) + Number(fields[12])) / ticks;
    } catch {
      // Gone.
    }
    stack.push(...(children.get(pid) ?? []));
  }
  return { rssMb: rssKb / 1024, cpuSeconds: cpu };
}

async function main() {
  const t0 = performance.now();
  const stack = await startStack({
    kafkaPort: KAFKA_PORT,
    freshKafka: true,
    databaseUrl: DATABASE_URL,
    resetDatabase: true,
    webPort: WEB_PORT,
    distDir: ".next",
    withDemoSystem: false,
    echo: false,
    logFile: "/tmp/signalbox-bench-stack.log",
    env: { LOG_LEVEL: "warn", SAMPLER_INTERVAL_MS: "5000", KAFKA_CONNECTION_TIMEOUT_MS: "10000" },
    say,
  });
  const cluster: ClusterConnectionConfig = { name: "local", brokers: [`127.0.0.1:${KAFKA_PORT}`], clientId: "signalbox-bench", ssl: false, connectionTimeoutMs: 10_000 };
  const db = new pg.Client({ connectionString: DATABASE_URL });
  await db.connect();
  try {
    say(`creating ${TOPICS} topics × ${PARTITIONS} partitions…`);
    const topics = Array.from({ length: TOPICS }, (_, i) => `bench-${String(i).padStart(5, "0")}`);
    for (let i = 0; i < topics.length; i += 200) await ensureTopics(cluster, topics.slice(i, i + 200).map((topic) => ({ topic, numPartitions: PARTITIONS })));
    say("producing 10 records to each of the first 200 topics…");
    const producer = await createProducer(cluster, { idempotent: false });
    for (const topic of topics.slice(0, 200)) await producer.send(topic, Array.from({ length: 10 }, (_, i) => ({ key: `k${i}`, value: "{}" })));
    await producer.disconnect();
    say(`committing offsets for ${GROUPS} consumer groups…`);
    const limit = pLimit(16);
    await Promise.all(
      Array.from({ length: GROUPS }, (_, g) =>
        limit(() => commitGroupOffsets(cluster, `bench-group-${String(g).padStart(4, "0")}`, topics[g % topics.length]!, Array.from({ length: PARTITIONS }, (_, partition) => ({ partition, offset: 0 })))),
      ),
    );
    say(`setup took ${((performance.now() - t0) / 1000).toFixed(0)} s; waiting for ${CYCLES} sampler cycles that see all groups…`);

    await db.query("LISTEN signalbox_lag_snapshot");
    const worker = stack.processes.find((p) => p.name === "worker")!;
    const cycles: number[] = [];
    let cpuStart: number | null = null;
    let cpuStartAt = 0;
    let peakRss = 0;
    await new Promise<void>((resolve, reject) => {
      const timeout = setTimeout(() => reject(new Error("timed out waiting for sampler cycles")), 15 * 60_000);
      db.on("notification", async () => {
        const row = await db.query<{ cycleMs: number; groups: number }>(`SELECT "cycleMs", jsonb_array_length(payload->'groups') AS groups FROM "LagSnapshotLatest"`);
        const r = row.rows[0];
        if (!r || r.groups < GROUPS) return;
        const usage = processTree(worker.child.pid!);
        peakRss = Math.max(peakRss, usage.rssMb);
        if (cpuStart === null) {
          // The first complete cycle warms caches (and reads metadata); measure from the next ones.
          cpuStart = usage.cpuSeconds;
          cpuStartAt = performance.now();
          return;
        }
        cycles.push(r.cycleMs);
        if (cycles.length >= CYCLES) {
          clearTimeout(timeout);
          const cpuShare = (usage.cpuSeconds - cpuStart) / ((performance.now() - cpuStartAt) / 1000);
          (globalThis as { __cpu?: number }).__cpu = cpuShare;
          resolve();
        }
      });
    });
    const cpuShare = (globalThis as { __cpu?: number }).__cpu ?? 0;

    const metricsTimes: number[] = [];
    let metricsBytes = 0;
    for (let i = 0; i < 5; i++) {
      const s = performance.now();
      const body = await (await fetch(`${stack.url}/metrics`)).text();
      metricsTimes.push(performance.now() - s);
      metricsBytes = body.length;
    }

    const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-sync"] });
    const pageTimes: number[] = [];
    for (let i = 0; i < 3; i++) {
      const page = await browser.newPage();
      const s = performance.now();
      await page.goto(`${stack.url}/groups`);
      await page.getByTestId("group-row").first().waitFor({ timeout: 60_000 });
      pageTimes.push(performance.now() - s);
      await page.close();
    }
    await browser.close();

    const sPeer = performance.now();
    await kafkaTool(KAFKA_PORT, "kafka-consumer-groups", ["--describe", "--all-groups"]);
    const peerMs = performance.now() - sPeer;

    const sorted = [...cycles].sort((a, b) => a - b);
    const rows: [string, string][] = [
      ["Cluster", `${TOPICS} topics × ${PARTITIONS} partitions = ${TOPICS * PARTITIONS} partitions, ${GROUPS} groups with commits`],
      [`Sampler cycle, median of ${cycles.length}`, `${median(cycles)} ms`],
      ["Sampler cycle, p95", `${pct(sorted, 95)} ms`],
      ["Worker CPU while sampling", `${(cpuShare * 100).toFixed(0)} % of one core`],
      ["Worker resident memory (peak)", `${peakRss.toFixed(0)} MB`],
      ["GET /metrics (median of 5)", `${median(metricsTimes).toFixed(0)} ms, ${(metricsBytes / 1024 / 1024).toFixed(1)} MB`],
      ["Consumer groups page, load → first row (median of 3)", `${median(pageTimes).toFixed(0)} ms`],
      ["Peer: kafka-consumer-groups --describe --all-groups", `${(peerMs / 1000).toFixed(1)} s`],
    ];
    console.log("\n| Measure | Result |\n|---|---|");
    for (const [k, v] of rows) console.log(`| ${k} | ${v} |`);
    console.log("");
  } finally {
    await db.end();
    await disconnectAll();
    await stack.stop();
  }
}

main().catch((error) => {
  console.error(`bench:sampler failed: ${error instanceof Error ? error.stack : String(error)}`);
  process.exit(1);
});
