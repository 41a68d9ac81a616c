// Keeps the DLQ index current for every DLQ topic, every DLQ_INDEX_INTERVAL_MS, so the DLQ screens
// answer from PostgreSQL at once (pages only catch up the last few records). One worker does it at
// a time (an advisory-lock lease). Each round also forgets the index of topics that are gone and
// releases redrive claims whose job was never created.
import type { Env } from "~/env";
import { createLogger } from "~/lib/logger";
import { sleep } from "~/lib/time";
import { advisoryLease, pruneDlqIndex, releaseOrphanClaims } from "~/server/catalog";
import { describeError } from "~/server/errors";
import { clusterFromEnv } from "~/server/services/clusters/active-cluster";
import { catchUpDlqIndex } from "~/server/services/dlq/indexer";
import { listDlqTopics } from "~/server/services/dlq/topics";

const log = createLogger("dlq-index");
/** Arbitrary but fixed, and different from the other leases. */
const DLQ_INDEX_LEASE_KEY = 0x5c0d1a;
/** A claim without a job this old was left by a web process that died before creating the job. */
const ORPHAN_CLAIM_AGE_MS = 10 * 60_000;

export async function runDlqIndexLoop(env: Env, signal: AbortSignal): Promise<void> {
  const cluster = clusterFromEnv(env);
  const lease = advisoryLease(DLQ_INDEX_LEASE_KEY);
  let lastError: string | null = null;
  while (!signal.aborted) {
    try {
      if (await lease.tryAcquire()) {
        const topics = await listDlqTopics(cluster);
        let added = 0;
        for (const { topic } of topics) {
          if (signal.aborted) break;
          added += (await catchUpDlqIndex(cluster, topic, { signal })).added;
        }
        const forgotten = await pruneDlqIndex(cluster.name, topics.map((t) => t.topic));
        const released = await releaseOrphanClaims(new Date(Date.now() - ORPHAN_CLAIM_AGE_MS));
        if (added || forgotten || released) log.debug("dlq index round", { topics: topics.length, added, forgotten, released });
        if (released) log.warn("released redrive claims whose job was never created", { released });
        if (lastError) log.info("dlq index recovered");
        lastError = null;
      }
    } catch (error) {
      const message = describeError(error);
      if (message !== lastError) log.error("dlq index round failed; retrying next interval", { error: message });
      lastError = message;
    }
    await sleep(env.DLQ_INDEX_INTERVAL_MS, signal);
  }
  await lease.release();
}
