// A CPU profile of this process around one piece of a benchmark, when BENCH_CPU_PROFILE names a
// file: only the measured work is in it (not the setup, the dry run or kcat's turn), so its idle,
// garbage collection and hottest functions are the job's. Open the file in Chrome's DevTools
// (Performance) or summarise it with `node scripts/bench/lib/profile-summary.mjs <file>`.
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { say } from "./report";

export async function withCpuProfile<T>(file: string | undefined, work: () => Promise<T>): Promise<T> {
  if (!file) return work();
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  // 200 µs between samples: fine enough for a job of a few seconds, small enough not to slow it much.
  await session.post("Profiler.setSamplingInterval", { interval: 200 });
  await session.post("Profiler.start");
  try {
    return await work();
  } finally {
    const { profile } = await session.post("Profiler.stop");
    session.disconnect();
    writeFileSync(file, JSON.stringify(profile));
    say(`CPU profile written to ${file}`);
  }
}
