import { describe, expect, it } from "vitest";
import { formatAge, formatBytes, formatCount, formatMs } from "./format";

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

describe("formatBytes", () => {
  it("uses binary units, with more digits for small gibibytes", () => {
    expect(formatBytes(512)).toBe("512 B");
    expect(formatBytes(1536)).toBe("1.5 KiB");
    expect(formatBytes(20 * 1024 * 1024)).toBe("20.0 MiB");
    expect(formatBytes(3.21 * 1024 ** 3)).toBe("3.21 GiB");
    expect(formatBytes(null)).toBe("—");
  });
});

describe("formatMs", () => {
  it("says milliseconds below a second, one decimal below ten seconds, then minutes", () => {
    expect([formatMs(85.4), formatMs(1000), formatMs(1234), formatMs(14_000), formatMs(125_000), formatMs(null)]).toEqual(["85 ms", "1 s", "1.2 s", "14 s", "2 m 5 s", "—"]);
  });
});
