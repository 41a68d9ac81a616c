// Only the worker writes the DLQ index. An action that must cover every record of a DLQ (a redrive or
// discard of everything a filter matches) asks the worker to read the topic to its end now, and waits
// until the index holds every record the topic held when the action began:
// - the request is a PostgreSQL NOTIFY on CHANNELS.dlqIndexRequest (payload: cluster and topic, as
//   JSON: topic names repeat across clusters); the worker's
//   DLQ index loop wakes on it instead of waiting out its interval. A request lost with a broken
//   connection costs at most one interval: the loop reads every DLQ topic each round anyway;
// - the answer is the index itself: the cursors reaching the ends read at the start. The worker
//   announces each topic's finished round on CHANNELS.dlqIndex, which wakes the waiter to look again
//   (and a slow re-check covers a lost announcement);
// - the wait is bounded (DLQ_INDEX_WAIT_MS). With no worker heartbeat it does not start at all, and a
//   worker that dies meanwhile ends it at once: the error says which.
import { getEnv } from "~/env";
import { formatAge, formatCount } from "~/lib/format";
import { fetchTopicId, type ClusterConnectionConfig } from "~/server/broker";
import { CHANNELS, listen, notificationBatches, notify, readDlqCursorStates, readDlqTopicId } from "~/server/catalog";
import { AppError } from "~/server/errors";
import { clusterTopicPayload, parseClusterTopic, topicsByCluster, type ClusterTopic } from "./changes";
import { indexIsComplete, indexLagOf, readIndexerState, readIndexLag, type DlqIndexLag, type IndexerState } from "./index-lag";

/** Looks again this often while waiting, in case an announcement was lost. */
const RECHECK_MS = 1_000;

/** Tells listeners that the worker finished reading `topic` of `cluster` into the index (a round, or a requested catch-up). */
export async function announceIndexRound(cluster: string, topic: string): Promise<void> {
  await notify(CHANNELS.dlqIndex, clusterTopicPayload(cluster, topic)).catch(() => undefined);
}

/** Yields the DLQ topics whose index round finished, a batch per cluster at a time, until `signal` aborts. */
export async function* dlqIndexRounds(signal?: AbortSignal): AsyncGenerator<{ cluster: string; topics: string[] }> {
  for await (const batch of notificationBatches(CHANNELS.dlqIndex, signal)) yield* topicsByCluster(batch);
}

/** The worker's side: calls `onRequest` with each cluster and topic asked for, until the returned function is called. */
export function listenForIndexRequests(onRequest: (request: ClusterTopic) => void): Promise<() => void> {
  return listen(CHANNELS.dlqIndexRequest, (payload) => {
    const request = parseClusterTopic(payload);
    if (request) onRequest(request);
  });
}

function noWorker(topic: string, lag: DlqIndexLag, worker: IndexerState, now: number): AppError {
  const seen = worker.lastSeen === null ? "no worker has ever sent a heartbeat" : `the last worker heartbeat was ${formatAge(now - worker.lastSeen)} ago`;
  return new AppError(
    "WORKER_UNAVAILABLE",
    `The DLQ index of ${topic} is ${formatCount(lag.behind)} record${lag.behind === 1 ? "" : "s"} behind and no worker is running to read them (${seen}). This action must cover every record, so nothing was changed. Start the worker (npm run worker) and try again.`,
  );
}

/**
 * Returns once the DLQ index holds every record `topic` holds now (and describes the same topic: a
 * topic recreated under its name needs the worker's reset first), asking the worker to catch up when
 * it does not. Refuses with WORKER_UNAVAILABLE when no worker is running or it did not finish within
 * `timeoutMs`. The caller has checked that `topic` is a DLQ.
 */
export async function requireCompleteIndex(cluster: ClusterConnectionConfig, topic: string, options: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<DlqIndexLag> {
  const [lag, topicId, indexedTopicId] = await Promise.all([readIndexLag(cluster, topic), fetchTopicId(cluster, topic), readDlqTopicId(cluster.name, topic)]);
  const sameTopic = () => (indexedTopicId === null || topicId === null ? Promise.resolve(true) : readDlqTopicId(cluster.name, topic).then((id) => id === topicId));
  if (indexIsComplete(lag) && (topicId === null || indexedTopicId === null || indexedTopicId === topicId)) return lag;

  const started = Date.now();
  const worker = await readIndexerState(started);
  if (!worker.running) throw noWorker(topic, lag, worker, started);

  const timeoutMs = options.timeoutMs ?? getEnv().DLQ_INDEX_WAIT_MS;
  const deadline = started + timeoutMs;
  const ends = lag.partitions.map(({ partition, start, end }) => ({ partition, start, end }));
  const waiting = new AbortController();
  const stopWaiting = () => waiting.abort();
  options.signal?.addEventListener("abort", stopWaiting, { once: true });
  const timer = setTimeout(stopWaiting, timeoutMs);
  let wake: (() => void) | null = null;
  // Listening before asking, so the worker's answer cannot come before we listen for it.
  const stopListening = await listen(CHANNELS.dlqIndex, (payload) => {
    const announced = parseClusterTopic(payload);
    if (announced?.cluster === cluster.name && announced.topic === topic) wake?.();
  });
  try {
    await notify(CHANNELS.dlqIndexRequest, clusterTopicPayload(cluster.name, topic));
    for (;;) {
      // The ends as they were when the action began: records arriving meanwhile are not waited for.
      const current = indexLagOf(topic, ends, await readDlqCursorStates(cluster.name, topic));
      if (indexIsComplete(current) && (await sameTopic())) return current;
      const now = Date.now();
      const state = await readIndexerState(now);
      if (!state.running) throw noWorker(topic, current, state, now);
      if (now >= deadline || waiting.signal.aborted) {
        const updated = current.checkedAt === null ? "never read it" : `last finished a round on it ${formatAge(now - current.checkedAt)} ago`;
        throw new AppError(
          "WORKER_UNAVAILABLE",
          `The worker did not finish reading ${topic} into the DLQ index within ${formatAge(timeoutMs)} (${formatCount(current.behind)} record${current.behind === 1 ? "" : "s"} still to read; it ${updated}). This action must cover every record, so nothing was changed. Try again in a moment; if it keeps failing, see the worker's log.`,
        );
      }
      await new Promise<void>((resolve) => {
        const t = setTimeout(done, Math.min(RECHECK_MS, Math.max(0, deadline - now)));
        function done() {
          clearTimeout(t);
          wake = null;
          waiting.signal.removeEventListener("abort", done);
          resolve();
        }
        wake = done;
        waiting.signal.addEventListener("abort", done, { once: true });
      });
    }
  } finally {
    clearTimeout(timer);
    stopListening();
    options.signal?.removeEventListener("abort", stopWaiting);
  }
}
