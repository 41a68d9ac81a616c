// The sampler's loop in the worker. One worker samples at a time (an advisory-lock lease); ticks
// never overlap because the next starts only after the previous finished, and a slow cycle just
// delays the next. Every minute it also rolls raw history up and prunes what is past retention.
import type { Env } from "~/env";
import { createLogger } from "~/lib/logger";
import { sleep } from "~/lib/time";
import { advisoryLease, pruneHistory, rollUpMinutes } from "~/server/catalog";
import { describeError } from "~/server/errors";
import { AlertEngine } from "~/server/services/alerts/engine";
import { clusterFromEnv } from "~/server/services/clusters/active-cluster";
import { Sampler } from "~/server/services/lag/sampler";

const log = createLogger("sampler");
/** Arbitrary but fixed: the advisory-lock key of the sampler lease. */
const SAMPLER_LEASE_KEY = 0x5b0c5a;

export async function runSamplerLoop(env: Env, signal: AbortSignal): Promise<void> {
  const sampler = new Sampler(clusterFromEnv(env), {
    metadataIntervalMs: env.SAMPLER_METADATA_INTERVAL_MS,
    statusWindow: env.SAMPLER_STATUS_WINDOW,
    concurrency: env.SAMPLER_CONCURRENCY,
  });
  const alerts = new AlertEngine();
  const lease = advisoryLease(SAMPLER_LEASE_KEY);
  let lastError: string | null = null;
  let leaseLogged: boolean | null = null;
  let lastRollupMinute = 0;

  while (!signal.aborted) {
    const tickStart = performance.now();
    try {
      const held = await lease.tryAcquire();
      if (held !== leaseLogged) log.info(held ? "sampler lease acquired; sampling" : "another worker holds the sampler lease; standing by");
      leaseLogged = held;
      if (held) {
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
        if (lastError) log.info("sampler recovered");
        lastError = null;
        log.debug("sampler cycle", { ms: snapshot.cycleMs, topics: snapshot.topics.length, groups: snapshot.groups.length });
      }
    } catch (error) {
      const message = describeError(error);
      if (message !== lastError) log.error("sampler cycle failed; retrying next tick", { error: message });
      lastError = message;
      sampler.invalidateMetadata();
    }
    await sleep(Math.max(0, env.SAMPLER_INTERVAL_MS - (performance.now() - tickStart)), signal);
  }
  await lease.release();
}
