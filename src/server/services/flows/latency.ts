// Latency histograms with fixed bounds, as Prometheus keeps them: a count per bucket, so minutes add
// up into hours and percentiles come from the sums. Percentiles interpolate inside a bucket, the way
// histogram_quantile() does, so the screens and Grafana agree.

/** Upper bounds (ms) of the buckets; a last, open bucket takes everything above. */
export const LATENCY_BOUNDS_MS = [50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000, 60_000, 300_000, 900_000, 3_600_000] as const;

export const emptyHistogram = (): number[] => new Array<number>(LATENCY_BOUNDS_MS.length + 1).fill(0);

export function observe(histogram: number[], ms: number): void {
  let i = LATENCY_BOUNDS_MS.findIndex((bound) => ms <= bound);
  if (i < 0) i = LATENCY_BOUNDS_MS.length;
  histogram[i] = (histogram[i] ?? 0) + 1;
}

export function addHistograms(into: number[], from: readonly number[]): number[] {
  for (let i = 0; i < from.length; i++) into[i] = (into[i] ?? 0) + (from[i] ?? 0);
  return into;
}

/** The q-quantile (0..1) in ms; null for an empty histogram. Above the last bound, the last bound. */
export function quantile(histogram: readonly number[], q: number): number | null {
  const total = histogram.reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  const rank = q * total;
  let seen = 0;
  for (let i = 0; i < histogram.length; i++) {
    const count = histogram[i] ?? 0;
    if (count > 0 && seen + count >= rank) {
      if (i >= LATENCY_BOUNDS_MS.length) return LATENCY_BOUNDS_MS[LATENCY_BOUNDS_MS.length - 1]!;
      const lower = i === 0 ? 0 : LATENCY_BOUNDS_MS[i - 1]!;
      const upper = LATENCY_BOUNDS_MS[i]!;
      return lower + ((upper - lower) * (rank - seen)) / count;
    }
    seen += count;
  }
  return LATENCY_BOUNDS_MS[LATENCY_BOUNDS_MS.length - 1]!;
}
