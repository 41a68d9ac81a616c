// The DLQ area: which topics are dead-letter queues, what is in them (grouped by failure reason),
// one record in full, and the actions (redrive, edit and redrive, discard). Redrives run as durable
// jobs in the worker (redrive-job.ts); this module claims the records and creates the job.
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { getEnv } from "~/env";
import { listTopicNames, readTopicBounds, type ClusterConnectionConfig, type FetchedRecord } from "~/server/broker";
import { claimDlqPositions, discardDlqPositions, findDlqState, listDlqStates, setDlqClaimJobId, writeAudit, type Actor, type DlqPosition, type DlqStateRow } from "~/server/catalog";
import { AppError } from "~/server/errors";
import { createJob, type JobView } from "~/server/services/jobs/jobs";
import { asText, envelopeColumns } from "~/server/services/messages/decode";
import { compileFilter, messageFilterSchema, RecordView } from "~/server/services/messages/filters";
import { getMessage, readRange, type BrowsedMessage } from "~/server/services/messages/scan";
import { validatePayload, type ValidationResult } from "~/server/services/messages/validation";
import { formatCount } from "~/lib/format";
import { failureReason, readDlqHeaders, redriveAttempt, type DlqReading } from "./headers";
import { parkingTopicFor, redriveJobParamsSchema, type RedriveJobParams } from "./params";
import { dlqTopicMatcher, parseDlqPatterns } from "./patterns";
import { REDRIVE_KIND } from "./redrive-job";

/** Newest records read per DLQ partition for the overview and the list. */
export const DLQ_SCAN_LIMIT = 50_000;
/** Inflow is counted over this window. */
export const INFLOW_WINDOW_MS = 5 * 60_000;
const PREVIEW = 240;

export type DlqStatus = "PENDING" | "QUEUED" | "REDRIVEN" | "DISCARDED";

export interface DlqEntry {
  partition: number;
  offset: number;
  timestamp: number;
  key: string | null;
  eventType: string | null;
  eventId: string | null;
  reading: DlqReading;
  reason: string;
  /** Times Signalbox already redrove it (its x-redrive-attempt). */
  redriveAttempts: number;
  status: DlqStatus;
  state: DlqStateRow | null;
  preview: string;
}

export function isDlqTopicName(topic: string): boolean {
  return dlqTopicMatcher(parseDlqPatterns(getEnv().DLQ_TOPIC_PATTERNS))(topic);
}

export async function listDlqTopicNames(cluster: ClusterConnectionConfig): Promise<string[]> {
  const isDlq = dlqTopicMatcher(parseDlqPatterns(getEnv().DLQ_TOPIC_PATTERNS));
  return (await listTopicNames(cluster)).filter(isDlq).sort();
}

function mustBeDlq(topic: string): void {
  if (!isDlqTopicName(topic)) throw new AppError("BAD_REQUEST", `"${topic}" is not a dead-letter topic (it matches none of the DLQ name patterns).`);
}

const key = (partition: number, offset: number) => `${partition}/${offset}`;

function toEntry(record: FetchedRecord, state: DlqStateRow | undefined): DlqEntry {
  const reading = readDlqHeaders(record.headers);
  const envelope = envelopeColumns(record);
  const text = record.value ? (asText(record.value) ?? `<${record.value.length} bytes of binary>`) : "";
  return {
    partition: record.partition,
    offset: record.offset,
    timestamp: record.timestamp,
    key: record.key ? (asText(record.key) ?? record.key.toString("hex")) : null,
    eventType: envelope.eventType,
    eventId: envelope.eventId,
    reading,
    reason: failureReason(reading.error),
    redriveAttempts: redriveAttempt(record.headers),
    status: state?.status ?? "PENDING",
    state: state ?? null,
    preview: text.length > PREVIEW ? `${text.slice(0, PREVIEW)}…` : text,
  };
}

export const dlqFilterSchema = messageFilterSchema.and(
  z.object({
    reason: z.string().max(1000).optional(),
    /** Default: pending only. */
    status: z.enum(["PENDING", "QUEUED", "REDRIVEN", "DISCARDED", "ALL"]).default("PENDING"),
  }),
);
export type DlqFilter = z.input<typeof dlqFilterSchema>;

export interface DlqScan {
  topic: string;
  entries: DlqEntry[];
  /** Records in the topic (end − start over its partitions). */
  total: number;
  /** True when the topic holds more than the scan read. */
  truncated: boolean;
}

/** Reads the newest DLQ_SCAN_LIMIT records of each partition and joins their state; `filter` selects. */
export async function scanDlq(cluster: ClusterConnectionConfig, topic: string, filterInput: DlqFilter = {}): Promise<DlqScan> {
  mustBeDlq(topic);
  const parsed = dlqFilterSchema.safeParse(filterInput);
  if (!parsed.success) throw new AppError("BAD_REQUEST", `The filter is not valid: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  const filter = parsed.data;
  const predicate = compileFilter(filter);
  const bounds = await readTopicBounds(cluster, topic);
  if (bounds.length === 0) throw new AppError("NOT_FOUND", `The topic "${topic}" does not exist.`);
  const states = new Map((await listDlqStates(cluster.name, topic)).map((s) => [key(s.partition, s.offset), s]));
  const starts = bounds.filter((b) => b.end > b.start).map((b) => ({ partition: b.partition, offset: Math.max(b.start, b.end - DLQ_SCAN_LIMIT) }));
  const ends = new Map(bounds.map((b) => [b.partition, b.end]));
  const entries: DlqEntry[] = [];
  for await (const chunk of readRange(cluster, topic, starts, { ends, fetchBytes: 4 * 1024 * 1024 })) {
    for (const record of chunk.records) {
      const entry = toEntry(record, states.get(key(record.partition, record.offset)));
      if (filter.status !== "ALL" && entry.status !== filter.status) continue;
      if (filter.reason && entry.reason !== filter.reason) continue;
      if (!predicate(new RecordView(record))) continue;
      entries.push(entry);
    }
  }
  const total = bounds.reduce((s, b) => s + (b.end - b.start), 0);
  return { topic, entries: entries.sort((a, b) => a.timestamp - b.timestamp || a.partition - b.partition || a.offset - b.offset), total, truncated: bounds.some((b) => b.end - b.start > DLQ_SCAN_LIMIT) };
}

export interface ReasonGroup {
  reason: string;
  errorClass: string | null;
  count: number;
  firstSeen: number;
  lastSeen: number;
  /** The group's newest records, for the list (the count covers all). */
  sample: DlqEntry[];
}

const GROUP_SAMPLE = 50;

export function groupByReason(entries: DlqEntry[]): ReasonGroup[] {
  const groups = new Map<string, ReasonGroup>();
  for (const e of entries) {
    let g = groups.get(e.reason);
    if (!g) groups.set(e.reason, (g = { reason: e.reason, errorClass: e.reading.error.errorClass, count: 0, firstSeen: e.timestamp, lastSeen: e.timestamp, sample: [] }));
    g.count += 1;
    g.firstSeen = Math.min(g.firstSeen, e.timestamp);
    g.lastSeen = Math.max(g.lastSeen, e.timestamp);
    g.sample.push(e);
    if (g.sample.length > GROUP_SAMPLE) g.sample.shift();
  }
  return [...groups.values()].sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason));
}

export interface DlqTopicSummary {
  topic: string;
  /** Records neither redriven nor discarded (queued ones count: they are not out yet). */
  depth: number;
  /** Records that arrived per minute over the last INFLOW_WINDOW_MS. */
  inflowPerMin: number;
  /** Age in ms of the oldest pending record; null when none. */
  oldestAgeMs: number | null;
  topReasons: { reason: string; count: number }[];
  /** The most common original topic named by the headers; null when none does. */
  sourceTopic: string | null;
  /** Records arrived within the window and none left it: the DLQ is growing. */
  growing: boolean;
  total: number;
  truncated: boolean;
}

/** Summarises one DLQ topic from a scan of all its records (any status). */
export function summariseDlq(scan: DlqScan, now: number): DlqTopicSummary {
  const open = scan.entries.filter((e) => e.status === "PENDING" || e.status === "QUEUED");
  // Records the scan did not reach (beyond the limit) are older and counted as pending.
  const depth = open.length + (scan.total - scan.entries.length);
  const recent = scan.entries.filter((e) => e.timestamp >= now - INFLOW_WINDOW_MS).length;
  const resolvedRecently = scan.entries.filter((e) => e.state && e.status !== "QUEUED" && e.state.updatedAt.getTime() >= now - INFLOW_WINDOW_MS).length;
  const sources = new Map<string, number>();
  for (const e of scan.entries) if (e.reading.origin.topic) sources.set(e.reading.origin.topic, (sources.get(e.reading.origin.topic) ?? 0) + 1);
  const sourceTopic = [...sources].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
  return {
    topic: scan.topic,
    depth,
    inflowPerMin: recent / (INFLOW_WINDOW_MS / 60_000),
    oldestAgeMs: open.length ? now - Math.min(...open.map((e) => e.timestamp)) : null,
    topReasons: groupByReason(open).slice(0, 3).map((g) => ({ reason: g.reason, count: g.count })),
    sourceTopic,
    growing: recent > resolvedRecently,
    total: scan.total,
    truncated: scan.truncated,
  };
}

export async function dlqOverview(cluster: ClusterConnectionConfig, now = Date.now()): Promise<DlqTopicSummary[]> {
  const topics = await listDlqTopicNames(cluster);
  const out: DlqTopicSummary[] = [];
  for (const topic of topics) out.push(summariseDlq(await scanDlq(cluster, topic, { status: "ALL" }), now));
  return out;
}

export async function listDlqGroups(cluster: ClusterConnectionConfig, topic: string, filter: DlqFilter = {}): Promise<{ groups: ReasonGroup[]; matched: number; total: number; truncated: boolean }> {
  const scan = await scanDlq(cluster, topic, filter);
  return { groups: groupByReason(scan.entries), matched: scan.entries.length, total: scan.total, truncated: scan.truncated };
}

export interface DlqMessageDetail {
  message: BrowsedMessage;
  reading: DlqReading;
  reason: string;
  redriveAttempts: number;
  status: DlqStatus;
  state: DlqStateRow | null;
  validation: ValidationResult | null;
}

export async function getDlqMessage(cluster: ClusterConnectionConfig, topic: string, position: DlqPosition): Promise<DlqMessageDetail> {
  mustBeDlq(topic);
  const message = await getMessage(cluster, topic, position.partition, position.offset);
  // `message` shows binary headers (Spring's ints) as hex; the reading needs the raw bytes.
  const headers = (await rawRecord(cluster, topic, position))?.headers ?? [];
  const reading = readDlqHeaders(headers);
  const state = await findDlqState(cluster.name, topic, position);
  return {
    message,
    reading,
    reason: failureReason(reading.error),
    redriveAttempts: redriveAttempt(headers),
    status: state?.status ?? "PENDING",
    state,
    validation: message.validation,
  };
}

async function rawRecord(cluster: ClusterConnectionConfig, topic: string, position: DlqPosition): Promise<FetchedRecord | null> {
  for await (const chunk of readRange(cluster, topic, [{ partition: position.partition, offset: position.offset }], { ends: new Map([[position.partition, position.offset + 1]]) })) {
    const found = chunk.records.find((r) => r.offset === position.offset);
    if (found) return found;
  }
  return null;
}

// ---- actions ----

const positionSchema = z.object({ partition: z.number().int().nonnegative(), offset: z.number().int().nonnegative() });
const selectionSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("positions"), positions: z.array(positionSchema).min(1, "Select at least one record.").max(100_000) }),
  z.object({ kind: z.literal("filter"), filter: z.custom<DlqFilter>((v) => typeof v === "object" && v !== null) }),
]);
const topicName = z.string().trim().min(1).max(249);

export const redriveRequestSchema = z.object({
  topic: topicName,
  selection: selectionSchema,
  /** Null: each record's original topic. */
  targetTopic: topicName.nullable().default(null),
  /** For records whose headers name no source topic. */
  fallbackTopic: topicName.nullable().default(null),
  ratePerSec: z.number().positive().max(1_000_000).nullable().default(null),
});
export type RedriveRequest = z.input<typeof redriveRequestSchema>;

function parseOrExplain<T>(schema: z.ZodType<T>, input: unknown, what: string): T {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new AppError("BAD_REQUEST", `The ${what} is not valid: ${parsed.error.issues.map((i) => `${i.path.join(".") || "input"}: ${i.message}`).join("; ")}`);
  return parsed.data;
}

async function selectedPositions(cluster: ClusterConnectionConfig, topic: string, selection: z.output<typeof selectionSchema>): Promise<DlqPosition[]> {
  if (selection.kind === "positions") return selection.positions;
  const scan = await scanDlq(cluster, topic, { ...selection.filter, status: "PENDING" });
  return scan.entries.map((e) => ({ partition: e.partition, offset: e.offset }));
}

export function redriveSummary(params: RedriveJobParams): string {
  const parts = [`${params.dlqTopic} → ${params.targetTopic ?? "original topics"}`, `${formatCount(params.count)} record${params.count === 1 ? "" : "s"}`];
  if (params.ratePerSec) parts.push(`${formatCount(params.ratePerSec)} msg/s`);
  return parts.join(" · ");
}

async function claimAndStart(
  actor: Actor,
  cluster: ClusterConnectionConfig,
  request: z.output<typeof redriveRequestSchema>,
  positions: DlqPosition[],
  edit?: { before: string; after: string },
): Promise<JobView> {
  const jobKey = randomUUID();
  // Claim first, under the job's key: a second click on the same records claims none and is refused.
  const claimed = await claimDlqPositions(cluster.name, request.topic, positions, {
    jobKey,
    actor: actor.email,
    targetTopic: request.targetTopic,
    editBefore: edit?.before ?? null,
    editAfter: edit?.after ?? null,
  });
  if (claimed.length === 0) throw new AppError("CONFLICT", positions.length === 1 ? "This record is already redriven, discarded or queued for redrive." : "None of the selected records is pending.");
  const params: RedriveJobParams = redriveJobParamsSchema.parse({
    dlqTopic: request.topic,
    targetTopic: request.targetTopic,
    fallbackTopic: request.fallbackTopic,
    attemptCap: getEnv().DLQ_REDRIVE_ATTEMPT_CAP,
    parkingTopic: parkingTopicFor(request.topic),
    ratePerSec: request.ratePerSec,
    count: claimed.length,
  });
  const job = await createJob(actor, cluster.name, { kind: REDRIVE_KIND, key: jobKey, params, summary: redriveSummary(params), expected: claimed.length, toRead: claimed.length });
  await setDlqClaimJobId(jobKey, job.id);
  return job;
}

/** Redrives a selection (or everything a filter matches) as a durable job. */
export async function startRedrive(actor: Actor, cluster: ClusterConnectionConfig, input: RedriveRequest): Promise<JobView> {
  const request = parseOrExplain(redriveRequestSchema, input, "redrive");
  mustBeDlq(request.topic);
  if (request.targetTopic && (await readTopicBounds(cluster, request.targetTopic)).length === 0) throw new AppError("NOT_FOUND", `The target topic "${request.targetTopic}" does not exist.`);
  const positions = await selectedPositions(cluster, request.topic, request.selection);
  if (positions.length === 0) throw new AppError("BAD_REQUEST", "No pending record matches; nothing to redrive.");
  const job = await claimAndStart(actor, cluster, request, positions);
  await writeAudit({ actor, action: "dlq.redrive", targetType: "topic", targetId: request.topic, details: { jobId: job.id, count: (job.params as RedriveJobParams).count, targetTopic: request.targetTopic, selection: request.selection.kind } });
  return job;
}

export const editRedriveSchema = z.object({
  topic: topicName,
  partition: z.number().int().nonnegative(),
  offset: z.number().int().nonnegative(),
  /** The edited value: JSON text. */
  value: z.string().max(1_000_000),
  targetTopic: topicName.nullable().default(null),
  fallbackTopic: topicName.nullable().default(null),
});

export interface EditCheck {
  ok: boolean;
  /** Each problem with where it is (JSON path, or "value" when it is not JSON). */
  errors: { path: string; message: string }[];
  validation: ValidationResult | null;
}

/** Checks an edited payload: JSON, and valid against its event type's schema when the catalog has one. */
export async function checkEditedPayload(value: string, fallbackEventType: string | null): Promise<EditCheck> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch (error) {
    return { ok: false, errors: [{ path: "value", message: `Not JSON: ${(error as Error).message}` }], validation: null };
  }
  const eventType = envelopeColumns({ value: Buffer.from(value, "utf8"), headers: [] }).eventType ?? fallbackEventType;
  const validation = await validatePayload(eventType, { ok: true, value: parsed });
  if (validation?.status === "invalid") return { ok: false, errors: validation.errors, validation };
  return { ok: true, errors: [], validation };
}

/** Edits one record's JSON payload and redrives the edit; refused (with the error paths) when invalid. */
export async function editAndRedrive(actor: Actor, cluster: ClusterConnectionConfig, input: z.input<typeof editRedriveSchema>): Promise<JobView> {
  const request = parseOrExplain(editRedriveSchema, input, "edit");
  const detail = await getDlqMessage(cluster, request.topic, request);
  const check = await checkEditedPayload(request.value, detail.message.envelope.eventType);
  if (!check.ok) throw new AppError("BAD_REQUEST", `The edited payload is not valid: ${check.errors.map((e) => `${e.path || "(root)"}: ${e.message}`).join("; ")}`);
  const before = detail.message.value.text;
  const job = await claimAndStart(
    actor,
    cluster,
    { topic: request.topic, selection: { kind: "positions", positions: [request] }, targetTopic: request.targetTopic, fallbackTopic: request.fallbackTopic, ratePerSec: null },
    [request],
    { before, after: request.value },
  );
  await writeAudit({ actor, action: "dlq.edit-redrive", targetType: "dlq-message", targetId: `${request.topic}/${request.partition}/${request.offset}`, details: { jobId: job.id, before, after: request.value } });
  return job;
}

export const discardRequestSchema = z.object({
  topic: topicName,
  selection: selectionSchema,
  reason: z.string().trim().min(3, "Say why these records are discarded.").max(1000),
});

/** Marks records discarded (the topic is not changed); returns how many were pending and now are not. */
export async function discardDlq(actor: Actor, cluster: ClusterConnectionConfig, input: z.input<typeof discardRequestSchema>): Promise<{ discarded: number }> {
  const request = parseOrExplain(discardRequestSchema, input, "discard");
  mustBeDlq(request.topic);
  const positions = await selectedPositions(cluster, request.topic, request.selection);
  const discarded = positions.length ? await discardDlqPositions(cluster.name, request.topic, positions, actor.email, request.reason) : 0;
  await writeAudit({ actor, action: "dlq.discard", targetType: "topic", targetId: request.topic, details: { discarded, selected: positions.length, reason: request.reason, selection: request.selection.kind } });
  return { discarded };
}
