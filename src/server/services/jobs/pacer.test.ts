import { describe, expect, it } from "vitest";
import { Pacer } from "./pacer";

describe("Pacer", () => {
  it("spaces records by 1/rate with no burst: 100 at 20/s take 4.95 s", async () => {
    let now = 0;
    const pacer = new Pacer(20, () => now);
    expect(pacer.delayFor(1)).toBe(0);
    expect(pacer.delayFor(100)).toBeCloseTo(4950);
    expect(pacer.batchSize(1000)).toBe(5);
    await pacer.acquire(5);
    now = 100;
    expect(pacer.delayFor(5)).toBeCloseTo(350);
  });

  it("never waits without a rate limit", () => {
    const pacer = new Pacer(null, () => 0);
    expect(pacer.delayFor(1_000_000)).toBe(0);
    expect(pacer.batchSize(500)).toBe(500);
  });

  it("stops waiting when aborted", async () => {
    const pacer = new Pacer(1, () => performance.now());
    await pacer.acquire(1);
    const controller = new AbortController();
    const t0 = performance.now();
    setTimeout(() => controller.abort(), 20);
    expect(await pacer.acquire(1, controller.signal)).toBe(false);
    expect(performance.now() - t0).toBeLessThan(900);
  });

  it("queues writers that acquire at the same moment one behind the other (a job's writers run side by side)", async () => {
    let now = 0;
    const pacer = new Pacer(10, () => now);
    const first = pacer.acquire(1);
    const second = pacer.acquire(1);
    // Both took their slots (0 and 1) before waiting: the next record's slot is 2, 200 ms in.
    expect(pacer.delayFor(1)).toBeCloseTo(200);
    now = 1_000;
    expect(await Promise.all([first, second])).toEqual([true, true]);
  });
});
