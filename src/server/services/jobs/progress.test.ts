import { describe, expect, it } from "vitest";
import { eta, ProgressMeter } from "./progress";

describe("ProgressMeter", () => {
  it("derives the write rate and the time left from the dry run's count", () => {
    const meter = new ProgressMeter(10_000);
    const base = { read: 0, matched: 0, written: 0, toRead: 1000, expected: 500 };
    expect(meter.measure(base, 0).ratePerSec).toBeNull();
    const p = meter.measure({ ...base, read: 200, matched: 100, written: 100 }, 2000);
    expect(p.ratePerSec).toBe(50);
    expect(p.etaSeconds).toBe(8);
  });

  it("falls back to the read rate, and says nothing when it cannot know", () => {
    expect(eta({ read: 100, written: 0, expected: null, toRead: 300 }, 0, 50)).toBe(4);
    expect(eta({ read: 100, written: 0, expected: null, toRead: null }, 10, 50)).toBeNull();
  });
});
