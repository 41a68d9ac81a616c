// Renders a LagSnapshot as Prometheus text exposition (format 0.0.4) for a /metrics endpoint.
//
// The kafka_* families copy danielqsj/kafka_exporter exactly (names, HELP texts, label sets,
// value semantics), so Grafana dashboards and alert rules built for kafka_exporter work
// unchanged. The signalbox_* families add what kafka_exporter cannot know: lag in seconds,
// Burrow-style status, produce rate and the sampler's own health.
//
// Deliberate differences from kafka_exporter, all in the consumer-group families:
// - kafka_consumergroup_current_offset is emitted only for partitions with a commit.
//   kafka_exporter emits the broker's -1 "no offset" marker as if it were an offset (and adds
//   it into current_offset_sum); a -1 offset only corrupts rate() and sums.
// - Partitions listed are those the snapshot lists (committed, or assigned without a commit),
//   where kafka_exporter with --offset.show-all also lists unassigned uncommitted partitions.
// As in kafka_exporter: a (group, topic) with no commit on any partition is left out of the
// kafka_consumergroup_* families entirely; kafka_consumergroup_lag is -1 for a partition
// without a commit (so it can be alerted on), and lag and lag_sum are raw (end − committed,
// negative when the commit is read above a stale high watermark), not clamped at zero.
//
// Why no prom-client: it needs ~160–260 ms for the 2,000-topic / 1,000-group snapshot
// (~48k series), blocking the event loop on every scrape, and its label hashing
// (`name:value,` concatenation) merges distinct series whose values contain "," and ":" —
// consumer-group ids may be any string, so one group's series could silently overwrite
// another's. This formatter writes the text directly (~20 ms for the same snapshot).
import type { ReplicaState } from "~/server/broker";
import { GROUP_STATUSES, type LagSnapshot, type PartitionStatus } from "~/server/services/lag/types";
import { LATENCY_BOUNDS_MS } from "~/server/services/flows/latency";

/** The Content-Type of Prometheus text exposition format 0.0.4. */
export const METRICS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

export interface RenderMetricsOptions {
  /** Wall clock at render time, epoch ms. */
  now: number;
  /** The snapshot is stale (signalbox_sampler_up 0) when now − takenAt exceeds this, ms. */
  staleAfterMs: number;
  /**
   * The brokers and each partition's replicas, read from the cluster's metadata at scrape time (as
   * kafka_exporter does): kafka_brokers, kafka_broker_info and the replica families. Left out when
   * undefined (the broker did not answer), so a scrape still returns the lag families.
   */
  replicas?: ReplicaState;
  /**
   * Render a stale snapshot's topic and group series anyway. Default false: a stale snapshot
   * yields only the signalbox_sampler_* series, so frozen values are not scraped as current
   * (kafka_exporter likewise returns no Kafka series when it cannot read the cluster).
   */
  includeStale?: boolean;
  /**
   * Labels added to every series, like kafka_exporter's --kafka.labels (e.g. { cluster: "prod" }).
   * Names must be valid Prometheus label names that no family already uses.
   */
  constLabels?: Record<string, string>;
  /** Dead-letter queues from the DLQ index; the signalbox_dlq_* families are left out when undefined. */
  dlq?: DlqMetrics[];
  /** Watched outbox tables, their last readings; the signalbox_outbox_* families are left out when undefined. */
  outboxes?: OutboxMetrics[];
  /** Declared flows, from the flow monitor's tables; the signalbox_flow_* families are left out when undefined. */
  flows?: FlowMetrics[];
}

export interface FlowMetrics {
  name: string;
  /** Open instances by state now (RUNNING, STUCK, FAILED). */
  open: Record<"RUNNING" | "STUCK" | "FAILED", number>;
  /** Since-start totals. */
  totals: { started: number; completed: number; compensated: number; failed: number; duplicates: number; repeated: number; outOfOrder: number };
  /** Cumulative latency histograms, counts per LATENCY_BOUNDS_MS bucket (the last is +Inf), and sums in ms. */
  e2e: { counts: number[]; sumMs: number };
  steps: { step: string; counts: number[]; sumMs: number }[];
}

export interface OutboxMetrics {
  name: string;
  status: "OK" | "STALLED" | "UNREACHABLE";
  unpublished: number | null;
  oldestAgeMs: number | null;
  publishedPerSec: number | null;
}

export interface DlqMetrics {
  topic: string;
  depth: number;
  inflowPerMin: number;
  oldestAgeMs: number | null;
  growing: boolean;
}

export interface RenderedMetrics {
  contentType: string;
  body: string;
}

/**
 * Partition statuses worth a series. OK and PENDING are the normal states of thousands of
 * partitions, so they emit nothing; a problem partition gets one series, value 1, labelled
 * with its status, which disappears (Prometheus marks it stale) once the partition recovers.
 */
const REPORTED_PARTITION_STATUSES: ReadonlySet<PartitionStatus> = new Set(["WARN", "STALL", "STOP", "REWIND"]);

const HELP = {
  kafka_brokers: "Number of Brokers in the Kafka Cluster.",
  kafka_broker_info: "Information about the Kafka Broker.",
  kafka_topic_partitions: "Number of partitions for this Topic",
  kafka_topic_partition_current_offset: "Current Offset of a Broker at Topic/Partition",
  kafka_topic_partition_oldest_offset: "Oldest Offset of a Broker at Topic/Partition",
  kafka_topic_partition_in_sync_replica: "Number of In-Sync Replicas for this Topic/Partition",
  kafka_topic_partition_leader: "Leader Broker ID of this Topic/Partition",
  kafka_topic_partition_leader_is_preferred: "1 if Topic/Partition is using the Preferred Broker",
  kafka_topic_partition_replicas: "Number of Replicas for this Topic/Partition",
  kafka_topic_partition_under_replicated_partition: "1 if Topic/Partition is under Replicated",
  kafka_consumergroup_current_offset: "Current Offset of a ConsumerGroup at Topic/Partition",
  kafka_consumergroup_current_offset_sum: "Current Offset of a ConsumerGroup at Topic for all partitions",
  kafka_consumergroup_lag: "Current Approximate Lag of a ConsumerGroup at Topic/Partition",
  kafka_consumergroup_lag_sum: "Current Approximate Lag of a ConsumerGroup at Topic for all partitions",
  kafka_consumergroup_members: "Amount of members in a consumer group",
  signalbox_topic_produce_rate: "Messages per second produced to this Topic, over the last sampler interval",
  signalbox_consumergroup_lag_seconds:
    "Estimated lag of a ConsumerGroup at Topic/Partition in seconds: how long ago the committed offset was the log end; extrapolated=true when estimated beyond the sampled history",
  signalbox_consumergroup_max_lag_seconds: "Largest estimated lag in seconds over the partitions of a ConsumerGroup",
  signalbox_consumergroup_status: "1 for the current status of a ConsumerGroup (PENDING, OK, WARN, ERR), 0 for the others",
  signalbox_consumergroup_partition_status: "1 for a ConsumerGroup Topic/Partition in status WARN, STALL, STOP or REWIND; absent while OK or PENDING",
  signalbox_sampler_cycle_duration_seconds: "Duration of the last lag sampler cycle in seconds",
  signalbox_sampler_last_sample_timestamp_seconds: "Unix time when the last lag sampler cycle started",
  signalbox_sampler_up: "1 when a lag snapshot exists and is fresh, 0 otherwise",
  signalbox_dlq_depth: "Records in a dead-letter Topic neither redriven nor discarded",
  signalbox_outbox_up: "1 when the outbox table could be read at the last sampler cycle, 0 otherwise",
  signalbox_outbox_unpublished_rows: "Rows of a transactional outbox table its relay has not published",
  signalbox_outbox_oldest_age_seconds: "Age in seconds of the oldest unpublished row of an outbox table; absent when none waits",
  signalbox_outbox_published_per_second: "Rows of an outbox table published per second since the previous reading",
  signalbox_outbox_stalled: "1 when the oldest unpublished row of an outbox table is older than its monitor's stallAfterSeconds",
  signalbox_flow_instances: "Open instances of a declared flow by state: RUNNING, STUCK (past a step's SLO) or FAILED (an event dead-lettered)",
  signalbox_flow_instances_total: "Instances of a declared flow since the monitor started counting, by outcome: started, completed, compensated, failed",
  signalbox_flow_duplicate_events_total: "Events of a flow's instances delivered again on the same topic (same eventId)",
  signalbox_flow_repeated_results_total: "Causes in a flow answered more than once (two results of one type from one service for one cause)",
  signalbox_flow_out_of_order_events_total: "Events of a flow read before the event their step follows",
  signalbox_flow_duration_seconds: "End-to-end time of a flow's finished instances, from the start event to the terminal event",
  signalbox_flow_step_duration_seconds: "Time of a flow's step, from the event it follows to the event it expects",
  signalbox_dlq_inflow_per_minute: "Records dead-lettered per minute into this Topic over the last 5 minutes",
  signalbox_dlq_oldest_age_seconds: "Age in seconds of the oldest record of a dead-letter Topic that is neither redriven nor discarded; absent when none",
  signalbox_dlq_growing: "1 when more records arrived in a dead-letter Topic in the last 5 minutes than were redriven or discarded, 0 otherwise",
} as const;

type FamilyName = keyof typeof HELP;

/** Families that are not gauges. A histogram's samples are `<name>_bucket`, `<name>_sum` and `<name>_count`. */
const TYPES: Partial<Record<FamilyName, "counter" | "histogram">> = {
  signalbox_flow_instances_total: "counter",
  signalbox_flow_duplicate_events_total: "counter",
  signalbox_flow_repeated_results_total: "counter",
  signalbox_flow_out_of_order_events_total: "counter",
  signalbox_flow_duration_seconds: "histogram",
  signalbox_flow_step_duration_seconds: "histogram",
};

/** Label names the families use; constant labels must not collide with them. */
const FAMILY_LABELS = new Set(["topic", "partition", "consumergroup", "status", "extrapolated", "id", "address", "outbox", "flow", "state", "outcome", "step", "le"]);
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const NEEDS_ESCAPE = /[\\"\n]/;

/** Escapes a label value per the text exposition format: backslash, double quote and line feed. */
export function escapeLabelValue(value: string): string {
  if (!NEEDS_ESCAPE.test(value)) return value;
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

function formatValue(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (value === Infinity) return "+Inf";
  if (value === -Infinity) return "-Inf";
  return String(value);
}

function constLabelPrefix(constLabels: Record<string, string> | undefined): string {
  if (!constLabels) return "";
  let prefix = "";
  for (const [name, value] of Object.entries(constLabels)) {
    if (!LABEL_NAME.test(name) || name.startsWith("__")) throw new Error(`Invalid Prometheus label name: ${JSON.stringify(name)}`);
    if (FAMILY_LABELS.has(name)) throw new Error(`Constant label ${JSON.stringify(name)} collides with a metric label`);
    prefix += `${name}="${escapeLabelValue(value)}",`;
  }
  return prefix;
}

/** Collects the samples of each family; families without samples are not written at all. */
class Exposition {
  constructor(
    private readonly constLabels: string,
    private readonly samples = new Map<FamilyName, string[]>(),
  ) {}

  /** The same families with other constant labels: several clusters' series, each family written once. */
  withLabels(constLabels: string): Exposition {
    return new Exposition(constLabels, this.samples);
  }

  /** Lines rendered earlier (RenderedFamilies), added as they are. */
  addRendered(name: FamilyName, lines: string): void {
    const list = this.samples.get(name);
    if (list) list.push(lines);
    else this.samples.set(name, [lines]);
  }

  /** Each family's lines, joined: what RenderedFamilies keeps. */
  families(): Map<FamilyName, string> {
    return new Map([...this.samples].map(([name, lines]) => [name, lines.join("\n")]));
  }

  /** `labels` is the already-escaped inside of the braces, e.g. `topic="t",partition="0"`. */
  add(name: FamilyName, labels: string, value: number, suffix: "" | "_bucket" | "_sum" | "_count" = ""): void {
    let lines = this.samples.get(name);
    if (!lines) this.samples.set(name, (lines = []));
    const all = this.constLabels + labels;
    const sample = name + suffix;
    lines.push(all === "" ? `${sample} ${formatValue(value)}` : `${sample}{${all.endsWith(",") ? all.slice(0, -1) : all}} ${formatValue(value)}`);
  }

  /** A histogram from counts per bucket (upper bounds in ms; the last count is above them all). */
  histogram(name: FamilyName, labels: string, boundsMs: readonly number[], counts: readonly number[], sumMs: number): void {
    let cumulative = 0;
    boundsMs.forEach((bound, i) => {
      cumulative += counts[i] ?? 0;
      this.add(name, `${labels},le="${formatValue(bound / 1000)}"`, cumulative, "_bucket");
    });
    cumulative += counts[boundsMs.length] ?? 0;
    this.add(name, `${labels},le="+Inf"`, cumulative, "_bucket");
    this.add(name, labels, sumMs / 1000, "_sum");
    this.add(name, labels, cumulative, "_count");
  }

  toString(): string {
    let out = "";
    for (const name of Object.keys(HELP) as FamilyName[]) {
      const lines = this.samples.get(name);
      if (!lines) continue;
      out += `# HELP ${name} ${HELP[name].replace(/\\/g, "\\\\").replace(/\n/g, "\\n")}\n# TYPE ${name} ${TYPES[name] ?? "gauge"}\n${lines.join("\n")}\n`;
    }
    return out;
  }
}

function renderCluster(out: Exposition, snapshot: LagSnapshot): void {

  for (const t of snapshot.topics) {
    const topic = `topic="${escapeLabelValue(t.topic)}"`;
    out.add("kafka_topic_partitions", topic, t.partitions.length);
    for (const p of t.partitions) out.add("kafka_topic_partition_current_offset", `${topic},partition="${p.partition}"`, p.high);
    for (const p of t.partitions) out.add("kafka_topic_partition_oldest_offset", `${topic},partition="${p.partition}"`, p.low);
    if (t.produceRate !== null) out.add("signalbox_topic_produce_rate", topic, t.produceRate);
  }

  for (const g of snapshot.groups) {
    const group = `consumergroup="${escapeLabelValue(g.groupId)}"`;
    out.add("kafka_consumergroup_members", group, g.members.length);

    const byTopic = new Map<string, typeof g.partitions>();
    for (const p of g.partitions) {
      const list = byTopic.get(p.topic);
      if (list) list.push(p);
      else byTopic.set(p.topic, [p]);
    }
    for (const [topicName, partitions] of byTopic) {
      const topic = `${group},topic="${escapeLabelValue(topicName)}"`;
      if (partitions.some((p) => p.committed !== null)) {
        let offsetSum = 0;
        let lagSum = 0;
        for (const p of partitions) {
          const labels = `${topic},partition="${p.partition}"`;
          if (p.committed !== null) {
            offsetSum += p.committed;
            out.add("kafka_consumergroup_current_offset", labels, p.committed);
          }
          if (p.lag !== null) lagSum += p.lag;
          out.add("kafka_consumergroup_lag", labels, p.committed === null || p.lag === null ? -1 : p.lag);
        }
        out.add("kafka_consumergroup_current_offset_sum", topic, offsetSum);
        out.add("kafka_consumergroup_lag_sum", topic, lagSum);
      }
      for (const p of partitions) {
        const labels = `${topic},partition="${p.partition}"`;
        if (p.lagSeconds !== null) out.add("signalbox_consumergroup_lag_seconds", `${labels},extrapolated="${p.lagSecondsExtrapolated}"`, p.lagSeconds);
        if (REPORTED_PARTITION_STATUSES.has(p.status)) out.add("signalbox_consumergroup_partition_status", `${labels},status="${p.status}"`, 1);
      }
    }

    if (g.maxLagSeconds !== null) out.add("signalbox_consumergroup_max_lag_seconds", group, g.maxLagSeconds);
    for (const status of GROUP_STATUSES) out.add("signalbox_consumergroup_status", `${group},status="${status}"`, status === g.status ? 1 : 0);
  }
}

/** A snapshot's topic and group families, rendered: each family's sample lines, joined. */
export type RenderedFamilies = Map<FamilyName, string>;

// Rendered lag families per snapshot and constant labels. At 50,000 partitions and 5,000 groups
// rendering them takes a second or more on a busy machine; a web process renders each snapshot once
// (prerenderLagFamilies, when it arrives) and every scrape until the next one reuses the text.
const rendered = new WeakMap<LagSnapshot, Map<string, RenderedFamilies>>();

const renderedReplicas = new WeakMap<ReplicaState, Map<string, RenderedFamilies>>();

/** The families `render` writes from `source`, rendered once per source object and constant labels. */
function renderedOnce<Source extends object>(cache: WeakMap<Source, Map<string, RenderedFamilies>>, source: Source, constLabels: string, render: (out: Exposition, source: Source) => void): RenderedFamilies {
  let byLabels = cache.get(source);
  if (!byLabels) cache.set(source, (byLabels = new Map()));
  let families = byLabels.get(constLabels);
  if (!families) {
    const out = new Exposition(constLabels);
    render(out, source);
    // One set of labels per source is what a process scrapes; an older one is dropped, not kept growing.
    byLabels.clear();
    byLabels.set(constLabels, (families = out.families()));
  }
  return families;
}

function lagFamilies(snapshot: LagSnapshot, constLabels: string): RenderedFamilies {
  return renderedOnce(rendered, snapshot, constLabels, renderCluster);
}

/** Renders the snapshot's topic and group families now, so the scrapes that follow only copy them. */
export function prerenderLagFamilies(snapshot: LagSnapshot, constLabels?: Record<string, string>): void {
  lagFamilies(snapshot, constLabelPrefix(constLabels));
}

/** kafka_exporter's broker and replica families; every partition, internal topics included, as it does. */
function renderReplicas(out: Exposition, { brokers, partitions }: ReplicaState): void {
  out.add("kafka_brokers", "", brokers.length);
  for (const b of brokers) out.add("kafka_broker_info", `address="${escapeLabelValue(`${b.host}:${b.port}`)}",id="${b.nodeId}"`, 1);
  for (const p of partitions) {
    const labels = `topic="${escapeLabelValue(p.topic)}",partition="${p.partition}"`;
    out.add("kafka_topic_partition_in_sync_replica", labels, p.isr.length);
    // kafka_exporter leaves the leader out when it has none; -1 says the same to a PromQL `< 0`.
    out.add("kafka_topic_partition_leader", labels, p.leader);
    out.add("kafka_topic_partition_leader_is_preferred", labels, p.leader >= 0 && p.leader === p.replicas[0] ? 1 : 0);
    out.add("kafka_topic_partition_replicas", labels, p.replicas.length);
    out.add("kafka_topic_partition_under_replicated_partition", labels, p.isr.length < p.replicas.length ? 1 : 0);
  }
}

/**
 * Renders the snapshot as Prometheus text exposition. A null snapshot (the sampler has not
 * produced one yet) renders only `signalbox_sampler_up 0`. Async so callers need not change
 * should rendering ever move off the request thread.
 */
export async function renderMetrics(snapshot: LagSnapshot | null, options: RenderMetricsOptions): Promise<RenderedMetrics> {
  return renderClustersMetrics([{ snapshot, options }]);
}

/**
 * Several clusters in one exposition, each with its own constant labels (its `cluster`): the text
 * format wants each family's HELP and TYPE once, with all its samples after them, so the clusters'
 * samples are merged per family rather than their texts joined.
 */
export async function renderClustersMetrics(clusters: { snapshot: LagSnapshot | null; options: RenderMetricsOptions }[]): Promise<RenderedMetrics> {
  const root = new Exposition("");
  for (const { snapshot, options } of clusters) {
    const constLabels = constLabelPrefix(options.constLabels);
    renderInto(root.withLabels(constLabels), snapshot, options, constLabels);
  }
  return { contentType: METRICS_CONTENT_TYPE, body: root.toString() };
}

function renderInto(out: Exposition, snapshot: LagSnapshot | null, options: RenderMetricsOptions, constLabels: string): void {
  if (snapshot === null) {
    out.add("signalbox_sampler_up", "", 0);
  } else {
    const fresh = options.now - snapshot.takenAt <= options.staleAfterMs;
    if (fresh || options.includeStale) for (const [name, lines] of lagFamilies(snapshot, constLabels)) out.addRendered(name, lines);
    out.add("signalbox_sampler_cycle_duration_seconds", "", snapshot.cycleMs / 1000);
    out.add("signalbox_sampler_last_sample_timestamp_seconds", "", snapshot.takenAt / 1000);
    out.add("signalbox_sampler_up", "", fresh ? 1 : 0);
  }
  // The replica state is kept between scrapes (scrape-cache.ts): its 5 families per partition are rendered once per read too.
  if (options.replicas) for (const [name, lines] of renderedOnce(renderedReplicas, options.replicas, constLabels, renderReplicas)) out.addRendered(name, lines);
  // The outbox families come from the outbox monitor's last readings (services/outbox/monitor.ts).
  for (const o of options.outboxes ?? []) {
    const outbox = `outbox="${escapeLabelValue(o.name)}"`;
    out.add("signalbox_outbox_up", outbox, o.status === "UNREACHABLE" ? 0 : 1);
    if (o.unpublished !== null) out.add("signalbox_outbox_unpublished_rows", outbox, o.unpublished);
    if (o.oldestAgeMs !== null) out.add("signalbox_outbox_oldest_age_seconds", outbox, o.oldestAgeMs / 1000);
    if (o.publishedPerSec !== null) out.add("signalbox_outbox_published_per_second", outbox, o.publishedPerSec);
    out.add("signalbox_outbox_stalled", outbox, o.status === "STALLED" ? 1 : 0);
  }
  // The flow families come from the flow monitor's tables (services/flows/monitor.ts).
  for (const f of options.flows ?? []) {
    const flow = `flow="${escapeLabelValue(f.name)}"`;
    for (const state of ["RUNNING", "STUCK", "FAILED"] as const) out.add("signalbox_flow_instances", `${flow},state="${state}"`, f.open[state]);
    for (const outcome of ["started", "completed", "compensated", "failed"] as const) out.add("signalbox_flow_instances_total", `${flow},outcome="${outcome}"`, f.totals[outcome]);
    out.add("signalbox_flow_duplicate_events_total", flow, f.totals.duplicates);
    out.add("signalbox_flow_repeated_results_total", flow, f.totals.repeated);
    out.add("signalbox_flow_out_of_order_events_total", flow, f.totals.outOfOrder);
    out.histogram("signalbox_flow_duration_seconds", flow, LATENCY_BOUNDS_MS, f.e2e.counts, f.e2e.sumMs);
    for (const step of f.steps) out.histogram("signalbox_flow_step_duration_seconds", `${flow},step="${escapeLabelValue(step.step)}"`, LATENCY_BOUNDS_MS, step.counts, step.sumMs);
  }
  // The DLQ families come from the DLQ index, not the snapshot: they stand on their own.
  for (const d of options.dlq ?? []) {
    const topic = `topic="${escapeLabelValue(d.topic)}"`;
    out.add("signalbox_dlq_depth", topic, d.depth);
    out.add("signalbox_dlq_inflow_per_minute", topic, d.inflowPerMin);
    if (d.oldestAgeMs !== null) out.add("signalbox_dlq_oldest_age_seconds", topic, d.oldestAgeMs / 1000);
    out.add("signalbox_dlq_growing", topic, d.growing ? 1 : 0);
  }
}
