// Trace: every event of one correlation across topics within a time window, as a timeline and a
// causal tree linked by metadata.causationId. Enter a correlation id, or any event's id (its
// correlation is then followed).
import { listTopicNames, offsetsForTimestamp, type ClusterConnectionConfig } from "~/server/broker";
import { AppError } from "~/server/errors";
import { RecordView } from "./filters";
import { readRange, selectedBounds } from "./scan";

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
  latencyFrom: "cause" | "previous" | null;
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
  topicsSearched: string[];
  scanned: number;
  truncated: boolean;
}

export type TraceEventStream = { type: "progress"; topic: string; topicsDone: number; topics: number; scanned: number; found: number } | { type: "done"; result: TraceResult };

export const TRACE_MAX_EVENTS = 1000;

async function* searchTopics(
  cluster: ClusterConnectionConfig,
  topics: string[],
  window: { from: number; to: number },
  matches: (view: RecordView) => boolean,
  signal?: AbortSignal,
): AsyncGenerator<TraceEventStream, { events: TraceEvent[]; scanned: number; truncated: boolean }> {
  const events: TraceEvent[] = [];
  let scanned = 0;
  let truncated = false;
  for (const [i, topic] of topics.entries()) {
    if (signal?.aborted || truncated) break;
    const bounds = await selectedBounds(cluster, topic);
    const [starts, ends] = await Promise.all([offsetsForTimestamp(cluster, topic, window.from), offsetsForTimestamp(cluster, topic, window.to)]);
    const endOf = new Map(bounds.map((b) => [b.partition, Math.min(b.end, ends.find((e) => e.partition === b.partition)?.offset ?? b.end)]));
    const positions = bounds.map((b) => ({ partition: b.partition, offset: Math.max(b.start, starts.find((s) => s.partition === b.partition)?.offset ?? b.end) }));
    for await (const chunk of readRange(cluster, topic, positions, { ends: endOf, signal })) {
      for (const record of chunk.records) {
        scanned += 1;
        const view = new RecordView(record);
        if (!matches(view)) continue;
        if (events.length >= TRACE_MAX_EVENTS) {
          truncated = true;
          break;
        }
        const e = view.envelope;
        events.push({ topic, partition: record.partition, offset: record.offset, timestamp: record.timestamp, eventId: e.eventId, eventType: e.eventType, source: e.source, correlationId: e.correlationId, causationId: e.causationId, latencyMs: null, latencyFrom: null });
      }
      if (truncated) break;
    }
    yield { type: "progress", topic, topicsDone: i + 1, topics: topics.length, scanned, found: events.length };
  }
  return { events, scanned, truncated };
}

/** Orders events in time, links causes, and computes the latency of each step. */
export function buildTrace(events: TraceEvent[]): Pick<TraceResult, "timeline" | "tree"> {
  const timeline = [...events].sort((a, b) => a.timestamp - b.timestamp || a.topic.localeCompare(b.topic) || a.partition - b.partition || a.offset - b.offset);
  const byId = new Map<string, TraceEvent>();
  for (const e of timeline) if (e.eventId && !byId.has(e.eventId)) byId.set(e.eventId, e);
  timeline.forEach((e, i) => {
    const cause = e.causationId ? byId.get(e.causationId) : undefined;
    if (cause) {
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
    const cause = e.causationId ? byId.get(e.causationId) : undefined;
    // An event that names itself as its cause would make a loop; treat it as a root.
    if (cause && cause !== e) nodes.get(cause)!.children.push(nodes.get(e)!);
    else roots.push(nodes.get(e)!);
  }
  return { timeline, tree: roots };
}

export async function* traceCorrelation(
  cluster: ClusterConnectionConfig,
  request: { id: string; from: number; to: number; topics?: string[] },
  signal?: AbortSignal,
): AsyncGenerator<TraceEventStream> {
  const id = request.id.trim();
  if (!id) throw new AppError("BAD_REQUEST", "Enter a correlation id or an event id.");
  if (request.from >= request.to) throw new AppError("BAD_REQUEST", "The time window ends before it starts.");
  const topics = request.topics?.length ? request.topics : (await listTopicNames(cluster)).filter((t) => !t.startsWith("__")).sort();
  // One pass finds the correlation's events, and the event itself when the id is an event id.
  let result = yield* searchTopics(cluster, topics, request, (v) => v.envelope.correlationId === id || v.envelope.eventId === id, signal);
  let correlationId: string | null = result.events.some((e) => e.correlationId === id) ? id : null;
  const asEvent = result.events.find((e) => e.eventId === id);
  if (asEvent?.correlationId && asEvent.correlationId !== id) {
    // The id was an event id: follow that event's correlation.
    correlationId = asEvent.correlationId;
    const cid = correlationId;
    result = yield* searchTopics(cluster, topics, request, (v) => v.envelope.correlationId === cid || v.envelope.eventId === id, signal);
  }
  const built = buildTrace(result.events);
  yield { type: "done", result: { correlationId, ...built, topicsSearched: topics, scanned: result.scanned, truncated: result.truncated } };
}
