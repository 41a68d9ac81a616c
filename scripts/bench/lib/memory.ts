// Peak resident memory of this process while a step runs: benchmarks that play web app and worker
// in one process report it per step.

// rss() alone: memoryUsage() also walks the heap's spaces, about 1 ms a call during a replay.
const mb = () => process.memoryUsage.rss() / 1048576;

/** Runs `fn`, sampling this process's RSS every 50 ms; collects garbage first when node runs with --expose-gc. */
export async function withPeakRss<T>(fn: () => Promise<T>): Promise<{ result: T; peakMb: number; baseMb: number }> {
  global.gc?.();
  const baseMb = mb();
  let peak = baseMb;
  const timer = setInterval(() => (peak = Math.max(peak, mb())), 50);
  try {
    const result = await fn();
    return { result, peakMb: Math.max(peak, mb()), baseMb };
  } finally {
    clearInterval(timer);
  }
}
