// The shape every singleton loop of the worker shares: under an advisory-lock lease (so of several
// workers exactly one does the work), run a round every interval until the worker stops; a failed
// round is logged once (not on every retry while the cause lasts) and its recovery once.
import { createLogger } from "~/lib/logger";
import { sleep } from "~/lib/time";
import { advisoryLease } from "~/server/catalog";
import { describeError } from "~/server/errors";

export interface LeasedLoop {
  /** Names the logger and the log lines ("<name> round failed"). */
  name: string;
  /** The advisory-lock key: arbitrary but fixed, and different for each loop. */
  leaseKey: number;
  intervalMs: number;
  /** Wait this long before the first round. */
  firstDelayMs?: number;
  /** One round's work while holding the lease; may ask for a shorter wait before the next. */
  round: () => Promise<{ nextInMs?: number } | void>;
  /** Waits between rounds (default: sleeps); a loop that can be asked for a round early ends it sooner. */
  wait?: (ms: number, signal: AbortSignal) => Promise<void>;
}

export async function runLeasedLoop(loop: LeasedLoop, signal: AbortSignal): Promise<void> {
  const log = createLogger(loop.name);
  const lease = advisoryLease(loop.leaseKey);
  let lastError: string | null = null;
  if (loop.firstDelayMs) await sleep(loop.firstDelayMs, signal);
  while (!signal.aborted) {
    const started = performance.now();
    let waitMs = loop.intervalMs;
    try {
      if (await lease.tryAcquire()) {
        const result = await loop.round();
        if (result?.nextInMs !== undefined) waitMs = Math.min(waitMs, result.nextInMs);
        if (lastError) log.info(`${loop.name} recovered`);
        lastError = null;
      }
    } catch (error) {
      const message = describeError(error);
      if (message !== lastError) log.error(`${loop.name} round failed; retrying next interval`, { error: message });
      lastError = message;
    }
    await (loop.wait ?? sleep)(Math.max(0, waitMs - (performance.now() - started)), signal);
  }
  await lease.release();
}
