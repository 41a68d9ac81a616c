// How many scans (message-browser pages, traces, replay dry runs) and live tails each user has
// open in this process. Each one holds broker fetches and memory for as long as it runs, so one
// user opening dozens of tabs must not starve everyone else. Counted in memory: with several web
// processes, each one enforces the limit on its own.
import { getEnv } from "~/env";
import { AppError } from "~/server/errors";

export class ConcurrencyLimiter {
  private readonly inFlight = new Map<string, number>();

  /** `limit` is read on every acquire, so a test or a reconfigured process sees the current value. */
  constructor(
    private readonly limit: () => number,
    private readonly refusal: (limit: number) => string,
  ) {}

  /** Open slots of `key` right now. */
  count(key: string): number {
    return this.inFlight.get(key) ?? 0;
  }

  /** Takes a slot for `key`, or refuses with TOO_MANY_REQUESTS. The returned release is safe to call twice. */
  acquire(key: string): () => void {
    const limit = this.limit();
    const current = this.count(key);
    if (current >= limit) throw new AppError("TOO_MANY_REQUESTS", this.refusal(limit));
    this.inFlight.set(key, current + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = this.count(key) - 1;
      // Keys of users with nothing open are dropped, so the map does not grow with every user ever seen.
      if (left > 0) this.inFlight.set(key, left);
      else this.inFlight.delete(key);
    };
  }

  /** Runs `work` holding a slot; the slot is released however it ends. */
  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const release = this.acquire(key);
    try {
      return await work();
    } finally {
      release();
    }
  }

  /**
   * Streams `source` holding a slot from the first read until it ends, throws, or is cancelled
   * (a subscription's return(), when the browser goes away). Nothing is taken until it is read.
   */
  async *stream<T>(key: string, source: AsyncGenerator<T>): AsyncGenerator<T> {
    let release: () => void;
    try {
      release = this.acquire(key);
    } catch (error) {
      // The source never ran; close it so it does not linger half-made.
      await source.return(undefined);
      throw error;
    }
    try {
      yield* source;
    } finally {
      release();
    }
  }
}

/** Scans, traces, replay dry runs and live tails: MAX_CONCURRENT_SCANS_PER_USER per user. */
export const scanSlots = new ConcurrencyLimiter(
  () => getEnv().MAX_CONCURRENT_SCANS_PER_USER,
  (limit) => `You already have ${limit} scans, traces or live tails open, the most one user may run at once (MAX_CONCURRENT_SCANS_PER_USER=${limit}). Cancel one or wait for it to finish.`,
);
