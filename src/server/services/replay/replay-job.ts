// The replay job kind: copies the matching records of the planned ranges to the target, exactly
// once. Each batch is one Kafka transaction holding the copies and the new source position (with
// per-partition counters in the offset metadata) for the job's own consumer group. After a crash
// the job resumes from the last committed position; a batch that did not commit was aborted, so
// its copies are invisible to read_committed readers and are written again, once.
import { REPLAY_CHECKPOINT_GROUP_PREFIX } from "~/lib/internal-groups";
import { deleteIdleGroups, openTransactionalWriter, readRange, type FetchedRecord, type OutgoingCopy, type SourceCheckpoint } from "~/server/broker";
import { compileFilter, RecordView } from "~/server/services/messages/filters";
import type { JobContext, JobHandler, JobRunResult } from "~/server/services/jobs/types";
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

/** The copy of `record` a replay writes: same key, value and headers (duplicates kept), plus where it came from. */
export function replayCopy(record: FetchedRecord, jobId: number, params: ReplayJobParams): OutgoingCopy {
  const strategy = params.request.partitionStrategy;
  return {
    topic: params.request.targetTopic,
    partition: strategy.kind === "keep" ? record.partition : strategy.kind === "fixed" ? strategy.partition : undefined,
    key: record.key,
    value: record.value,
    headers: [
      ...record.headers,
      { key: REPLAY_OF_HEADER, value: Buffer.from(`${record.topic}/${record.partition}/${record.offset}`) },
      { key: REPLAY_JOB_HEADER, value: Buffer.from(String(jobId)) },
    ],
  };
}

/** Bytes per partition per fetch: big enough for throughput, small enough to bound memory. */
const FETCH_BYTES = 4 * 1024 * 1024;
/** Records per transaction without a rate limit. */
const MAX_BATCH = 10_000;

async function runReplay(ctx: JobContext<ReplayJobParams>): Promise<JobRunResult> {
  const { params, id, key } = ctx.job;
  const source = params.request.sourceTopic;
  const writer = await openTransactionalWriter(ctx.cluster, { transactionalId: replayKafkaId(key), checkpointGroupId: replayKafkaId(key), label: `replay job #${id}` });
  try {
    // Read the checkpoint only now: opening the writer fenced any older runner and aborted its open transaction.
    const checkpoint = new Map((await writer.readCheckpoint(source)).map((c) => [c.partition, c]));
    const counters = new Map<number, Counters>();
    const position = new Map<number, number>();
    for (const r of params.ranges) {
      const saved = checkpoint.get(r.partition);
      position.set(r.partition, saved ? Math.max(r.from, Math.min(saved.offset, r.to)) : r.from);
      counters.set(r.partition, saved ? decodeCounters(saved.metadata) : { read: 0, matched: 0, written: 0 });
    }
    const totals = () => {
      let read = 0;
      let matched = 0;
      let written = 0;
      for (const c of counters.values()) {
        read += c.read;
        matched += c.matched;
        written += c.written;
      }
      return { read, matched, written };
    };
    const toRead = params.ranges.reduce((s, r) => s + (r.to - r.from), 0);
    const report = () => ctx.progress({ ...totals(), toRead, expected: params.dryRunCount });
    report();

    const maxCount = params.request.maxCount;
    const predicate = compileFilter(params.request.filter);
    const ends = new Map(params.ranges.map((r) => [r.partition, r.to]));
    const starts = [...position].filter(([p, offset]) => offset < ends.get(p)!).map(([partition, offset]) => ({ partition, offset }));

    const commit = async (partition: number, copies: OutgoingCopy[], nextOffset: number, c: Counters) => {
      const mark: SourceCheckpoint = { partition, offset: nextOffset, metadata: encodeCounters(c) };
      await writer.commit(copies, source, [mark]);
      counters.set(partition, c);
      position.set(partition, nextOffset);
      report();
    };

    for await (const chunk of readRange(ctx.cluster, source, starts, { ends, signal: ctx.signal, fetchBytes: FETCH_BYTES })) {
      let c = { ...counters.get(chunk.partition)! };
      let copies: OutgoingCopy[] = [];
      let batchLimit = ctx.pacer.batchSize(MAX_BATCH);
      let cursor = position.get(chunk.partition)!;
      let reachedMax = false;
      for (const record of chunk.records) {
        if (maxCount !== null && totals().written + copies.length >= maxCount) {
          reachedMax = true;
          break;
        }
        c.read += 1;
        cursor = record.offset + 1;
        if (!predicate(new RecordView(record))) continue;
        c.matched += 1;
        copies.push(replayCopy(record, id, params));
        if (copies.length >= batchLimit) {
          if (!(await ctx.pacer.acquire(copies.length, ctx.signal))) return { outcome: "stopped" };
          c.written += copies.length;
          await commit(chunk.partition, copies, cursor, c);
          c = { ...c };
          copies = [];
          batchLimit = ctx.pacer.batchSize(MAX_BATCH);
          if (await ctx.stopRequested()) return { outcome: "stopped" };
        }
      }
      const nextOffset = reachedMax ? cursor : chunk.nextOffset;
      if (copies.length > 0 || nextOffset > position.get(chunk.partition)!) {
        if (copies.length > 0 && !(await ctx.pacer.acquire(copies.length, ctx.signal))) return { outcome: "stopped" };
        c.written += copies.length;
        await commit(chunk.partition, copies, nextOffset, c);
      }
      if (reachedMax) return { outcome: "finished", note: `Stopped at the maximum count of ${maxCount}.` };
      if (await ctx.stopRequested()) return { outcome: "stopped" };
    }
    if (ctx.signal.aborted) return { outcome: "stopped" };
    return { outcome: "finished" };
  } finally {
    await writer.close();
  }
}

export const replayJobHandler: JobHandler<ReplayJobParams> = {
  kind: REPLAY_KIND,
  paramsSchema: replayJobParamsSchema,
  ratePerSec: (params) => params.request.ratePerSec,
  run: runReplay,
  // The checkpoint group only matters while the job can resume; a finished job's would clutter the groups list.
  cleanup: async (job, cluster) => deleteIdleGroups(cluster, [replayKafkaId(job.key)]),
};
