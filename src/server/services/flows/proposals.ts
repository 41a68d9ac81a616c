// Flows proposed from what Signalbox sees: the causation chains of recent correlations (every event
// names its cause in metadata.causationId). The worker keeps a bounded sample of correlations and
// stores a summary (which event type causes which, how often, how fast, and which effects happen in
// the same correlation); the Flows page turns the summary into proposals an architect confirms or
// edits. The rules are heuristics, said plainly on the page:
// - a flow starts at an event type that has no cause;
// - effects of one cause that never happen in the same correlation are alternatives (one step);
//   effects that do are parallel steps;
// - an event type caused by more than MAX_CAUSES types is a listener on everything (notifications,
//   audit), not a step: it is listed apart;
// - a step's SLO is twice its observed p99, rounded up; terminal events are those with no effect;
//   names like Cancelled or Refunded mark compensations; the flow completes at the deepest terminal
//   events of the happy path.
import { BoundedMap } from "~/lib/bounded-map";
import { edgeKey, type FlowDefinition } from "./definition";
import { emptyHistogram, observe, quantile } from "./latency";
import type { FlowEvent } from "./tracker";

const MAX_CAUSES = 2;
const MAX_EVENTS_PER_CORRELATION = 40;
const MIN_OBSERVED_STARTS = 5;
const COMPENSATING = /cancel|refund|revert|compensat|rollback|reject|void|undo/i;

export interface ObservedEdge {
  cause: string;
  effect: string;
  count: number;
  latency: number[];
}

export interface CausationSummary {
  correlations: number;
  /** Event types seen without a cause, with how many correlations they started. */
  roots: Record<string, number>;
  edges: ObservedEdge[];
  /** For each cause type, pairs of its effect types seen in one correlation (`a>b`, a < b). */
  together: Record<string, string[]>;
}

interface SampledEvent {
  type: string;
  id: string | null;
  cause: string | null;
  at: number;
}

/** A bounded sample of recent correlations' events (the newest `limit` correlations). */
export class CausationObserver {
  private readonly correlations: BoundedMap<string, SampledEvent[]>;

  constructor(limit = 20_000) {
    this.correlations = new BoundedMap(limit);
  }

  ingest(e: FlowEvent): void {
    if (e.deadLetter || !e.eventType || !e.correlationId) return;
    const events = this.correlations.get(e.correlationId) ?? [];
    if (events.length >= MAX_EVENTS_PER_CORRELATION || (e.eventId && events.some((s) => s.id === e.eventId))) return;
    events.push({ type: e.eventType, id: e.eventId, cause: e.causationId, at: e.timestamp });
    this.correlations.set(e.correlationId, events);
  }

  summary(): CausationSummary {
    const roots: Record<string, number> = {};
    const edges = new Map<string, ObservedEdge>();
    const together = new Map<string, Set<string>>();
    for (const events of this.correlations.values()) {
      const byId = new Map(events.filter((e) => e.id).map((e) => [e.id!, e]));
      const effectsOf = new Map<string, Set<string>>();
      for (const e of events) {
        if (!e.cause) {
          roots[e.type] = (roots[e.type] ?? 0) + 1;
          continue;
        }
        const cause = byId.get(e.cause);
        if (!cause) continue;
        const key = edgeKey(cause.type, e.type);
        const edge = edges.get(key) ?? { cause: cause.type, effect: e.type, count: 0, latency: emptyHistogram() };
        edge.count += 1;
        observe(edge.latency, Math.max(0, e.at - cause.at));
        edges.set(key, edge);
        const effects = effectsOf.get(cause.type) ?? new Set<string>();
        effects.add(e.type);
        effectsOf.set(cause.type, effects);
      }
      for (const [cause, effects] of effectsOf) {
        const list = [...effects].sort();
        for (let i = 0; i < list.length; i++) {
          for (let j = i + 1; j < list.length; j++) {
            const pairs = together.get(cause) ?? new Set<string>();
            pairs.add(`${list[i]}>${list[j]}`);
            together.set(cause, pairs);
          }
        }
      }
    }
    return { correlations: this.correlations.size, roots, edges: [...edges.values()], together: Object.fromEntries([...together].map(([k, v]) => [k, [...v]])) };
  }
}

export interface FlowProposal {
  /** A name to start from: the start event's, as a flow. */
  name: string;
  definition: FlowDefinition;
  /** Correlations of the sample that started with this event type. */
  observedStarts: number;
  /** Listeners on many event types, left out of the steps (e.g. a notifier). */
  leftOut: { eventType: string; causes: number }[];
  /** Per step edge, how often it was seen and its observed p99 (ms). */
  observed: { after: string; next: string; count: number; p99Ms: number | null }[];
}

/** Rounds up to a readable SLO: 1 s, 2 s, 5 s, 10 s, 30 s, 1 min, 5 min, 15 min, 1 h. */
function niceSlo(ms: number): number {
  const steps = [1_000, 2_000, 5_000, 10_000, 30_000, 60_000, 300_000, 900_000, 3_600_000];
  return steps.find((s) => s >= ms) ?? steps[steps.length - 1]!;
}

/** Splits the effects of one cause into groups whose members never happen together (alternatives). */
function alternatives(effects: string[], together: ReadonlySet<string>): string[][] {
  const groups: string[][] = [];
  const apart = (a: string, b: string) => !together.has(a < b ? `${a}>${b}` : `${b}>${a}`);
  for (const effect of [...effects].sort()) {
    const group = groups.find((g) => g.every((member) => apart(member, effect)));
    if (group) group.push(effect);
    else groups.push([effect]);
  }
  return groups;
}

export function proposeFlows(summary: CausationSummary, existingStarts: ReadonlySet<string> = new Set()): FlowProposal[] {
  const causesOf = new Map<string, Set<string>>();
  for (const edge of summary.edges) causesOf.set(edge.effect, (causesOf.get(edge.effect) ?? new Set()).add(edge.cause));
  const listener = (type: string) => (causesOf.get(type)?.size ?? 0) > MAX_CAUSES;
  const outgoing = new Map<string, ObservedEdge[]>();
  for (const edge of summary.edges) if (!listener(edge.effect)) outgoing.set(edge.cause, [...(outgoing.get(edge.cause) ?? []), edge]);

  const proposals: FlowProposal[] = [];
  for (const [root, starts] of Object.entries(summary.roots).sort((a, b) => b[1] - a[1])) {
    if (starts < MIN_OBSERVED_STARTS || existingStarts.has(root) || listener(root) || !outgoing.has(root)) continue;
    const steps: FlowDefinition["steps"] = [];
    const observed: FlowProposal["observed"] = [];
    const reached = new Set([root]);
    const queue = [root];
    const leftOut = new Map<string, number>();
    // The longest path's SLOs add up to the end-to-end SLO.
    const sloTo = new Map<string, number>([[root, 0]]);
    const depth = new Map<string, number>([[root, 0]]);
    while (queue.length) {
      const cause = queue.shift()!;
      const edges = outgoing.get(cause) ?? [];
      for (const edge of summary.edges) if (edge.cause === cause && listener(edge.effect)) leftOut.set(edge.effect, causesOf.get(edge.effect)!.size);
      const together = new Set(summary.together[cause] ?? []);
      for (const group of alternatives(edges.map((e) => e.effect).filter((effect) => effect !== root), together)) {
        const groupEdges = edges.filter((e) => group.includes(e.effect));
        const p99 = Math.max(...groupEdges.map((e) => quantile(e.latency, 0.99) ?? 0));
        const sloMs = niceSlo(Math.max(1_000, 2 * p99));
        steps.push({ after: cause, next: group, sloMs });
        for (const e of groupEdges) observed.push({ after: cause, next: e.effect, count: e.count, p99Ms: quantile(e.latency, 0.99) });
        for (const effect of group) {
          sloTo.set(effect, Math.max(sloTo.get(effect) ?? 0, (sloTo.get(cause) ?? 0) + sloMs));
          if (!depth.has(effect)) depth.set(effect, depth.get(cause)! + 1);
          if (!reached.has(effect)) {
            reached.add(effect);
            queue.push(effect);
          }
        }
      }
    }
    const terminals = [...reached].filter((t) => t !== root && !steps.some((s) => s.after === t));
    // A side branch also ends without an effect (a settlement beside the stock reservation): the flow
    // completes at the deepest ends of the happy path, not at the first side branch's.
    const happyEnds = terminals.filter((t) => !COMPENSATING.test(t));
    const deepest = Math.max(0, ...happyEnds.map((t) => depth.get(t)!));
    proposals.push({
      name: `${root} flow`,
      observedStarts: starts,
      leftOut: [...leftOut].map(([eventType, causes]) => ({ eventType, causes })),
      observed,
      definition: {
        startEventType: root,
        steps,
        compensations: [...reached].filter((t) => COMPENSATING.test(t)).sort(),
        completedOn: happyEnds.filter((t) => depth.get(t) === deepest).sort(),
        compensatedOn: terminals.filter((t) => COMPENSATING.test(t)).sort(),
        endToEndSloMs: niceSlo(Math.max(1_000, ...sloTo.values())),
      },
    });
  }
  return proposals;
}
