// Claims must not outlive their job. The runner cleans a redrive job up when it ends, but that
// cleanup needs Kafka (it first credits what the last transaction committed, so nothing written is
// released and written twice) and can fail, or never run when the worker dies right after the job
// ended. The DLQ index loop calls this sweep every round, so such claims are released eventually.
import { listEndedJobsHoldingClaims } from "~/server/catalog";
import type { ClusterConnectionConfig } from "~/server/broker";
import { REDRIVE_KIND, redriveJobHandler } from "./redrive-job";
import { redriveJobParamsSchema } from "./params";

/** Runs the cleanup of every redrive job that ended before `finishedBefore` and still holds claims; returns the ids cleaned up. */
export async function releaseClaimsOfEndedJobs(cluster: ClusterConnectionConfig, finishedBefore: Date): Promise<number[]> {
  const cleaned: number[] = [];
  for (const job of await listEndedJobsHoldingClaims(cluster.name, finishedBefore)) {
    if (job.kind !== REDRIVE_KIND) continue;
    await redriveJobHandler.cleanup!({ id: job.id, key: job.key, params: redriveJobParamsSchema.parse(job.params) }, cluster);
    cleaned.push(job.id);
  }
  return cleaned;
}
