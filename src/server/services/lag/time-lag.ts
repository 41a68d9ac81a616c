// Lag in seconds, estimated the way kafka-lag-exporter does: remember when each partition's log-end
// offset reached which value, and look the group's committed offset up in that table. "The end of
// the log was where you are now N seconds ago" is the consumer's lag in time. Brokers do not tell us
// when a record was produced without fetching it, so this needs no record reads at all.

import type { EndOffsetPoint, TimeLagEstimate } from "./types";

/** Default table size: at one sample every 5 s, 60 points span five minutes of a busy partition. */
export const DEFAULT_MAX_POINTS = 60;

/**
 * One partition's (end offset, time) table, oldest first. Offsets are strictly increasing and times
 * non-decreasing, so it can be searched and interpolated. Bounded: the oldest points are evicted.
 * An idle partition adds no points (see add()), so the table spans however long the points last.
 */
export class EndOffsetTable {
  private table: EndOffsetPoint[] = [];

  constructor(readonly maxPoints: number = DEFAULT_MAX_POINTS) {
    if (!Number.isInteger(maxPoints) || maxPoints < 1) throw new RangeError(`maxPoints must be a positive integer, got ${maxPoints}`);
  }

  /**
   * Records that the partition's end offset was `point.offset` at `point.at` (epoch ms).
   * - Same offset as the last point: nothing was produced since, so the point is not added and the
   *   last point keeps the EARLIEST time the offset was seen. Every record below offset X was
   *   produced before the first moment the end was seen at X, so that moment is the right time for
   *   "the end was X"; later sightings of the same end only say the partition was idle. (For
   *   committed offsets between X and the next point, interpolating from the earliest sighting
   *   makes the records look older than they are: the estimate errs towards more lag, never less.)
   * - Smaller offset than the last point: the log went backwards (topic deleted and recreated, or
   *   truncated). The old points describe a log that no longer exists, so the table restarts from
   *   this point.
   * - Larger offset: appended; when the table is full the oldest point is evicted.
   * A time earlier than the last point's (the wall clock stepped back) is raised to the last point's
   * time, so times never decrease and interpolation never runs backwards.
   */
  add(point: EndOffsetPoint): void {
    const last = this.table.at(-1);
    if (!last) {
      this.table.push({ ...point });
      return;
    }
    if (point.offset === last.offset) {
      last.at = Math.min(last.at, point.at);
      return;
    }
    if (point.offset < last.offset) {
      this.table = [{ ...point }];
      return;
    }
    this.table.push({ offset: point.offset, at: Math.max(point.at, last.at) });
    while (this.table.length > this.maxPoints) this.table.shift();
  }

  /** The table's points, oldest first (copies: the table cannot be changed through them). */
  points(): EndOffsetPoint[] {
    return this.table.map((p) => ({ ...p }));
  }

  /**
   * How long ago, in seconds at `now` (epoch ms), the log end was at `committed`.
   * - No commit, or an empty table: unknown (seconds null).
   * - committed at or past the newest point's offset: the consumer has read everything the table
   *   knows of, so 0 seconds.
   * - committed between two points: linear interpolation of the time between them, assuming records
   *   were produced at an even pace in between. Exact when committed is a point's offset.
   * - committed below the first point (the points that would bracket it were evicted, or the table
   *   started after the consumer fell behind), extrapolated=true:
   *   - with two or more points, the table's average pace (first to last point) is carried
   *     backwards from the first point;
   *   - with a single point, nothing is known about the pace, so the answer is the time since that
   *     point: the records are at least that old, a lower bound.
   * The estimated time is never later than `now`, so seconds are never negative.
   */
  estimate(committed: number | null, now: number): TimeLagEstimate {
    const first = this.table[0];
    const last = this.table.at(-1);
    if (committed === null || !first || !last) return { seconds: null, extrapolated: false };
    if (committed >= last.offset) return { seconds: 0, extrapolated: false };

    if (committed < first.offset) {
      if (first === last) return { seconds: secondsSince(first.at, now), extrapolated: true };
      const msPerOffset = (last.at - first.at) / (last.offset - first.offset);
      return { seconds: secondsSince(first.at - (first.offset - committed) * msPerOffset, now), extrapolated: true };
    }

    // first.offset <= committed < last.offset: find the last point at or below committed. The table
    // is small (DEFAULT_MAX_POINTS), so a linear scan from the newest end is plenty.
    let i = this.table.length - 2;
    while (this.table[i]!.offset > committed) i--;
    const lo = this.table[i]!;
    const hi = this.table[i + 1]!;
    const at = lo.at + ((committed - lo.offset) / (hi.offset - lo.offset)) * (hi.at - lo.at);
    return { seconds: secondsSince(at, now), extrapolated: false };
  }
}

/** Seconds from `at` to `now`, clamped at 0 so an estimated time never lies in the future. */
function secondsSince(at: number, now: number): number {
  return Math.max(0, now - at) / 1000;
}
