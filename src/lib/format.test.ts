import { describe, expect, it } from "vitest";
import { formatAge, formatCount } from "./format";

describe("formatAge", () => {
  it("picks a coarse unit", () => {
    expect(formatAge(-5)).toBe("0 s");
    expect(formatAge(4_400)).toBe("4 s");
    expect(formatAge(3 * 60_000)).toBe("3 min");
    expect(formatAge(2 * 3_600_000)).toBe("2 h");
    expect(formatAge(5 * 86_400_000)).toBe("5 d");
  });
});

describe("formatCount", () => {
  it("groups thousands", () => {
    expect(formatCount(12345)).toBe("12,345");
  });
});
