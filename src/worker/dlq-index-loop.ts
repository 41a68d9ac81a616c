// Keeps the DLQ index current for every DLQ topic, every DLQ_INDEX_INTERVAL_MS, so the DLQ screens
// answer from PostgreSQL at once. The worker is the only writer of the index: the web app reads it
// and shows how far behind it is, and an action that needs all of a topic asks for a round now
// (index-requests.ts), which wakes this loop early and reads the asked-for topics first. Per cluster;
// one worker does a cluster at a time. Each round also forgets the index of topics that are gone and releases redrive
// claims whose job was never created, or whose job ended without its cleanup completing.
import type { Env } from "~/env";
import type { ClusterConnectionConfig } from "~/server/broker";
import { createLogger } from "~/lib/logger";
import { sleep } from "~/lib/time";
import { pruneDlqIndex, releaseOrphanClaims } from "~/server/catalog";
import { describeError } from "~/server/errors";
import { releaseClaimsOfEndedJobs } from "~/server/services/dlq/claim-sweeper";
import { listenForIndexRequests } from "~/server/services/dlq/index-requests";
import { catchUpDlqIndex, regroupWrappedReasons } from "~/server/services/dlq/indexer";
import { listDlqTopics } from "~/server/services/dlq/topics";
import { clusterLeaseKey, type LeaseBudget } from "./cluster-leases";
import { runLeasedLoop } from "./leased-loop";

const log = createLogger("dlq-index");
/** A claim without a job this old was left by a web process that died before creating the job. */
const ORPHAN_CLAIM_AGE_MS = 10 * 60_000;
/** The runner cleans up a job as it ends; past this, a job that still holds claims missed its cleanup. */
const ENDED_JOB_GRACE_MS = 60_000;

/** Catch-up requests from the web app: which topics were asked for, and a wake-up for the loop's wait. */
class IndexRequests {
  private readonly topics = new Set<string>();
  private wake: (() => void) | null = null;
  /** A request came while no wait was running: the next wait ends at once (once: a worker without the lease must not spin). */
  private woken = false;
  private stop: (() => void) | null = null;

  constructor(private readonly cluster: string) {}

  /** Listens for requests unless it already does; a failure is retried before the next round. */
  async ensureListening(): Promise<void> {
    if (this.stop) return;
    try {
      this.stop = await listenForIndexRequests(({ cluster, topic }) => {
        if (cluster !== this.cluster) return;
        this.topics.add(topic);
        if (this.wake) this.wake();
        else this.woken = true;
      });
    } catch (error) {
      log.warn("cannot listen for DLQ index requests; the interval still serves them", { cluster: this.cluster, error: describeError(error) });
    }
  }

  /** The topics asked for since the last call. */
  take(): Set<string> {
    const taken = new Set(this.topics);
    this.topics.clear();
    return taken;
  }

  /** Sleeps `ms`, or less when a request arrives (or arrived during the round). */
  wait = (ms: number, signal: AbortSignal): Promise<void> => {
    if (this.woken) {
      this.woken = false;
      return Promise.resolve();
    }
    const early = new AbortController();
    const onAbort = () => early.abort();
    signal.addEventListener("abort", onAbort, { once: true });
    this.wake = onAbort;
    return sleep(ms, early.signal).finally(() => {
      this.wake = null;
      signal.removeEventListener("abort", onAbort);
    });
  };

  close(): void {
    this.stop?.();
    this.stop = null;
  }
}

export async function runDlqIndexLoop(env: Env, cluster: ClusterConnectionConfig, budget: LeaseBudget, signal: AbortSignal): Promise<void> {
  const requests = new IndexRequests(cluster.name);
  let regrouped = false;
  try {
    await runLeasedLoop(
      {
        name: "dlq-index",
        leaseKey: clusterLeaseKey("dlq-index", cluster.name),
        budget,
        logFields: { cluster: cluster.name },
        intervalMs: env.DLQ_INDEX_INTERVAL_MS,
        wait: requests.wait,
        round: async () => {
          await requests.ensureListening();
          if (!regrouped) {
            // Once per worker start: records indexed under an earlier reason rule join their cause's group.
            const changed = await regroupWrappedReasons();
            if (changed) log.info("regrouped DLQ records by the cause of wrapped listener failures", { cluster: cluster.name, changed });
            regrouped = true;
          }
          const asked = requests.take();
          // Asked-for topics first: an action is waiting for them.
          const topics = (await listDlqTopics(cluster)).sort((a, b) => Number(asked.has(b.topic)) - Number(asked.has(a.topic)));
          let added = 0;
          let failure: unknown = null;
          for (const { topic } of topics) {
            if (signal.aborted) return;
            // One topic that cannot be read (deleted meanwhile, a partition without a leader) must not
            // keep the others, and the actions waiting for them, from their round.
            try {
              added += (await catchUpDlqIndex(cluster, topic, { signal })).added;
            } catch (error) {
              failure ??= error;
            }
          }
          const forgotten = await pruneDlqIndex(cluster.name, topics.map((t) => t.topic));
          const released = await releaseOrphanClaims(new Date(Date.now() - ORPHAN_CLAIM_AGE_MS));
          if (added || forgotten) log.debug("dlq index round", { cluster: cluster.name, topics: topics.length, added, forgotten });
          if (released) log.warn("released redrive claims whose job was never created", { cluster: cluster.name, released });
          const swept = await releaseClaimsOfEndedJobs(cluster, new Date(Date.now() - ENDED_JOB_GRACE_MS));
          if (swept.length) log.warn("released the claims of redrive jobs whose cleanup had not completed", { cluster: cluster.name, jobIds: swept });
          if (failure) throw failure;
        },
      },
      signal,
    );
  } finally {
    requests.close();
  }
}
