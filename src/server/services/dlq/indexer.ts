// Keeps the DLQ index current: reads each partition of a DLQ topic from where the index stopped to
// its end and records what the screens need (index-row.ts). The worker runs it for every DLQ topic
// on an interval; readers run it first (bounded, so a page never waits for a huge backlog) and
// actions run it to the end, so what they select is everything in the topic.
import { createLogger } from "~/lib/logger";
import { fetchTopicId, readRange, selectedBounds, type ClusterConnectionConfig, type PartitionBounds } from "~/server/broker";
import { appendDlqRecords, BULK_CHANGE_ROWS, dropDlqRecordsBelow, readDlqCursors, recordDlqTopicIdentity, refreshDlqStatistics, resetDlqPartition } from "~/server/catalog";
import { announceDlqChange } from "./changes";
import { toIndexRow } from "./index-row";

const FETCH_BYTES = 4 * 1024 * 1024;
const log = createLogger("dlq-index");

export interface IndexState {
  bounds: PartitionBounds[];
  /** Records in the topic (end − start over its partitions). */
  total: number;
  /** Records in the topic the index has not read yet. */
  behind: number;
  /** Records this call added. */
  added: number;
}

export interface CatchUpOptions {
  /** Stop after adding about this many records (the rest stays `behind`); no limit when absent. */
  maxRecords?: number;
  signal?: AbortSignal;
  /**
   * For tests: runs between reading where the index stands and where the topic ends, which is where
   * another indexer (the worker, or a page in another web process) can move the index on.
   */
  betweenReads?: () => Promise<void>;
}

// One catch-up per topic at a time in this process: a second caller waits, then finds little left.
const running = new Map<string, Promise<unknown>>();

export function catchUpDlqIndex(cluster: ClusterConnectionConfig, topic: string, options: CatchUpOptions = {}): Promise<IndexState> {
  const key = `${cluster.name}\u0000${topic}`;
  const previous = running.get(key) ?? Promise.resolve();
  const next = previous.catch(() => undefined).then(() => catchUp(cluster, topic, options));
  running.set(key, next);
  void next.finally(() => {
    if (running.get(key) === next) running.delete(key);
  }).catch(() => undefined);
  return next;
}

/**
 * Where each partition's reading starts, repairing the index first when the topic changed under it.
 * `cursors` must have been read before `bounds`: see catchUp.
 */
async function startPositions(cluster: ClusterConnectionConfig, topic: string, bounds: PartitionBounds[], cursors: Map<number, number>): Promise<Map<number, number>> {
  // Retention (or kafka-delete-records) removed what lies below each log start: the index forgets it too.
  await dropDlqRecordsBelow(cluster.name, topic, bounds.map((b) => ({ partition: b.partition, offset: b.start })));
  const positions = new Map<number, number>();
  for (const b of bounds) {
    const cursor = cursors.get(b.partition);
    if (cursor === undefined) {
      positions.set(b.partition, b.start);
    } else if (cursor > b.end) {
      // The index is ahead of the topic: it was deleted and created again under the same name and the
      // broker gives no topic ids, or its log was cut back (an unclean leader election).
      const statesRemoved = await resetDlqPartition(cluster.name, topic, b.partition, b.start);
      log.info("DLQ partition is behind its index: indexed afresh, its record states removed", { topic, partition: b.partition, statesRemoved });
      positions.set(b.partition, b.start);
    } else {
      // A cursor below the log start: retention deleted records the index never read.
      positions.set(b.partition, Math.max(cursor, b.start));
    }
  }
  return positions;
}

/**
 * Compares the topic's id with the one the index recorded: a different id means the topic was deleted
 * and created again, and the catalog drops the old topic's index and states (one transaction) so the
 * new records start pending. Brokers without topic ids (before Kafka 2.8) are left to the cursor check.
 */
async function forgetRecreatedTopic(cluster: ClusterConnectionConfig, topic: string): Promise<void> {
  const topicId = await fetchTopicId(cluster, topic);
  if (!topicId) return;
  const recreated = await recordDlqTopicIdentity(cluster.name, topic, topicId);
  if (recreated) log.info("DLQ topic was deleted and created again: its index and record states start afresh", { topic, topicId, ...recreated });
}

async function catchUp(cluster: ClusterConnectionConfig, topic: string, options: CatchUpOptions): Promise<IndexState> {
  await forgetRecreatedTopic(cluster, topic);
  // Where the index stands, then where the topic ends, in this order. A cursor only ever moves to an
  // end someone read, and ends only grow, so read this way a cursor past the end means the topic
  // really was cut back or created again. Read the other way round, another indexer (the worker, a
  // page in another web process) could move the cursor past the end read here in between, and
  // the index would be started afresh, its discarded and redriven records pending again (seen in
  // bench:soak: 20 times in 30 minutes on a loaded machine).
  const cursors = await readDlqCursors(cluster.name, topic);
  await options.betweenReads?.();
  const bounds = await selectedBounds(cluster, topic);
  const positions = await startPositions(cluster, topic, bounds, cursors);
  const ends = new Map(bounds.map((b) => [b.partition, b.end]));
  const starts = [...positions].filter(([p, offset]) => offset < ends.get(p)!).map(([partition, offset]) => ({ partition, offset }));
  let added = 0;
  if (starts.length > 0) {
    for await (const chunk of readRange(cluster, topic, starts, { ends, signal: options.signal, fetchBytes: FETCH_BYTES })) {
      await appendDlqRecords(cluster.name, topic, chunk.partition, chunk.records.map(toIndexRow), chunk.nextOffset);
      positions.set(chunk.partition, chunk.nextOffset);
      added += chunk.records.length;
      if (options.maxRecords !== undefined && added >= options.maxRecords) break;
    }
  }
  // A big first read leaves the planner's statistics describing an empty index (see refreshDlqStatistics).
  if (added >= BULK_CHANGE_ROWS) await refreshDlqStatistics();
  if (added > 0) await announceDlqChange(topic);
  const total = bounds.reduce((sum, b) => sum + (b.end - b.start), 0);
  const behind = bounds.reduce((sum, b) => sum + Math.max(0, b.end - positions.get(b.partition)!), 0);
  return { bounds, total, behind, added };
}
