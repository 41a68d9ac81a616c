// Keeps the DLQ index current: reads each partition of a DLQ topic from where the index stopped to
// its end and records what the screens need (index-row.ts). Only the worker runs it (its DLQ index
// loop, every DLQ topic each round, and at once when an action asks: index-requests.ts). Readers never
// do: they answer from the index and say how far behind it is (index-lag.ts), so a page read writes
// nothing and announces nothing.
import { createLogger } from "~/lib/logger";
import { fetchTopicId, readRange, selectedBounds, type ClusterConnectionConfig, type PartitionBounds } from "~/server/broker";
import { appendDlqRecords, BULK_CHANGE_ROWS, dropDlqRecordsBelow, listWrappedDlqFailures, markDlqPartitionsRead, readDlqCursors, recordDlqTopicIdentity, refreshDlqStatistics, resetDlqPartition, setDlqReasons, type DlqRecordKey } from "~/server/catalog";
import { announceDlqChange } from "./changes";
import { announceIndexRound } from "./index-requests";
import { reasonText, toIndexRow } from "./index-row";
import { causeNeedsStackTrace } from "./reasons";

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
    }
  }
  // The partitions read to their end: their cursors say so, with the time (index-lag.ts shows it).
  await markDlqPartitionsRead(cluster.name, topic, bounds.filter((b) => positions.get(b.partition)! >= b.end).map((b) => ({ partition: b.partition, offset: positions.get(b.partition)! })));
  // A big first read leaves the planner's statistics describing an empty index (see refreshDlqStatistics).
  if (added >= BULK_CHANGE_ROWS) await refreshDlqStatistics();
  // New records change what the lists show; every round changes how fresh the index is.
  if (added > 0) await announceDlqChange(cluster.name, topic);
  await announceIndexRound(cluster.name, topic);
  const total = bounds.reduce((sum, b) => sum + (b.end - b.start), 0);
  const behind = bounds.reduce((sum, b) => sum + Math.max(0, b.end - positions.get(b.partition)!), 0);
  return { bounds, total, behind, added };
}

const REGROUP_BATCH = 1_000;

/**
 * Gives records indexed before reasons were taken from the failure's cause (reasons.ts) the reason
 * the index gives them now, so a wrapped failure and the same failure unwrapped are one group for old
 * records too. Only records whose stored message looks wrapped are read; those whose cause only their
 * stack trace names keep their reason (the index does not store stack traces). Returns how many changed.
 */
export async function regroupWrappedReasons(): Promise<number> {
  let after: DlqRecordKey | null = null;
  let changed = 0;
  for (;;) {
    const rows = await listWrappedDlqFailures(after, REGROUP_BATCH);
    if (rows.length === 0) return changed;
    const updates = rows
      .filter((r) => !causeNeedsStackTrace(r.errorMessage))
      .map((r) => ({ clusterName: r.clusterName, topic: r.topic, partition: r.partition, offset: r.offset, previous: r.reason, reason: reasonText({ errorClass: r.errorClass, message: r.errorMessage, stackTrace: null }) }))
      .filter((u) => u.reason !== u.previous);
    changed += await setDlqReasons(updates);
    const last = rows.at(-1)!;
    after = { clusterName: last.clusterName, topic: last.topic, partition: last.partition, offset: last.offset };
  }
}
