// Runs the per-cluster loops (sampler with alerts, producer sampler, conformance, DLQ index) for
// every cluster Signalbox knows: configured ones and those added in Settings. It reads the cluster
// list at start and every CLUSTERS_REFRESH_MS, so a cluster added in Settings starts being sampled,
// and a removed one stops, without restarting the worker; a cluster whose connection was edited is
// restarted with the new one. Each cluster's loops run on their own, so a cluster that is down (its
// rounds wait out connection timeouts) never delays another's. How workers share the clusters:
// cluster-leases.ts.
import type { Env } from "~/env";
import { createLogger } from "~/lib/logger";
import { sleep } from "~/lib/time";
import type { ClusterConnectionConfig } from "~/server/broker";
import { countLiveWorkers } from "~/server/catalog";
import { allClusterConnections } from "~/server/services/clusters/clusters";
import { connectionFingerprint, LeaseBudget, leaseShare, planClusterLoops } from "./cluster-leases";
import { failureLog } from "./failure-log";

const log = createLogger("clusters");

/** One kind of per-cluster loop. */
export interface ClusterLoop {
  name: string;
  run: (env: Env, cluster: ClusterConnectionConfig, budget: LeaseBudget, signal: AbortSignal) => Promise<void>;
}

interface Running {
  fingerprint: string;
  stop: AbortController;
  done: Promise<unknown>;
}

export interface ClusterSupervisorOptions {
  refreshMs: number;
  /** A worker whose heartbeat is older than this is not counted as live when sharing the clusters. */
  liveWithinMs: number;
  /** Reads the clusters (default: every cluster of the catalog and configuration). */
  listClusters?: () => Promise<ClusterConnectionConfig[]>;
}

export async function superviseClusters(env: Env, loops: ClusterLoop[], options: ClusterSupervisorOptions, signal: AbortSignal): Promise<void> {
  const running = new Map<string, Running>();
  const budgets = new Map(loops.map((loop) => [loop.name, new LeaseBudget()]));
  const listClusters = options.listClusters ?? (() => allClusterConnections(env));
  const failures = failureLog(log, "could not read the clusters; the loops already running keep running", "clusters readable again");

  const stopCluster = async (name: string) => {
    const entry = running.get(name);
    if (!entry) return;
    running.delete(name);
    entry.stop.abort();
    await entry.done;
  };

  while (!signal.aborted) {
    try {
      const clusters = await listClusters();
      // This worker counts itself even before its first heartbeat is stored.
      const live = Math.max(1, await countLiveWorkers(new Date(Date.now() - options.liveWithinMs)));
      const share = leaseShare(clusters.length, live);
      for (const budget of budgets.values()) budget.share = share;
      const plan = planClusterLoops(new Map([...running].map(([name, r]) => [name, r.fingerprint])), clusters);
      await Promise.all(plan.stop.map(stopCluster));
      for (const cluster of plan.start) {
        const stop = new AbortController();
        const onAbort = () => stop.abort();
        signal.addEventListener("abort", onAbort, { once: true });
        const done = Promise.all(
          loops.map((loop) => loop.run(env, cluster, budgets.get(loop.name)!, stop.signal).catch((error: unknown) => log.error(`${loop.name} loop ended unexpectedly`, { cluster: cluster.name, error: String(error) }))),
        ).finally(() => signal.removeEventListener("abort", onAbort));
        running.set(cluster.name, { fingerprint: connectionFingerprint(cluster), stop, done });
      }
      if (plan.start.length || plan.stop.length) log.info("clusters served", { started: plan.start.map((c) => c.name), stopped: plan.stop, clusters: clusters.length, liveWorkers: live, share });
      failures.succeeded();
    } catch (error) {
      failures.failed(error);
    }
    await sleep(options.refreshMs, signal);
  }
  await Promise.all([...running.keys()].map(stopCluster));
}
