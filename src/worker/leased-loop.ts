// The shape every leased loop of the worker shares: under an advisory-lock lease (so of several
// workers exactly one does the work), run a round every interval until the worker stops; rounds
// never overlap, since the next starts only after the previous finished, and a slow round just
// delays the next. A failed round is logged once (not on every retry while the cause lasts) and its
// recovery once. A per-cluster loop also counts its lease against the worker's share of that loop's
// clusters (cluster-leases.ts): it takes a free lease only within the share, and hands one over
// after a round when the worker holds more than its share.
import { createLogger } from "~/lib/logger";
import { sleep } from "~/lib/time";
import { advisoryLease } from "~/server/catalog";
import type { LeaseBudget } from "./cluster-leases";
import { failureLog } from "./failure-log";

export interface LeasedLoop {
  /** Names the logger and the log lines ("<name> round failed"). */
  name: string;
  /** The advisory-lock key: fixed, and different for each loop (and cluster: clusterLeaseKey). */
  leaseKey: number;
  intervalMs: number;
  /** Wait this long before the first round. */
  firstDelayMs?: number;
  /** One round's work while holding the lease; may ask for a shorter wait before the next. */
  round: () => Promise<{ nextInMs?: number } | void>;
  /** Called after a failed round (e.g. to drop cached state the failure may have made stale, or record the failure). */
  onFailure?: (error: unknown) => void | Promise<void>;
  /** Log lines for taking the lease and for standing by while another worker holds it (each once per change). */
  leaseMessages?: { held: string; standingBy: string };
  /** Waits between rounds (default: sleeps); a loop that can be asked for a round early ends it sooner. */
  wait?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** This worker's share of the loop's leases across clusters; without one the loop always tries. */
  budget?: LeaseBudget;
  /** Extra fields on every log line (the cluster). */
  logFields?: Record<string, unknown>;
}

export async function runLeasedLoop(loop: LeasedLoop, signal: AbortSignal): Promise<void> {
  const log = createLogger(loop.name);
  const lease = advisoryLease(loop.leaseKey);
  const fields = loop.logFields ?? {};
  const failures = failureLog(log, `${loop.name} round failed; retrying next interval`, `${loop.name} recovered`, fields);
  let heldBefore: boolean | null = null;
  // Whether this loop's lease is counted in the budget.
  let counted = false;
  const uncount = () => {
    if (counted) loop.budget?.gave();
    counted = false;
  };
  if (loop.firstDelayMs) await sleep(loop.firstDelayMs, signal);
  while (!signal.aborted) {
    const started = performance.now();
    let waitMs = loop.intervalMs;
    try {
      // A loop without its lease tries for one only within the worker's share.
      const held = counted || !loop.budget || loop.budget.mayTake() ? await lease.tryAcquire() : false;
      if (held && !counted) {
        loop.budget?.took();
        counted = true;
      } else if (!held) uncount();
      if (loop.leaseMessages && held !== heldBefore) log.info(held ? loop.leaseMessages.held : loop.leaseMessages.standingBy, fields);
      heldBefore = held;
      if (held) {
        const result = await loop.round();
        if (result?.nextInMs !== undefined) waitMs = Math.min(waitMs, result.nextInMs);
        failures.succeeded();
      }
    } catch (error) {
      failures.failed(error);
      await Promise.resolve(loop.onFailure?.(error)).catch(() => undefined);
    }
    if (counted && loop.budget?.handOver()) {
      // Counted as given by handOver: another live worker takes it on its next try.
      counted = false;
      await lease.release();
      log.info(`${loop.name}: this worker holds more than its share of clusters; handing this one over`, fields);
    }
    await (loop.wait ?? sleep)(Math.max(0, waitMs - (performance.now() - started)), signal);
  }
  uncount();
  await lease.release();
}
