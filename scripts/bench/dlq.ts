// `npm run bench:dlq`: DLQ redrive at scale on a real broker and PostgreSQL. Prints a table; a
// benchmark, not a test: it asserts nothing.
// - 50k dead-lettered records (~1 KB JSON, Signalbox DLQ headers) redriven without a rate cap:
//   reading them into the DLQ index (what the worker does as they arrive), answering the page
//   (overview plus the grouped list), starting the redrive (claiming every record), and the job's
//   msgs/s, each with the peak memory of this process (which plays web app and worker);
// - a redrive capped at 500 msgs/s: the achieved rate, and whether it is within 5% of the cap.
import os from "node:os";
import { ensureTopics, type ClusterConnectionConfig } from "../../src/server/broker";
import { withPeakRss } from "./lib/memory";
import { recordsFile } from "./lib/records";
import { printTable, runBench, say } from "./lib/report";
import { sh } from "./lib/shell";
import { startBenchJobRunner, startInProcessServices } from "./lib/stack";

const RECORDS = Number(process.env.BENCH_RECORDS || 50_000);
const CAPPED_RECORDS = Number(process.env.BENCH_CAPPED_RECORDS || 15_000);
const CAP = Number(process.env.BENCH_CAP || 500);
/** A job slower than this has failed in all but name. */
const JOB_TIMEOUT_MS = 30 * 60_000;

/** Dead-lettered OrderPlaced events; `tag` keeps the two DLQs' event ids apart. */
const dlqRecords = (count: number, tag: string) =>
  recordsFile(`dlq-${tag}`, count, (i) => ({
    key: `ord-${i}`,
    value: { eventId: `evt-${tag}-${i}`, eventType: "OrderPlaced", timestamp: new Date(1_700_000_000_000 + i).toISOString(), version: 1, source: "bench", data: { orderId: `ord-${i}`, total: i % 500 }, metadata: { correlationId: `corr-${i}`, causationId: null } },
  }));

const HEADERS = (source: string) =>
  ["x-original-topic=" + source, "x-original-partition=0", "x-original-offset=1", "x-error-class=PaymentGatewayTimeoutException", "x-error-message=Payment gateway did not answer within 3000 ms", "x-attempts=3"]
    .map((h) => `-H '${h}'`)
    .join(" ");

async function main() {
  const services = await startInProcessServices();
  const BOOTSTRAP = services.bootstrap;
  const { clusterFromEnv } = await import("../../src/server/services/clusters/active-cluster");
  const { getEnv } = await import("../../src/env");
  const { dlqOverview, listDlqGroups, startRedrive } = await import("../../src/server/services/dlq/dlq");
  const { catchUpDlqIndex } = await import("../../src/server/services/dlq/indexer");
  const { parseDlqRequest } = await import("../../src/server/services/dlq/dlq.types");
  const { waitForJob } = await import("../lib/wait-for-job");
  const cluster: ClusterConnectionConfig = clusterFromEnv(getEnv());
  const actor = { email: "bench@signalbox.local", name: "Bench", role: "support" as const };

  try {
    await ensureTopics(cluster, [
      { topic: "bench.DLQ", numPartitions: 3 },
      { topic: "bench-capped.DLQ", numPartitions: 1 },
      { topic: "bench-orders", numPartitions: 3 },
    ]);
    say(`producing ${RECORDS} + ${CAPPED_RECORDS} dead-lettered records with kcat…`);
    await sh(`kcat -b ${BOOTSTRAP} -t bench.DLQ -P -K '\t' -z none -X linger.ms=50 ${HEADERS("bench-orders")} -l ${dlqRecords(RECORDS, "a")}`);
    await sh(`kcat -b ${BOOTSTRAP} -t bench-capped.DLQ -P -K '\t' -z none -X linger.ms=50 ${HEADERS("bench-orders")} -l ${dlqRecords(CAPPED_RECORDS, "b")}`);

    const runner = await startBenchJobRunner(cluster);
    const timed = async <T>(fn: () => Promise<T>) => {
      const t0 = performance.now();
      const r = await withPeakRss(fn);
      return { ...r, seconds: (performance.now() - t0) / 1000 };
    };
    // Both DLQs are indexed before either page is measured: the overview reads every DLQ.
    const indexed = new Map<string, Awaited<ReturnType<typeof timed<Awaited<ReturnType<typeof catchUpDlqIndex>>>>>>();
    for (const topic of ["bench.DLQ", "bench-capped.DLQ"]) indexed.set(topic, await timed(() => catchUpDlqIndex(cluster, topic)));
    const run = async (topic: string, ratePerSec: number | null) => {
      const index = indexed.get(topic)!;
      const page = await timed(() => Promise.all([dlqOverview(cluster), listDlqGroups(cluster, topic)]));
      const start = await timed(() => startRedrive(actor, cluster, parseDlqRequest.redrive({ topic, selection: { kind: "filter", filter: {} }, ratePerSec })));
      const job = await timed(() => waitForJob(start.result.id, (j) => j.status === "COMPLETED" || j.status === "FAILED", JOB_TIMEOUT_MS));
      return { index, page, start, job };
    };
    say("redrive without a rate cap…");
    const free = await run("bench.DLQ", null);
    say(`redrive capped at ${CAP} msgs/s…`);
    const capped = await run("bench-capped.DLQ", CAP);
    await runner.stop();

    const rows = [
      { name: `${RECORDS.toLocaleString("en-US")} records, no cap`, r: free, capped: false },
      { name: `${CAPPED_RECORDS.toLocaleString("en-US")} records, cap ${CAP} msgs/s`, r: capped, capped: true },
    ];
    const mb = (x: { peakMb: number }) => Math.round(x.peakMb);
    console.log("");
    console.log(`DLQ records: JSON values of ~1 KB with Signalbox DLQ headers; local broker; ${os.cpus().length} cores shared with other work.`);
    console.log("Index: first read of the whole DLQ into the index (the worker's job as records arrive). Page: overview plus grouped list once indexed.");
    console.log(`Start: claim every pending record and create the job. Peak RSS (MB) of this process in each step; it started at ${Math.round(free.index.baseMb)} MB.`);
    console.log("");
    const table = rows.map(({ name, r, capped: isCapped }) => {
      const j = r.job.result;
      if (j.status !== "COMPLETED") throw new Error(`redrive job failed: ${j.error}`);
      const seconds = (j.finishedAt!.getTime() - j.startedAt!.getTime()) / 1000;
      const rate = j.progress.written / seconds;
      const vsCap = isCapped ? `${(((rate - CAP) / CAP) * 100).toFixed(1)}% ${Math.abs(rate - CAP) / CAP <= 0.05 ? "(within 5%)" : "(outside 5%)"}` : "—";
      const indexRate = Math.round(r.index.result.added / r.index.seconds).toLocaleString("en-US");
      return [
        name,
        `${r.index.seconds.toFixed(1)} (${indexRate})`,
        r.page.seconds.toFixed(2),
        r.start.seconds.toFixed(2),
        seconds.toFixed(1),
        j.progress.written.toLocaleString("en-US"),
        Math.round(rate).toLocaleString("en-US"),
        vsCap,
        `${mb(r.index)} / ${mb(r.page)} / ${mb(r.start)} / ${mb(r.job)}`,
      ];
    });
    printTable(
      ["Redrive", "Index s (records/s)", "Page s", "Start s", "Job s", "Written", "Job rate (msgs/s)", "vs cap", "Peak RSS index / page / start / job"],
      table,
      ["left", "right", "right", "right", "right", "right", "right", "right", "right"],
    );
  } finally {
    await services.stop();
  }
}

runBench("bench:dlq", main);
