// Starts the durable-job runner in the worker process.
import type { Env } from "~/env";
import { createLogger } from "~/lib/logger";
import { getJobQueue } from "~/server/catalog";
import { clusterConnectionByName } from "~/server/services/clusters/clusters";
import { startWithRetry } from "../failure-log";
import { JOB_HANDLERS } from "./kinds";
import { JobRunner } from "./runner";

const log = createLogger("jobs");

/** Starts the runner, retrying every few seconds while the database is away; null if the worker stops first. */
export function startJobRunner(env: Env, workerId: string, signal: AbortSignal): Promise<JobRunner | null> {
  return startWithRetry(log, "job runner", () => tryStart(env, workerId), signal);
}

async function tryStart(env: Env, workerId: string): Promise<JobRunner> {
  // The worker's pg-boss instance supervises the queue (expiry, archiving); the web app's only sends.
  await getJobQueue({ supervise: true });
  const runner = new JobRunner((name) => clusterConnectionByName(env, name), JOB_HANDLERS, {
    workerId,
    concurrency: env.JOBS_CONCURRENCY,
    reapIntervalMs: env.JOBS_REAP_INTERVAL_MS,
    claimGraceMs: 20_000,
    retryAfterMs: env.JOBS_RETRY_AFTER_MS,
  });
  await runner.start();
  return runner;
}
