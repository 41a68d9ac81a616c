// Integration: two runners and one job on a real PostgreSQL, when the first runner's lock dies under
// it (what a database restart does to its session) and the second takes the job over. The first
// must step back: a failure it records (its producer was fenced by the second) would mark FAILED a
// job the second is running, and the second could no longer finish it.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { terminateLockHolders } from "../../../scripts/lib/database";
import { closeConnectionsAfterAll } from "../../../scripts/lib/test-support";
import { getEnv } from "~/env";
import { findJob, insertJob, jobLockKey } from "~/server/catalog";
import { AppError } from "~/server/errors";
import { clusterFromEnv } from "~/server/services/clusters/active-cluster";
import type { JobHandler } from "~/server/services/jobs/types";
import { JobRunner } from "./runner";

const env = getEnv();
const cluster = clusterFromEnv(env);
const options = { concurrency: 1, reapIntervalMs: 60_000, claimGraceMs: 20_000, retryAfterMs: 1000 };

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

closeConnectionsAfterAll();

describe("a job taken over by another runner", () => {
  it("is left to the runner that holds its lock: the one that lost it records neither a failure nor a requeue", async () => {
    const firstStarted = deferred();
    const secondStarted = deferred();
    const firstDone = deferred();
    const handler: JobHandler<Record<string, never>> = {
      kind: "it-takeover",
      paramsSchema: z.object({}),
      ratePerSec: () => null,
      run: async (ctx) => {
        if (ctx.job.attempts === 1) {
          firstStarted.resolve();
          await secondStarted.promise;
          // What the first runner's next Kafka commit says once the second opened the job's producer.
          throw new AppError("CONFLICT", "Another worker took over this job: its transactional producer fenced this one.");
        }
        secondStarted.resolve();
        await firstDone.promise;
        return { outcome: "finished" };
      },
    };
    const job = await insertJob({ kind: handler.kind, key: randomUUID(), clusterName: cluster.name, params: {}, progress: {}, summary: "takeover test", createdBy: "admin@signalbox.local", createdByRole: "admin" });
    const first = new JobRunner(async () => cluster, [handler as JobHandler<never>], { ...options, workerId: "it-first" });
    const second = new JobRunner(async () => cluster, [handler as JobHandler<never>], { ...options, workerId: "it-second" });

    const firstRun = first.handleDelivery(job.id, "delivery-1");
    await firstStarted.promise;
    // The first runner's lock dies with its session; the job is delivered again and the second takes it.
    expect(await terminateLockHolders(env.DATABASE_URL, jobLockKey(job.id))).toBe(1);
    const secondRun = second.handleDelivery(job.id, "delivery-2");
    await secondStarted.promise;
    await firstRun;
    expect(await findJob(job.id)).toMatchObject({ status: "RUNNING", workerId: "it-second", error: null });

    firstDone.resolve();
    await secondRun;
    expect(await findJob(job.id)).toMatchObject({ status: "COMPLETED", attempts: 2, error: null });
  });
});
