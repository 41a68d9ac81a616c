import { describe, expect, it } from "vitest";
import { sparklinePath } from "./sparkline";

/** The points a path passes through: its M and each curve's end point. */
function endpoints(path: string): [number, number][] {
  const numbers = (path.match(/-?\d+(\.\d+)?(e-?\d+)?/g) ?? []).map(Number);
  const first: [number, number] = [numbers[0]!, numbers[1]!];
  const ends: [number, number][] = [first];
  // After the M, each C has six numbers; its end point is the last two.
  for (let i = 2; i + 5 < numbers.length; i += 6) ends.push([numbers[i + 4]!, numbers[i + 5]!]);
  return ends;
}

describe("sparklinePath", () => {
  it("runs from the left margin to the right, with zero at the bottom and the largest value at the top", () => {
    const points = endpoints(sparklinePath([0, 5, 10], 110, 26));
    expect(points).toHaveLength(3);
    expect(points[0]).toEqual([2, 23]);
    expect(points[1]![0]).toBeCloseTo(55);
    expect(points[1]![1]).toBeCloseTo(13);
    expect(points[2]).toEqual([108, 3]);
  });

  it("draws flat values across the middle, not along an edge", () => {
    const points = endpoints(sparklinePath([4, 4, 4, 4], 110, 26));
    expect(points.map(([, y]) => y)).toEqual([13, 13, 13, 13]);
  });

  it("keeps negative values inside the box", () => {
    const ys = endpoints(sparklinePath([-5, 0, 5], 110, 26)).map(([, y]) => y);
    expect(Math.max(...ys)).toBeLessThanOrEqual(23);
    expect(Math.min(...ys)).toBeGreaterThanOrEqual(3);
  });
});
