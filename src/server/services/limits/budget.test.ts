import { describe, expect, it } from "vitest";
import { ScanBudget } from "./budget";

describe("ScanBudget", () => {
  it("lets a scan read exactly maxRecords records, then names SCAN_MAX_RECORDS", () => {
    const budget = new ScanBudget({ maxRecords: 3, maxMs: 60_000, now: () => 0 });
    expect(budget.spend()).toBe(true);
    expect(budget.spend()).toBe(true);
    expect(budget.spend()).toBe(false);
    expect(budget.stop).toMatchObject({ reason: "records", limit: 3, variable: "SCAN_MAX_RECORDS" });
    expect(budget.stop!.message).toContain("SCAN_MAX_RECORDS=3");
    expect(budget.check()).toBe(false);
  });

  it("stops on the clock with SCAN_MAX_MS, even between records", () => {
    let now = 1_000;
    const budget = new ScanBudget({ maxRecords: 1_000_000, maxMs: 30_000, now: () => now });
    expect(budget.spend(10)).toBe(true);
    now += 29_999;
    expect(budget.check()).toBe(true);
    now += 1;
    expect(budget.check()).toBe(false);
    expect(budget.stop).toMatchObject({ reason: "time", limit: 30_000, variable: "SCAN_MAX_MS" });
    expect(budget.stop!.message).toBe("Stopped after 30 s, the longest one scan may run (SCAN_MAX_MS=30000).");
  });

  it("keeps the first reason once stopped", () => {
    let now = 0;
    const budget = new ScanBudget({ maxRecords: 1, maxMs: 10, now: () => now });
    budget.spend();
    now = 100;
    budget.check();
    expect(budget.stop?.reason).toBe("records");
  });
});
