// The flow monitor's state machine, pure: it is fed the events the worker reads, in time order, and
// follows each declared flow's instances by correlation id. An instance starts at the flow's start
// event, waits at each step for one of the step's event types (past the step's SLO it is STUCK), is
// FAILED while one of its events lies dead-lettered, and ends at its first terminal event (COMPLETED
// or COMPENSATED). Alongside it counts, per minute of event time, what the owners of such a system ask
// for: starts and outcomes, end-to-end and per-step latency, duplicate deliveries, causes answered
// twice, events out of the declared order, and per topic and key, versions going backwards.
// Memory is bounded: open instances per flow, events per instance, and the duplicate and version
// memories are capped; the worker checkpoints the rest to PostgreSQL (monitor.ts).
import { BoundedMap } from "~/lib/bounded-map";
import type { FlowCounts } from "~/server/catalog";
import { edgeKey, type FlowDefinition } from "./definition";
import { emptyHistogram, observe } from "./latency";

export interface FlowEvent {
  topic: string;
  partition: number;
  offset: number;
  /** Epoch ms (the record's timestamp). */
  timestamp: number;
  key: string | null;
  eventId: string | null;
  eventType: string | null;
  source: string | null;
  correlationId: string | null;
  causationId: string | null;
  version: number | null;
  /** Read from a dead-letter topic: the event failed in its consumer. */
  deadLetter: boolean;
}

export type InstanceState = "RUNNING" | "STUCK" | "FAILED" | "COMPLETED" | "COMPENSATED";
export const OPEN_STATES: readonly InstanceState[] = ["RUNNING", "STUCK", "FAILED"];

export interface SeenEvent {
  eventType: string;
  eventId: string | null;
  at: number;
  topic: string;
  partition: number;
  offset: number;
}

export interface StepWait {
  after: string;
  next: string[];
  since: number;
  sloMs: number;
}

export interface InstanceDetail {
  /** The instance's events in the order read (the first MAX_EVENTS). */
  events: SeenEvent[];
  /** Steps whose event has not come yet; `overdue` past their SLO. */
  waiting: (StepWait & { overdue: boolean })[];
  deadLetter: { topic: string; partition: number; offset: number; eventType: string; at: number } | null;
  findings: { duplicates: number; repeated: number; outOfOrder: number };
  /** Why an instance that never reached a terminal event was given up on. */
  abandoned: string | null;
}

export interface FlowInstance {
  flowId: string;
  correlationId: string;
  state: InstanceState;
  startedAt: number;
  lastEventAt: number;
  endedAt: number | null;
  detail: InstanceDetail;
}

/** A flow's counts for one minute, as the catalog stores them (FlowBucket). */
export type BucketDelta = FlowCounts;

export interface TopicDelta {
  events: number;
  duplicates: number;
  versionRegressions: number;
}

/** What changed since the last checkpoint: to be written in one transaction with the cursors. */
export interface TrackerCheckpoint {
  instances: FlowInstance[];
  /** flowId → minute (epoch ms) → counts. */
  buckets: Map<string, Map<number, BucketDelta>>;
  /** topic → minute → counts. */
  topics: Map<string, Map<number, TopicDelta>>;
}

export interface TrackedFlow {
  id: string;
  name: string;
  definition: FlowDefinition;
}

export interface TrackerLimits {
  /** Open instances kept per flow; beyond it the oldest is given up on (FAILED, abandoned). */
  maxOpenPerFlow: number;
  /** An instance open this long after its start is given up on. */
  abandonAfterMs: number;
  /** Event ids remembered (per cluster) to find the same event delivered twice on a topic. */
  rememberedEventIds: number;
  /** Keys remembered (per cluster) to find versions going backwards. */
  rememberedKeys: number;
  /** Events of a correlation whose start has not been read yet, kept for it a while. */
  earlyEvents: number;
}

export const DEFAULT_TRACKER_LIMITS: TrackerLimits = {
  maxOpenPerFlow: 50_000,
  abandonAfterMs: 24 * 3600_000,
  rememberedEventIds: 200_000,
  rememberedKeys: 100_000,
  earlyEvents: 20_000,
};

const MAX_EVENTS = 40;
const MINUTE = 60_000;
const minuteOf = (ms: number) => Math.floor(ms / MINUTE) * MINUTE;

const emptyBucket = (): BucketDelta => ({ started: 0, completed: 0, compensated: 0, failed: 0, overSlo: 0, duplicates: 0, repeated: 0, outOfOrder: 0, latency: { e2e: emptyHistogram(), steps: {}, sums: { e2e: 0, steps: {} } } });

/** A flow's definition, indexed for the tracker's questions. */
class CompiledFlow {
  readonly types: Set<string>;
  /** For each event type, the steps that expect it. */
  readonly expectedBy = new Map<string, { after: string; sloMs: number }[]>();
  readonly completed: Set<string>;
  readonly compensated: Set<string>;

  constructor(readonly flow: TrackedFlow) {
    const def = flow.definition;
    this.types = new Set([def.startEventType, ...def.steps.flatMap((s) => [s.after, ...s.next])]);
    for (const step of def.steps) for (const next of step.next) this.expectedBy.set(next, [...(this.expectedBy.get(next) ?? []), { after: step.after, sloMs: step.sloMs }]);
    this.completed = new Set(def.completedOn);
    this.compensated = new Set(def.compensatedOn);
  }

  /** The steps an instance still waits for, given the event types it has seen (first time of each). */
  waits(seen: Map<string, number>, asOf: number): (StepWait & { overdue: boolean })[] {
    const waits: (StepWait & { overdue: boolean })[] = [];
    for (const step of this.flow.definition.steps) {
      const since = seen.get(step.after);
      if (since === undefined || step.next.some((n) => seen.has(n))) continue;
      waits.push({ after: step.after, next: step.next, since, sloMs: step.sloMs, overdue: asOf - since > step.sloMs });
    }
    return waits;
  }
}

interface OpenInstance extends FlowInstance {
  /** First time of each event type seen. */
  seen: Map<string, number>;
  /** Event ids seen per topic, to find redeliveries within the instance. */
  ids: Set<string>;
  /** `<causationId>\0<source>\0<eventType>` → event id: a second id is a cause answered twice. */
  results: Map<string, string>;
  /** Stored while open by an earlier checkpoint: its end must be stored too. */
  stored?: boolean;
}

/**
 * Finished instances stored per flow and checkpoint when they were never stored open: the screens
 * list the newest few, and writing every one of thousands of sagas a second that start and end
 * between two rounds would cost the monitor its pace. The buckets count all of them.
 */
const FINISHED_KEPT_PER_CHECKPOINT = { COMPLETED: 20, COMPENSATED: 100, FAILED: 200 } as const;

export class FlowTracker {
  private flows = new Map<string, CompiledFlow>();
  /** flowId → correlationId → instance. Map order is start order: the first is the oldest. */
  private open = new Map<string, Map<string, OpenInstance>>();
  private changed = new Map<string, FlowInstance>();
  private buckets = new Map<string, Map<number, BucketDelta>>();
  private topics = new Map<string, Map<number, TopicDelta>>();
  private readonly eventIds: BoundedMap<string, true>;
  private readonly versions: BoundedMap<string, number>;
  /** Events whose correlation has no instance yet in a flow that expects their type. */
  private readonly early: BoundedMap<string, FlowEvent[]>;

  constructor(flows: TrackedFlow[], private readonly limits: TrackerLimits = DEFAULT_TRACKER_LIMITS) {
    this.eventIds = new BoundedMap(limits.rememberedEventIds);
    this.versions = new BoundedMap(limits.rememberedKeys);
    this.early = new BoundedMap(limits.earlyEvents);
    this.setFlows(flows);
  }

  /** Follows these flows from now on: instances of a flow still declared are kept (under its new definition). */
  setFlows(flows: TrackedFlow[]): void {
    this.flows = new Map(flows.map((f) => [f.id, new CompiledFlow(f)]));
    for (const id of [...this.open.keys()]) if (!this.flows.has(id)) this.open.delete(id);
    for (const id of this.flows.keys()) if (!this.open.has(id)) this.open.set(id, new Map());
  }

  /** Takes back the open instances of the last checkpoint (after a restart). */
  restore(instances: FlowInstance[]): void {
    for (const instance of instances) {
      const open = this.open.get(instance.flowId);
      if (!open || !OPEN_STATES.includes(instance.state)) continue;
      const seen = new Map<string, number>();
      const ids = new Set<string>();
      for (const e of instance.detail.events) {
        if (!seen.has(e.eventType)) seen.set(e.eventType, e.at);
        if (e.eventId) ids.add(`${e.topic}\u0000${e.eventId}`);
      }
      open.set(instance.correlationId, { ...instance, seen, ids, results: new Map(), stored: true });
    }
  }

  openCount(flowId: string): number {
    return this.open.get(flowId)?.size ?? 0;
  }

  /** Open instances of a flow that are STUCK or FAILED. */
  problemCount(flowId: string): number {
    let n = 0;
    for (const instance of this.open.get(flowId)?.values() ?? []) if (instance.state !== "RUNNING") n += 1;
    return n;
  }

  /** Feeds one event. Call in time order across topics (the monitor sorts each round's events). */
  ingest(e: FlowEvent): void {
    if (!e.deadLetter) this.countTopic(e);
    if (!e.eventType || !e.correlationId) return;
    for (const flow of this.flows.values()) {
      if (!flow.types.has(e.eventType)) continue;
      const open = this.open.get(flow.flow.id)!;
      const instance = open.get(e.correlationId);
      if (instance) this.apply(flow, instance, e);
      else if (!e.deadLetter && e.eventType === flow.flow.definition.startEventType) this.start(flow, e);
      else if (!e.deadLetter) {
        // Read before its start (another topic, read later in the round, or a clock ahead): kept a while.
        const key = `${flow.flow.id}\u0000${e.correlationId}`;
        const list = this.early.get(key) ?? [];
        if (list.length < MAX_EVENTS) this.early.set(key, [...list, e]);
      }
    }
  }

  /**
   * Judges the open instances as of `asOf` (the time up to which every topic has been read): which
   * wait past a step's SLO, and which have been open too long to keep.
   */
  tick(asOf: number): void {
    for (const [flowId, open] of this.open) {
      const flow = this.flows.get(flowId)!;
      for (const instance of open.values()) {
        if (asOf - instance.startedAt > this.limits.abandonAfterMs) {
          this.abandon(flow, instance, `no terminal event within ${Math.round(this.limits.abandonAfterMs / 3600_000)} h of its start`, asOf);
          continue;
        }
        this.judge(flow, instance, asOf);
      }
    }
  }

  /** What changed since the last call; the tracker then starts counting afresh. */
  checkpoint(): TrackerCheckpoint {
    const instances: FlowInstance[] = [];
    const finished = new Map<string, number>();
    // Newest first, so the kept finished ones are the latest.
    for (const instance of [...this.changed.values()].reverse()) {
      const open = OPEN_STATES.includes(instance.state) && instance.endedAt === null;
      if (!open && !(instance as OpenInstance).stored) {
        const key = `${instance.flowId}\u0000${instance.state}`;
        const kept = finished.get(key) ?? 0;
        if (kept >= FINISHED_KEPT_PER_CHECKPOINT[instance.state as keyof typeof FINISHED_KEPT_PER_CHECKPOINT]) continue;
        finished.set(key, kept + 1);
      }
      if (open) (instance as OpenInstance).stored = true;
      instances.push(publicInstance(instance));
    }
    const result = { instances: instances.reverse(), buckets: this.buckets, topics: this.topics };
    this.changed = new Map();
    this.buckets = new Map();
    this.topics = new Map();
    return result;
  }

  private countTopic(e: FlowEvent): void {
    const delta = this.topicDelta(e.topic, e.timestamp);
    delta.events += 1;
    if (e.eventId) {
      const key = `${e.topic}\u0000${e.eventId}`;
      if (this.eventIds.has(key)) delta.duplicates += 1;
      else this.eventIds.set(key, true);
    }
    if (e.key !== null && e.version !== null) {
      const key = `${e.topic}\u0000${e.key}`;
      const last = this.versions.get(key);
      if (last !== undefined && e.version < last) delta.versionRegressions += 1;
      // Setting it again makes the key the most recently used in the bounded memory.
      this.versions.set(key, Math.max(e.version, last ?? e.version));
    }
  }

  private start(flow: CompiledFlow, e: FlowEvent): void {
    const open = this.open.get(flow.flow.id)!;
    if (open.size >= this.limits.maxOpenPerFlow) {
      const oldest = open.values().next().value!;
      this.abandon(flow, oldest, `more than ${this.limits.maxOpenPerFlow} instances of the flow were open`, e.timestamp);
    }
    const instance: OpenInstance = {
      flowId: flow.flow.id,
      correlationId: e.correlationId!,
      state: "RUNNING",
      startedAt: e.timestamp,
      lastEventAt: e.timestamp,
      endedAt: null,
      detail: { events: [], waiting: [], deadLetter: null, findings: { duplicates: 0, repeated: 0, outOfOrder: 0 }, abandoned: null },
      seen: new Map(),
      ids: new Set(),
      results: new Map(),
    };
    open.set(instance.correlationId, instance);
    this.bucket(flow.flow.id, e.timestamp).started += 1;
    this.apply(flow, instance, e);
    const key = `${flow.flow.id}\u0000${instance.correlationId}`;
    const early = this.early.get(key);
    if (early) {
      this.early.delete(key);
      for (const later of early) if (open.get(instance.correlationId) === instance) this.apply(flow, instance, later);
    }
  }

  private apply(flow: CompiledFlow, instance: OpenInstance, e: FlowEvent): void {
    const type = e.eventType!;
    const findings = instance.detail.findings;
    const bucket = this.bucket(flow.flow.id, e.timestamp);
    if (e.deadLetter) {
      // The failed event lies in a DLQ: the instance cannot go on until it is redriven.
      instance.detail.deadLetter = { topic: e.topic, partition: e.partition, offset: e.offset, eventType: type, at: e.timestamp };
      if (instance.state !== "FAILED") bucket.failed += 1;
      instance.state = "FAILED";
      this.touch(instance);
      return;
    }
    if (e.eventId) {
      const idKey = `${e.topic}\u0000${e.eventId}`;
      if (instance.ids.has(idKey)) {
        findings.duplicates += 1;
        bucket.duplicates += 1;
        this.touch(instance);
        return;
      }
      instance.ids.add(idKey);
      if (e.causationId) {
        const resultKey = `${e.causationId}\u0000${e.source ?? ""}\u0000${type}`;
        const earlier = instance.results.get(resultKey);
        if (earlier !== undefined && earlier !== e.eventId) {
          findings.repeated += 1;
          bucket.repeated += 1;
        } else instance.results.set(resultKey, e.eventId);
      }
    }
    if (instance.detail.events.length < MAX_EVENTS) instance.detail.events.push({ eventType: type, eventId: e.eventId, at: e.timestamp, topic: e.topic, partition: e.partition, offset: e.offset });
    instance.lastEventAt = Math.max(instance.lastEventAt, e.timestamp);
    const expecting = flow.expectedBy.get(type) ?? [];
    if (expecting.length > 0 && !instance.seen.has(type)) {
      const reached = expecting.filter((step) => instance.seen.has(step.after));
      if (reached.length === 0) {
        findings.outOfOrder += 1;
        bucket.outOfOrder += 1;
      }
      for (const step of reached) {
        const key = edgeKey(step.after, type);
        const ms = Math.max(0, e.timestamp - instance.seen.get(step.after)!);
        observe((bucket.latency.steps[key] ??= emptyHistogram()), ms);
        bucket.latency.sums.steps[key] = (bucket.latency.sums.steps[key] ?? 0) + ms;
      }
    }
    if (!instance.seen.has(type)) instance.seen.set(type, e.timestamp);
    // Progress after a dead letter: the event was redriven (or went round it).
    if (instance.detail.deadLetter && type !== instance.detail.deadLetter.eventType) instance.detail.deadLetter = null;
    const outcome = flow.completed.has(type) ? "COMPLETED" : flow.compensated.has(type) ? "COMPENSATED" : null;
    if (outcome) this.finish(flow, instance, outcome, e.timestamp);
    else this.judge(flow, instance, e.timestamp);
    this.touch(instance);
  }

  private judge(flow: CompiledFlow, instance: OpenInstance, asOf: number): void {
    const waiting = flow.waits(instance.seen, asOf);
    const overdue = waiting.some((w) => w.overdue) || asOf - instance.startedAt > flow.flow.definition.endToEndSloMs;
    const state: InstanceState = instance.detail.deadLetter ? "FAILED" : overdue ? "STUCK" : "RUNNING";
    const waitsChanged = waiting.length !== instance.detail.waiting.length || waiting.some((w, i) => w.after !== instance.detail.waiting[i]!.after || w.overdue !== instance.detail.waiting[i]!.overdue);
    if (state === instance.state && !waitsChanged) return;
    instance.state = state;
    instance.detail.waiting = waiting;
    this.touch(instance);
  }

  private finish(flow: CompiledFlow, instance: OpenInstance, outcome: "COMPLETED" | "COMPENSATED", at: number): void {
    const bucket = this.bucket(flow.flow.id, at);
    if (outcome === "COMPLETED") bucket.completed += 1;
    else bucket.compensated += 1;
    const e2e = Math.max(0, at - instance.startedAt);
    observe(bucket.latency.e2e, e2e);
    bucket.latency.sums.e2e += e2e;
    if (e2e > flow.flow.definition.endToEndSloMs) bucket.overSlo += 1;
    instance.state = outcome;
    instance.endedAt = at;
    instance.detail.waiting = [];
    this.open.get(flow.flow.id)!.delete(instance.correlationId);
  }

  private abandon(flow: CompiledFlow, instance: OpenInstance, why: string, at: number): void {
    if (instance.state !== "FAILED") this.bucket(flow.flow.id, at).failed += 1;
    instance.state = "FAILED";
    instance.endedAt = at;
    instance.detail.abandoned = why;
    this.open.get(flow.flow.id)!.delete(instance.correlationId);
    this.touch(instance);
  }

  private touch(instance: OpenInstance): void {
    this.changed.set(`${instance.flowId}\u0000${instance.correlationId}`, instance);
  }

  private bucket(flowId: string, at: number): BucketDelta {
    const byMinute = this.buckets.get(flowId) ?? new Map<number, BucketDelta>();
    this.buckets.set(flowId, byMinute);
    const minute = minuteOf(at);
    let delta = byMinute.get(minute);
    if (!delta) byMinute.set(minute, (delta = emptyBucket()));
    return delta;
  }

  private topicDelta(topic: string, at: number): TopicDelta {
    const byMinute = this.topics.get(topic) ?? new Map<number, TopicDelta>();
    this.topics.set(topic, byMinute);
    const minute = minuteOf(at);
    let delta = byMinute.get(minute);
    if (!delta) byMinute.set(minute, (delta = { events: 0, duplicates: 0, versionRegressions: 0 }));
    return delta;
  }
}

/** The instance without the tracker's indexes, as stored and shown. */
function publicInstance(instance: FlowInstance): FlowInstance {
  const { flowId, correlationId, state, startedAt, lastEventAt, endedAt, detail } = instance;
  return { flowId, correlationId, state, startedAt, lastEventAt, endedAt, detail: structuredClone(detail) };
}
