// Loaded into a Node process with `node --import` (NODE_OPTIONS) by the soak benchmark, to measure
// the event-loop delay from inside the web app and the worker without changing either: Signalbox
// exposes no process metrics of its own. Does nothing unless SIGNALBOX_PROBE_DIR is set.
//
// Every SIGNALBOX_PROBE_INTERVAL_MS it appends one JSON line to <dir>/<pid>.jsonl: the delay
// percentiles of that window, of the whole run so far, and of the run since the time (epoch ms)
// written to <dir>/steady-after (the soak's second half, so warm-up does not count; a file, since
// the soak learns when it starts only after these processes have).
// Values are milliseconds of delay beyond the histogram's 10 ms sampling tick.
import fs from "node:fs";
import path from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";

const dir = process.env.SIGNALBOX_PROBE_DIR;
if (dir) {
  const intervalMs = Number(process.env.SIGNALBOX_PROBE_INTERVAL_MS || 10_000);
  const file = path.join(dir, `${process.pid}.jsonl`);
  // Three histograms, since Node cannot merge one into another: this window, the whole run, and
  // the steady part (enabled from the time in <dir>/steady-after).
  const RESOLUTION_MS = 10;
  const histogram = () => monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  const window = histogram();
  const whole = histogram();
  const steady = histogram();
  window.enable();
  whole.enable();
  let steadyEnabled = false;
  const enableSteadyWhenDue = () => {
    if (steadyEnabled) return;
    try {
      if (Date.now() >= Number(fs.readFileSync(path.join(dir, "steady-after"), "utf8"))) steadyEnabled = steady.enable();
    } catch {
      // Not written yet.
    }
  };
  // Node records the time between two ticks of its 10 ms timer: an idle loop reads 10 ms. The
  // delay is what lies beyond the tick.
  const ms = (ns) => Math.max(0, Math.round((ns / 1e6 - RESOLUTION_MS) * 100) / 100);
  const summary = (h) => (h.count === 0 ? null : { p50: ms(h.percentile(50)), p99: ms(h.percentile(99)), max: ms(h.max), count: h.count });
  const timer = setInterval(() => {
    enableSteadyWhenDue();
    const line = { at: Date.now(), pid: process.pid, argv: process.argv.slice(1, 3), window: summary(window), whole: summary(whole), steady: summary(steady) };
    window.reset();
    try {
      fs.appendFileSync(file, `${JSON.stringify(line)}\n`);
    } catch {
      // The soak removed its directory; measuring goes on without a reader.
    }
  }, intervalMs);
  // Never keeps a process alive that would otherwise exit (a build, a seed script).
  timer.unref();
}
