import { describe, expect, it } from "vitest";
import { AppError } from "~/server/errors";
import { ConcurrencyLimiter } from "./concurrency";

const limiter = (limit = 2) => new ConcurrencyLimiter(() => limit, (n) => `at most ${n} (MAX_CONCURRENT_SCANS_PER_USER=${n})`);

function refusal(run: () => unknown): AppError {
  try {
    run();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error("expected a refusal");
}

async function* counting(log: string[], items: number[], failAt?: number): AsyncGenerator<number> {
  try {
    for (const item of items) {
      if (item === failAt) throw new Error(`failed at ${item}`);
      yield item;
    }
  } finally {
    log.push("source closed");
  }
}

describe("ConcurrencyLimiter", () => {
  it("refuses beyond the limit per key with TOO_MANY_REQUESTS, and counts keys apart", () => {
    const slots = limiter(2);
    const a1 = slots.acquire("a");
    slots.acquire("a");
    const error = refusal(() => slots.acquire("a"));
    expect(error.code).toBe("TOO_MANY_REQUESTS");
    expect(error.httpStatus).toBe(429);
    expect(error.userMessage).toContain("MAX_CONCURRENT_SCANS_PER_USER=2");
    expect(() => slots.acquire("b")).not.toThrow();
    a1();
    expect(() => slots.acquire("a")).not.toThrow();
  });

  it("releases once even when release is called twice", () => {
    const slots = limiter(2);
    const first = slots.acquire("a");
    slots.acquire("a");
    first();
    first();
    expect(slots.count("a")).toBe(1);
  });

  it("releases after work that throws", async () => {
    const slots = limiter(1);
    await expect(slots.run("a", async () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(slots.count("a")).toBe(0);
    await expect(slots.run("a", async () => 7)).resolves.toBe(7);
    expect(slots.count("a")).toBe(0);
  });

  it("holds a slot while a stream is read and releases it when the stream ends, fails or is cancelled", async () => {
    const slots = limiter(1);
    const log: string[] = [];

    // Nothing is taken before the first read.
    const ended = slots.stream("a", counting(log, [1, 2]));
    expect(slots.count("a")).toBe(0);
    const seen: number[] = [];
    for await (const n of ended) {
      seen.push(n);
      expect(slots.count("a")).toBe(1);
    }
    expect(seen).toEqual([1, 2]);
    expect(slots.count("a")).toBe(0);

    const failing = slots.stream("a", counting(log, [1, 2], 2));
    await expect(async () => {
      for await (const _ of failing) void _;
    }).rejects.toThrow("failed at 2");
    expect(slots.count("a")).toBe(0);

    // A subscription cancelled by the browser: return() while suspended at a yield.
    const cancelled = slots.stream("a", counting(log, [1, 2, 3]));
    expect((await cancelled.next()).value).toBe(1);
    expect(slots.count("a")).toBe(1);
    await cancelled.return(undefined);
    expect(slots.count("a")).toBe(0);
    expect(log).toEqual(["source closed", "source closed", "source closed"]);
  });

  it("refuses a stream beyond the limit without running its source, and closes it", async () => {
    const slots = limiter(1);
    const release = slots.acquire("a");
    const log: string[] = [];
    const refused = slots.stream("a", counting(log, [1]));
    await expect(refused.next()).rejects.toMatchObject({ code: "TOO_MANY_REQUESTS" });
    expect(log).toEqual([]);
    expect(slots.count("a")).toBe(1);
    release();
  });
});
