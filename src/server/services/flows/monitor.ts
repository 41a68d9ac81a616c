// The flow monitor's rounds, run by the worker for each cluster (worker/flow-monitor-loop.ts). Each
// round reads the cluster's event topics (those the catalog binds event types to) and its DLQs from
// where the last round stopped, sorts what it read by time, feeds it to the tracker (tracker.ts) and
// the causation sample (proposals.ts), and commits the changes with the new read positions in one
// transaction. A round that fails drops the tracker: the next one starts again from the last commit,
// so nothing is counted twice. A topic the monitor has never read is read from FLOW_BACKFILL_MS ago.
import { getEnv } from "~/env";
import { createLogger } from "~/lib/logger";
import { lastHeader, parseEnvelope } from "~/lib/envelope";
import { listTopicNames, offsetsForTimestamp, readRange, selectedBounds, type ClusterConnectionConfig, type FetchedRecord } from "~/server/broker";
import {
  checkpointFlows,
  forgetFlowCursors,
  listFlowBuckets,
  listFlows,
  listOpenFlowInstances,
  listTopicBindings,
  pruneFlowHistory,
  readFlowCursors,
  readFlowObservation,
  saveFlowObservation,
  sumFlowCounts,
  type FlowBucketRow,
  type FlowInstanceRow,
} from "~/server/catalog";
import { AppError } from "~/server/errors";
import type { FlowHealth } from "~/server/services/alerts/evaluate";
import { dlqTopicRule } from "~/server/services/dlq/topics";
import { flowDefinition } from "./definition";
import { CausationObserver } from "./proposals";
import { DEFAULT_TRACKER_LIMITS, FlowTracker, type FlowEvent, type FlowInstance, type TrackedFlow, type TrackerLimits } from "./tracker";

const log = createLogger("flow-monitor");
const FETCH_BYTES = 1024 * 1024;
/** The window FLOW_* alert rules judge, and the overview's "now" figures. */
export const FLOW_HEALTH_WINDOW_MS = 10 * 60_000;
const OBSERVATION_EVERY_MS = 15_000;
/** Events stamped within this long before a topic was read to its end may still be on their way. */
const WATERMARK_SLACK_MS = 1_000;
const OBSERVATION_KEEP_MS = 10 * 60_000;
const PRUNE_EVERY_MS = 5 * 60_000;
/** Finished instances kept per flow for the screens (the newest). */
const KEEP_FINISHED = 2_000;

export interface FlowMonitorOptions {
  limits?: TrackerLimits;
  /** Records read per round at most; the rest waits for the next round (it comes at once). */
  maxRecordsPerRound?: number;
  /** Where a topic never read before starts: this long ago. */
  backfillMs?: number;
  /** How long finished history is kept. */
  retentionMs?: number;
  /** How often the causation sample is stored for proposals. */
  observationEveryMs?: number;
}

export interface FlowRoundResult {
  read: number;
  /** Records left below the topics' ends when the round stopped at its budget. */
  behind: boolean;
  health: FlowHealth[];
  takenAt: number;
}

/** The envelope fields of a record: from its headers when they carry them, else from a JSON value. */
export function flowEventOf(record: FetchedRecord, deadLetter: boolean): FlowEvent {
  const header = (name: string) => lastHeader(record.headers, name)?.toString("utf8") ?? null;
  let eventType = header("eventType");
  let eventId = header("eventId");
  let correlationId = header("correlationId");
  let causationId = header("causationId");
  let source = header("source");
  let version: number | null = null;
  // JSON values carry the version (and, from producers that set no headers, everything else).
  const value = record.value;
  if (value && value.length > 0 && value[0] === 0x7b) {
    const envelope = parseEnvelope(value);
    if (envelope) {
      eventType ??= envelope.eventType;
      eventId ??= envelope.eventId;
      correlationId ??= envelope.metadata.correlationId;
      causationId ??= envelope.metadata.causationId;
      source ??= envelope.source || null;
      version = envelope.version;
    }
  }
  return { topic: record.topic, partition: record.partition, offset: record.offset, timestamp: record.timestamp, key: record.key ? record.key.toString("utf8") : null, eventId, eventType, source, correlationId, causationId, version, deadLetter };
}

const toTracked = (rows: Awaited<ReturnType<typeof listFlows>>): TrackedFlow[] =>
  rows.flatMap((row) => {
    const parsed = flowDefinition.safeParse(row.definition);
    if (parsed.success) return [{ id: row.id, name: row.name, definition: parsed.data }];
    log.warn("a declared flow's definition is not valid; it is not monitored", { flow: row.name, problem: parsed.error.issues[0]?.message });
    return [];
  });

export class FlowMonitor {
  private tracker: FlowTracker | null = null;
  private flowsKey = "";
  private readonly observer = new CausationObserver();
  private lastObservation = 0;
  /** Events read but not applied yet (past the watermark), per `<topic>\0<partition>`, in offset order. */
  private readonly held = new Map<string, FlowEvent[]>();
  /** Where this monitor reads each partition next (past what it holds). */
  private readonly readFrom = new Map<string, number>();
  /** When each topic was last read to its end. */
  private readonly caughtUpAt = new Map<string, number>();
  /** What was stored before this monitor's first save (undefined: not read yet; null: replaced or none). */
  private storedObservation: Awaited<ReturnType<typeof readFlowObservation>> | undefined = undefined;
  private lastPrune = 0;
  /** Rounds so far: each round starts reading at the next topic, so one behind cannot starve the last ones. */
  private rounds = 0;
  private readonly options: Required<FlowMonitorOptions>;

  constructor(private readonly cluster: ClusterConnectionConfig, options: FlowMonitorOptions = {}) {
    const env = getEnv();
    this.options = {
      limits: options.limits ?? DEFAULT_TRACKER_LIMITS,
      maxRecordsPerRound: options.maxRecordsPerRound ?? 25_000,
      backfillMs: options.backfillMs ?? env.FLOW_BACKFILL_MS,
      retentionMs: options.retentionMs ?? env.FLOW_HISTORY_RETENTION_MS,
      observationEveryMs: options.observationEveryMs ?? OBSERVATION_EVERY_MS,
    };
  }

  /** After a failed round: the tracker may hold what was never committed. */
  reset(): void {
    this.tracker = null;
    this.held.clear();
    this.readFrom.clear();
  }

  async round(signal?: AbortSignal): Promise<FlowRoundResult> {
    const started = Date.now();
    const flowRows = await listFlows(this.cluster.name);
    const flows = toTracked(flowRows);
    const key = flowRows.map((f) => `${f.id}@${f.updatedAt.getTime()}`).join(",");
    if (!this.tracker) {
      this.tracker = new FlowTracker(flows, this.options.limits);
      this.tracker.restore((await listOpenFlowInstances(flows.map((f) => f.id))).map(toInstance));
    } else if (key !== this.flowsKey) {
      const known = new Set(this.flowsKey.split(",").map((k) => k.split("@")[0]));
      this.tracker.setFlows(flows);
      // A flow declared since the last round starts with what is stored of it (nothing, or a restart's worth).
      this.tracker.restore((await listOpenFlowInstances(flows.filter((f) => !known.has(f.id)).map((f) => f.id))).map(toInstance));
    }
    this.flowsKey = key;
    const tracker = this.tracker;

    const isDlq = await dlqTopicRule(this.cluster.name);
    const bound = [...new Set((await listTopicBindings(this.cluster.name)).map((b) => b.topic))];
    const existing = new Set(await listTopicNames(this.cluster));
    const topics = [...new Set([...bound, ...[...existing].filter(isDlq)])].filter((t) => existing.has(t)).sort();
    const cursors = await readFlowCursors(this.cluster.name);

    let budget = this.options.maxRecordsPerRound;
    let behind = false;
    // A round that runs out of budget leaves the topics after it unread, and the watermark waits for
    // every topic: starting each round one topic further on means all of them move.
    const first = this.rounds++ % Math.max(1, topics.length);
    for (const topic of [...topics.slice(first), ...topics.slice(0, first)]) {
      if (signal?.aborted) break;
      let bounds;
      try {
        bounds = await selectedBounds(this.cluster, topic);
      } catch (error) {
        if (error instanceof AppError && error.code === "NOT_FOUND") continue;
        throw error;
      }
      const stored = cursors.get(topic);
      const backfill = stored ? null : await offsetsForTimestamp(this.cluster, topic, started - this.options.backfillMs);
      const from = new Map<number, number>();
      for (const b of bounds) {
        const tp = `${topic}\u0000${b.partition}`;
        const cursor = stored?.get(b.partition);
        // Read on from what this monitor already holds; else from the stored cursor. A cursor past the
        // end: the topic was created again (or cut back); read it from its start.
        const start = this.readFrom.get(tp) ?? (cursor === undefined ? Math.max(b.start, backfill?.find((p) => p.partition === b.partition)?.offset ?? b.end) : cursor > b.end ? b.start : Math.max(cursor, b.start));
        from.set(b.partition, Math.min(start, b.end));
        this.readFrom.set(tp, Math.min(start, b.end));
      }
      const ends = new Map(bounds.map((b) => [b.partition, b.end]));
      const pending = [...from].filter(([p, offset]) => offset < ends.get(p)!).map(([partition, offset]) => ({ partition, offset }));
      if (pending.length > 0 && budget > 0) {
        const deadLetter = isDlq(topic);
        for await (const chunk of readRange(this.cluster, topic, pending, { ends, signal, fetchBytes: FETCH_BYTES })) {
          const tp = `${topic}\u0000${chunk.partition}`;
          const held = this.held.get(tp) ?? [];
          for (const record of chunk.records) held.push(flowEventOf(record, deadLetter));
          this.held.set(tp, held);
          this.readFrom.set(tp, chunk.nextOffset);
          budget -= chunk.records.length;
          if (budget <= 0) break;
        }
      }
      if (bounds.every((b) => this.readFrom.get(`${topic}\u0000${b.partition}`)! >= b.end)) this.caughtUpAt.set(topic, Date.now());
      else behind = true;
    }

    // Everything up to the watermark has been read on every topic: a topic read to its end at time T
    // holds every event stamped before T (less a second for producers' lingering and clocks). Events
    // stamped later wait for the next round, so a saga's steps are applied in order even when its
    // topics were read at different moments of the round.
    const watermark = Math.min(...topics.map((t) => this.caughtUpAt.get(t) ?? started)) - WATERMARK_SLACK_MS;
    const ready: FlowEvent[] = [];
    const positions: { topic: string; partition: number; offset: number }[] = [];
    for (const [tp, held] of this.held) {
      // A partition's events wait from its first one past the watermark on, so its stored cursor says
      // exactly what was applied: everything before it, nothing after.
      let cut = held.findIndex((e) => e.timestamp > watermark);
      if (cut < 0) cut = held.length;
      // Not push(...slice): a partition can hold more events than a call takes arguments.
      for (let i = 0; i < cut; i += 1) ready.push(held[i]!);
      const rest = held.slice(cut);
      const [topic, partition] = tp.split("\u0000") as [string, string];
      positions.push({ topic, partition: Number(partition), offset: rest[0]?.offset ?? this.readFrom.get(tp)! });
      if (rest.length) this.held.set(tp, rest);
      else this.held.delete(tp);
    }
    for (const [tp, offset] of this.readFrom) {
      if (this.held.has(tp) || positions.some((p) => `${p.topic}\u0000${p.partition}` === tp)) continue;
      const [topic, partition] = tp.split("\u0000") as [string, string];
      positions.push({ topic, partition: Number(partition), offset });
    }

    // Time order across topics: a payment is applied after the order it answers, whichever topic came first.
    ready.sort((a, b) => a.timestamp - b.timestamp);
    for (const e of ready) {
      tracker.ingest(e);
      this.observer.ingest(e);
    }
    tracker.tick(watermark);
    const checkpoint = tracker.checkpoint();
    await checkpointFlows({
      clusterName: this.cluster.name,
      instances: checkpoint.instances,
      buckets: [...checkpoint.buckets].flatMap(([flowId, minutes]) => [...minutes].map(([minute, d]) => ({ flowId, minute, ...d }))),
      topics: [...checkpoint.topics].flatMap(([topic, minutes]) => [...minutes].map(([minute, d]) => ({ topic, minute, ...d }))),
      cursors: positions,
    });

    const now = Date.now();
    if (now - this.lastObservation >= this.options.observationEveryMs) {
      this.lastObservation = now;
      const summary = this.observer.summary();
      // A restarted worker's sample starts small: it replaces the stored one once it holds as many
      // correlations, or once that one is older than OBSERVATION_KEEP_MS.
      const stored = this.storedObservation === undefined ? (this.storedObservation = await readFlowObservation(this.cluster.name)) : this.storedObservation;
      const storedCount = (stored?.observed as { correlations?: number } | undefined)?.correlations ?? 0;
      if (!stored || summary.correlations >= storedCount || now - stored.updatedAt.getTime() > OBSERVATION_KEEP_MS) {
        await saveFlowObservation(this.cluster.name, summary);
        this.storedObservation = null;
      }
    }
    if (now - this.lastPrune > PRUNE_EVERY_MS) {
      this.lastPrune = now;
      await forgetFlowCursors(this.cluster.name, topics);
      const removed = await pruneFlowHistory(new Date(now - this.options.retentionMs), KEEP_FINISHED);
      if (removed) log.debug("flow history pruned", { cluster: this.cluster.name, removed });
    }
    const health = await flowHealth(flows, tracker, now);
    return { read: ready.length, behind, health, takenAt: now };
  }
}

/** What FLOW_* rules judge: stuck instances now, and the last window's outcomes and duplicates. */
async function flowHealth(flows: TrackedFlow[], tracker: FlowTracker, now: number): Promise<FlowHealth[]> {
  const buckets = await listFlowBuckets(flows.map((f) => f.id), new Date(now - FLOW_HEALTH_WINDOW_MS));
  return flows.map((flow) => {
    const window = sumFlowCounts(buckets.filter((b: FlowBucketRow) => b.flowId === flow.id));
    return {
      name: flow.name,
      stuck: tracker.problemCount(flow.id),
      finished: window.completed + window.compensated,
      overSlo: window.overSlo,
      duplicates: window.duplicates + window.repeated,
      windowMinutes: FLOW_HEALTH_WINDOW_MS / 60_000,
    };
  });
}

function toInstance(row: FlowInstanceRow): FlowInstance {
  return { ...row, state: row.state as FlowInstance["state"], detail: row.detail as FlowInstance["detail"] };
}
