// Samples the newest messages of every bound topic and records how many conform to their event
// type's schema, every CONFORMANCE_INTERVAL_MS, per cluster. One worker does a cluster at a time (a
// leased loop, like the sampler's), and a failed round is logged once and retried on the next.
import type { Env } from "~/env";
import { createLogger } from "~/lib/logger";
import type { ClusterConnectionConfig } from "~/server/broker";
import { runConformanceChecks } from "~/server/services/schemas/conformance";
import { clusterLeaseKey, type LeaseBudget } from "./cluster-leases";
import { runLeasedLoop } from "./leased-loop";

const log = createLogger("conformance");

export function runConformanceLoop(env: Env, cluster: ClusterConnectionConfig, budget: LeaseBudget, signal: AbortSignal): Promise<void> {
  return runLeasedLoop(
    {
      name: "conformance",
      leaseKey: clusterLeaseKey("conformance", cluster.name),
      budget,
      logFields: { cluster: cluster.name },
      intervalMs: env.CONFORMANCE_INTERVAL_MS,
      // Let the demo produce a little before the first round.
      firstDelayMs: 5_000,
      round: async () => {
        const results = await runConformanceChecks(cluster, env.CONFORMANCE_SAMPLE_SIZE);
        log.debug("conformance round", { cluster: cluster.name, eventTypes: results.length, sampled: results.reduce((s, r) => s + r.sampled, 0) });
      },
    },
    signal,
  );
}
