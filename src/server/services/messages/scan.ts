// The scan engine behind the message browser, trace and the replay dry run: reads partitions by
// offset, applies the filters on the server and streams progress and matches. Memory stays
// bounded: one fetch per partition at a time and at most `limit` decoded matches. Time and work are
// bounded too: a page stops at its budget (SCAN_MAX_RECORDS, SCAN_MAX_MS) and says where it got to.
import { fetchRecords, offsetsForTimestamp, readRange, READ_RANGE_FETCH_BYTES, selectedBounds, type ClusterConnectionConfig, type FetchedRecord, type PartitionBounds, type PartitionPosition } from "~/server/broker";
import { AppError } from "~/server/errors";
import { ScanBudget, type BudgetStop, type ScanBudgetOptions } from "~/server/services/limits/budget";
import { maskerFor, type RecordMasker } from "~/server/services/masking/masking";
import { decodeRecord, PREVIEW_CHARS, readableRecord, type DecodedMessage } from "./decode";
import { compileFilter, RecordView, type ParsedMessageFilter, type RecordPredicate } from "./filters";
import { validatePayload, type ValidationResult } from "./validation";

export type StartPoint = { kind: "earliest" } | { kind: "latest" } | { kind: "offset"; offset: number } | { kind: "timestamp"; timestamp: number };

export interface ScanCursor {
  direction: "forward" | "backward";
  /** Forward: the next offset to read per partition. Backward: the exclusive upper bound per partition. */
  positions: PartitionPosition[];
}

export interface ScanRequest {
  topic: string;
  /** All partitions when absent or empty. */
  partitions?: number[];
  /** Where the first page starts; ignored when `cursor` is given. */
  start?: StartPoint;
  cursor?: ScanCursor;
  limit: number;
  filter?: ParsedMessageFilter;
}

export type BrowsedMessage = DecodedMessage & { validation: ValidationResult | null };

export interface ScanProgress {
  type: "progress";
  scanned: number;
  matched: number;
  /** Records between the start positions and the end (or start, backwards) when the scan began. */
  toScan: number;
  positions: PartitionPosition[];
}

export interface ScanDone {
  type: "done";
  scanned: number;
  matched: number;
  /** Every partition was read to its end (forward) or start (backward). */
  exhausted: boolean;
  /** Newer page: a forward cursor. */
  after: ScanCursor;
  /** Older page: a backward cursor. */
  before: ScanCursor;
  bounds: PartitionBounds[];
  /**
   * Set when the page stopped at its budget before filling up or reaching the end: what it shows is
   * partial, and `continueWith` (the same as `after` forward, `before` backward) reads on from there.
   */
  budgetReached: (BudgetStop & { continueWith: ScanCursor }) | null;
}

export type ScanEvent = ScanProgress | { type: "messages"; messages: BrowsedMessage[] } | ScanDone;

/** Bytes per partition per fetch while scanning. */
const SCAN_FETCH_BYTES = READ_RANGE_FETCH_BYTES;
/** Offsets read per partition per step when scanning backwards. */
const BACKWARD_WINDOW = 500;
const PROGRESS_EVERY_MS = 250;

const clamp = (value: number, b: PartitionBounds) => Math.min(Math.max(value, b.start), b.end);

/** Resolves a start point into a cursor over the selected partitions. */
export async function resolveStart(cluster: ClusterConnectionConfig, topic: string, bounds: PartitionBounds[], start: StartPoint): Promise<ScanCursor> {
  switch (start.kind) {
    case "earliest":
      return { direction: "forward", positions: bounds.map((b) => ({ partition: b.partition, offset: b.start })) };
    case "latest":
      return { direction: "backward", positions: bounds.map((b) => ({ partition: b.partition, offset: b.end })) };
    case "offset":
      return { direction: "forward", positions: bounds.map((b) => ({ partition: b.partition, offset: clamp(start.offset, b) })) };
    case "timestamp": {
      const at = await offsetsForTimestamp(cluster, topic, start.timestamp);
      return { direction: "forward", positions: bounds.map((b) => ({ partition: b.partition, offset: clamp(at.find((a) => a.partition === b.partition)?.offset ?? b.end, b) })) };
    }
  }
}

/**
 * A matching record as the browser shows it: decoded from the masked record, but validated against
 * the clear value (a masked field would fail its schema). A verdict names paths, never values.
 */
async function browsed(clear: FetchedRecord, shown: RecordView, limit = PREVIEW_CHARS): Promise<BrowsedMessage> {
  const message = decodeRecord(shown.record, limit);
  const value = shown.record === clear ? shown.json : new RecordView(clear).json;
  return { ...message, validation: await validatePayload(message.envelope.eventType, value) };
}

/**
 * The view filters see: the masked record, so a filter cannot find a record by a value its reader
 * may not see. Without a masker, everything any policy names is masked (the safe default).
 */
export function maskedView(record: FetchedRecord, mask: RecordMasker): RecordView {
  return new RecordView(mask(record));
}

function positionsOf(map: Map<number, number>): PartitionPosition[] {
  return [...map].sort((a, b) => a[0] - b[0]).map(([partition, offset]) => ({ partition, offset }));
}

/** One page of the browser: forward or backward from a cursor, streaming progress and matches. */
export async function* scanPage(cluster: ClusterConnectionConfig, request: ScanRequest, signal?: AbortSignal, budgetOptions?: ScanBudgetOptions, mask: RecordMasker = maskerFor(null)): AsyncGenerator<ScanEvent> {
  const bounds = await selectedBounds(cluster, request.topic, request.partitions);
  const boundOf = new Map(bounds.map((b) => [b.partition, b]));
  const cursor = request.cursor ?? (await resolveStart(cluster, request.topic, bounds, request.start ?? { kind: "latest" }));
  const positions = cursor.positions.filter((p) => boundOf.has(p.partition)).map((p) => ({ partition: p.partition, offset: clamp(p.offset, boundOf.get(p.partition)!) }));
  const predicate = compileFilter(request.filter);
  const budget = new ScanBudget(budgetOptions);
  if (cursor.direction === "forward") yield* scanForward(cluster, request, bounds, positions, predicate, budget, mask, signal);
  else yield* scanBackward(cluster, request, bounds, positions, predicate, budget, mask, signal);
}

async function* scanForward(
  cluster: ClusterConnectionConfig,
  request: ScanRequest,
  bounds: PartitionBounds[],
  start: PartitionPosition[],
  predicate: RecordPredicate,
  budget: ScanBudget,
  mask: RecordMasker,
  signal?: AbortSignal,
): AsyncGenerator<ScanEvent> {
  const ends = new Map(bounds.map((b) => [b.partition, b.end]));
  const toScan = start.reduce((sum, p) => sum + Math.max(0, ends.get(p.partition)! - p.offset), 0);
  const position = new Map(start.map((p) => [p.partition, p.offset]));
  let scanned = 0;
  let matched = 0;
  let lastProgress = 0;
  // Stop at the record that fills the page or spends the budget; the position is then just past it.
  let full = false;
  let spent = false;
  for await (const chunk of readRange(cluster, request.topic, start, { ends, signal })) {
    const found: BrowsedMessage[] = [];
    let stoppedInside = false;
    for (const fetched of chunk.records) {
      const record = await readableRecord(fetched, cluster.name);
      scanned += 1;
      position.set(chunk.partition, record.offset + 1);
      spent = !budget.spend();
      const view = maskedView(record, mask);
      if (predicate(view)) {
        matched += 1;
        found.push(await browsed(record, view));
        full = matched >= request.limit;
      }
      if (full || spent) {
        stoppedInside = true;
        break;
      }
    }
    if (!stoppedInside) position.set(chunk.partition, chunk.nextOffset);
    // A chunk without records (only transaction markers, say) still spends time.
    spent ||= !budget.check();
    if (found.length) yield { type: "messages", messages: found };
    const now = Date.now();
    if (now - lastProgress >= PROGRESS_EVERY_MS) {
      lastProgress = now;
      yield { type: "progress", scanned, matched, toScan, positions: positionsOf(position) };
    }
    if (full || spent) break;
  }
  const after = positionsOf(position);
  const exhausted = after.every((p) => p.offset >= ends.get(p.partition)!);
  const next: ScanCursor = { direction: "forward", positions: after };
  yield {
    type: "done",
    scanned,
    matched,
    exhausted,
    after: next,
    before: { direction: "backward", positions: start },
    bounds,
    // A page that filled up, or read everything, on its last allowed record did not lose anything to the budget.
    budgetReached: spent && budget.stop && !full && !exhausted ? { ...budget.stop, continueWith: next } : null,
  };
}

async function* scanBackward(
  cluster: ClusterConnectionConfig,
  request: ScanRequest,
  bounds: PartitionBounds[],
  upper: PartitionPosition[],
  predicate: RecordPredicate,
  budget: ScanBudget,
  mask: RecordMasker,
  signal?: AbortSignal,
): AsyncGenerator<ScanEvent> {
  const startOf = new Map(bounds.map((b) => [b.partition, b.start]));
  const toScan = upper.reduce((sum, p) => sum + Math.max(0, p.offset - startOf.get(p.partition)!), 0);
  let scanned = 0;
  let matched = 0;
  // The newest `limit` matches over all partitions; per partition, where scanning reached and which matches were dropped.
  let kept: BrowsedMessage[] = [];
  const scannedDownTo = new Map(upper.map((p) => [p.partition, p.offset]));
  const maxDropped = new Map<number, number>();
  const newestFirst = (a: BrowsedMessage, b: BrowsedMessage) => b.timestamp - a.timestamp || b.partition - a.partition || b.offset - a.offset;
  let lastProgress = 0;
  // Whether the budget stopped a partition before its page was full or its start was reached.
  let cut = false;

  for (const { partition, offset: top } of upper) {
    let high = top;
    let partitionMatches = 0;
    const low = startOf.get(partition)!;
    while (high > low && partitionMatches < request.limit && !signal?.aborted) {
      // The budget is checked between windows: a window is read oldest first, so stopping inside one
      // would leave a gap above the records read. A window adds at most BACKWARD_WINDOW records.
      if (!budget.check()) {
        cut = true;
        break;
      }
      const from = Math.max(low, high - BACKWARD_WINDOW);
      const window: BrowsedMessage[] = [];
      for await (const chunk of readRange(cluster, request.topic, [{ partition, offset: from }], { ends: new Map([[partition, high]]), signal })) {
        for (const fetched of chunk.records) {
          const record = await readableRecord(fetched, cluster.name);
          scanned += 1;
          budget.spend();
          const view = maskedView(record, mask);
          if (predicate(view)) window.push(await browsed(record, view));
        }
      }
      matched += window.length;
      partitionMatches += window.length;
      high = from;
      scannedDownTo.set(partition, from);
      kept = [...kept, ...window].sort(newestFirst);
      for (const dropped of kept.splice(request.limit)) maxDropped.set(dropped.partition, Math.max(maxDropped.get(dropped.partition) ?? -1, dropped.offset));
      const now = Date.now();
      if (now - lastProgress >= PROGRESS_EVERY_MS) {
        lastProgress = now;
        yield { type: "progress", scanned, matched, toScan, positions: positionsOf(scannedDownTo) };
      }
    }
  }
  const oldestFirst = [...kept].reverse();
  if (oldestFirst.length) yield { type: "messages", messages: oldestFirst };
  const before = upper.map(({ partition }) => ({ partition, offset: maxDropped.has(partition) ? maxDropped.get(partition)! + 1 : scannedDownTo.get(partition)! }));
  const exhausted = before.every((p) => p.offset <= startOf.get(p.partition)!);
  const older: ScanCursor = { direction: "backward", positions: before };
  // Partitions are read one after another, so a stop leaves later partitions unread at their upper
  // bound; `before` keeps them there and the next older page reads them.
  yield {
    type: "done",
    scanned,
    matched: kept.length,
    exhausted,
    after: { direction: "forward", positions: upper },
    before: older,
    bounds,
    budgetReached: cut && budget.stop ? { ...budget.stop, continueWith: older } : null,
  };
}

/** Streams new matching records as they arrive, from the end of the selected partitions, until `signal` aborts. */
export async function* tailMessages(cluster: ClusterConnectionConfig, request: { topic: string; partitions?: number[]; filter?: ParsedMessageFilter }, signal?: AbortSignal, mask: RecordMasker = maskerFor(null)): AsyncGenerator<ScanEvent> {
  const bounds = await selectedBounds(cluster, request.topic, request.partitions);
  const predicate = compileFilter(request.filter);
  const position = new Map(bounds.map((b) => [b.partition, b.end]));
  let scanned = 0;
  let matched = 0;
  yield { type: "progress", scanned, matched, toScan: 0, positions: positionsOf(position) };
  while (!signal?.aborted) {
    // The broker holds the request up to a second when there is nothing new: a long poll, not a busy loop.
    const results = await fetchRecords(cluster, request.topic, positionsOf(position), { maxBytesPerPartition: SCAN_FETCH_BYTES, maxWaitMs: 1000 });
    const found: BrowsedMessage[] = [];
    for (const result of results) {
      for (const fetched of result.records) {
        const record = await readableRecord(fetched, cluster.name);
        scanned += 1;
        const view = maskedView(record, mask);
        if (!predicate(view)) continue;
        matched += 1;
        found.push(await browsed(record, view));
      }
      position.set(result.partition, Math.max(position.get(result.partition)!, result.nextOffset));
    }
    if (found.length) yield { type: "messages", messages: found.sort((a, b) => a.timestamp - b.timestamp) };
    yield { type: "progress", scanned, matched, toScan: 0, positions: positionsOf(position) };
  }
}

/** One record in full, for "show all": no preview limit (the UI still renders it as text). */
export async function getMessage(cluster: ClusterConnectionConfig, topic: string, partition: number, offset: number, mask: RecordMasker = maskerFor(null)): Promise<BrowsedMessage> {
  const [result] = await fetchRecords(cluster, topic, [{ partition, offset }], { maxBytesPerPartition: 1024 * 1024 });
  const fetched = result?.records.find((r) => r.offset === offset);
  if (!fetched) throw new AppError("NOT_FOUND", `No record at ${topic}/${partition}/${offset} (it may be a transaction marker, aborted, or deleted).`);
  const record = await readableRecord(fetched, cluster.name);
  return browsed(record, maskedView(record, mask), Number.MAX_SAFE_INTEGER);
}
