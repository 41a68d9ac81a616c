// Samples the newest messages of every bound topic and records how many conform to their event
// type's schema, every CONFORMANCE_INTERVAL_MS. One worker does it at a time (a leased loop, like
// the sampler's), and a failed round is logged once and retried on the next.
import type { Env } from "~/env";
import { createLogger } from "~/lib/logger";
import { clusterFromEnv } from "~/server/services/clusters/active-cluster";
import { runConformanceChecks } from "~/server/services/schemas/conformance";
import { runLeasedLoop } from "./leased-loop";

const log = createLogger("conformance");

export function runConformanceLoop(env: Env, signal: AbortSignal): Promise<void> {
  const cluster = clusterFromEnv(env);
  return runLeasedLoop(
    {
      name: "conformance",
      leaseKey: 0x5c0f0a,
      intervalMs: env.CONFORMANCE_INTERVAL_MS,
      // Let the demo produce a little before the first round.
      firstDelayMs: 5_000,
      round: async () => {
        const results = await runConformanceChecks(cluster, env.CONFORMANCE_SAMPLE_SIZE);
        log.debug("conformance round", { eventTypes: results.length, sampled: results.reduce((s, r) => s + r.sampled, 0) });
      },
    },
    signal,
  );
}
