import { describe, expect, it } from "vitest";
import { AppError } from "~/server/errors";
import { createExpensiveCallLimiter, createSignInRateLimiter, TokenBuckets } from "./rate-limit";

function refusal(run: () => unknown): AppError {
  try {
    run();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error("expected a refusal");
}

describe("TokenBuckets", () => {
  it("allows a burst of `capacity`, then refills evenly with the injected clock", () => {
    let now = 0;
    const buckets = new TokenBuckets({ capacity: 3, refillMs: 3_000, now: () => now });
    expect([buckets.take("u"), buckets.take("u"), buckets.take("u")].every((r) => r.ok)).toBe(true);
    expect(buckets.take("u")).toEqual({ ok: false, retryAfterMs: 1_000 });
    now = 500;
    expect(buckets.take("u")).toEqual({ ok: false, retryAfterMs: 500 });
    now = 1_000;
    expect(buckets.take("u").ok).toBe(true);
    expect(buckets.take("u").ok).toBe(false);
    // A long pause refills to capacity, never beyond.
    now = 1_000_000;
    expect([1, 2, 3].map(() => buckets.take("u").ok)).toEqual([true, true, true]);
    expect(buckets.take("u").ok).toBe(false);
  });

  it("keeps keys apart, and takes from all keys or from none", () => {
    const buckets = new TokenBuckets({ capacity: 1, refillMs: 60_000, now: () => 0 });
    expect(buckets.take("a").ok).toBe(true);
    expect(buckets.take("b").ok).toBe(true);
    expect(buckets.takeAll(["a", "c"]).ok).toBe(false);
    // "c" was not charged for the refused attempt.
    expect(buckets.take("c").ok).toBe(true);
  });

  it("forgets full buckets once it tracks too many keys", () => {
    let now = 0;
    const buckets = new TokenBuckets({ capacity: 1, refillMs: 1_000, now: () => now, maxKeys: 2 });
    buckets.take("a");
    buckets.take("b");
    expect(buckets.trackedKeys).toBe(2);
    now = 5_000;
    buckets.take("c");
    // "a" and "b" were full again and dropped; only "c" is remembered, and "a" behaves as before.
    expect(buckets.trackedKeys).toBe(1);
    expect(buckets.take("c").ok).toBe(false);
    expect(buckets.take("a").ok).toBe(true);
  });
});

describe("createExpensiveCallLimiter", () => {
  it("refuses with TOO_MANY_REQUESTS naming the procedure, the limit and RATE_LIMIT_EXPENSIVE_PER_MINUTE", () => {
    let now = 0;
    const check = createExpensiveCallLimiter({ perMinute: 2, now: () => now });
    check("ann", "messages.scan");
    check("ann", "messages.trace");
    const error = refusal(() => check("ann", "replay.dryRun"));
    expect(error.code).toBe("TOO_MANY_REQUESTS");
    expect(error.userMessage).toBe("Too many expensive requests (replay.dryRun): at most 2 a minute per user (RATE_LIMIT_EXPENSIVE_PER_MINUTE=2). Try again in 30 s.");
    expect(() => check("bob", "messages.scan")).not.toThrow();
    now = 30_000;
    expect(() => check("ann", "messages.scan")).not.toThrow();
  });
});

describe("createSignInRateLimiter", () => {
  const options = { maxAttempts: 3, windowMs: 5 * 60_000 };

  it("limits attempts per account, from any address, case-insensitively", () => {
    const attempt = createSignInRateLimiter({ ...options, now: () => 0 });
    attempt({ account: "ann@x.io", address: "10.0.0.1" });
    attempt({ account: "Ann@X.io", address: "10.0.0.2" });
    attempt({ account: " ann@x.io", address: "10.0.0.3" });
    const error = refusal(() => attempt({ account: "ann@x.io", address: "10.0.0.4" }));
    expect(error.code).toBe("TOO_MANY_REQUESTS");
    expect(error.httpStatus).toBe(429);
    expect(error.userMessage).toContain("SIGN_IN_MAX_ATTEMPTS=3");
    expect(error.userMessage).toContain("SIGN_IN_WINDOW_MS=300000");
    expect(error.userMessage).toContain("in 5 min");
    // Another account from a fresh address is not affected.
    expect(() => attempt({ account: "bob@x.io", address: "10.0.0.9" })).not.toThrow();
  });

  it("limits attempts per address, over any accounts", () => {
    const attempt = createSignInRateLimiter({ ...options, now: () => 0 });
    for (const account of ["a", "b", "c"]) attempt({ account, address: "192.0.2.7" });
    expect(() => attempt({ account: "d", address: "192.0.2.7" })).toThrow(AppError);
    // The refused attempt did not charge account "d".
    expect(() => attempt({ account: "d", address: "192.0.2.8" })).not.toThrow();
  });

  it("allows attempts again as the window refills", () => {
    let now = 0;
    const attempt = createSignInRateLimiter({ ...options, now: () => now });
    for (let i = 0; i < 3; i += 1) attempt({ account: "ann", address: "a" });
    expect(() => attempt({ account: "ann", address: "a" })).toThrow(AppError);
    now = 100_000; // one attempt's worth: 5 min / 3
    expect(() => attempt({ account: "ann", address: "a" })).not.toThrow();
    expect(() => attempt({ account: "ann", address: "a" })).toThrow(AppError);
  });
});
