// Shell pipelines for the benchmarks' peers (kcat, jq): run to completion with pipefail, timed, and
// optionally with the peak memory of every process in the pipeline.
import { spawn } from "node:child_process";
import { treeRssMb } from "./process-tree";

/** Runs a bash command with inherited output; resolves with its wall time in ms, rejects when it fails. */
export function sh(command: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn("bash", ["-o", "pipefail", "-c", command], { stdio: ["ignore", "inherit", "inherit"] });
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve(performance.now() - t0) : reject(new Error(`${command} exited with ${code}`))));
  });
}

/** Like sh, and also the peak RSS (MB) of the pipeline's processes, sampled every 50 ms; `capture` returns its stdout. */
export async function shWithPeakRss(command: string, capture: boolean): Promise<{ ms: number; out: string; peakMb: number }> {
  const t0 = performance.now();
  const child = spawn("bash", ["-o", "pipefail", "-c", command], { stdio: ["ignore", capture ? "pipe" : "inherit", "inherit"] });
  let out = "";
  child.stdout?.on("data", (c: Buffer) => (out += c.toString()));
  let peak = 0;
  const timer = setInterval(() => (peak = Math.max(peak, treeRssMb(child.pid!))), 50);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on("error", reject);
    child.on("exit", resolve);
  }).finally(() => clearInterval(timer));
  if (code !== 0) throw new Error(`${command} exited with ${code}`);
  return { ms: performance.now() - t0, out, peakMb: peak };
}
