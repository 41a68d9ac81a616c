// The shape every singleton loop of the worker shares: under an advisory-lock lease (so of several
// workers exactly one does the work), run a round every interval until the worker stops; rounds
// never overlap, since the next starts only after the previous finished, and a slow round just
// delays the next. A failed round is logged once (not on every retry while the cause lasts) and its
// recovery once.
import { createLogger } from "~/lib/logger";
import { sleep } from "~/lib/time";
import { advisoryLease } from "~/server/catalog";
import { failureLog } from "./failure-log";

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
  /** Called after a failed round (e.g. to drop cached state the failure may have made stale). */
  onFailure?: () => void;
  /** Log lines for taking the lease and for standing by while another worker holds it (each once per change). */
  leaseMessages?: { held: string; standingBy: string };
}

export async function runLeasedLoop(loop: LeasedLoop, signal: AbortSignal): Promise<void> {
  const log = createLogger(loop.name);
  const lease = advisoryLease(loop.leaseKey);
  const failures = failureLog(log, `${loop.name} round failed; retrying next interval`, `${loop.name} recovered`);
  let heldBefore: boolean | null = null;
  if (loop.firstDelayMs) await sleep(loop.firstDelayMs, signal);
  while (!signal.aborted) {
    const started = performance.now();
    let waitMs = loop.intervalMs;
    try {
      const held = await lease.tryAcquire();
      if (loop.leaseMessages && held !== heldBefore) log.info(held ? loop.leaseMessages.held : loop.leaseMessages.standingBy);
      heldBefore = held;
      if (held) {
        const result = await loop.round();
        if (result?.nextInMs !== undefined) waitMs = Math.min(waitMs, result.nextInMs);
        failures.succeeded();
      }
    } catch (error) {
      failures.failed(error);
      loop.onFailure?.();
    }
    await sleep(Math.max(0, waitMs - (performance.now() - started)), signal);
  }
  await lease.release();
}
