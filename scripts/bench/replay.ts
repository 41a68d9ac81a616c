// `npm run bench:replay`: the message browser's filtered scan and the replay job at scale, on a
// real broker and PostgreSQL, next to kcat doing the same work. 200k JSON records of about 1 KB.
// Prints a table; a benchmark, not a test: it asserts nothing.
//
// - Search: Signalbox's server-side scan (the browser's engine) with a JSON-path filter, versus
//   `kcat -C -e -J | jq` with the same filter.
// - Replay: a replay job without a rate limit (transactional, exactly once, keeps key, headers and
//   partition), versus `kcat -C -e | kcat -P` piping values to another topic.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { disconnectAll, ensureTopics, readTopicBounds, type ClusterConnectionConfig } from "../../src/server/broker";
import { ensureDatabase, migrateDatabase, seedDatabase } from "../lib/database";
import { startLocalKafka, stopLocalKafka } from "../lib/local-kafka";
import { BENCH_STACK } from "../lib/test-ports";

const RECORDS = Number(process.env.BENCH_RECORDS || 200_000);
const PARTITIONS = Number(process.env.BENCH_PARTITIONS || 3);
const { kafkaPort: KAFKA_PORT, databaseUrl: DATABASE_URL } = BENCH_STACK;
const BOOTSTRAP = `127.0.0.1:${KAFKA_PORT}`;
const say = (m: string) => console.log(`[bench] ${m}`);

// The services read configuration from the environment; point them at the bench stack first.
Object.assign(process.env, { KAFKA_BROKERS: BOOTSTRAP, DATABASE_URL, KAFKA_CLUSTER_NAME: "bench", LOG_LEVEL: "warn", KAFKA_CONNECTION_TIMEOUT_MS: "10000" });

function sh(command: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn("bash", ["-o", "pipefail", "-c", command], { stdio: ["ignore", "inherit", "inherit"] });
    child.on("exit", (code) => (code === 0 ? resolve(performance.now() - t0) : reject(new Error(`${command} exited with ${code}`))));
  });
}

/** Peak resident memory of this process while `fn` runs (sampled every 50 ms). */
async function withPeakRss<T>(fn: () => Promise<T>): Promise<{ result: T; peakMb: number; baseMb: number }> {
  global.gc?.();
  const baseMb = process.memoryUsage().rss / 1048576;
  let peak = baseMb;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss / 1048576)), 50);
  try {
    const result = await fn();
    return { result, peakMb: Math.max(peak, process.memoryUsage().rss / 1048576), baseMb };
  } finally {
    clearInterval(timer);
  }
}

/** Peak RSS (MB) of a shell pipeline's processes, sampled from /proc every 50 ms. */
async function pipelineWithPeakRss(command: string, capture: boolean): Promise<{ ms: number; out: string; peakMb: number }> {
  const t0 = performance.now();
  const child = spawn("bash", ["-o", "pipefail", "-c", command], { stdio: ["ignore", capture ? "pipe" : "inherit", "inherit"] });
  let out = "";
  child.stdout?.on("data", (c: Buffer) => (out += c.toString()));
  let peak = 0;
  const rssOfTree = () => {
    let kb = 0;
    for (const entry of fs.readdirSync("/proc")) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
        const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
        if (ppid !== child.pid && Number(entry) !== child.pid) continue;
        kb += Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${entry}/status`, "utf8"))?.[1] ?? 0);
      } catch {
        // Gone.
      }
    }
    return kb / 1024;
  };
  const timer = setInterval(() => (peak = Math.max(peak, rssOfTree())), 50);
  const code = await new Promise<number | null>((r) => child.on("exit", r));
  clearInterval(timer);
  if (code !== 0) throw new Error(`${command} exited with ${code}`);
  return { ms: performance.now() - t0, out, peakMb: peak };
}

function dataFile(): string {
  const file = path.join(os.tmpdir(), `signalbox-bench-${RECORDS}.tsv`);
  if (fs.existsSync(file)) return file;
  say(`writing ${RECORDS} records of ~1 KB to ${file}…`);
  const types = ["OrderPlaced", "PaymentSucceeded", "StockReserved", "NotificationSent", "OrderShipped"];
  const lines: string[] = [];
  const out = fs.openSync(file, "w");
  for (let i = 0; i < RECORDS; i += 1) {
    const base = { eventId: `evt-${i}`, eventType: types[i % types.length], timestamp: new Date(1_700_000_000_000 + i).toISOString(), version: 1, source: "bench", data: { orderId: `ord-${i}`, customerId: `cust-${i % 1000}`, total: i % 500 }, metadata: { correlationId: `corr-${i}`, causationId: null } };
    const json = JSON.stringify(base);
    lines.push(`ord-${i}\t${JSON.stringify({ ...base, padding: "p".repeat(Math.max(0, 1024 - json.length - 14)) })}`);
    if (lines.length === 10_000) {
      fs.writeSync(out, `${lines.join("\n")}\n`);
      lines.length = 0;
    }
  }
  if (lines.length) fs.writeSync(out, `${lines.join("\n")}\n`);
  fs.closeSync(out);
  return file;
}

async function main() {
  say(`starting a fresh broker on ${BOOTSTRAP} and database ${DATABASE_URL}…`);
  await startLocalKafka({ port: KAFKA_PORT, fresh: true });
  await ensureDatabase(DATABASE_URL, { reset: true });
  await migrateDatabase(DATABASE_URL);
  await seedDatabase(process.env);
  // Imported after the environment points at the bench stack.
  const { clusterFromEnv } = await import("../../src/server/services/clusters/active-cluster");
  const { getEnv } = await import("../../src/env");
  const { scanPage } = await import("../../src/server/services/messages/scan");
  const { planReplay } = await import("../../src/server/services/replay/plan");
  const { startReplay } = await import("../../src/server/services/replay/replay");
  const { getJob } = await import("../../src/server/services/jobs/jobs");
  const { JobRunner } = await import("../../src/worker/jobs/runner");
  const { JOB_HANDLERS } = await import("../../src/worker/jobs/kinds");
  const { disconnectDb, stopJobQueue } = await import("../../src/server/catalog");
  const cluster: ClusterConnectionConfig = clusterFromEnv(getEnv());

  try {
    await ensureTopics(cluster, ["bench-src", "bench-dst", "bench-kcat-dst"].map((topic) => ({ topic, numPartitions: PARTITIONS })));
    const file = dataFile();
    say(`producing ${RECORDS} records with kcat…`);
    await sh(`kcat -b ${BOOTSTRAP} -t bench-src -P -K '\t' -z none -X linger.ms=50 -l ${file}`);

    const JQ_FILTER = `select((.payload | fromjson).data.customerId == "cust-42")`;
    say("search: kcat -C -e -J | jq …");
    const kcatSearch = await pipelineWithPeakRss(`kcat -b ${BOOTSTRAP} -t bench-src -C -e -q -J -o beginning | jq -c '${JQ_FILTER}' | wc -l`, true);
    const kcatMatches = Number(kcatSearch.out.trim());

    say("search: Signalbox scan with a JSON-path filter…");
    const scan = await withPeakRss(async () => {
      const t0 = performance.now();
      let matched = 0;
      let scanned = 0;
      for await (const event of scanPage(cluster, { topic: "bench-src", start: { kind: "earliest" }, limit: 500, filter: { jsonPath: "data.customerId", jsonOperator: "=", jsonValue: "cust-42" } })) {
        if (event.type === "done") {
          matched = event.matched;
          scanned = event.scanned;
        }
      }
      return { ms: performance.now() - t0, matched, scanned };
    });

    say("replay: kcat -C -e | kcat -P …");
    const kcatPipe = await pipelineWithPeakRss(`kcat -b ${BOOTSTRAP} -t bench-src -C -e -q -o beginning | kcat -b ${BOOTSTRAP} -t bench-kcat-dst -P -z none`, false);

    say("replay: Signalbox job, no rate limit…");
    const runner = new JobRunner(cluster, JOB_HANDLERS, { workerId: "bench", concurrency: 1, reapIntervalMs: 5000, claimGraceMs: 20_000, retryAfterMs: 1000 });
    await runner.start();
    const actor = { email: "bench@signalbox.local", name: "Bench", role: "support" as const };
    const replay = await withPeakRss(async () => {
      let plan = null;
      const bounds = await readTopicBounds(cluster, "bench-src");
      const range = { kind: "offsets" as const, partitions: bounds.map((b) => ({ partition: b.partition, from: b.start, to: b.end })) };
      for await (const e of planReplay(cluster, { sourceTopic: "bench-src", range, targetTopic: "bench-dst" })) if (e.type === "done") plan = e.plan;
      const job = await startReplay(actor, cluster, { request: plan!.request, ranges: plan!.ranges, dryRunCount: plan!.wouldWrite });
      for (;;) {
        const j = await getJob(job.id);
        if (j.status === "COMPLETED" || j.status === "FAILED") return j;
        await new Promise((r) => setTimeout(r, 200));
      }
    });
    await runner.stop();
    const job = replay.result;
    if (job.status !== "COMPLETED") throw new Error(`replay job failed: ${job.error}`);
    const replayMs = job.finishedAt!.getTime() - job.startedAt!.getTime();

    const rate = (n: number, ms: number) => Math.round(n / (ms / 1000)).toLocaleString("en-US");
    const secs = (ms: number) => (ms / 1000).toFixed(1);
    console.log("");
    console.log(`Records: ${RECORDS.toLocaleString("en-US")} JSON values of ~1 KB, ${PARTITIONS} partitions, local broker (Kafka 3.9.2), ${os.cpus().length} cores.`);
    console.log("");
    console.log("| Work | Tool | Time (s) | Rate (msg/s) | Peak RSS (MB) | Notes |");
    console.log("|---|---|---:|---:|---:|---|");
    console.log(`| Search (JSON path filter) | Signalbox scan | ${secs(scan.result.ms)} | ${rate(scan.result.scanned, scan.result.ms)} | ${Math.round(scan.peakMb)} (process; ${Math.round(scan.baseMb)} before) | ${scan.result.matched} matches of ${scan.result.scanned.toLocaleString("en-US")} scanned |`);
    console.log(`| Search (same filter) | kcat -C -e -J \\| jq | ${secs(kcatSearch.ms)} | ${rate(RECORDS, kcatSearch.ms)} | ${Math.round(kcatSearch.peakMb)} | ${kcatMatches} matches |`);
    console.log(`| Replay, no rate limit | Signalbox job | ${secs(replayMs)} | ${rate(job.progress.written, replayMs)} | ${Math.round(replay.peakMb)} (process; ${Math.round(replay.baseMb)} before) | ${job.progress.written.toLocaleString("en-US")} written exactly once, transactional; keeps key, headers, partition |`);
    console.log(`| Replay | kcat -C -e \\| kcat -P | ${secs(kcatPipe.ms)} | ${rate(RECORDS, kcatPipe.ms)} | ${Math.round(kcatPipe.peakMb)} | values only: drops keys, headers and partitions; not exactly-once |`);
    console.log("");
    console.log(`Ratios: search ${(kcatSearch.ms / scan.result.ms).toFixed(2)}× kcat+jq; replay ${(kcatPipe.ms / replayMs).toFixed(2)}× the kcat pipe.`);
  } finally {
    await stopJobQueue();
    await disconnectAll();
    await disconnectDb();
    await stopLocalKafka(KAFKA_PORT);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
