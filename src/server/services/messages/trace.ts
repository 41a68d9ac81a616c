// Trace: every event of one correlation across topics within a time window, as a timeline and a
// causal tree linked by metadata.causationId. Enter a correlation id, or any event's id (its
// correlation is then followed). A trace searches at most TRACE_MAX_TOPICS topics over at most
// TRACE_MAX_WINDOW_MS, and stops at the scan budget (SCAN_MAX_RECORDS, SCAN_MAX_MS) with what it found.
import { getEnv } from "~/env";
import { formatDuration } from "~/lib/format";
import { listTopicNames, offsetsForTimestamp, readRange, selectedBounds, type ClusterConnectionConfig, type PartitionPosition } from "~/server/broker";
import { AppError } from "~/server/errors";
import { ScanBudget, scanBudgetFromEnv, type BudgetStop, type ScanBudgetOptions } from "~/server/services/limits/budget";
import { maskerFor, type RecordMasker } from "~/server/services/masking/masking";
import type { RecordView } from "./filters";
import { maskedView } from "./scan";
import { traceFindings, type TraceFindings } from "./trace-findings";

export interface TraceEvent {
  topic: string;
  partition: number;
  offset: number;
  timestamp: number;
  eventId: string | null;
  eventType: string | null;
  source: string | null;
  correlationId: string | null;
  causationId: string | null;
  /** Milliseconds since the cause (or, without a known cause, since the previous event). */
  latencyMs: number | null;
  /** "copy": the same event (same eventId) written again, e.g. dead-lettered, replayed or redriven. */
  latencyFrom: "cause" | "copy" | "previous" | null;
}

export interface TraceNode {
  event: TraceEvent;
  children: TraceNode[];
}

export interface TraceResult {
  correlationId: string | null;
  /** Events in time order. */
  timeline: TraceEvent[];
  /** Root events (no cause, or a cause outside the window) with their consequences. */
  tree: TraceNode[];
  /** Events delivered more than once, and causes answered more than once (trace-findings.ts). */
  findings: TraceFindings;
  topicsSearched: string[];
  scanned: number;
  truncated: boolean;
  /**
   * Set when the trace stopped at its budget: the events shown are those found so far. `topic` and
   * `positions` say where it stopped; `topicsNotSearched` were not read at all.
   */
  budgetReached: (BudgetStop & { topic: string; positions: PartitionPosition[]; topicsNotSearched: string[] }) | null;
}

export interface TraceLimits {
  budget: ScanBudgetOptions;
  maxTopics: number;
  maxWindowMs: number;
}

export function traceLimitsFromEnv(env = getEnv()): TraceLimits {
  return { budget: scanBudgetFromEnv(env), maxTopics: env.TRACE_MAX_TOPICS, maxWindowMs: env.TRACE_MAX_WINDOW_MS };
}

interface SearchResult {
  events: TraceEvent[];
  scanned: number;
  truncated: boolean;
  /** Where the budget stopped the search, when it did. */
  stoppedAt: { topic: string; positions: PartitionPosition[]; topicsNotSearched: string[] } | null;
}

export type TraceEventStream = { type: "progress"; topic: string; topicsDone: number; topics: number; scanned: number; found: number } | { type: "done"; result: TraceResult };

export const TRACE_MAX_EVENTS = 1000;

async function* searchTopics(
  cluster: ClusterConnectionConfig,
  topics: string[],
  window: { from: number; to: number },
  matches: (view: RecordView) => boolean,
  budget: ScanBudget,
  mask: RecordMasker,
  signal?: AbortSignal,
): AsyncGenerator<TraceEventStream, SearchResult> {
  const events: TraceEvent[] = [];
  let scanned = 0;
  let truncated = false;
  let stoppedAt: SearchResult["stoppedAt"] = null;
  for (const [i, topic] of topics.entries()) {
    if (signal?.aborted || truncated || stoppedAt) break;
    const bounds = await selectedBounds(cluster, topic);
    const [starts, ends] = await Promise.all([offsetsForTimestamp(cluster, topic, window.from), offsetsForTimestamp(cluster, topic, window.to)]);
    const endOf = new Map(bounds.map((b) => [b.partition, Math.min(b.end, ends.find((e) => e.partition === b.partition)?.offset ?? b.end)]));
    const positions = bounds.map((b) => ({ partition: b.partition, offset: Math.max(b.start, starts.find((s) => s.partition === b.partition)?.offset ?? b.end) }));
    // `reached` is the next offset to read per partition. The budget is checked before each record
    // (and before each topic), so a trace that reads everything on its last allowed record is not
    // reported as stopped.
    const reached = new Map(positions.map((p) => [p.partition, p.offset]));
    const stopHere = () => {
      stoppedAt = { topic, positions: [...reached].sort((a, b) => a[0] - b[0]).map(([partition, offset]) => ({ partition, offset })), topicsNotSearched: topics.slice(i + 1) };
    };
    if (!budget.check()) stopHere();
    else {
      for await (const chunk of readRange(cluster, topic, positions, { ends: endOf, signal })) {
        let spent = false;
        for (const record of chunk.records) {
          if (!budget.check()) {
            spent = true;
            break;
          }
          scanned += 1;
          budget.spend();
          reached.set(chunk.partition, record.offset + 1);
          // Events carry envelope fields only, but a policy may name one of them (a correlation id).
          const view = maskedView(record, mask);
          if (!matches(view)) continue;
          if (events.length >= TRACE_MAX_EVENTS) {
            truncated = true;
            break;
          }
          const e = view.envelope;
          events.push({ topic, partition: record.partition, offset: record.offset, timestamp: record.timestamp, eventId: e.eventId, eventType: e.eventType, source: e.source, correlationId: e.correlationId, causationId: e.causationId, latencyMs: null, latencyFrom: null });
        }
        if (truncated) break;
        if (spent) {
          stopHere();
          break;
        }
        reached.set(chunk.partition, chunk.nextOffset);
      }
    }
    yield { type: "progress", topic, topicsDone: i + 1, topics: topics.length, scanned, found: events.length };
  }
  return { events, scanned, truncated, stoppedAt };
}

/** Orders events in time, links causes, and computes the latency of each step. */
export function buildTrace(events: TraceEvent[]): Pick<TraceResult, "timeline" | "tree" | "findings"> {
  const timeline = [...events].sort((a, b) => a.timestamp - b.timestamp || a.topic.localeCompare(b.topic) || a.partition - b.partition || a.offset - b.offset);
  const byId = new Map<string, TraceEvent>();
  for (const e of timeline) if (e.eventId && !byId.has(e.eventId)) byId.set(e.eventId, e);
  // A later record with an earlier record's eventId is a copy of it (a DLQ, a replay): it hangs
  // under the original instead of standing as a second root.
  const originalOf = (e: TraceEvent) => {
    const first = e.eventId ? byId.get(e.eventId) : undefined;
    return first && first !== e ? first : undefined;
  };
  timeline.forEach((e, i) => {
    const original = originalOf(e);
    const cause = e.causationId ? byId.get(e.causationId) : undefined;
    if (original) {
      e.latencyMs = e.timestamp - original.timestamp;
      e.latencyFrom = "copy";
    } else if (cause) {
      e.latencyMs = e.timestamp - cause.timestamp;
      e.latencyFrom = "cause";
    } else if (i > 0) {
      e.latencyMs = e.timestamp - timeline[i - 1]!.timestamp;
      e.latencyFrom = "previous";
    }
  });
  const nodes = new Map<TraceEvent, TraceNode>(timeline.map((e) => [e, { event: e, children: [] }]));
  const roots: TraceNode[] = [];
  for (const e of timeline) {
    const cause = originalOf(e) ?? (e.causationId ? byId.get(e.causationId) : undefined);
    // An event that names itself as its cause would make a loop; treat it as a root.
    if (cause && cause !== e) nodes.get(cause)!.children.push(nodes.get(e)!);
    else roots.push(nodes.get(e)!);
  }
  return { timeline, tree: roots, findings: traceFindings(timeline) };
}

export async function* traceCorrelation(
  cluster: ClusterConnectionConfig,
  request: { id: string; from: number; to: number; topics?: string[] },
  signal?: AbortSignal,
  limits: TraceLimits = traceLimitsFromEnv(),
  mask: RecordMasker = maskerFor(null),
): AsyncGenerator<TraceEventStream> {
  const id = request.id.trim();
  if (!id) throw new AppError("BAD_REQUEST", "Enter a correlation id or an event id.");
  if (request.from >= request.to) throw new AppError("BAD_REQUEST", "The time window ends before it starts.");
  if (request.to - request.from > limits.maxWindowMs) {
    throw new AppError("BAD_REQUEST", `The time window is longer than a trace may search: at most ${formatDuration(limits.maxWindowMs / 1000)} (TRACE_MAX_WINDOW_MS=${limits.maxWindowMs}). Narrow it around the event.`);
  }
  const named = request.topics?.length ? [...new Set(request.topics)] : null;
  const topics = named ?? (await listTopicNames(cluster)).filter((t) => !t.startsWith("__")).sort();
  if (topics.length > limits.maxTopics) {
    throw new AppError(
      "BAD_REQUEST",
      named
        ? `A trace searches at most ${limits.maxTopics} topics (TRACE_MAX_TOPICS=${limits.maxTopics}); ${named.length} were named. Name fewer topics.`
        : `A trace searches at most ${limits.maxTopics} topics (TRACE_MAX_TOPICS=${limits.maxTopics}) and this cluster has ${topics.length}. Name the topics to search.`,
    );
  }
  // One budget for the whole trace, both passes included.
  const budget = new ScanBudget(limits.budget);
  // One pass finds the correlation's events, and the event itself when the id is an event id.
  let result = yield* searchTopics(cluster, topics, request, (v) => v.envelope.correlationId === id || v.envelope.eventId === id, budget, mask, signal);
  let correlationId: string | null = result.events.some((e) => e.correlationId === id) ? id : null;
  const asEvent = result.events.find((e) => e.eventId === id);
  // The id was an event id: follow that event's correlation, if budget is left (otherwise show what
  // the first pass found rather than an empty second pass).
  if (asEvent?.correlationId && asEvent.correlationId !== id && !budget.stop) {
    correlationId = asEvent.correlationId;
    const cid = correlationId;
    result = yield* searchTopics(cluster, topics, request, (v) => v.envelope.correlationId === cid || v.envelope.eventId === id, budget, mask, signal);
  }
  const built = buildTrace(result.events);
  const budgetReached = result.stoppedAt && budget.stop ? { ...budget.stop, ...result.stoppedAt } : null;
  yield { type: "done", result: { correlationId, ...built, topicsSearched: topics, scanned: result.scanned, truncated: result.truncated, budgetReached } };
}
