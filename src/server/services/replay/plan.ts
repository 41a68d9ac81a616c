// Planning a replay: resolve the range to offsets, check the target, and count exactly what would
// be written (the dry run), streaming progress. The job later replays exactly these ranges.
import { offsetsForTimestamp, readRange, readTopicBounds, selectedBounds, type ClusterConnectionConfig } from "~/server/broker";
import { AppError } from "~/server/errors";
import { compileFilter, RecordView } from "~/server/services/messages/filters";
import type { BrowsedMessage } from "~/server/services/messages/scan";
import { decodeRecord } from "~/server/services/messages/decode";
import { maskerFor, type RecordMasker } from "~/server/services/masking/masking";
import type { ParsedReplayRequest, ResolvedRange } from "./params";

export const DRY_RUN_SAMPLE = 20;

export interface ReplayPlan {
  request: ParsedReplayRequest;
  ranges: ResolvedRange[];
  /** Records in the ranges. */
  toRead: number;
  /** Records that pass the filters. */
  matched: number;
  /** What the job would write: matched, capped by the maximum count. */
  wouldWrite: number;
  /** The first matching records, decoded. */
  sample: BrowsedMessage[];
  targetPartitions: number;
}

export type PlanEvent = { type: "progress"; scanned: number; matched: number; toRead: number } | { type: "done"; plan: ReplayPlan };

export async function resolveRanges(cluster: ClusterConnectionConfig, request: ParsedReplayRequest): Promise<ResolvedRange[]> {
  const range = request.range;
  if (range.kind === "offsets") {
    const bounds = await selectedBounds(cluster, request.sourceTopic, range.partitions.map((p) => p.partition));
    return range.partitions.map((p) => {
      const b = bounds.find((x) => x.partition === p.partition)!;
      if (p.from < b.start) throw new AppError("BAD_REQUEST", `Partition ${p.partition} starts at offset ${b.start} (older records were deleted); the range starts at ${p.from}.`);
      if (p.to > b.end) throw new AppError("BAD_REQUEST", `Partition ${p.partition} ends at offset ${b.end}; the range ends at ${p.to}.`);
      return { partition: p.partition, from: p.from, to: p.to };
    });
  }
  const bounds = await selectedBounds(cluster, request.sourceTopic, range.partitions);
  const [starts, ends] = await Promise.all([offsetsForTimestamp(cluster, request.sourceTopic, range.from), offsetsForTimestamp(cluster, request.sourceTopic, range.to)]);
  return bounds.map((b) => {
    const from = Math.max(b.start, Math.min(b.end, starts.find((s) => s.partition === b.partition)?.offset ?? b.end));
    const to = Math.max(from, Math.min(b.end, ends.find((e) => e.partition === b.partition)?.offset ?? b.end));
    return { partition: b.partition, from, to };
  });
}

async function checkTarget(cluster: ClusterConnectionConfig, request: ParsedReplayRequest, ranges: ResolvedRange[]): Promise<number> {
  const target = await readTopicBounds(cluster, request.targetTopic);
  if (target.length === 0) throw new AppError("NOT_FOUND", `The target topic "${request.targetTopic}" does not exist. Create it first.`);
  const strategy = request.partitionStrategy;
  if (strategy.kind === "keep") {
    const highest = Math.max(...ranges.map((r) => r.partition));
    if (highest >= target.length) throw new AppError("BAD_REQUEST", `"Keep partition" needs partition ${highest} in "${request.targetTopic}", which has ${target.length}. Hash by key or pick a fixed partition instead.`);
  }
  if (strategy.kind === "fixed" && strategy.partition >= target.length) throw new AppError("BAD_REQUEST", `"${request.targetTopic}" has no partition ${strategy.partition} (it has ${target.length}).`);
  return target.length;
}

/** The dry run: exact count and a sample, streamed with progress. Nothing is written. */
export async function* planReplay(cluster: ClusterConnectionConfig, request: ParsedReplayRequest, signal?: AbortSignal, mask: RecordMasker = maskerFor(null)): AsyncGenerator<PlanEvent> {
  const ranges = await resolveRanges(cluster, request);
  const targetPartitions = await checkTarget(cluster, request, ranges);
  const predicate = compileFilter(request.filter);
  const toRead = ranges.reduce((sum, r) => sum + (r.to - r.from), 0);
  let scanned = 0;
  let matched = 0;
  const sample: BrowsedMessage[] = [];
  let lastProgress = 0;
  const ends = new Map(ranges.map((r) => [r.partition, r.to]));
  const starts = ranges.filter((r) => r.to > r.from).map((r) => ({ partition: r.partition, offset: r.from }));
  for await (const chunk of readRange(cluster, request.sourceTopic, starts, { ends, signal, fetchBytes: 4 * 1024 * 1024 })) {
    for (const record of chunk.records) {
      scanned += 1;
      const view = new RecordView(record);
      if (!predicate(view)) continue;
      matched += 1;
      // The filters see the clear record, exactly as the job will; only what is shown is masked.
      if (sample.length < DRY_RUN_SAMPLE) sample.push({ ...decodeRecord(mask(record)), validation: null });
    }
    if (Date.now() - lastProgress > 250) {
      lastProgress = Date.now();
      yield { type: "progress", scanned, matched, toRead };
    }
  }
  if (signal?.aborted) return;
  const wouldWrite = request.maxCount !== null ? Math.min(matched, request.maxCount) : matched;
  yield { type: "progress", scanned, matched, toRead };
  yield { type: "done", plan: { request, ranges, toRead, matched, wouldWrite, sample: sample.sort((a, b) => a.timestamp - b.timestamp), targetPartitions } };
}
