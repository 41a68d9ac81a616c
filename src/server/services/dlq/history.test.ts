import { describe, expect, it } from "vitest";
import { dlqDepthSeries } from "./history";

const counts = (arrivedBefore: number, resolvedBefore: number, arrivals: [number, number][], resolutions: [number, number][]) => ({
  arrivedBefore,
  resolvedBefore,
  arrivals: new Map(arrivals),
  resolutions: new Map(resolutions),
});

describe("dlqDepthSeries", () => {
  it("starts from what was open before the range and adds arrivals minus resolutions per bucket", () => {
    // 10 arrived and 4 were resolved before 1,000; buckets of 1,000 ms up to 4,500.
    const series = dlqDepthSeries(counts(10, 4, [[1_000, 3], [3_000, 6]], [[2_000, 5], [4_000, 1]]), 1_000, 4_500, 1_000);
    expect(series.map((p) => [p.at, p.depth])).toEqual([
      [2_000, 9],
      [3_000, 4],
      [4_000, 10],
      [4_500, 9],
    ]);
  });

  it("gives the inflow per minute of each bucket", () => {
    const series = dlqDepthSeries(counts(0, 0, [[0, 30]], []), 0, 60_000, 30_000);
    expect(series.map((p) => p.inflowPerMin)).toEqual([60, 0]);
  });

  it("never goes below zero", () => {
    expect(dlqDepthSeries(counts(1, 0, [], [[0, 3]]), 0, 2_000, 1_000).map((p) => p.depth)).toEqual([0, 0]);
  });
});
