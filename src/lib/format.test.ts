import { describe, expect, it } from "vitest";
import { formatAge, formatBytes, formatCount } from "./format";

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
