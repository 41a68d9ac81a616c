// Keeps the DLQ index current for every DLQ topic, every DLQ_INDEX_INTERVAL_MS, so the DLQ screens
// answer from PostgreSQL at once (pages only catch up the last few records). One worker does it at
// a time. Each round also forgets the index of topics that are gone and releases redrive claims
// whose job was never created, or whose job ended without its cleanup completing.
import type { Env } from "~/env";
import { createLogger } from "~/lib/logger";
import { pruneDlqIndex, releaseOrphanClaims } from "~/server/catalog";
import { clusterFromEnv } from "~/server/services/clusters/active-cluster";
import { releaseClaimsOfEndedJobs } from "~/server/services/dlq/claim-sweeper";
import { catchUpDlqIndex } from "~/server/services/dlq/indexer";
import { listDlqTopics } from "~/server/services/dlq/topics";
import { runLeasedLoop } from "./leased-loop";

const log = createLogger("dlq-index");
/** A claim without a job this old was left by a web process that died before creating the job. */
const ORPHAN_CLAIM_AGE_MS = 10 * 60_000;
/** The runner cleans up a job as it ends; past this, a job that still holds claims missed its cleanup. */
const ENDED_JOB_GRACE_MS = 60_000;

export function runDlqIndexLoop(env: Env, signal: AbortSignal): Promise<void> {
  const cluster = clusterFromEnv(env);
  return runLeasedLoop(
    {
      name: "dlq-index",
      leaseKey: 0x5c0d1a,
      intervalMs: env.DLQ_INDEX_INTERVAL_MS,
      round: async () => {
        const topics = await listDlqTopics(cluster);
        let added = 0;
        for (const { topic } of topics) {
          if (signal.aborted) return;
          added += (await catchUpDlqIndex(cluster, topic, { signal })).added;
        }
        const forgotten = await pruneDlqIndex(cluster.name, topics.map((t) => t.topic));
        const released = await releaseOrphanClaims(new Date(Date.now() - ORPHAN_CLAIM_AGE_MS));
        if (added || forgotten) log.debug("dlq index round", { topics: topics.length, added, forgotten });
        if (released) log.warn("released redrive claims whose job was never created", { released });
        const swept = await releaseClaimsOfEndedJobs(cluster, new Date(Date.now() - ENDED_JOB_GRACE_MS));
        if (swept.length) log.warn("released the claims of redrive jobs whose cleanup had not completed", { jobIds: swept });
      },
    },
    signal,
  );
}
