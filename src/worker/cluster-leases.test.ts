import { describe, expect, it } from "vitest";
import type { ClusterConnectionConfig } from "~/server/broker";
import { clusterLeaseKey, connectionFingerprint, LeaseBudget, leaseShare, planClusterLoops } from "./cluster-leases";

const cluster = (name: string, brokers = ["127.0.0.1:9092"]): ClusterConnectionConfig => ({ name, brokers, clientId: "signalbox", ssl: false, connectionTimeoutMs: 3000 });

describe("per-cluster lease keys", () => {
  it("are the same for the same loop and cluster, and differ across loops and clusters", () => {
    expect(clusterLeaseKey("sampler", "eu")).toBe(clusterLeaseKey("sampler", "eu"));
    const keys = new Set(["sampler", "producer-sampler", "conformance", "dlq-index"].flatMap((loop) => ["eu", "us", "integration", "default"].map((c) => clusterLeaseKey(loop, c))));
    expect(keys.size).toBe(16);
    // The separator keeps "ab"+"c" and "a"+"bc" apart.
    expect(clusterLeaseKey("ab", "c")).not.toBe(clusterLeaseKey("a", "bc"));
  });

  it("stay clear of job locks and within PostgreSQL's bigint and JavaScript's exact integers", () => {
    const key = clusterLeaseKey("sampler", "eu");
    expect(key).toBeGreaterThanOrEqual(0x5b0d_0000_0000);
    expect(key).toBeLessThan(0x5b0e_0000_0000);
    expect(Number.isSafeInteger(key)).toBe(true);
  });
});

describe("lease share", () => {
  it("splits clusters evenly among live workers, rounding up, and a lone (or not yet counted) worker takes all", () => {
    expect(leaseShare(3, 1)).toBe(3);
    expect(leaseShare(3, 0)).toBe(3);
    expect(leaseShare(3, 2)).toBe(2);
    expect(leaseShare(3, 3)).toBe(1);
    expect(leaseShare(3, 5)).toBe(1);
    expect(leaseShare(4, 2)).toBe(2);
    expect(leaseShare(0, 2)).toBe(0);
  });

  it("hands over exactly the excess when the share shrinks, and takes again once it grows", () => {
    const budget = new LeaseBudget(3);
    for (let i = 0; i < 3; i += 1) {
      expect(budget.mayTake()).toBe(true);
      budget.took();
    }
    expect(budget.mayTake()).toBe(false);
    // A second worker came up: three loops each ask after their round; one hands over.
    budget.share = leaseShare(3, 2);
    expect([budget.handOver(), budget.handOver(), budget.handOver()]).toEqual([true, false, false]);
    expect(budget.held).toBe(2);
    expect(budget.mayTake()).toBe(false);
    // The other worker died: this one may take the freed lease.
    budget.share = leaseShare(3, 1);
    expect(budget.mayTake()).toBe(true);
    budget.gave();
    budget.gave();
    budget.gave();
    expect(budget.held).toBe(0);
  });
});

describe("planning the clusters' loops", () => {
  it("starts new clusters, stops removed ones, restarts a cluster whose connection changed, and leaves the rest", () => {
    const eu = cluster("eu");
    const us = cluster("us");
    const running = new Map([
      ["eu", connectionFingerprint(eu)],
      ["us", connectionFingerprint(us)],
      ["gone", connectionFingerprint(cluster("gone"))],
    ]);
    const moved = cluster("us", ["10.0.0.1:9092"]);
    const plan = planClusterLoops(running, [eu, moved, cluster("new")]);
    expect(plan.stop.sort()).toEqual(["gone", "us"]);
    expect(plan.start.map((c) => c.name).sort()).toEqual(["new", "us"]);
    expect(planClusterLoops(running, [eu, us, cluster("gone")])).toEqual({ start: [], stop: [] });
  });
});
