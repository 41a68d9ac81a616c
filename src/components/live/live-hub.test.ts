import { describe, expect, it } from "vitest";
import { concernsCluster, RETRY_MAX_MS, RETRY_MIN_MS, retryDelay, type LiveEvent } from "./live-hub";

describe("retryDelay", () => {
  it("doubles from the minimum with each failure in a row, up to the cap", () => {
    expect(retryDelay(1)).toBe(RETRY_MIN_MS);
    expect(retryDelay(2)).toBe(RETRY_MIN_MS * 2);
    expect(retryDelay(3)).toBe(RETRY_MIN_MS * 4);
    expect(retryDelay(50)).toBe(RETRY_MAX_MS);
  });
});

describe("concernsCluster", () => {
  it("gives a cluster's page its own cluster's events and those of no cluster; a global page hears all", () => {
    const sample = (cluster: string) => ({ kind: "sample", takenAt: 1, cluster }) as unknown as LiveEvent;
    expect(concernsCluster(sample("prod"), "prod")).toBe(true);
    expect(concernsCluster(sample("dev"), "prod")).toBe(false);
    expect(concernsCluster({ kind: "job", id: 3 }, "prod")).toBe(true);
    expect(concernsCluster({ kind: "resync", since: 0 }, "prod")).toBe(true);
    expect(concernsCluster(sample("dev"), null)).toBe(true);
  });
});
