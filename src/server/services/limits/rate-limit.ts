// Token buckets per key: each key may spend `capacity` tokens in a burst, refilled evenly over
// `refillMs`. Used for expensive procedures (per user) and sign-in attempts (per account and per
// client address). Buckets live in this process's memory: with several web processes, each one
// enforces its limits on its own, so the effective limit is that many times higher.
import { getEnv } from "~/env";
import { AppError } from "~/server/errors";

export interface TokenBucketOptions {
  /** Tokens a full bucket holds: the largest burst. */
  capacity: number;
  /** Time to refill an empty bucket completely. */
  refillMs: number;
  /** The clock; tests pass their own. */
  now?: () => number;
  /** Above this many tracked keys, full buckets are forgotten (a full bucket is the same as none). */
  maxKeys?: number;
}

export type TakeResult = { ok: true } | { ok: false; retryAfterMs: number };

interface Bucket {
  tokens: number;
  at: number;
}

export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();
  private readonly now: () => number;

  constructor(private readonly options: TokenBucketOptions) {
    this.now = options.now ?? Date.now;
  }

  private level(key: string, now: number): number {
    const bucket = this.buckets.get(key);
    if (!bucket) return this.options.capacity;
    const refilled = ((now - bucket.at) / this.options.refillMs) * this.options.capacity;
    return Math.min(this.options.capacity, bucket.tokens + refilled);
  }

  /** Takes one token from every key, or from none when any of them is empty (then: how long until all have one). */
  takeAll(keys: string[]): TakeResult {
    const now = this.now();
    const levels = keys.map((key) => this.level(key, now));
    const short = Math.max(0, ...levels.map((tokens) => 1 - tokens));
    if (short > 0) return { ok: false, retryAfterMs: Math.ceil((short / this.options.capacity) * this.options.refillMs) };
    keys.forEach((key, i) => this.buckets.set(key, { tokens: levels[i]! - 1, at: now }));
    this.prune(now);
    return { ok: true };
  }

  take(key: string): TakeResult {
    return this.takeAll([key]);
  }

  /** Keys with a bucket in memory (the rest are full). */
  get trackedKeys(): number {
    return this.buckets.size;
  }

  private prune(now: number): void {
    if (this.buckets.size <= (this.options.maxKeys ?? 10_000)) return;
    for (const key of [...this.buckets.keys()]) if (this.level(key, now) >= this.options.capacity) this.buckets.delete(key);
  }
}

function retryIn(ms: number): string {
  return ms < 1000 ? "in a second" : `in ${Math.ceil(ms / 1000)} s`;
}

/** A checker for expensive procedures: `perMinute` calls per user per minute, bursts up to the same number. */
export function createExpensiveCallLimiter(options: { perMinute: number; now?: () => number }): (userKey: string, procedure: string) => void {
  const buckets = new TokenBuckets({ capacity: options.perMinute, refillMs: 60_000, now: options.now });
  return (userKey, procedure) => {
    const result = buckets.take(userKey);
    if (!result.ok) {
      throw new AppError(
        "TOO_MANY_REQUESTS",
        `Too many expensive requests (${procedure}): at most ${options.perMinute} a minute per user (RATE_LIMIT_EXPENSIVE_PER_MINUTE=${options.perMinute}). Try again ${retryIn(result.retryAfterMs)}.`,
      );
    }
  };
}

let expensiveCalls: ((userKey: string, procedure: string) => void) | undefined;

/** Spends one of the user's expensive calls (scan, trace, replay, redrive, schema check), or refuses with TOO_MANY_REQUESTS. */
export function assertExpensiveCallAllowed(userKey: string, procedure: string): void {
  expensiveCalls ??= createExpensiveCallLimiter({ perMinute: getEnv().RATE_LIMIT_EXPENSIVE_PER_MINUTE });
  expensiveCalls(userKey, procedure);
}

export interface SignInAttempt {
  /** The account name or email typed in. */
  account: string;
  /** The client's address (e.g. from the proxy's X-Forwarded-For), or "unknown". */
  address: string;
}

/**
 * A checker for sign-in attempts: `maxAttempts` per account and, separately, per client address
 * within `windowMs`, so neither guessing one account's password from many addresses nor many
 * accounts' passwords from one address gets far. Every attempt counts, successful or not.
 */
export function createSignInRateLimiter(options: { maxAttempts: number; windowMs: number; now?: () => number }): (attempt: SignInAttempt) => void {
  const buckets = new TokenBuckets({ capacity: options.maxAttempts, refillMs: options.windowMs, now: options.now });
  return (attempt) => {
    // Accounts are matched case-insensitively at sign-in, so "Admin@x" must not get its own bucket.
    const result = buckets.takeAll([`account:${attempt.account.trim().toLowerCase()}`, `address:${attempt.address}`]);
    if (!result.ok) {
      const minutes = Math.round(options.windowMs / 60_000);
      throw new AppError(
        "TOO_MANY_REQUESTS",
        `Too many sign-in attempts: at most ${options.maxAttempts} per account and per address in ${minutes >= 1 ? `${minutes} min` : `${options.windowMs} ms`} (SIGN_IN_MAX_ATTEMPTS=${options.maxAttempts}, SIGN_IN_WINDOW_MS=${options.windowMs}). Try again ${retryIn(result.retryAfterMs)}.`,
      );
    }
  };
}

let signIns: ((attempt: SignInAttempt) => void) | undefined;

/** For the sign-in endpoint: spends one attempt of the account and of the address, or throws AppError TOO_MANY_REQUESTS (HTTP 429). */
export function signInRateLimiter(attempt: SignInAttempt): void {
  const env = getEnv();
  signIns ??= createSignInRateLimiter({ maxAttempts: env.SIGN_IN_MAX_ATTEMPTS, windowMs: env.SIGN_IN_WINDOW_MS });
  signIns(attempt);
}
