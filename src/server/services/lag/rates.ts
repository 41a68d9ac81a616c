// Messages per second from two readings of an ever-growing counter (a topic's summed end offsets,
// a group's summed committed offsets). Shared by the live snapshot and the history charts, so both
// agree on what a rate is and on when there is none.

/** One reading of a counter: its value and when it was read (ms; epoch or monotonic, as long as both readings agree). */
export interface CounterReading {
  value: number;
  at: number;
}

/**
 * Rate of change per second between two readings, or null when there is no meaningful rate:
 * - no previous reading (the first sample after start-up or after a series gap);
 * - a non-positive interval (the same instant twice, or a clock that went backwards), which would
 *   otherwise divide by zero or flip the sign;
 * - a negative delta. Offsets only grow, so a drop means the counter was reset: a topic deleted and
 *   recreated, a partition's log truncated, a group's offsets reset to earlier positions, or a
 *   partition leaving the sum. The delta then measures the reset, not traffic, and a negative
 *   "messages per second" would be nonsense on a chart, so the interval is dropped instead.
 * A zero delta is a real rate of 0 (an idle topic, a consumer with nothing to do).
 */
export function ratePerSecond(prev: CounterReading | undefined, next: CounterReading): number | null {
  if (!prev) return null;
  const intervalMs = next.at - prev.at;
  if (!(intervalMs > 0)) return null;
  const delta = next.value - prev.value;
  if (delta < 0) return null;
  return (delta * 1000) / intervalMs;
}
