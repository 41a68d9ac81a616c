// `npm run bench:flows`: the flow monitor on a real broker and PostgreSQL. Prints tables; a
// benchmark, not a test: it asserts nothing.
// Three declared flows (start → step → step → completed, 5% compensated, 1% stuck), each on its
// own 3-partition topic. Two runs, the monitor's rounds in this process as the worker runs them:
// - backlog: BENCH_BACKLOG events produced first with kcat, then read until caught up: the
//   monitor's capacity in events/s;
// - live: BENCH_RATE events/s produced for BENCH_SECONDS by a separate process (kcat fed at that
//   pace), the monitor reading as they come: does it keep up (how far behind at worst, and at the
//   end), its round times, and its memory (RSS and heap, start → peak → end).
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ensureTopics } from "../../src/server/broker";
import { EVENTS_PER_SAGA, flowTypes as types, sagaLines } from "./lib/flow-sagas";
import { printTable, runBench, say } from "./lib/report";
import { sh } from "./lib/shell";
import { startInProcessServices } from "./lib/stack";

const BACKLOG = Number(process.env.BENCH_BACKLOG || 300_000);
const RATE = Number(process.env.BENCH_RATE || 5_000);
const SECONDS = Number(process.env.BENCH_SECONDS || 60);
const FLOWS = ["Alpha", "Bravo", "Charlie"];
const topicOf = (flow: string) => `bench-flow-${flow.toLowerCase()}`;
const TSX = path.join(import.meta.dirname, "../../node_modules/.bin/tsx");

/** Feeders in other processes, each piping one flow's sagas into kcat at `rate` events/s in all. */
function producePaced(bootstrap: string, rate: number, seconds: number, from: number): Promise<void> {
  const perTick = Math.max(1, Math.round(rate / FLOWS.length / 10 / EVENTS_PER_SAGA));
  return Promise.all(
    FLOWS.map(
      (flow) =>
        new Promise<void>((resolve, reject) => {
          const feeder = spawn(TSX, [path.join(import.meta.dirname, "lib/flow-feeder.ts"), flow, String(from), String(perTick), String(seconds)], { stdio: ["ignore", "pipe", "inherit"] });
          const kcat = spawn("kcat", ["-b", bootstrap, "-t", topicOf(flow), "-P", "-K", "\t", "-z", "none", "-X", "linger.ms=20"], { stdio: ["pipe", "inherit", "inherit"] });
          feeder.stdout.pipe(kcat.stdin);
          kcat.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`kcat exited with ${code}`))));
          feeder.on("error", reject);
        }),
    ),
  ).then(() => undefined);
}

const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);

async function main() {
  const services = await startInProcessServices();
  const { clusterFromEnv } = await import("../../src/server/services/clusters/active-cluster");
  const { getEnv } = await import("../../src/env");
  const { applyDeclaredCatalog } = await import("../../src/server/services/schemas/declared-catalog");
  const { declareFlow, getFlowDetail } = await import("../../src/server/services/flows/flows");
  const { FlowMonitor } = await import("../../src/server/services/flows/monitor");
  const { readTopicBounds } = await import("../../src/server/broker");
  const { readFlowCursors } = await import("../../src/server/catalog");
  const cluster = clusterFromEnv(getEnv());
  const architect = { email: "bench@signalbox.local", name: "Bench", role: "architect" as const };
  try {
    await ensureTopics(cluster, FLOWS.map((f) => ({ topic: topicOf(f), numPartitions: 3 })));
    const schema = { $schema: "https://json-schema.org/draft/2020-12/schema", type: "object" };
    await applyDeclaredCatalog(architect, cluster.name, {
      services: [],
      eventTypes: FLOWS.flatMap((f) => Object.values(types(f)).map((name) => ({ name, domain: "bench", owner: "bench", description: "", topic: topicOf(f), versions: [schema] }))),
    });
    for (const flow of FLOWS) {
      const t = types(flow);
      await declareFlow(architect, cluster.name, {
        name: flow,
        description: "",
        definition: { startEventType: t.start, steps: [{ after: t.start, next: [t.step], sloMs: 30_000 }, { after: t.step, next: [t.done, t.undo], sloMs: 30_000 }], compensations: [t.undo], completedOn: [t.done], compensatedOn: [t.undo], endToEndSloMs: 60_000 },
      });
    }
    const topicEnds = async () => {
      let sum = 0;
      for (const flow of FLOWS) for (const b of await readTopicBounds(cluster, topicOf(flow))) sum += b.end;
      return sum;
    };
    const behind = async () => {
      const cursors = await readFlowCursors(cluster.name);
      let sum = 0;
      for (const flow of FLOWS) for (const b of await readTopicBounds(cluster, topicOf(flow))) sum += b.end - (cursors.get(topicOf(flow))?.get(b.partition) ?? b.start);
      return sum;
    };
    const monitor = new FlowMonitor(cluster, { backfillMs: 24 * 3600_000 });

    // Backlog: everything produced first, then read as fast as the monitor can.
    const perFlow = Math.round(BACKLOG / FLOWS.length / EVENTS_PER_SAGA);
    say(`producing a backlog of ~${BACKLOG.toLocaleString("en-US")} events (${perFlow.toLocaleString("en-US")} sagas per flow) with kcat…`);
    for (const flow of FLOWS) {
      const file = path.join(os.tmpdir(), `signalbox-bench-flows-backlog-${flow}-${perFlow}.tsv`);
      if (!fs.existsSync(file)) fs.writeFileSync(file, `${sagaLines(flow, 0, perFlow).join("\n")}\n`);
      await sh(`kcat -b ${services.bootstrap} -t ${topicOf(flow)} -P -K '\t' -z none -X linger.ms=50 -l ${file}`);
    }
    global.gc?.();
    const baseRss = process.memoryUsage().rss;
    let peakRss = baseRss;
    let peakHeap = process.memoryUsage().heapUsed;
    const sampleMemory = () => {
      const m = process.memoryUsage();
      peakRss = Math.max(peakRss, m.rss);
      peakHeap = Math.max(peakHeap, m.heapUsed);
    };
    let read = 0;
    let rounds = 0;
    const t0 = performance.now();
    for (;;) {
      const result = await monitor.round();
      read += result.read;
      rounds += 1;
      sampleMemory();
      if (!result.behind && result.read === 0 && rounds > 1) break;
    }
    const backlogSeconds = (performance.now() - t0) / 1000;
    const backlogRow = ["backlog", rounds.toString(), read.toLocaleString("en-US"), backlogSeconds.toFixed(1), Math.round(read / backlogSeconds).toLocaleString("en-US"), "—", "—", "0", `${mb(baseRss)} → ${mb(peakRss)} → ${mb(process.memoryUsage().rss)}`, `${mb(peakHeap)}`];

    // Live: a paced producer in other processes; the monitor's rounds every 1 s (FLOW_MONITOR_INTERVAL_MS 2 s by default).
    say(`live: ${RATE.toLocaleString("en-US")} events/s for ${SECONDS} s…`);
    const liveBase = process.memoryUsage().rss;
    peakRss = liveBase;
    peakHeap = process.memoryUsage().heapUsed;
    const endsBefore = await topicEnds();
    const p0 = performance.now();
    let produceSeconds = 0;
    const producing = producePaced(services.bootstrap, RATE, SECONDS, perFlow + 1);
    let done = false;
    void producing.finally(() => {
      done = true;
      produceSeconds = (performance.now() - p0) / 1000;
    });
    const roundMs: number[] = [];
    let worstBehind = 0;
    while (!done) {
      const r0 = performance.now();
      await monitor.round();
      roundMs.push(performance.now() - r0);
      sampleMemory();
      // Behind: produced but not applied yet (unread, or read and held past the watermark).
      worstBehind = Math.max(worstBehind, await behind());
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, 1000 - (performance.now() - r0))));
    }
    await producing;
    const produced = (await topicEnds()) - endsBefore;
    // The last events: read what is left.
    for (let i = 0; i < 5; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      await monitor.round();
    }
    const endBehind = await behind();
    const producedRate = produced / produceSeconds;
    roundMs.sort((a, b) => a - b);
    const p = (q: number) => roundMs[Math.min(roundMs.length - 1, Math.floor(q * roundMs.length))]!;
    const liveRow = [
      `live ${RATE.toLocaleString("en-US")}/s × ${SECONDS} s`,
      roundMs.length.toString(),
      produced.toLocaleString("en-US"),
      produceSeconds.toFixed(1),
      Math.round(producedRate).toLocaleString("en-US"),
      `${Math.round(p(0.5))} / ${Math.round(p(0.95))} / ${Math.round(roundMs.at(-1)!)}`,
      `${worstBehind.toLocaleString("en-US")} (${(worstBehind / producedRate).toFixed(1)} s)`,
      endBehind.toLocaleString("en-US"),
      `${mb(liveBase)} → ${mb(peakRss)} → ${mb(process.memoryUsage().rss)}`,
      `${mb(peakHeap)}`,
    ];
    console.log("");
    console.log(`Flow monitor: 3 flows, each on a 3-partition topic; JSON envelopes without headers (the monitor parses each value); local broker; ${os.cpus().length} cores shared with other work.`);
    console.log("Rounds run in this process as the worker runs them; the live producer runs in separate processes (node → kcat).");
    console.log("");
    printTable(
      ["Run", "Rounds", "Events", "Seconds", "Events/s", "Round ms p50 / p95 / max", "Behind, worst (at the produced rate)", "Behind at the end", "RSS MB start → peak → end", "Heap MB peak"],
      [backlogRow, liveRow],
      ["left", "right", "right", "right", "right", "right", "right", "right", "right", "right"],
    );
    const rows = [];
    for (const flow of FLOWS) {
      const d = await getFlowDetail(cluster.name, flow, "1h");
      rows.push([flow, d.window.started.toLocaleString("en-US"), d.window.completed.toLocaleString("en-US"), d.window.compensated.toLocaleString("en-US"), (d.stuck + d.running).toLocaleString("en-US")]);
    }
    console.log("");
    printTable(["Flow", "Started", "Completed", "Compensated", "Open (stuck and waiting)"], rows, ["left", "right", "right", "right", "right"]);
  } finally {
    await services.stop();
  }
}

runBench("bench:flows", main);
