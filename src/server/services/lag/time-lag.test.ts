import { describe, expect, it } from "vitest";
import { DEFAULT_MAX_POINTS, EndOffsetTable } from "./time-lag";

/** A table from [offset, at] pairs, added in order. */
function tableOf(points: [number, number][], maxPoints?: number): EndOffsetTable {
  const table = new EndOffsetTable(maxPoints);
  for (const [offset, at] of points) table.add({ offset, at });
  return table;
}

describe("EndOffsetTable.add", () => {
  it("keeps points strictly increasing in offset", () => {
    const table = tableOf([
      [100, 1_000],
      [150, 2_000],
      [200, 3_000],
    ]);
    expect(table.points()).toEqual([
      { offset: 100, at: 1_000 },
      { offset: 150, at: 2_000 },
      { offset: 200, at: 3_000 },
    ]);
  });

  it("keeps the earliest time when the end offset has not moved", () => {
    const table = tableOf([
      [100, 1_000],
      [200, 2_000],
      [200, 3_000],
      [200, 4_000],
    ]);
    expect(table.points()).toEqual([
      { offset: 100, at: 1_000 },
      { offset: 200, at: 2_000 },
    ]);
  });

  it("moves a duplicate's time earlier, never later", () => {
    const table = tableOf([
      [200, 2_000],
      [200, 1_500],
    ]);
    expect(table.points()).toEqual([{ offset: 200, at: 1_500 }]);
  });

  it("restarts from a point whose offset went backwards (topic recreated or truncated)", () => {
    const table = tableOf([
      [100, 1_000],
      [200, 2_000],
      [300, 3_000],
      [5, 4_000],
    ]);
    expect(table.points()).toEqual([{ offset: 5, at: 4_000 }]);
    table.add({ offset: 25, at: 5_000 });
    expect(table.points()).toEqual([
      { offset: 5, at: 4_000 },
      { offset: 25, at: 5_000 },
    ]);
  });

  it("evicts the oldest points when full", () => {
    const table = tableOf(
      [
        [10, 1_000],
        [20, 2_000],
        [30, 3_000],
        [40, 4_000],
      ],
      3,
    );
    expect(table.points().map((p) => p.offset)).toEqual([20, 30, 40]);
  });

  it("defaults to DEFAULT_MAX_POINTS points", () => {
    const table = new EndOffsetTable();
    for (let i = 1; i <= DEFAULT_MAX_POINTS + 5; i++) table.add({ offset: i * 10, at: i * 1_000 });
    const points = table.points();
    expect(points).toHaveLength(DEFAULT_MAX_POINTS);
    expect(points[0]).toEqual({ offset: 60, at: 6_000 });
  });

  it("does not let time run backwards when the wall clock steps back", () => {
    const table = tableOf([
      [100, 5_000],
      [200, 4_000],
    ]);
    expect(table.points()).toEqual([
      { offset: 100, at: 5_000 },
      { offset: 200, at: 5_000 },
    ]);
  });

  it("hands out copies", () => {
    const table = tableOf([[100, 1_000]]);
    table.points()[0]!.at = 0;
    expect(table.points()).toEqual([{ offset: 100, at: 1_000 }]);
  });

  it("rejects a size below one", () => {
    expect(() => new EndOffsetTable(0)).toThrow(RangeError);
    expect(() => new EndOffsetTable(2.5)).toThrow(RangeError);
  });
});

describe("EndOffsetTable.estimate", () => {
  // End offset 100 at t=10 s, 200 at t=20 s, 400 at t=30 s.
  const busy = () =>
    tableOf([
      [100, 10_000],
      [200, 20_000],
      [400, 30_000],
    ]);

  it("is unknown without a commit", () => {
    expect(busy().estimate(null, 60_000)).toEqual({ seconds: null, extrapolated: false });
  });

  it("is unknown with an empty table", () => {
    expect(new EndOffsetTable().estimate(100, 60_000)).toEqual({ seconds: null, extrapolated: false });
  });

  it("is 0 when the commit reached the newest end offset", () => {
    expect(busy().estimate(400, 60_000)).toEqual({ seconds: 0, extrapolated: false });
  });

  it("is 0 when the commit is ahead of the newest end offset", () => {
    expect(busy().estimate(450, 60_000)).toEqual({ seconds: 0, extrapolated: false });
  });

  it("uses a point's time exactly when the commit equals its offset", () => {
    expect(busy().estimate(100, 60_000)).toEqual({ seconds: 50, extrapolated: false });
    expect(busy().estimate(200, 60_000)).toEqual({ seconds: 40, extrapolated: false });
  });

  it("interpolates linearly between the bracketing points", () => {
    // 150 is halfway from 100 (10 s) to 200 (20 s): 15 s, so 45 s ago at t=60 s.
    expect(busy().estimate(150, 60_000)).toEqual({ seconds: 45, extrapolated: false });
    // 250 is a quarter of the way from 200 (20 s) to 400 (30 s): 22.5 s, so 37.5 s ago.
    expect(busy().estimate(250, 60_000)).toEqual({ seconds: 37.5, extrapolated: false });
    expect(busy().estimate(399, 60_000).seconds).toBeCloseTo(30.05, 10);
  });

  it("extrapolates below the first point at the table's average pace, and says so", () => {
    // From 100 @ 10 s to 400 @ 30 s: 20 s per 300 offsets. Offset 40 is 60 offsets (4 s) before
    // the first point: 6 s, so 54 s ago at t=60 s.
    expect(busy().estimate(40, 60_000)).toEqual({ seconds: 54, extrapolated: true });
  });

  it("clamps an extrapolated time that would lie in the future to 0 seconds", () => {
    // The caller's clock is behind the table's (now earlier than the first point).
    expect(busy().estimate(90, 5_000)).toEqual({ seconds: 0, extrapolated: true });
  });

  it("never reports negative seconds when now is before the bracketing points", () => {
    expect(busy().estimate(150, 12_000)).toEqual({ seconds: 0, extrapolated: false });
  });

  it("answers at least the age of a single point when the commit is below it (flat table)", () => {
    // An idle partition: the end has stayed at 500 since t=10 s, however many samples saw it.
    const flat = tableOf([
      [500, 10_000],
      [500, 20_000],
      [500, 30_000],
    ]);
    expect(flat.points()).toHaveLength(1);
    expect(flat.estimate(300, 70_000)).toEqual({ seconds: 60, extrapolated: true });
    expect(flat.estimate(500, 70_000)).toEqual({ seconds: 0, extrapolated: false });
  });

  it("handles a single point added once", () => {
    const single = tableOf([[500, 10_000]]);
    expect(single.estimate(0, 15_000)).toEqual({ seconds: 5, extrapolated: true });
    expect(single.estimate(600, 15_000)).toEqual({ seconds: 0, extrapolated: false });
  });

  it("extrapolates after eviction dropped the bracketing points", () => {
    const table = tableOf(
      [
        [100, 10_000],
        [200, 20_000],
        [300, 30_000],
      ],
      2,
    );
    // Only 200 @ 20 s and 300 @ 30 s remain; 150 was interpolable before eviction (15 s) and is
    // now extrapolated at the same pace, to the same time.
    expect(table.estimate(150, 60_000)).toEqual({ seconds: 45, extrapolated: true });
  });

  it("estimates against the restarted table after a reset", () => {
    const table = tableOf([
      [1_000, 10_000],
      [2_000, 20_000],
      [10, 30_000],
      [110, 40_000],
    ]);
    expect(table.estimate(60, 50_000)).toEqual({ seconds: 15, extrapolated: false });
  });
});
