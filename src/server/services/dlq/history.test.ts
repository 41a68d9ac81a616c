import { describe, expect, it } from "vitest";
import { dlqDepthSeries } from "./history";

describe("dlqDepthSeries", () => {
  const points = [
    { at: 1_000, endOffset: 10, rate: null },
    { at: 2_000, endOffset: 14, rate: 4 },
    { at: 3_000, endOffset: 14, rate: 0 },
    { at: 4_000, endOffset: 20, rate: 6 },
  ];

  it("is what the topic held minus what was resolved by each point, with the inflow beside it", () => {
    // Two resolved between the 2nd and 3rd point, one exactly at the 4th, one after the last.
    const series = dlqDepthSeries(points, 0, [2_500, 2_600, 4_000, 9_000]);
    expect(series).toEqual([
      { at: 1_000, depth: 10, inflow: null },
      { at: 2_000, depth: 14, inflow: 4 },
      { at: 3_000, depth: 12, inflow: 0 },
      { at: 4_000, depth: 17, inflow: 6 },
    ]);
  });

  it("does not count records retention deleted, and never goes below zero", () => {
    expect(dlqDepthSeries(points, 10, []).map((p) => p.depth)).toEqual([0, 4, 4, 10]);
    expect(dlqDepthSeries(points.slice(0, 1), 8, [1, 2, 3]).map((p) => p.depth)).toEqual([0]);
  });
});
