import { describe, expect, it, vi } from "vitest";
import type { ClusterConnectionConfig, ReplicaState } from "~/server/broker";
import type { LagSnapshot } from "~/server/services/lag/types";
import { REPLICAS_FRESH_MS, REPLICAS_SERVED_MS, ReplicaCache, ScrapeSnapshots } from "./scrape-cache";

const cluster = { name: "prod" } as ClusterConnectionConfig;
const state = (leader: number): ReplicaState => ({ brokers: [{ nodeId: 1, host: "b", port: 9092 }], partitions: [{ topic: "t", partition: 0, leader, replicas: [1], isr: [1] }] });

describe("the replica state kept between scrapes", () => {
  it("reads once, serves the kept answer while it is fresh, then re-reads in the background", async () => {
    let now = 0;
    let leader = 1;
    const read = vi.fn(async () => state(leader));
    const cache = new ReplicaCache(read, () => now);
    expect(await cache.get(cluster)).toEqual(state(1));
    now = REPLICAS_FRESH_MS - 1;
    leader = 2;
    expect(await cache.get(cluster)).toEqual(state(1));
    expect(read).toHaveBeenCalledTimes(1);
    // Aged: the kept answer now, the new one once the background read is done.
    now = REPLICAS_FRESH_MS + 1;
    expect(await cache.get(cluster)).toEqual(state(1));
    expect(read).toHaveBeenCalledTimes(2);
    await vi.waitFor(async () => expect(await cache.get(cluster)).toEqual(state(2)));
  });

  it("waits for a new read when what it kept is too old, and leaves the families out after a failed read", async () => {
    let now = 0;
    let fail = false;
    const cache = new ReplicaCache(async () => {
      if (fail) throw new Error("broker down");
      return state(1);
    }, () => now);
    expect(await cache.get(cluster)).toEqual(state(1));
    now = REPLICAS_SERVED_MS + 1;
    fail = true;
    expect(await cache.get(cluster)).toBeUndefined();
    // Not served older after the failure: the next aged scrape reads again.
    fail = false;
    now += REPLICAS_SERVED_MS + 1;
    expect(await cache.get(cluster)).toEqual(state(1));
  });
});

describe("the snapshot a scrape renders", () => {
  const snapshot = (takenAt: number) => ({ takenAt }) as LagSnapshot;
  /** The process's newest snapshot (what latestSnapshot waits for) and whether a newer one is loading. */
  function scraping() {
    const process = { newest: snapshot(1), loading: false };
    const latest = vi.fn(async () => process.newest);
    return { process, latest, snapshots: new ScrapeSnapshots(latest, () => process.loading) };
  }

  it("is the newest when its families are rendered and nothing newer is on the way", async () => {
    const { process, latest, snapshots } = scraping();
    expect(await snapshots.get("prod")).toBe(process.newest);
    snapshots.renderedNow("prod", process.newest);
    expect(await snapshots.get("prod")).toBe(process.newest);
    expect(latest).toHaveBeenCalledTimes(2);
  });

  it("is the one rendered before, without waiting, while a newer one loads and then renders", async () => {
    const { process, latest, snapshots } = scraping();
    const first = process.newest;
    snapshots.renderedNow("prod", first);
    process.loading = true;
    expect(await snapshots.get("prod")).toBe(first);
    process.loading = false;
    process.newest = snapshot(2);
    snapshots.arrived("prod", process.newest);
    expect(await snapshots.get("prod")).toBe(first);
    expect(latest).not.toHaveBeenCalled();
    snapshots.renderedNow("prod", process.newest);
    expect(await snapshots.get("prod")).toBe(process.newest);
  });

  it("never goes back to an older snapshot, and waits for the newest once prerendering stopped", async () => {
    const { process, latest, snapshots } = scraping();
    process.newest = snapshot(2);
    snapshots.renderedNow("prod", process.newest);
    snapshots.renderedNow("prod", snapshot(1));
    process.loading = true;
    expect(await snapshots.get("prod")).toBe(process.newest);
    // Nobody scraped for a while: what was rendered may be many samples behind.
    snapshots.forget("prod");
    expect(await snapshots.get("prod")).toBe(process.newest);
    expect(latest).toHaveBeenCalledTimes(1);
  });
});
