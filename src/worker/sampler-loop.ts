// The sampler's loop of one cluster: a leased loop (one worker samples a cluster at a time) with a
// round every SAMPLER_INTERVAL_MS, alerts evaluated on each snapshot (and on the states of the
// cluster's Kafka Connect connectors, when it has any). Each cycle's outcome is
// recorded (ClusterSamplerStatus), and the outbox tables whose relays publish to the cluster are read
// (services/outbox/monitor.ts): a cluster that is down or refuses authentication shows as down,
// with its error and when it was last reached. Every cluster has its own loop, so a down cluster's
// slow failures (connection timeouts) never delay another cluster's cycle. Rolling history up and
// pruning it cover every cluster at once: a loop of their own (runHistoryLoop).
import type { Env } from "~/env";
import { createLogger } from "~/lib/logger";
import type { ClusterConnectionConfig } from "~/server/broker";
import { pruneHistory, pruneOutboxSamples, recordOutboxSamples, recordSamplerFailure, recordSamplerSuccess, rollUpMinutes } from "~/server/catalog";
import { describeError, isAppError } from "~/server/errors";
import { AlertEngine } from "~/server/services/alerts/engine";
import { readConnectSnapshot } from "~/server/services/connect/health";
import { Sampler } from "~/server/services/lag/sampler";
import { OutboxWatcher } from "~/server/services/outbox/monitor";
import { clusterLeaseKey, type LeaseBudget } from "./cluster-leases";
import { runLeasedLoop } from "./leased-loop";

const log = createLogger("sampler");
/** Arbitrary but fixed: the advisory-lock key of the history roll-up lease. */
const HISTORY_LEASE_KEY = 0x5b0c5c;
const ROLLUP_EVERY_MS = 60_000;

export function runSamplerLoop(env: Env, cluster: ClusterConnectionConfig, budget: LeaseBudget, signal: AbortSignal): Promise<void> {
  const sampler = new Sampler(cluster, {
    metadataIntervalMs: env.SAMPLER_METADATA_INTERVAL_MS,
    statusWindow: env.SAMPLER_STATUS_WINDOW,
    concurrency: env.SAMPLER_CONCURRENCY,
  });
  const alerts = new AlertEngine();
  const outboxes = new OutboxWatcher(env, cluster.name);
  let cycleStartedAt = new Date();
  return runLeasedLoop(
    {
      name: "sampler",
      leaseKey: clusterLeaseKey("sampler", cluster.name),
      budget,
      logFields: { cluster: cluster.name },
      intervalMs: env.SAMPLER_INTERVAL_MS,
      leaseMessages: { held: "sampler lease acquired; sampling", standingBy: "another worker holds the sampler lease; standing by" },
      round: async () => {
        cycleStartedAt = new Date();
        const snapshot = await sampler.cycle();
        await sampler.persist(snapshot);
        await recordSamplerSuccess(cluster.name, new Date(snapshot.takenAt));
        await alerts.onSnapshot(snapshot);
        // Kafka Connect's failed connectors and tasks (CONNECTOR_FAILED rules), when the cluster has Connect.
        const connect = await readConnectSnapshot(env, cluster.name);
        if (connect) await alerts.onConnectors(connect);
        // The transactional outboxes whose relays publish to this cluster (OUTBOX_STALLED rules).
        const outbox = await outboxes.round();
        if (outbox) {
          await recordOutboxSamples(outbox.samples);
          await alerts.onOutboxes(outbox.snapshot);
        }
        log.debug("sampler cycle", { cluster: cluster.name, ms: snapshot.cycleMs, topics: snapshot.topics.length, groups: snapshot.groups.length });
      },
      onFailure: async (error) => {
        // The failure may come from stale metadata (a deleted topic, a moved leader): read it afresh.
        sampler.invalidateMetadata();
        await recordSamplerFailure(cluster.name, cycleStartedAt, describeError(error), isAppError(error) ? error.code : null);
      },
    },
    signal,
  );
}

/** Rolls raw history up into minutes and prunes what is past retention, for every cluster, once a minute. */
export function runHistoryLoop(env: Env, signal: AbortSignal): Promise<void> {
  return runLeasedLoop(
    {
      name: "history",
      leaseKey: HISTORY_LEASE_KEY,
      intervalMs: ROLLUP_EVERY_MS,
      round: async () => {
        const minute = Math.floor(Date.now() / 60_000);
        // The last few completed minutes (idempotent), so a missed round heals itself.
        await rollUpMinutes(new Date((minute - 5) * 60_000), new Date(minute * 60_000));
        await pruneHistory(new Date(), { rawMs: env.HISTORY_RAW_RETENTION_MS, minuteMs: env.HISTORY_ROLLUP_RETENTION_MS });
        await pruneOutboxSamples(new Date(Date.now() - env.HISTORY_RAW_RETENTION_MS));
      },
    },
    signal,
  );
}
