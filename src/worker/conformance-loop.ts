// Samples the newest messages of every bound topic and records how many conform to their event
// type's schema, every CONFORMANCE_INTERVAL_MS. One worker does it at a time (an advisory-lock
// lease, like the sampler's), and a failed round is logged once and retried on the next.
import type { Env } from "~/env";
import { createLogger } from "~/lib/logger";
import { sleep } from "~/lib/time";
import { advisoryLease } from "~/server/catalog";
import { describeError } from "~/server/errors";
import { clusterFromEnv } from "~/server/services/clusters/active-cluster";
import { runConformanceChecks } from "~/server/services/schemas/conformance";

const log = createLogger("conformance");
/** Arbitrary but fixed, and different from the sampler's. */
const CONFORMANCE_LEASE_KEY = 0x5c0f0a;
/** Let the demo produce a little before the first round. */
const FIRST_ROUND_DELAY_MS = 5_000;

export async function runConformanceLoop(env: Env, signal: AbortSignal): Promise<void> {
  const cluster = clusterFromEnv(env);
  const lease = advisoryLease(CONFORMANCE_LEASE_KEY);
  let lastError: string | null = null;
  await sleep(FIRST_ROUND_DELAY_MS, signal);
  while (!signal.aborted) {
    try {
      if (await lease.tryAcquire()) {
        const results = await runConformanceChecks(cluster, env.CONFORMANCE_SAMPLE_SIZE);
        log.debug("conformance round", { eventTypes: results.length, sampled: results.reduce((s, r) => s + r.sampled, 0) });
        if (lastError) log.info("conformance checks recovered");
        lastError = null;
      }
    } catch (error) {
      const message = describeError(error);
      if (message !== lastError) log.error("conformance round failed; retrying next interval", { error: message });
      lastError = message;
    }
    await sleep(env.CONFORMANCE_INTERVAL_MS, signal);
  }
  await lease.release();
}
