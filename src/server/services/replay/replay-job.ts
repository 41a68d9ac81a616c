// The replay job kind: copies the matching records of the planned ranges to the target, exactly
// once. Each transaction holds copies and the new source positions (with per-partition counters in
// the offset metadata) for the job's own consumer group. After a crash the job resumes from the
// last committed positions; a transaction that did not commit was aborted, so its copies are
// invisible to read_committed readers and are written again, once.
//
// For speed the source partitions are dealt to several writers (one transactional producer each,
// `openWriterGroup`) that run side by side, each reading its partitions, sending copies as they are
// read and committing at most every COMMIT_INTERVAL_MS: their produce round trips overlap, and a
// transaction's fixed cost (adding partitions, offsets, the commit) is paid once every few seconds.
//
// A replay of every record in its range (no filter, maximum, rate limit or key hash) copies the
// records as bytes (`copiesAsBytes`): the fetched batches are never decoded, and each copy is its
// source's bytes plus the two replay headers. Any other replay decodes each record and copies it
// on its own. Both write the same copies.
import { REPLAY_CHECKPOINT_GROUP_PREFIX } from "~/lib/internal-groups";
import { AppError } from "~/server/errors";
import { batchCodecs, copyEncoder, deleteIdleGroups, openWriterGroup, readRange, type CompressionCodec, type CopiesOfRange, type CopyEncoder, type FetchedRecord, type OutgoingCopy, type TransactionalWriter } from "~/server/broker";
import { compileFilter, isEmptyFilter, RecordView } from "~/server/services/messages/filters";
import { COMMIT_INTERVAL_MS, type JobContext, type JobHandler, type JobRunResult } from "~/server/services/jobs/types";
import { REPLAY_JOB_HEADER, REPLAY_OF_HEADER, replayJobParamsSchema, type ReplayJobParams } from "./params";

export const REPLAY_KIND = "replay";

/** The job's transactional id and checkpoint group: stable for the job's life, unique to it. */
export function replayKafkaId(jobKey: string): string {
  return `${REPLAY_CHECKPOINT_GROUP_PREFIX}${jobKey}`;
}

interface Counters {
  read: number;
  matched: number;
  written: number;
}

export function encodeCounters(c: Counters): string {
  return JSON.stringify({ r: c.read, m: c.matched, w: c.written });
}

export function decodeCounters(metadata: string | null): Counters {
  try {
    const parsed = JSON.parse(metadata ?? "") as { r?: number; m?: number; w?: number };
    return { read: parsed.r ?? 0, matched: parsed.m ?? 0, written: parsed.w ?? 0 };
  } catch {
    return { read: 0, matched: 0, written: 0 };
  }
}

/**
 * Whether a job copies records as bytes (`copyEncoder`): every record of the range goes, to a
 * partition known without its key, at full speed. A filter, a maximum count, a rate limit or the
 * key's hash needs each record on its own, so those copy through `replayCopier`. The copies are the
 * same either way.
 */
export function copiesAsBytes(params: ReplayJobParams): boolean {
  const r = params.request;
  return isEmptyFilter(r.filter) && r.maxCount === null && r.ratePerSec === null && r.partitionStrategy.kind !== "hash";
}

/** The target partition of a copy of a record from `partition`, unless the key's hash picks it. */
function targetPartition(params: ReplayJobParams, partition: number): number | undefined {
  const strategy = params.request.partitionStrategy;
  return strategy.kind === "keep" ? partition : strategy.kind === "fixed" ? strategy.partition : undefined;
}

/** The value of a copy's "replay of" header up to the offset: where its source is. */
const replayOfPrefix = (topic: string, partition: number) => `${topic}/${partition}/`;

/**
 * Makes the copies a replay writes: same key, value and headers (duplicates kept), plus where each
 * came from. Per record only the "replay of" value is new; the job's header is one object shared by
 * every copy (nothing writes to a copy's headers), and each partition's "topic/partition/" prefix is
 * encoded once.
 */
export function replayCopier(jobId: number, params: ReplayJobParams): (record: FetchedRecord) => OutgoingCopy {
  const target = params.request.targetTopic;
  const jobHeader = { key: REPLAY_JOB_HEADER, value: Buffer.from(String(jobId)) };
  const prefixes = new Map<string, Buffer>();
  const replayOf = (record: FetchedRecord): Buffer => {
    const where = replayOfPrefix(record.topic, record.partition);
    let prefix = prefixes.get(where);
    if (!prefix) prefixes.set(where, (prefix = Buffer.from(where, "utf8")));
    const offset = String(record.offset);
    const value = Buffer.allocUnsafe(prefix.length + offset.length);
    prefix.copy(value, 0);
    value.write(offset, prefix.length, "latin1");
    return value;
  };
  return (record) => ({
    topic: target,
    partition: targetPartition(params, record.partition),
    key: record.key,
    value: record.value,
    headers: [...record.headers, { key: REPLAY_OF_HEADER, value: replayOf(record) }, jobHeader],
  });
}

/** Bytes per partition per fetch: big enough for throughput, small enough to bound memory. */
const FETCH_BYTES = 4 * 1024 * 1024;
/** Records per send (and, with a rate limit, per transaction). */
const MAX_BATCH = 10_000;
/**
 * Without a rate limit a writer commits when its transaction is this old (checked after each fetched
 * chunk), or holds MAX_TRANSACTION_RECORDS: the fixed cost of a transaction is paid rarely, and a
 * crash redoes at most about this much work.
 */
const MAX_TRANSACTION_RECORDS = 100_000;

/** What every writer of a run shares: the counters, the maximum count and why the run ends. */
interface RunState {
  counters: Map<number, Counters>;
  position: Map<number, number>;
  /** Copies still allowed by the maximum count (null: no maximum); taken when a copy is made. */
  remaining: number | null;
  reachedMax: boolean;
  stopped: boolean;
  failed: boolean;
}

async function runReplay(ctx: JobContext<ReplayJobParams>): Promise<JobRunResult> {
  const { params, id, key } = ctx.job;
  const source = params.request.sourceTopic;
  const label = `replay job #${id}`;
  const writers = await openWriterGroup(ctx.cluster, { jobKafkaId: replayKafkaId(key), partitions: params.ranges.map((r) => r.partition), label, fence: [replayKafkaId(key)] });
  try {
    // Read the checkpoint only now: opening the writers fenced any older runner and aborted its open transactions.
    const checkpoint = new Map((await writers.readCheckpoint(source)).map((c) => [c.partition, c]));
    const state: RunState = { counters: new Map(), position: new Map(), remaining: null, reachedMax: false, stopped: false, failed: false };
    for (const r of params.ranges) {
      const saved = checkpoint.get(r.partition);
      state.position.set(r.partition, saved ? Math.max(r.from, Math.min(saved.offset, r.to)) : r.from);
      state.counters.set(r.partition, saved ? decodeCounters(saved.metadata) : { read: 0, matched: 0, written: 0 });
    }
    const totals = () => {
      let read = 0;
      let matched = 0;
      let written = 0;
      for (const c of state.counters.values()) {
        read += c.read;
        matched += c.matched;
        written += c.written;
      }
      return { read, matched, written };
    };
    const maxCount = params.request.maxCount;
    if (maxCount !== null) state.remaining = Math.max(0, maxCount - totals().written);
    const toRead = params.ranges.reduce((s, r) => s + (r.to - r.from), 0);
    const report = () => ctx.progress({ ...totals(), toRead, expected: params.dryRunCount });
    report();

    const ends = new Map(params.ranges.map((r) => [r.partition, r.to]));
    const runs = writers.writers.map(({ partitions, writer }) =>
      copyPartitions(ctx, writer, partitions, ends, state, report).catch((error: unknown) => {
        // The other writers stop at their next chunk; the first error is the job's.
        state.failed = true;
        throw error;
      }),
    );
    const results = await Promise.allSettled(runs);
    const failure = results.find((r) => r.status === "rejected");
    if (failure) throw failure.reason;
    if (state.reachedMax) return { outcome: "finished", note: `Stopped at the maximum count of ${maxCount}.` };
    if (state.stopped || ctx.signal.aborted) return { outcome: "stopped" };
    return { outcome: "finished" };
  } finally {
    await writers.close();
  }
}

/** One writer's share of a replay: reads its partitions, sends the copies, commits as it goes. */
async function copyPartitions(ctx: JobContext<ReplayJobParams>, writer: TransactionalWriter, partitions: number[], ends: Map<number, number>, state: RunState, report: () => void): Promise<void> {
  const { params, id } = ctx.job;
  const source = params.request.sourceTopic;
  const predicate = compileFilter(params.request.filter);
  const copyOf = replayCopier(id, params);
  const rateLimited = ctx.pacer.ratePerSec !== null;
  const starts = partitions.map((partition) => ({ partition, offset: state.position.get(partition)! })).filter((p) => p.offset < ends.get(p.partition)!);
  if (starts.length === 0) return;
  const compression = await sourceCompression(ctx, source, starts);

  // The open transaction: what it moves each partition's checkpoint and counters to.
  const pending = new Map<number, { offset: number; counters: Counters }>();
  let openSince = 0;
  let inTransaction = 0;
  const commit = async () => {
    if (pending.size === 0) return;
    await writer.commit([], source, [...pending].map(([partition, p]) => ({ partition, offset: p.offset, metadata: encodeCounters(p.counters) })));
    for (const [partition, p] of pending) {
      state.counters.set(partition, p.counters);
      state.position.set(partition, p.offset);
    }
    pending.clear();
    inTransaction = 0;
    report();
    if (!state.stopped && (await ctx.stopRequested())) state.stopped = true;
  };
  const send = async (partition: number, copies: OutgoingCopy[], nextOffset: number, counters: Counters): Promise<boolean> => {
    if (copies.length > 0 && !(await ctx.pacer.acquire(copies.length, ctx.signal))) {
      state.stopped = true;
      return false;
    }
    if (pending.size === 0) openSince = performance.now();
    await writer.send(copies, { compression: compression.get(partition) });
    pending.set(partition, { offset: nextOffset, counters: { ...counters, written: counters.written + copies.length } });
    inTransaction += copies.length;
    return true;
  };
  const commitDue = () => rateLimited || inTransaction >= MAX_TRANSACTION_RECORDS || performance.now() - openSince >= COMMIT_INTERVAL_MS;
  const ended = () => state.stopped || state.failed || state.reachedMax;
  /** After each chunk a pause or cancel is seen, not only at a commit (commits are seconds apart); true when the run ends here. */
  const afterChunk = async () => {
    if (!state.stopped && (await ctx.stopRequested())) state.stopped = true;
    if (commitDue() || ended()) await commit();
    return ended();
  };

  // Copies as bytes need the source's batches uncompressed, as the copies are written (they keep the codec).
  const asBytes = copiesAsBytes(params) && writer.takesEncoded && starts.every((p) => compression.get(p.partition) === "none");
  const byteCopiers = new Map<number, CopyEncoder>();
  const byteCopier = (partition: number) => {
    let copier = byteCopiers.get(partition);
    if (!copier) {
      copier = copyEncoder({ sourceOffset: { key: REPLAY_OF_HEADER, prefix: replayOfPrefix(source, partition) }, fixed: [{ key: REPLAY_JOB_HEADER, value: Buffer.from(String(id)) }] });
      byteCopiers.set(partition, copier);
    }
    return copier;
  };

  for await (const chunk of readRange(ctx.cluster, source, starts, { ends, signal: ctx.signal, fetchBytes: FETCH_BYTES, keepBytes: asBytes })) {
    const partition = chunk.partition;
    const base = pending.get(partition)?.counters ?? state.counters.get(partition)!;
    if (chunk.batches) {
      // Every record of the chunk in the range is copied: read, matched and written alike.
      const from = pending.get(partition)?.offset ?? state.position.get(partition)!;
      const copier = byteCopier(partition);
      let copies: CopiesOfRange;
      try {
        copies = copier.encode(chunk.batches, { from, to: ends.get(partition)! });
      } catch (error) {
        throw new AppError("BROKER_ERROR", `Partition ${partition} of ${source} from offset ${from} cannot be copied: ${(error as Error).message}`, { cause: error });
      }
      if (copies.count > 0 || chunk.nextOffset > from) {
        if (pending.size === 0) openSince = performance.now();
        await writer.sendEncoded({ topic: params.request.targetTopic, partition: targetPartition(params, partition)!, runs: copies.runs });
        copier.reuse(copies.runs);
        const n = copies.count;
        pending.set(partition, { offset: chunk.nextOffset, counters: { read: base.read + n, matched: base.matched + n, written: base.written + n } });
        inTransaction += n;
      }
      if (await afterChunk()) return commit();
      continue;
    }
    const c = { ...base };
    let copies: OutgoingCopy[] = [];
    let batchLimit = ctx.pacer.batchSize(MAX_BATCH);
    let cursor = pending.get(partition)?.offset ?? state.position.get(partition)!;
    let atMax = false;
    for (const record of chunk.records) {
      if (state.remaining !== null && state.remaining <= 0) {
        atMax = true;
        break;
      }
      c.read += 1;
      cursor = record.offset + 1;
      if (!predicate(new RecordView(record))) continue;
      c.matched += 1;
      copies.push(copyOf(record));
      if (state.remaining !== null) state.remaining -= 1;
      if (copies.length >= batchLimit) {
        if (!(await send(partition, copies, cursor, c))) return commit();
        c.written += copies.length;
        copies = [];
        batchLimit = ctx.pacer.batchSize(MAX_BATCH);
        if (rateLimited) await commit();
        if (ended()) return commit();
      }
    }
    if (atMax) state.reachedMax = true;
    const nextOffset = atMax ? cursor : chunk.nextOffset;
    const from = pending.get(partition)?.offset ?? state.position.get(partition)!;
    if (copies.length > 0 || nextOffset > from) {
      if (!(await send(partition, copies, nextOffset, c))) return commit();
    }
    if (await afterChunk()) return commit();
  }
  await commit();
}

/**
 * The codec each partition's copies are written with: the source's, read from the first batch at the
 * partition's start. A partition whose producers changed codec midway keeps the one it started with.
 */
function sourceCompression(ctx: JobContext<ReplayJobParams>, topic: string, starts: { partition: number; offset: number }[]): Promise<Map<number, CompressionCodec>> {
  return batchCodecs(ctx.cluster, topic, starts);
}

export const replayJobHandler: JobHandler<ReplayJobParams> = {
  kind: REPLAY_KIND,
  paramsSchema: replayJobParamsSchema,
  ratePerSec: (params) => params.request.ratePerSec,
  run: runReplay,
  // The checkpoint group only matters while the job can resume; a finished job's would clutter the groups list.
  cleanup: async (job, cluster) => deleteIdleGroups(cluster, [replayKafkaId(job.key)]),
};
