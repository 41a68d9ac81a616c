// Starts the durable-job runner in the worker process.
import type { Env } from "~/env";
import { createLogger } from "~/lib/logger";
import { sleep } from "~/lib/time";
import { getJobQueue } from "~/server/catalog";
import { describeError } from "~/server/errors";
import { clusterFromEnv } from "~/server/services/clusters/active-cluster";
import { JOB_HANDLERS } from "./kinds";
import { JobRunner } from "./runner";

const log = createLogger("jobs");

/** Starts the runner, retrying every few seconds while the database is away; null if the worker stops first. */
export async function startJobRunner(env: Env, workerId: string, signal: AbortSignal): Promise<JobRunner | null> {
  let lastError: string | null = null;
  while (!signal.aborted) {
    try {
      return await tryStart(env, workerId);
    } catch (error) {
      const message = describeError(error);
      if (message !== lastError) log.error("job runner could not start; retrying", { error: message });
      lastError = message;
      await sleep(5000, signal);
    }
  }
  return null;
}

async function tryStart(env: Env, workerId: string): Promise<JobRunner> {
  // The worker's pg-boss instance supervises the queue (expiry, archiving); the web app's only sends.
  await getJobQueue({ supervise: true });
  const runner = new JobRunner(clusterFromEnv(env), JOB_HANDLERS, {
    workerId,
    concurrency: env.JOBS_CONCURRENCY,
    reapIntervalMs: env.JOBS_REAP_INTERVAL_MS,
    claimGraceMs: 20_000,
    retryAfterMs: 10_000,
  });
  await runner.start();
  return runner;
}
