// The sampler's loop in the worker: a leased loop (one worker samples at a time) with a round every
// SAMPLER_INTERVAL_MS. Every minute it also rolls raw history up and prunes what is past retention.
import type { Env } from "~/env";
import { createLogger } from "~/lib/logger";
import { pruneHistory, rollUpMinutes } from "~/server/catalog";
import { AlertEngine } from "~/server/services/alerts/engine";
import { clusterFromEnv } from "~/server/services/clusters/active-cluster";
import { Sampler } from "~/server/services/lag/sampler";
import { runLeasedLoop } from "./leased-loop";

const log = createLogger("sampler");
/** Arbitrary but fixed: the advisory-lock key of the sampler lease. */
const SAMPLER_LEASE_KEY = 0x5b0c5a;

export function runSamplerLoop(env: Env, signal: AbortSignal): Promise<void> {
  const sampler = new Sampler(clusterFromEnv(env), {
    metadataIntervalMs: env.SAMPLER_METADATA_INTERVAL_MS,
    statusWindow: env.SAMPLER_STATUS_WINDOW,
    concurrency: env.SAMPLER_CONCURRENCY,
  });
  const alerts = new AlertEngine();
  let lastRollupMinute = 0;
  return runLeasedLoop(
    {
      name: "sampler",
      leaseKey: SAMPLER_LEASE_KEY,
      intervalMs: env.SAMPLER_INTERVAL_MS,
      leaseMessages: { held: "sampler lease acquired; sampling", standingBy: "another worker holds the sampler lease; standing by" },
      round: async () => {
        const snapshot = await sampler.cycle();
        await sampler.persist(snapshot);
        await alerts.onSnapshot(snapshot);
        const minute = Math.floor(snapshot.takenAt / 60_000);
        if (minute !== lastRollupMinute) {
          // Roll up the last few completed minutes (idempotent), so a missed tick heals itself.
          await rollUpMinutes(new Date((minute - 5) * 60_000), new Date(minute * 60_000));
          await pruneHistory(new Date(snapshot.takenAt), { rawMs: env.HISTORY_RAW_RETENTION_MS, minuteMs: env.HISTORY_ROLLUP_RETENTION_MS });
          lastRollupMinute = minute;
        }
        log.debug("sampler cycle", { ms: snapshot.cycleMs, topics: snapshot.topics.length, groups: snapshot.groups.length });
      },
      // The failure may come from stale metadata (a deleted topic, a moved leader): read it afresh.
      onFailure: () => sampler.invalidateMetadata(),
    },
    signal,
  );
}
