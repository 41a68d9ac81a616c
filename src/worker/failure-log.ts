// A failure that repeats while its cause lasts (the database down, Kafka away) is logged once, not on
// every retry, and the recovery once. Every loop of the worker reports its failures through this.
import type { Logger } from "~/lib/logger";
import { sleep } from "~/lib/time";
import { describeError } from "~/server/errors";

export interface FailureLog {
  /** Logs `error` at error level unless it is the same as the last failure. */
  failed(error: unknown): void;
  /** After a failure, logs the recovery (when a message for it was given); otherwise nothing. */
  succeeded(): void;
}

export function failureLog(log: Logger, failedMessage: string, recoveredMessage?: string, fields: Record<string, unknown> = {}): FailureLog {
  let lastError: string | null = null;
  return {
    failed(error) {
      const message = describeError(error);
      if (message !== lastError) log.error(failedMessage, { ...fields, error: message });
      lastError = message;
    },
    succeeded() {
      if (lastError && recoveredMessage) log.info(recoveredMessage, fields);
      lastError = null;
    },
  };
}

/** Calls `start` until it succeeds, every `retryMs` while it fails (the database away); null if the worker stops first. */
export async function startWithRetry<T>(log: Logger, what: string, start: () => Promise<T>, signal: AbortSignal, retryMs = 5000): Promise<T | null> {
  const failures = failureLog(log, `${what} could not start; retrying`);
  while (!signal.aborted) {
    try {
      return await start();
    } catch (error) {
      failures.failed(error);
      await sleep(retryMs, signal);
    }
  }
  return null;
}
