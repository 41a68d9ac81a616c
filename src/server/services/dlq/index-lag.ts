// How far behind the DLQ index is, read without changing anything: per partition, where the worker's
// indexer stopped (its cursor) against where the topic ends now (the broker), and when the worker
// last read that partition to its end; plus whether a worker is running at all (its heartbeat).
// Screens show it beside what the index answers; actions that need the whole index use it to decide
// whether to ask the worker to catch up first (index-requests.ts).
import { getEnv } from "~/env";
import { selectedBounds, type ClusterConnectionConfig, type PartitionBounds } from "~/server/broker";
import { latestWorkerHeartbeat, readDlqCursorStates, type DlqCursorState } from "~/server/catalog";

export interface PartitionIndexLag {
  partition: number;
  /** The partition's log start and end offsets now. */
  start: number;
  end: number;
  /** The index holds this partition's records below this offset; null when it never read the partition. */
  indexedTo: number | null;
  /** Records in the partition the index does not hold yet. */
  behind: number;
  /** When the worker last read this partition to its end (epoch ms); null when it never did. */
  checkedAt: number | null;
}

export interface DlqIndexLag {
  topic: string;
  /** Records in the topic (end − start over its partitions). */
  total: number;
  /** Records in the topic the index does not hold yet. */
  behind: number;
  /** The oldest of the partitions' checkedAt: the index was complete up to its partitions' ends then. Null when a partition was never read. */
  checkedAt: number | null;
  partitions: PartitionIndexLag[];
}

/** Whether a worker is running (the only writer of the index), as its heartbeat says. */
export interface IndexerState {
  /** Its last heartbeat is younger than WORKER_STALE_AFTER_MS. */
  running: boolean;
  /** Epoch ms of the newest heartbeat of any worker; null when none ever ran. */
  lastSeen: number | null;
  staleAfterMs: number;
  /** DLQ_INDEX_INTERVAL_MS: how often a running worker reads new records. */
  intervalMs: number;
}

/** One partition's lag. A cursor past the end means the topic was recreated or cut back: the worker reads it again from the start. */
function partitionLag(bounds: PartitionBounds, cursor: DlqCursorState | undefined): PartitionIndexLag {
  const { partition, start, end } = bounds;
  const indexedTo = cursor?.nextOffset ?? null;
  const behind = indexedTo === null || indexedTo > end ? end - start : Math.max(0, end - Math.max(indexedTo, start));
  return { partition, start, end, indexedTo, behind, checkedAt: cursor?.checkedAt ?? null };
}

export function indexLagOf(topic: string, bounds: PartitionBounds[], cursors: Map<number, DlqCursorState>): DlqIndexLag {
  const partitions = bounds.map((b) => partitionLag(b, cursors.get(b.partition))).sort((a, b) => a.partition - b.partition);
  const checks = partitions.map((p) => p.checkedAt);
  return {
    topic,
    total: partitions.reduce((sum, p) => sum + (p.end - p.start), 0),
    behind: partitions.reduce((sum, p) => sum + p.behind, 0),
    checkedAt: checks.length === 0 || checks.includes(null) ? null : Math.min(...(checks as number[])),
    partitions,
  };
}

/** The index holds every record the topic held when `lag` was read. */
export function indexIsComplete(lag: DlqIndexLag): boolean {
  return lag.behind === 0;
}

/** The DLQ index's lag for `topic`: the topic's bounds from the broker, the cursors from PostgreSQL; writes nothing. */
export async function readIndexLag(cluster: ClusterConnectionConfig, topic: string): Promise<DlqIndexLag> {
  const [bounds, cursors] = await Promise.all([selectedBounds(cluster, topic), readDlqCursorStates(cluster.name, topic)]);
  return indexLagOf(topic, bounds, cursors);
}

export function judgeIndexer(lastSeen: number | null, now: number, env: { WORKER_STALE_AFTER_MS: number; DLQ_INDEX_INTERVAL_MS: number }): IndexerState {
  return { running: lastSeen !== null && now - lastSeen <= env.WORKER_STALE_AFTER_MS, lastSeen, staleAfterMs: env.WORKER_STALE_AFTER_MS, intervalMs: env.DLQ_INDEX_INTERVAL_MS };
}

export async function readIndexerState(now = Date.now()): Promise<IndexerState> {
  const beat = await latestWorkerHeartbeat();
  return judgeIndexer(beat?.lastSeen.getTime() ?? null, now, getEnv());
}

export interface DlqIndexStatus {
  lag: DlqIndexLag;
  worker: IndexerState;
  /** When this was read (epoch ms): the client ages what it shows from here. */
  readAt: number;
}

/** How far behind one DLQ's index is, and whether a worker is running to catch it up. The caller has checked that `topic` is a DLQ. */
export async function readDlqIndexStatus(cluster: ClusterConnectionConfig, topic: string): Promise<DlqIndexStatus> {
  const [lag, worker] = await Promise.all([readIndexLag(cluster, topic), readIndexerState()]);
  return { lag, worker, readAt: Date.now() };
}
