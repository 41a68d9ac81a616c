// Flows for the screens and the API: the declared flows with their numbers, one flow in detail
// (diagram edges with counts and latency, per-minute series, stuck instances), proposals from what
// the monitor observed, and the architect's declare / change / delete (audited in the same
// transaction). The counting itself is the worker's (monitor.ts, tracker.ts).
import { z } from "zod";
import {
  countFlowInstances,
  createFlow,
  deleteFlow,
  findFlow,
  listEventTypeSummaries,
  listFlowBuckets,
  listFlowInstances,
  listFlows,
  listFlowTotals,
  NO_FLOW_COUNTS,
  listTopicIntegrity,
  readFlowObservation,
  sumFlowCounts,
  updateFlow,
  type Actor,
  type FlowBucketRow,
  type FlowRow,
} from "~/server/catalog";
import { AppError } from "~/server/errors";
import type { FlowMetrics } from "~/server/services/metrics/prometheus";
import { edgeKey, flowDefinition, flowName, flowProblems, type FlowDefinition } from "./definition";
import { quantile } from "./latency";
import { proposeFlows, type CausationSummary, type FlowProposal } from "./proposals";
import type { InstanceDetail, InstanceState } from "./tracker";

export const FLOW_RANGES = { "1h": 3600_000, "6h": 6 * 3600_000, "24h": 24 * 3600_000 } as const;
export const flowRange = z.enum(["1h", "6h", "24h"]).default("1h");

export const flowInput = z.object({
  name: flowName,
  description: z.string().trim().max(2000, "The description is longer than 2,000 characters.").default(""),
  definition: flowDefinition,
});

export interface FlowSummary {
  name: string;
  description: string;
  definition: FlowDefinition | null;
  /** Why the stored definition cannot be monitored, when it cannot. */
  invalid: string | null;
  running: number;
  stuck: number;
  failed: number;
  window: { started: number; completed: number; compensated: number; failed: number; compensationRate: number | null; e2eP95Ms: number | null; overSloRate: number | null; duplicates: number; repeated: number; outOfOrder: number };
  updatedAt: number;
}

export interface FlowEdge {
  after: string;
  next: string;
  count: number;
  p50Ms: number | null;
  p95Ms: number | null;
  sloMs: number;
  compensation: boolean;
}

export interface FlowPoint {
  at: number;
  started: number;
  completed: number;
  compensated: number;
  failed: number;
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
  compensationRate: number | null;
}

export interface FlowInstanceView {
  correlationId: string;
  state: InstanceState;
  startedAt: number;
  lastEventAt: number;
  endedAt: number | null;
  detail: InstanceDetail;
}

export interface FlowDetail extends FlowSummary {
  edges: FlowEdge[];
  series: FlowPoint[];
  problems: FlowInstanceView[];
  recent: FlowInstanceView[];
  topics: { topic: string; events: number; duplicates: number; duplicateRate: number | null; versionRegressions: number }[];
}

const parse = (row: FlowRow) => {
  const parsed = flowDefinition.safeParse(row.definition);
  return parsed.success ? { definition: parsed.data, invalid: null } : { definition: null, invalid: parsed.error.issues[0]?.message ?? "invalid" };
};

const ratio = (part: number, whole: number) => (whole === 0 ? null : part / whole);

function windowOf(buckets: FlowBucketRow[]): FlowSummary["window"] {
  const c = sumFlowCounts(buckets);
  const finished = c.completed + c.compensated;
  return { started: c.started, completed: c.completed, compensated: c.compensated, failed: c.failed, compensationRate: ratio(c.compensated, finished), e2eP95Ms: quantile(c.latency.e2e, 0.95), overSloRate: ratio(c.overSlo, finished), duplicates: c.duplicates, repeated: c.repeated, outOfOrder: c.outOfOrder };
}

async function summaries(rows: FlowRow[], since: Date): Promise<FlowSummary[]> {
  const ids = rows.map((r) => r.id);
  const [counts, buckets] = await Promise.all([countFlowInstances(ids), listFlowBuckets(ids, since)]);
  const count = (id: string, state: InstanceState) => counts.find((c) => c.flowId === id && c.state === state)?.count ?? 0;
  return rows.map((row) => ({
    name: row.name,
    description: row.description,
    ...parse(row),
    running: count(row.id, "RUNNING"),
    stuck: count(row.id, "STUCK"),
    failed: count(row.id, "FAILED"),
    window: windowOf(buckets.filter((b) => b.flowId === row.id)),
    updatedAt: row.updatedAt.getTime(),
  }));
}

export async function listFlowSummaries(clusterName: string, range: keyof typeof FLOW_RANGES): Promise<FlowSummary[]> {
  return summaries(await listFlows(clusterName), new Date(Date.now() - FLOW_RANGES[range]));
}

const toView = (row: Awaited<ReturnType<typeof listFlowInstances>>[number]): FlowInstanceView => ({ correlationId: row.correlationId, state: row.state as InstanceState, startedAt: row.startedAt, lastEventAt: row.lastEventAt, endedAt: row.endedAt, detail: row.detail as InstanceDetail });

export async function getFlowDetail(clusterName: string, name: string, range: keyof typeof FLOW_RANGES): Promise<FlowDetail> {
  const row = await findFlow(clusterName, name);
  if (!row) throw new AppError("NOT_FOUND", `No flow named "${name}" on cluster ${clusterName}.`);
  const since = new Date(Date.now() - FLOW_RANGES[range]);
  const [[summary], buckets, problems, recent, integrity] = await Promise.all([
    summaries([row], since),
    listFlowBuckets([row.id], since),
    // Stuck and failed instances that are still open: what needs someone now.
    listFlowInstances(row.id, ["STUCK", "FAILED"], 200),
    listFlowInstances(row.id, ["COMPLETED", "COMPENSATED"], 50),
    listTopicIntegrity(clusterName, since),
  ]);
  const def = summary!.definition;
  const totals = sumFlowCounts(buckets);
  const compensations = new Set(def?.compensations ?? []);
  const edges: FlowEdge[] = (def?.steps ?? []).flatMap((step) =>
    step.next.map((next) => {
      const histogram = totals.latency.steps[edgeKey(step.after, next)] ?? [];
      return { after: step.after, next, count: histogram.reduce((a, b) => a + b, 0), p50Ms: quantile(histogram, 0.5), p95Ms: quantile(histogram, 0.95), sloMs: step.sloMs, compensation: compensations.has(next) };
    }),
  );
  const series = buckets.map((b) => ({
    at: b.minute,
    started: b.started,
    completed: b.completed,
    compensated: b.compensated,
    failed: b.failed,
    p50Ms: quantile(b.latency.e2e, 0.5),
    p95Ms: quantile(b.latency.e2e, 0.95),
    p99Ms: quantile(b.latency.e2e, 0.99),
    compensationRate: ratio(b.compensated, b.completed + b.compensated),
  }));
  const byTopic = new Map<string, { events: number; duplicates: number; versionRegressions: number }>();
  for (const r of integrity) {
    const t = byTopic.get(r.topic) ?? { events: 0, duplicates: 0, versionRegressions: 0 };
    t.events += r.events;
    t.duplicates += r.duplicates;
    t.versionRegressions += r.versionRegressions;
    byTopic.set(r.topic, t);
  }
  return {
    ...summary!,
    edges,
    series,
    problems: problems.filter((p) => p.endedAt === null).map(toView),
    recent: recent.map(toView),
    topics: [...byTopic].map(([topic, t]) => ({ topic, ...t, duplicateRate: ratio(t.duplicates, t.events) })).sort((a, b) => b.duplicates - a.duplicates || a.topic.localeCompare(b.topic)),
  };
}

export interface FlowProposals {
  proposals: FlowProposal[];
  /** When the monitor last stored what it observed; null before its first round. */
  observedAt: number | null;
  correlations: number;
}

export async function flowProposals(clusterName: string): Promise<FlowProposals> {
  const [observation, flows] = await Promise.all([readFlowObservation(clusterName), listFlows(clusterName)]);
  if (!observation) return { proposals: [], observedAt: null, correlations: 0 };
  const summary = observation.observed as CausationSummary;
  const declaredStarts = new Set(flows.flatMap((f) => parse(f).definition?.startEventType ?? []));
  return { proposals: proposeFlows(summary, declaredStarts), observedAt: observation.updatedAt.getTime(), correlations: summary.correlations };
}

async function checkDefinition(def: FlowDefinition): Promise<void> {
  const known = new Set((await listEventTypeSummaries()).map((t) => t.name));
  const problems = flowProblems(def, known);
  if (problems.length) throw new AppError("BAD_REQUEST", problems.join(" "));
}

export async function declareFlow(actor: Actor, clusterName: string, input: z.infer<typeof flowInput>): Promise<{ name: string }> {
  await checkDefinition(input.definition);
  const row = await createFlow(
    { clusterName, name: input.name, description: input.description, definition: input.definition, createdBy: actor.email },
    { actor, action: "flow.declare", targetType: "flow", targetId: `${clusterName}/${input.name}`, details: { definition: input.definition } },
  );
  if (!row) throw new AppError("CONFLICT", `A flow named "${input.name}" already exists on cluster ${clusterName}.`);
  return { name: row.name };
}

export async function changeFlow(actor: Actor, clusterName: string, input: z.infer<typeof flowInput>): Promise<{ name: string }> {
  await checkDefinition(input.definition);
  const row = await updateFlow(clusterName, input.name, { description: input.description, definition: input.definition }, (before) => ({
    actor,
    action: "flow.change",
    targetType: "flow",
    targetId: `${clusterName}/${input.name}`,
    details: { before: before.definition, after: input.definition },
  }));
  if (!row) throw new AppError("NOT_FOUND", `No flow named "${input.name}" on cluster ${clusterName}.`);
  return { name: row.name };
}

export async function removeFlow(actor: Actor, clusterName: string, name: string): Promise<{ name: string }> {
  const removed = await deleteFlow(clusterName, name, (before) => ({ actor, action: "flow.delete", targetType: "flow", targetId: `${clusterName}/${name}`, details: { definition: before.definition } }));
  if (!removed) throw new AppError("NOT_FOUND", `No flow named "${name}" on cluster ${clusterName}.`);
  return { name };
}

/** Declares a flow unless one of that name exists (the seed's way: an architect's changes stay). */
export async function ensureFlow(actor: Actor, clusterName: string, input: z.infer<typeof flowInput>): Promise<boolean> {
  if (await findFlow(clusterName, input.name)) return false;
  await declareFlow(actor, clusterName, input);
  return true;
}

/** The declared flows of a cluster as /metrics reports them (signalbox_flow_*). */
export async function flowMetrics(clusterName: string): Promise<FlowMetrics[]> {
  const rows = await listFlows(clusterName);
  const ids = rows.map((r) => r.id);
  const [counts, totals] = await Promise.all([countFlowInstances(ids), listFlowTotals(ids)]);
  return rows.map((row) => {
    const t = totals.get(row.id) ?? NO_FLOW_COUNTS;
    const open = (state: string) => counts.filter((c) => c.flowId === row.id && c.state === state).reduce((n, c) => n + c.count, 0);
    const steps = parse(row).definition?.steps.flatMap((s) => s.next.map((next) => edgeKey(s.after, next))) ?? [];
    return {
      name: row.name,
      open: { RUNNING: open("RUNNING"), STUCK: open("STUCK"), FAILED: open("FAILED") },
      totals: { started: t.started, completed: t.completed, compensated: t.compensated, failed: t.failed, duplicates: t.duplicates, repeated: t.repeated, outOfOrder: t.outOfOrder },
      e2e: { counts: t.latency.e2e, sumMs: t.latency.sums?.e2e ?? 0 },
      steps: steps.map((step) => ({ step, counts: t.latency.steps[step] ?? [], sumMs: t.latency.sums?.steps[step] ?? 0 })),
    };
  });
}
