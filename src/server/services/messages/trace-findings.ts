// What a trace can tell about idempotency, from its events alone: events delivered more than once
// (the same eventId twice on one topic: at-least-once delivery, e.g. a relay or producer retry), and
// causes answered more than once (two events of one type from one service for one cause: a consumer
// that processed its input twice). Copies on other topics (a DLQ, a replay target) are neither.
import type { TraceEvent } from "./trace";

export interface TraceFindings {
  redelivered: { eventId: string; eventType: string | null; topic: string; copies: number }[];
  repeatedResults: { causationId: string; causeType: string | null; source: string | null; eventType: string | null; count: number; eventIds: string[] }[];
}

export function traceFindings(timeline: TraceEvent[]): TraceFindings {
  const onTopic = new Map<string, TraceEvent[]>();
  for (const e of timeline) {
    if (!e.eventId) continue;
    const key = `${e.topic}\u0000${e.eventId}`;
    onTopic.set(key, [...(onTopic.get(key) ?? []), e]);
  }
  const redelivered = [...onTopic.values()].filter((copies) => copies.length > 1).map((copies) => ({ eventId: copies[0]!.eventId!, eventType: copies[0]!.eventType, topic: copies[0]!.topic, copies: copies.length }));

  const typeOf = new Map<string, string | null>();
  for (const e of timeline) if (e.eventId && !typeOf.has(e.eventId)) typeOf.set(e.eventId, e.eventType);
  const results = new Map<string, { causationId: string; source: string | null; eventType: string | null; ids: Set<string> }>();
  for (const e of timeline) {
    if (!e.causationId || !e.eventId) continue;
    const key = [e.causationId, e.source ?? "", e.eventType ?? ""].join("\u0000");
    const entry = results.get(key) ?? { causationId: e.causationId, source: e.source, eventType: e.eventType, ids: new Set<string>() };
    entry.ids.add(e.eventId);
    results.set(key, entry);
  }
  const repeatedResults = [...results.values()]
    .filter((r) => r.ids.size > 1)
    .map((r) => ({ causationId: r.causationId, causeType: typeOf.get(r.causationId) ?? null, source: r.source, eventType: r.eventType, count: r.ids.size, eventIds: [...r.ids] }));
  return { redelivered, repeatedResults };
}
