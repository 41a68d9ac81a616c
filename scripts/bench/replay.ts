// `npm run bench:replay`: the message browser's filtered scan and the replay job at scale, on a
// real broker and PostgreSQL, next to kcat doing the same work. 200k JSON records of about 1 KB.
// Prints a table; a benchmark, not a test: it asserts nothing.
//
// - Search: Signalbox's server-side scan (the browser's engine) with a JSON-path filter, versus
//   `kcat -C -e -J | jq` with the same filter.
// - Replay: a replay job without a rate limit (transactional, exactly once, keeps key, headers and
//   partition), versus `kcat -C -e | kcat -P` piping values to another topic. The job's row also
//   gives the CPU seconds this process spent on it (reading, filtering, encoding), which is what
//   bounds it when the machine's cores are busy.
import os from "node:os";
import { ensureTopics, readTopicBounds, type ClusterConnectionConfig } from "../../src/server/broker";
import { withCpuProfile } from "./lib/cpu-profile";
import { withPeakRss } from "./lib/memory";
import { recordsFile } from "./lib/records";
import { printTable, runBench, say } from "./lib/report";
import { sh, shWithPeakRss } from "./lib/shell";
import { startBenchJobRunner, startInProcessServices } from "./lib/stack";

const RECORDS = Number(process.env.BENCH_RECORDS || 200_000);
const PARTITIONS = Number(process.env.BENCH_PARTITIONS || 3);
/** Turns the kcat pipe and the job each take (kcat first in each round). */
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS || 3));
/** A job slower than this has failed in all but name. */
const JOB_TIMEOUT_MS = 30 * 60_000;
const EVENT_TYPES = ["OrderPlaced", "PaymentSucceeded", "StockReserved", "NotificationSent", "OrderShipped"];

function dataFile(): string {
  say(`records of ~1 KB for the source topic (written once to the temp directory)…`);
  return recordsFile("replay", RECORDS, (i) => ({
    key: `ord-${i}`,
    value: { eventId: `evt-${i}`, eventType: EVENT_TYPES[i % EVENT_TYPES.length], timestamp: new Date(1_700_000_000_000 + i).toISOString(), version: 1, source: "bench", data: { orderId: `ord-${i}`, customerId: `cust-${i % 1000}`, total: i % 500 }, metadata: { correlationId: `corr-${i}`, causationId: null } },
  }));
}

async function main() {
  const services = await startInProcessServices();
  const BOOTSTRAP = services.bootstrap;
  // Imported after the environment points at the bench stack.
  const { clusterFromEnv } = await import("../../src/server/services/clusters/active-cluster");
  const { getEnv } = await import("../../src/env");
  const { scanPage } = await import("../../src/server/services/messages/scan");
  const { planReplay } = await import("../../src/server/services/replay/plan");
  const { startReplay } = await import("../../src/server/services/replay/replay");
  const { waitForJob } = await import("../lib/wait-for-job");
  const { messageFilterSchema } = await import("../../src/server/services/messages/filters");
  const { replayJobParamsSchema, replayRequestSchema } = await import("../../src/server/services/replay/params");
  const cluster: ClusterConnectionConfig = clusterFromEnv(getEnv());

  try {
    await ensureTopics(cluster, ["bench-src", "bench-dst", "bench-kcat-dst"].map((topic) => ({ topic, numPartitions: PARTITIONS })));
    const file = dataFile();
    say(`producing ${RECORDS} records with kcat…`);
    await sh(`kcat -b ${BOOTSTRAP} -t bench-src -P -K '\t' -z none -X linger.ms=50 -l ${file}`);

    const JQ_FILTER = `select((.payload | fromjson).data.customerId == "cust-42")`;
    say("search: kcat -C -e -J | jq …");
    const kcatSearch = await shWithPeakRss(`kcat -b ${BOOTSTRAP} -t bench-src -C -e -q -J -o beginning | jq -c '${JQ_FILTER}' | wc -l`, true);
    const kcatMatches = Number(kcatSearch.out.trim());

    say("search: Signalbox scan with a JSON-path filter…");
    const scan = await withPeakRss(async () => {
      const t0 = performance.now();
      let matched = 0;
      let scanned = 0;
      for await (const event of scanPage(cluster, { topic: "bench-src", start: { kind: "earliest" }, limit: 500, filter: messageFilterSchema.parse({ jsonPath: "data.customerId", jsonOperator: "=", jsonValue: "cust-42" }) })) {
        if (event.type === "done") {
          matched = event.matched;
          scanned = event.scanned;
        }
      }
      return { ms: performance.now() - t0, matched, scanned };
    });

    const runner = await startBenchJobRunner(cluster);
    const actor = { email: "bench@signalbox.local", name: "Bench", role: "support" as const };
    /** Plans and runs a replay of `bench-src` (the first `perPartition` records of each partition, or all) to `target`. */
    const runReplay = async (target: string, perPartition?: number) => {
      let plan = null;
      const bounds = await readTopicBounds(cluster, "bench-src");
      const range = { kind: "offsets" as const, partitions: bounds.map((b) => ({ partition: b.partition, from: b.start, to: perPartition === undefined ? b.end : Math.min(b.end, b.start + perPartition) })) };
      for await (const e of planReplay(cluster, replayRequestSchema.parse({ sourceTopic: "bench-src", range, targetTopic: target }))) if (e.type === "done") plan = e.plan;
      const job = await startReplay(actor, cluster, replayJobParamsSchema.parse({ request: plan!.request, ranges: plan!.ranges, dryRunCount: plan!.wouldWrite }));
      const done = await waitForJob(job.id, (j) => j.status === "COMPLETED" || j.status === "FAILED", JOB_TIMEOUT_MS);
      if (done.status !== "COMPLETED") throw new Error(`replay job failed: ${done.error}`);
      return done;
    };
    // The broker is fresh: Kafka creates its transaction log (50 partitions) and the consumer offsets
    // topic on their first use, which would land on the measured job. A cluster that has served one
    // transaction and one group has both, as any cluster in use does; a tiny job gets it there.
    say("replay: a warm-up job of 30 records (the fresh broker creates its transaction and offsets logs)…");
    await ensureTopics(cluster, [{ topic: "bench-warm-up", numPartitions: PARTITIONS }]);
    await runReplay("bench-warm-up", 10);

    // The kcat pipe's own time swings by half from one run to the next on this machine, so the two
    // take turns for a few rounds and the table gives each one's median; the rounds follow it.
    const rounds: { kcatMs: number; kcatPeakMb: number; jobMs: number; written: number; peakMb: number; baseMb: number; cpuS: number }[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      say(`replay, round ${round} of ${ROUNDS}: kcat -C -e | kcat -P …`);
      const kcatPipe = await shWithPeakRss(`kcat -b ${BOOTSTRAP} -t bench-src -C -e -q -o beginning | kcat -b ${BOOTSTRAP} -t bench-kcat-dst -P -z none`, false);
      say(`replay, round ${round} of ${ROUNDS}: Signalbox job, no rate limit…`);
      const cpuBefore = process.cpuUsage();
      const profile = round === ROUNDS ? process.env.BENCH_CPU_PROFILE : undefined;
      const replay = await withPeakRss(() => withCpuProfile(profile, () => runReplay("bench-dst")));
      const cpu = process.cpuUsage(cpuBefore);
      const job = replay.result;
      rounds.push({ kcatMs: kcatPipe.ms, kcatPeakMb: kcatPipe.peakMb, jobMs: job.finishedAt!.getTime() - job.startedAt!.getTime(), written: job.progress.written, peakMb: replay.peakMb, baseMb: replay.baseMb, cpuS: (cpu.user + cpu.system) / 1e6 });
    }
    await runner.stop();
    const middle = <T,>(values: T[], by: (v: T) => number): T => [...values].sort((a, b) => by(a) - by(b))[Math.floor((values.length - 1) / 2)]!;
    const kcatMedian = middle(rounds, (r) => r.kcatMs);
    const jobMedian = middle(rounds, (r) => r.jobMs);
    const kcatPipe = { ms: kcatMedian.kcatMs, peakMb: kcatMedian.kcatPeakMb };
    const replayMs = jobMedian.jobMs;

    const rate = (n: number, ms: number) => Math.round(n / (ms / 1000)).toLocaleString("en-US");
    const secs = (ms: number) => (ms / 1000).toFixed(1);
    console.log("");
    console.log(`Records: ${RECORDS.toLocaleString("en-US")} JSON values of ~1 KB, ${PARTITIONS} partitions, local broker (Kafka 3.9.2), ${os.cpus().length} cores.`);
    console.log("");
    printTable(
      ["Work", "Tool", "Time (s)", "Rate (msg/s)", "Peak RSS (MB)", "CPU (s)", "Notes"],
      [
        ["Search (JSON path filter)", "Signalbox scan", secs(scan.result.ms), rate(scan.result.scanned, scan.result.ms), `${Math.round(scan.peakMb)} (process; ${Math.round(scan.baseMb)} before)`, "", `${scan.result.matched} matches of ${scan.result.scanned.toLocaleString("en-US")} scanned`],
        ["Search (same filter)", "kcat -C -e -J \\| jq", secs(kcatSearch.ms), rate(RECORDS, kcatSearch.ms), String(Math.round(kcatSearch.peakMb)), "", `${kcatMatches} matches`],
        ["Replay, no rate limit", "Signalbox job", secs(replayMs), rate(jobMedian.written, replayMs), `${Math.round(jobMedian.peakMb)} (process; ${Math.round(jobMedian.baseMb)} before)`, `${jobMedian.cpuS.toFixed(1)} (this process, plan included)`, `median of ${ROUNDS}; ${jobMedian.written.toLocaleString("en-US")} written exactly once, transactional; keeps key, headers, partition`],
        ["Replay", "kcat -C -e \\| kcat -P", secs(kcatPipe.ms), rate(RECORDS, kcatPipe.ms), String(Math.round(kcatPipe.peakMb)), "", `median of ${ROUNDS}; values only: drops keys, headers and partitions; not exactly-once`],
      ],
      ["left", "left", "right", "right", "right", "right", "left"],
    );
    console.log("");
    console.log(`Ratios: search ${(kcatSearch.ms / scan.result.ms).toFixed(2)}× kcat+jq; replay ${(kcatPipe.ms / replayMs).toFixed(2)}× the kcat pipe (medians).`);
    console.log("");
    printTable(
      ["Round", "kcat pipe (s)", "Job (s)", "Job (msg/s)", "Ratio", "Job CPU (s)"],
      rounds.map((r, i) => [String(i + 1), secs(r.kcatMs), secs(r.jobMs), rate(r.written, r.jobMs), `${(r.kcatMs / r.jobMs).toFixed(2)}×`, r.cpuS.toFixed(1)]),
      ["right", "right", "right", "right", "right", "right"],
    );
  } finally {
    await services.stop();
  }
}

runBench("bench:replay", main);
