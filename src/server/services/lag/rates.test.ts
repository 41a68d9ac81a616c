import { describe, expect, it } from "vitest";
import { ratePerSecond } from "./rates";

describe("ratePerSecond", () => {
  it("has no rate without a previous reading", () => {
    expect(ratePerSecond(undefined, { value: 100, at: 1_000 })).toBeNull();
  });

  it("divides the delta by the interval in seconds", () => {
    expect(ratePerSecond({ value: 100, at: 0 }, { value: 600, at: 5_000 })).toBe(100);
    expect(ratePerSecond({ value: 0, at: 1_000 }, { value: 1, at: 3_000 })).toBe(0.5);
  });

  it("reports an idle counter as 0, not null", () => {
    expect(ratePerSecond({ value: 42, at: 0 }, { value: 42, at: 5_000 })).toBe(0);
  });

  it("drops non-positive intervals", () => {
    expect(ratePerSecond({ value: 0, at: 5_000 }, { value: 10, at: 5_000 })).toBeNull();
    expect(ratePerSecond({ value: 0, at: 5_000 }, { value: 10, at: 4_000 })).toBeNull();
  });

  it("drops a negative delta (a reset), rather than reporting a negative rate", () => {
    expect(ratePerSecond({ value: 1_000, at: 0 }, { value: 10, at: 5_000 })).toBeNull();
  });
});
