// The worker process: everything that must keep running with no browser open. It reports its
// heartbeat (and removes rows only time made dead: old heartbeats, ended sessions), mirrors the
// configured clusters into the catalog, and, for every cluster (cluster-supervisor.ts), runs the lag
// sampler with alerts, the producer sampler, the conformance checks and the DLQ index; it delivers
// alert webhooks and runs jobs, each against its own job's cluster.
import { hostname } from "node:os";
import { randomUUID } from "node:crypto";
import { ConfigError, getEnv, redactEnv } from "~/env";
import { createLogger } from "~/lib/logger";
import { sleep } from "~/lib/time";
import { disconnectAll } from "~/server/broker";
import { disconnectDb, forgetWorkerHeartbeat, recordWorkerHeartbeat, stopJobQueue, stopListening } from "~/server/catalog";
import { describeError } from "~/server/errors";
import { syncConfiguredClusters } from "~/server/services/clusters/active-cluster";
import { runConformanceLoop } from "./conformance-loop";
import { runDlqIndexLoop } from "./dlq-index-loop";
import { runFlowMonitorLoop } from "./flow-monitor-loop";
import { superviseClusters, type ClusterLoop } from "./cluster-supervisor";
import { failureLog } from "./failure-log";
import { keepHouse } from "./housekeeping";
import { startJobRunner } from "./jobs/start";
import { runProducerSamplerLoop } from "./producer-sampler-loop";
import { runHistoryLoop, runSamplerLoop } from "./sampler-loop";
import { startWebhookDeliveries } from "./webhook-deliveries";

const log = createLogger("worker");
/** Running jobs get 20 s to reach a checkpoint (JobRunner.stop); past this the worker exits anyway. */
const SHUTDOWN_DEADLINE_MS = 30_000;
/** What runs for each cluster, each under its own lease per cluster. */
const CLUSTER_LOOPS: ClusterLoop[] = [
  { name: "sampler", run: runSamplerLoop },
  { name: "producer-sampler", run: runProducerSamplerLoop },
  { name: "conformance", run: runConformanceLoop },
  { name: "dlq-index", run: runDlqIndexLoop },
  { name: "flow-monitor", run: runFlowMonitorLoop },
];

async function main() {
  const env = getEnv();
  const identity = { id: `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`, host: hostname(), pid: process.pid, startedAt: new Date() };
  log.info("worker starting", { id: identity.id, config: redactEnv(env) });

  const stopping = new AbortController();
  const stop = (signal: string) => {
    if (stopping.signal.aborted) return;
    log.info("worker stopping", { signal });
    stopping.abort();
    // A supervisor (the demo, a test, systemd) waits for this process; a stuck shutdown must not
    // hang it. Unref'd, so a clean shutdown exits as soon as its work is done.
    setTimeout(() => {
      log.error("worker did not stop within the deadline; exiting", { deadlineMs: SHUTDOWN_DEADLINE_MS });
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS).unref();
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));

  // A worker counts as live for sharing the clusters while its heartbeat is a few beats old.
  const clusters = superviseClusters(env, CLUSTER_LOOPS, { refreshMs: env.CLUSTERS_REFRESH_MS, liveWithinMs: Math.min(env.WORKER_STALE_AFTER_MS, env.WORKER_HEARTBEAT_MS * 3) }, stopping.signal);
  const history = runHistoryLoop(env, stopping.signal);
  const jobs = startJobRunner(env, identity.id, stopping.signal);
  const webhooks = startWebhookDeliveries(env, stopping.signal);
  let clusterSynced = false;
  // Logged once while the database stays down, not on every beat.
  const heartbeatFailures = failureLog(log, "heartbeat failed; retrying", "catalog reachable again");
  while (!stopping.signal.aborted) {
    try {
      if (!clusterSynced) {
        const { changed } = await syncConfiguredClusters(env);
        clusterSynced = true;
        if (changed.length > 0) log.info("configured clusters recorded in the catalog", { clusters: changed });
      }
      await recordWorkerHeartbeat(identity);
      await keepHouse(env);
      heartbeatFailures.succeeded();
    } catch (error) {
      heartbeatFailures.failed(error);
    }
    await sleep(env.WORKER_HEARTBEAT_MS, stopping.signal);
  }
  await Promise.all([clusters, history]);
  await forgetWorkerHeartbeat(identity.id).catch(() => undefined);
  await (await jobs)?.stop();
  await (await webhooks)?.();
  await stopJobQueue();
  await stopListening();
  await disconnectAll();
  await disconnectDb();
  log.info("worker stopped");
}

main().then(
  // Everything we own is closed by now, but a kafkajs broker connection that was still being opened
  // when its client disconnected can stay (seen in about half of the SIGTERMs 2-3 s after boot)
  // and would keep the process alive forever. Nothing is left to flush, so exit.
  () => process.exit(0),
  (error: unknown) => {
    if (error instanceof ConfigError) console.error(`Signalbox worker cannot start.\n${error.message}`);
    else console.error(`Signalbox worker failed: ${describeError(error)}`);
    process.exit(1);
  },
);
