// Reads over a range of a topic's partitions: the bounds of the partitions a caller selected (with a
// plain error for a missing topic or partition), and every record between two sets of offsets, in
// fetch rounds. The message browser, the DLQ index and replay and redrive all read through these.
import "server-only";
import { AppError } from "../errors";
import { listTopicNames } from "./admin";
import { fetchRecords, readTopicBounds, type PartitionBounds, type PartitionPosition } from "./reader";
import type { RawRecordBatch } from "./fetch-v4";
import type { ClusterConnectionConfig, FetchedRecord } from "./types";

/** Bytes per partition per fetch, unless the caller asks for another size. */
export const READ_RANGE_FETCH_BYTES = 1024 * 1024;

/** The bounds of `partitions` of `topic` (all of them when none are named). */
export async function selectedBounds(cluster: ClusterConnectionConfig, topic: string, partitions?: number[]): Promise<PartitionBounds[]> {
  let bounds: PartitionBounds[];
  try {
    bounds = await readTopicBounds(cluster, topic);
  } catch (error) {
    // Kafka answers a missing topic with "this server does not host this topic-partition"; say it plainly.
    if (!(await listTopicNames(cluster)).includes(topic)) throw new AppError("NOT_FOUND", `Topic "${topic}" does not exist.`);
    throw error;
  }
  if (bounds.length === 0) throw new AppError("NOT_FOUND", `Topic "${topic}" does not exist.`);
  if (!partitions || partitions.length === 0) return bounds;
  const missing = partitions.filter((p) => !bounds.some((b) => b.partition === p));
  if (missing.length) throw new AppError("BAD_REQUEST", `Topic "${topic}" has no partition ${missing.join(", ")} (it has ${bounds.length}).`);
  return bounds.filter((b) => partitions.includes(b.partition));
}

export interface PartitionChunk {
  partition: number;
  /** Records below the partition's end, in offset order. */
  records: FetchedRecord[];
  /**
   * Asked for with `keepBytes`, and every batch of this chunk can be copied as bytes: the batches, and
   * `records` is empty. They can hold records before the chunk's start and at or past the end.
   */
  batches?: RawRecordBatch[];
  /** Where this partition continues after the chunk (clamped to its end). */
  nextOffset: number;
}

/**
 * Reads every record from `positions` up to `ends` (exclusive), in fetch rounds over all pending
 * partitions, one chunk per partition per round. The caller tracks its own position; stopping
 * early (break) is safe at any record.
 */
export async function* readRange(
  cluster: ClusterConnectionConfig,
  topic: string,
  positions: PartitionPosition[],
  options: { ends: Map<number, number>; signal?: AbortSignal; fetchBytes?: number; keepBytes?: boolean },
): AsyncGenerator<PartitionChunk> {
  const current = new Map(positions.map((p) => [p.partition, p.offset]));
  const endOf = (p: number) => options.ends.get(p) ?? 0;
  const fetchRound = (from: Map<number, number>) => {
    const pending = [...from].filter(([p, offset]) => offset < endOf(p)).map(([partition, offset]) => ({ partition, offset }));
    if (pending.length === 0) return null;
    const request = fetchRecords(cluster, topic, pending, { maxBytesPerPartition: options.fetchBytes ?? READ_RANGE_FETCH_BYTES, keepBytes: options.keepBytes });
    // A prefetch the caller never reaches (it stopped early) must not surface as an unhandled rejection.
    request.catch(() => undefined);
    return request;
  };
  let inFlight = fetchRound(current);
  while (inFlight && !options.signal?.aborted) {
    const results = (await inFlight).sort((a, b) => a.partition - b.partition);
    const next = new Map(current);
    for (const result of results) next.set(result.partition, Math.max(current.get(result.partition)!, Math.min(result.nextOffset, endOf(result.partition))));
    // Nothing readable below the end (e.g. an open transaction holds the last stable offset): stop, do not spin.
    if (results.every((r) => next.get(r.partition) === current.get(r.partition))) return;
    // Fetch the next round while the caller works through this one: reading and processing overlap,
    // and at most two rounds are in memory.
    inFlight = fetchRound(next);
    for (const result of results) {
      const nextOffset = next.get(result.partition)!;
      if (nextOffset <= current.get(result.partition)!) continue;
      current.set(result.partition, nextOffset);
      yield { partition: result.partition, records: result.records.filter((r) => r.offset < endOf(result.partition)), batches: result.batches, nextOffset };
    }
  }
}
