// The DLQ area: what is in each dead-letter topic (depth, inflow, reasons), its records grouped by
// failure reason, one record in full, and the actions (redrive, edit and redrive, discard).
//
// Lists, counts and selections come from the DLQ index in PostgreSQL, joined with each record's state;
// only filters on the payload itself (text, JSON path, header) read the topic. Only the worker writes
// the index (indexer.ts): reads answer from what it holds and say how far behind it is (index-lag.ts),
// and an action that must cover a whole topic asks the worker to catch up and waits (index-requests.ts). A
// redrive claims its records in one SQL statement and runs as a durable job in the worker
// (redrive-job.ts), so starting one holds nothing in memory however many records it covers.
import { assertMayActOn, readerOf } from "~/server/services/auth/authorize";
import { redriveDestinations } from "./destinations";
import { randomUUID } from "node:crypto";
import { getEnv } from "~/env";
import { listTopicNames, readRange, type ClusterConnectionConfig, type FetchedRecord } from "~/server/broker";
import {
  claimDlqPositions,
  claimDlqRecords,
  countDlqRecords,
  readDlqCursors,
  discardDlqRecords,
  dlqTopicStats,
  findDlqState,
  findRedriveProblem,
  groupDlqRecords,
  listIndexedDlqTopics,
  originTopicsOf,
  queryDlqRecords,
  inTransaction,
  setDlqClaimJobId,
  type Actor,
  type AuditRecord,
  type PrismaTx,
  type DlqIndexedRecord,
  type DlqPosition,
  type DlqRecordQuery,
  type DlqStateRow,
  type DlqTopicStats,
} from "~/server/catalog";
import { AppError } from "~/server/errors";
import { queueJob, recordJob, startOnce, type JobView } from "~/server/services/jobs/jobs";
import { assertCanStartJob } from "~/server/services/limits/jobs";
import { hiddenPathsForTopics, maskerFor, maskJsonText, maskPreview, MASK_MARKER, restoreMasked, type Reader, type RecordMasker } from "~/server/services/masking/masking";
import { envelopeColumns } from "~/server/services/messages/decode";
import { compileFilter, NO_MESSAGE_FILTER } from "~/server/services/messages/filters";
import { getMessage, maskedView, type BrowsedMessage } from "~/server/services/messages/scan";
import { validatePayload, type ValidationResult } from "~/server/services/messages/validation";
import { encodeWith } from "~/server/services/schemas/formats";
import { lookupSchema } from "~/server/services/schemas/schema-decoding";
import { formatCount } from "~/lib/format";
import { readDlqHeaders, redriveAttempt, type DlqReading } from "./headers";
import { failureReason } from "./reasons";
import { announceDlqChange } from "./changes";
import { NO_DLQ_FILTER, type DiscardRequest, type DlqFilter, type EditRedriveRequest, type RedriveRequest, type Selection } from "./dlq.types";
import { readIndexLag, type DlqIndexLag } from "./index-lag";
import { requireCompleteIndex } from "./index-requests";
import { parkingTopicFor, redriveJobParamsSchema, type RedriveJobParams } from "./params";
import { REDRIVE_KIND } from "./redrive-job";
import { listDlqTopics, requireDlqTopic } from "./topics";

/** Inflow is counted over this window. */
export const INFLOW_WINDOW_MS = 5 * 60_000;
/** A payload filter (text, JSON path, header) reads at most the newest this many records per partition. */
export const PAYLOAD_SCAN_LIMIT = 50_000;
/** Newest records shown per reason group (the count covers all). */
export const GROUP_SAMPLE = 50;

// EXPIRED: claimed, then deleted by retention before its job reached it (never written).
export type DlqStatus = "PENDING" | "QUEUED" | "REDRIVEN" | "DISCARDED" | "EXPIRED";

/** An indexed record as the screens show it: its origin in one piece, and its status. */
export type DlqEntry = Omit<DlqIndexedRecord, "originTopic" | "originPartition" | "originOffset"> & {
  origin: { topic: string | null; partition: number | null; offset: string | null };
  status: DlqStatus;
};

/** `reader`: the role the entry is shown to; its preview is masked for it (null: as for anyone). */
function toEntry({ originTopic, originPartition, originOffset, ...rest }: DlqIndexedRecord, topic: string, reader: Reader): DlqEntry {
  const preview = maskPreview(rest.preview, hiddenPathsForTopics([topic, originTopic], reader));
  return { ...rest, preview, origin: { topic: originTopic, partition: originPartition, offset: originOffset }, status: rest.state?.status ?? "PENDING" };
}

/** Masks a dead-lettered record under its DLQ's policies and its original topic's. */
function dlqMasker(reader: Reader): RecordMasker {
  const mask = maskerFor(reader);
  return (record) => mask(record, readDlqHeaders(record.headers).origin.topic);
}


/** Filters the index cannot answer: they need the record's payload or headers. */
function payloadFilterOf(filter: DlqFilter) {
  const { text, jsonPath, jsonOperator, jsonValue, headerName, headerValue } = filter;
  return text || jsonPath || headerName ? { ...NO_MESSAGE_FILTER, text, jsonPath, jsonOperator, jsonValue, headerName, headerValue } : null;
}

export interface ResolvedQuery {
  query: DlqRecordQuery;
  /** A payload filter read only the newest PAYLOAD_SCAN_LIMIT records per partition of a bigger topic. */
  payloadScanTruncated: boolean;
}

/**
 * Turns a filter into an index query. The index answers everything but payload filters; those read
 * the topic (newest PAYLOAD_SCAN_LIMIT per partition) and narrow the query to the positions that matched.
 */
async function resolveFilter(cluster: ClusterConnectionConfig, topic: string, filter: DlqFilter, index: DlqIndexLag, reader: Reader): Promise<ResolvedQuery> {
  const query: DlqRecordQuery = {
    clusterName: cluster.name,
    topic,
    status: filter.status,
    reason: filter.reason,
    key: filter.key,
    keyMatch: filter.keyMatch,
    eventType: filter.eventType,
    correlationId: filter.correlationId,
    from: filter.from,
    to: filter.to,
  };
  const payloadFilter = payloadFilterOf(filter);
  if (!payloadFilter) return { query, payloadScanTruncated: false };
  const predicate = compileFilter(payloadFilter);
  const starts = index.partitions.filter((b) => b.end > b.start).map((b) => ({ partition: b.partition, offset: Math.max(b.start, b.end - PAYLOAD_SCAN_LIMIT) }));
  const ends = new Map(index.partitions.map((b) => [b.partition, b.end]));
  const positions: DlqPosition[] = [];
  // Filters see what the reader sees: a masked value cannot be found by searching for it.
  const mask = dlqMasker(reader);
  for await (const chunk of readRange(cluster, topic, starts, { ends, fetchBytes: 4 * 1024 * 1024 })) {
    for (const record of chunk.records) if (predicate(maskedView(record, mask))) positions.push({ partition: record.partition, offset: record.offset });
  }
  return { query: { ...query, positions }, payloadScanTruncated: index.partitions.some((b) => b.end - b.start > PAYLOAD_SCAN_LIMIT) };
}

/**
 * Reads how far behind the index is and resolves the filter. A read answers from the index as it is;
 * an action first has the worker complete it (requireCompleteIndex), so it covers every record. The
 * caller has checked that `topic` is a DLQ.
 */
async function prepare(cluster: ClusterConnectionConfig, topic: string, filter: DlqFilter, forAction: boolean, reader: Reader): Promise<{ index: DlqIndexLag; resolved: ResolvedQuery }> {
  const index = forAction ? await requireCompleteIndex(cluster, topic) : await readIndexLag(cluster, topic);
  return { index, resolved: await resolveFilter(cluster, topic, filter, index, reader) };
}

export interface DlqRecordList {
  topic: string;
  entries: DlqEntry[];
  /** All records the filter matches (entries holds at most `limit`). */
  matched: number;
  /** Records in the topic. */
  total: number;
  /** Records not indexed yet (the worker is still reading them). */
  behind: number;
  /** How far behind the index is, per partition. */
  index: DlqIndexLag;
  payloadScanTruncated: boolean;
}

/** The records a filter matches, oldest first (newest first with `newestFirst`), at most `limit`. */
export async function findDlqRecords(cluster: ClusterConnectionConfig, topic: string, filter: DlqFilter = NO_DLQ_FILTER, options: { limit?: number; newestFirst?: boolean; reader?: Reader } = {}): Promise<DlqRecordList> {
  await requireDlqTopic(cluster.name, topic);
  const reader = options.reader ?? null;
  const { index, resolved } = await prepare(cluster, topic, filter, false, reader);
  const [rows, matched] = await Promise.all([queryDlqRecords(resolved.query, { limit: options.limit ?? 1000, newestFirst: options.newestFirst }), countDlqRecords(resolved.query)]);
  return { topic, entries: rows.map((row) => toEntry(row, topic, reader)), matched, total: index.total, behind: index.behind, index, payloadScanTruncated: resolved.payloadScanTruncated };
}

export interface ReasonGroup {
  reason: string;
  errorClass: string | null;
  count: number;
  firstSeen: number;
  lastSeen: number;
  /** The group's newest records, newest first (the count covers all). */
  sample: DlqEntry[];
}

export interface DlqGroups {
  groups: ReasonGroup[];
  matched: number;
  total: number;
  /** Records in the topic the index does not hold yet: not grouped here. */
  behind: number;
  index: DlqIndexLag;
  payloadScanTruncated: boolean;
}

/** The records a filter matches, grouped by failure reason, most frequent first. */
export async function listDlqGroups(cluster: ClusterConnectionConfig, topic: string, filter: DlqFilter = NO_DLQ_FILTER, reader: Reader = null): Promise<DlqGroups> {
  await requireDlqTopic(cluster.name, topic);
  const { index, resolved } = await prepare(cluster, topic, filter, false, reader);
  const rows = await groupDlqRecords(resolved.query, GROUP_SAMPLE);
  const groups = rows.map((g) => ({ ...g, sample: g.sample.map((row) => toEntry(row, topic, reader)) }));
  return { groups, matched: groups.reduce((s, g) => s + g.count, 0), total: index.total, behind: index.behind, index, payloadScanTruncated: resolved.payloadScanTruncated };
}

export interface DlqTopicSummary {
  topic: string;
  /** Declared in the catalog (besides, or instead of, matching a name pattern). */
  declared: boolean;
  /** Records neither redriven nor discarded (queued ones count: they are not out yet), including any not indexed yet. */
  depth: number;
  /** Records that arrived per minute over the last INFLOW_WINDOW_MS. */
  inflowPerMin: number;
  /** Age in ms of the oldest open record; null when none. */
  oldestAgeMs: number | null;
  topReasons: { reason: string; count: number }[];
  /** The original topic most records name, else the catalog's declared source; null when neither. */
  sourceTopic: string | null;
  /** More records arrived within the window than were redriven or discarded: the DLQ is growing. */
  growing: boolean;
  total: number;
  /** Records not indexed yet. */
  behind: number;
  /** When the worker last read every partition of the topic to its end (epoch ms); null when not known. */
  indexCheckedAt: number | null;
}

/** One DLQ's summary from its index statistics. Records the index has not read yet count as open. */
export function summariseDlq(topic: string, stats: DlqTopicStats, index: Pick<DlqIndexLag, "total" | "behind" | "checkedAt">, declaredSource: string | null, declared: boolean, now: number): DlqTopicSummary {
  return {
    topic,
    declared,
    depth: stats.open + index.behind,
    inflowPerMin: stats.arrivedSince / (INFLOW_WINDOW_MS / 60_000),
    oldestAgeMs: stats.oldestOpen === null ? null : Math.max(0, now - stats.oldestOpen),
    topReasons: stats.topReasons,
    sourceTopic: stats.sourceTopic ?? declaredSource,
    growing: stats.arrivedSince > stats.resolvedSince,
    total: index.total,
    behind: index.behind,
    indexCheckedAt: index.checkedAt,
  };
}

export async function dlqOverview(cluster: ClusterConnectionConfig, now = Date.now()): Promise<DlqTopicSummary[]> {
  const topics = await listDlqTopics(cluster);
  return Promise.all(
    topics.map(async (t) => {
      const index = await readIndexLag(cluster, t.topic);
      const stats = await dlqTopicStats(cluster.name, t.topic, now - INFLOW_WINDOW_MS);
      return summariseDlq(t.topic, stats, index, t.declaration?.sourceTopic ?? null, t.declaration !== null, now);
    }),
  );
}

/**
 * Every indexed DLQ's summary from the index alone, without asking the broker (for /metrics, which
 * must answer while the broker is down). The worker keeps the index within DLQ_INDEX_INTERVAL_MS.
 */
export async function dlqIndexSummaries(clusterName: string, now = Date.now()): Promise<DlqTopicSummary[]> {
  const topics = await listIndexedDlqTopics(clusterName);
  return Promise.all(
    topics.map(async (topic) => {
      const stats = await dlqTopicStats(clusterName, topic, now - INFLOW_WINDOW_MS);
      return summariseDlq(topic, stats, { total: stats.indexed, behind: 0, checkedAt: null }, null, false, now);
    }),
  );
}

export interface DlqMessageDetail {
  message: BrowsedMessage;
  reading: DlqReading;
  reason: string;
  /** Times Signalbox redrove it before it landed here (its x-redrive-attempt). */
  redriveAttempts: number;
  status: DlqStatus;
  state: DlqStateRow | null;
  /** Why the last redrive could not write it (shown while it is pending), if one could not. */
  redriveProblem: string | null;
  validation: ValidationResult | null;
  /** The catalog's source topic for this DLQ: the redrive target when the headers name none. */
  declaredSource: string | null;
  /** DLQ_REDRIVE_ATTEMPT_CAP: a redrive past it goes to `parkingTopic` instead. */
  attemptCap: number;
  parkingTopic: string;
}

/** One record in full for `reader` (null: as anyone may see it; "admin": clear), its payload and any edit of it masked for that role. */
export async function getDlqMessage(cluster: ClusterConnectionConfig, topic: string, position: DlqPosition, reader: Reader = null): Promise<DlqMessageDetail> {
  const dlq = await requireDlqTopic(cluster.name, topic);
  const message = await getMessage(cluster, topic, position.partition, position.offset, dlqMasker(reader));
  // `message` shows binary headers (Spring's ints) as hex; the reading needs the raw bytes.
  const headers = (await rawRecord(cluster, topic, position))?.headers ?? [];
  const reading = readDlqHeaders(headers);
  const [found, redriveProblem] = await Promise.all([findDlqState(cluster.name, topic, position), findRedriveProblem(cluster.name, topic, position)]);
  // An edit is stored clear (the redrive job writes it); it is shown masked like the record.
  const paths = hiddenPathsForTopics([topic, reading.origin.topic], reader);
  const state = found && { ...found, editBefore: found.editBefore === null ? null : maskJsonText(found.editBefore, paths), editAfter: found.editAfter === null ? null : maskJsonText(found.editAfter, paths) };
  return {
    message,
    reading,
    reason: failureReason(reading.error),
    redriveAttempts: redriveAttempt(headers),
    status: state?.status ?? "PENDING",
    state,
    redriveProblem: state ? null : redriveProblem,
    validation: message.validation,
    declaredSource: dlq.declaration?.sourceTopic ?? null,
    attemptCap: getEnv().DLQ_REDRIVE_ATTEMPT_CAP,
    parkingTopic: parkingTopicFor(topic),
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


/**
 * The index query for a selection: the chosen positions, or everything a filter matches. A filter
 * needs the whole topic indexed (the worker completes it first); chosen positions only need
 * themselves, which they are when a list showed them. The caller has checked that `topic` is a DLQ.
 */
async function selectionQuery(cluster: ClusterConnectionConfig, topic: string, selection: Selection, reader: Reader): Promise<DlqRecordQuery> {
  if (selection.kind === "positions") {
    const cursors = await readDlqCursors(cluster.name, topic);
    if (selection.positions.some((p) => p.offset >= (cursors.get(p.partition) ?? 0))) await requireCompleteIndex(cluster, topic);
    return { clusterName: cluster.name, topic, status: "PENDING", positions: selection.positions };
  }
  // The filter sees what the list showed this reader, so an action covers the records they saw.
  const { resolved } = await prepare(cluster, topic, { ...selection.filter, status: "PENDING" }, true, reader);
  return resolved.query;
}

/** Why nothing was claimed or discarded, in the user's terms. */
async function nothingSelected(cluster: ClusterConnectionConfig, topic: string, selection: Selection): Promise<AppError> {
  if (selection.kind === "positions" && selection.positions.length === 1) {
    const [p] = selection.positions;
    if (await findDlqState(cluster.name, topic, p!)) return new AppError("CONFLICT", "This record is already redriven, discarded or queued for redrive.");
    return new AppError("NOT_FOUND", `There is no record at ${topic}/${p!.partition}/${p!.offset}.`);
  }
  return new AppError("CONFLICT", selection.kind === "positions" ? "None of the selected records is pending." : "No pending record matches; nothing to do.");
}

export function redriveSummary(params: RedriveJobParams): string {
  const parts = [`${params.dlqTopic} → ${params.targetTopic ?? "original topics"}`, `${formatCount(params.count)} record${params.count === 1 ? "" : "s"}`];
  if (params.ratePerSec) parts.push(`${formatCount(params.ratePerSec)} msg/s`);
  return parts.join(" · ");
}

/**
 * Claims records under a fresh job key (`claim` returns how many) and creates the job, in one
 * transaction: a second click claims nothing, and a process that dies in between leaves neither
 * (claims without a job would block the retried submission, which must start the job instead).
 */
async function claimAndStart(
  actor: Actor,
  cluster: ClusterConnectionConfig,
  request: RedriveRequest,
  declaredSource: string | null,
  claim: (jobKey: string, tx: PrismaTx) => Promise<number>,
  nothing: () => Promise<AppError>,
  audit: (job: { id: number; count: number }) => AuditRecord,
  idempotencyKey?: string,
): Promise<JobView> {
  // A repeated submit must find the first job before claiming anything: the records are its claims now.
  return startOnce(actor, idempotencyKey, async () => {
    if (request.targetTopic && !(await listTopicNames(cluster)).includes(request.targetTopic)) throw new AppError("NOT_FOUND", `The target topic "${request.targetTopic}" does not exist.`);
    // Before claiming: a refused job must leave no claimed records behind.
    await assertCanStartJob(actor.email);
    const jobKey = randomUUID();
    const row = await inTransaction(async (tx) => {
      const claimed = await claim(jobKey, tx);
      if (claimed === 0) return null;
      const params: RedriveJobParams = redriveJobParamsSchema.parse({
        dlqTopic: request.topic,
        targetTopic: request.targetTopic,
        fallbackTopic: request.fallbackTopic ?? declaredSource,
        attemptCap: getEnv().DLQ_REDRIVE_ATTEMPT_CAP,
        parkingTopic: parkingTopicFor(request.topic),
        ratePerSec: request.ratePerSec,
        count: claimed,
      });
      // The action's audit entry is written with the job and the claims.
      const job = await recordJob(actor, cluster.name, { kind: REDRIVE_KIND, key: jobKey, params, summary: redriveSummary(params), expected: claimed, toRead: claimed, audit: (id) => audit({ id, count: claimed }), idempotencyKey }, tx);
      await setDlqClaimJobId(jobKey, job.id, tx);
      return job;
    });
    if (!row) throw await nothing();
    const job = await queueJob(row);
    await announceDlqChange(cluster.name, request.topic);
    return job;
  });
}

/** Redrives a selection (or everything a filter matches) as a durable job. */
export async function startRedrive(actor: Actor, cluster: ClusterConnectionConfig, request: RedriveRequest): Promise<JobView> {
  const dlq = await requireDlqTopic(cluster.name, request.topic);
  const query = await selectionQuery(cluster, request.topic, request.selection, readerOf(actor, cluster.name));
  const declaredSource = dlq.declaration?.sourceTopic ?? null;
  const origins = request.targetTopic ? [] : await originTopicsOf(query);
  assertMayActOn(actor, "support", { cluster: cluster.name, topics: redriveDestinations({ ...request, declaredSource, origins }) });
  const job = await claimAndStart(
    actor,
    cluster,
    request,
    declaredSource,
    (jobKey, tx) => claimDlqRecords(query, { jobKey, actor: actor.email, targetTopic: request.targetTopic }, tx),
    () => nothingSelected(cluster, request.topic, request.selection),
    (job) => ({ actor, action: "dlq.redrive", targetType: "topic", targetId: request.topic, details: { jobId: job.id, count: job.count, targetTopic: request.targetTopic, selection: request.selection.kind, filter: request.selection.kind === "filter" ? request.selection.filter : undefined } }),
    request.idempotencyKey,
  );
  return job;
}


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
export async function editAndRedrive(actor: Actor, cluster: ClusterConnectionConfig, request: EditRedriveRequest): Promise<JobView> {
  // The clear record: the edit is written from it, and masked fields the editor could not see are restored from it.
  const detail = await getDlqMessage(cluster, request.topic, request, "admin");
  const before = detail.message.value.text;
  const value = restoreMaskedEdit(request.value, before, hiddenPathsForTopics([request.topic, detail.reading.origin.topic], readerOf(actor, cluster.name)));
  const check = await checkEditedPayload(value, detail.message.envelope.eventType);
  if (!check.ok) throw new AppError("BAD_REQUEST", `The edited payload is not valid: ${check.errors.map((e) => `${e.path || "(root)"}: ${e.message}`).join("; ")}`);
  const { schemaType, schemaId } = detail.message.value;
  if (schemaType && schemaType !== "JSON" && schemaId) {
    // The redrive encodes the edit with the record's own schema (encodeLikeOriginal): refuse now what it could not encode.
    const found = await lookupSchema(schemaId, cluster.name);
    if (!found.ok) throw new AppError("BAD_REQUEST", `This record's schema (id ${schemaId}) cannot be had (${found.problem}), so an edit cannot be encoded. Redrive it unchanged.`);
    const schema = found.schema;
    try {
      encodeWith(schema, JSON.parse(value));
    } catch (error) {
      throw new AppError("BAD_REQUEST", `The edited payload does not fit the record's ${schemaType} schema (id ${schemaId}): ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  const position = { partition: request.partition, offset: request.offset };
  assertMayActOn(actor, "support", { cluster: cluster.name, topics: redriveDestinations({ ...request, declaredSource: detail.declaredSource, origins: [detail.reading.origin.topic] }) });
  // The audit log is readable by every role: fields under any policy are masked there, whoever edited.
  const auditPaths = hiddenPathsForTopics([request.topic, detail.reading.origin.topic], null);
  const job = await claimAndStart(
    actor,
    cluster,
    { topic: request.topic, selection: { kind: "positions", positions: [position] }, targetTopic: request.targetTopic, fallbackTopic: request.fallbackTopic, ratePerSec: null },
    detail.declaredSource,
    async (jobKey, tx) => (await claimDlqPositions(cluster.name, request.topic, [position], { jobKey, actor: actor.email, targetTopic: request.targetTopic, editBefore: before, editAfter: value }, tx)).length,
    () => nothingSelected(cluster, request.topic, { kind: "positions", positions: [position] }),
    (job) => ({ actor, action: "dlq.edit-redrive", targetType: "dlq-message", targetId: `${request.topic}/${request.partition}/${request.offset}`, details: { jobId: job.id, before: maskJsonText(before, auditPaths), after: maskJsonText(value, auditPaths) } }),
    request.idempotencyKey,
  );
  return job;
}

/** An edit made on a masked view with the fields that still show the marker given their clear value back; any other edit is returned as typed. */
function restoreMaskedEdit(edited: string, clear: string, paths: ReturnType<typeof hiddenPathsForTopics>): string {
  if (paths.length === 0 || !edited.includes(MASK_MARKER)) return edited;
  try {
    return JSON.stringify(restoreMasked(JSON.parse(edited), JSON.parse(clear), paths), null, 2);
  } catch {
    // Not JSON: checkEditedPayload refuses it with the reason.
    return edited;
  }
}


/** Marks records discarded (the topic is not changed); returns how many were pending and now are not. */
export async function discardDlq(actor: Actor, cluster: ClusterConnectionConfig, request: DiscardRequest): Promise<{ discarded: number }> {
  await requireDlqTopic(cluster.name, request.topic);
  const query = await selectionQuery(cluster, request.topic, request.selection, readerOf(actor, cluster.name));
  const discarded = await discardDlqRecords(query, actor.email, request.reason, (count) => ({
    actor,
    action: "dlq.discard",
    targetType: "topic",
    targetId: request.topic,
    details: { discarded: count, reason: request.reason, selection: request.selection.kind, filter: request.selection.kind === "filter" ? request.selection.filter : undefined, positions: request.selection.kind === "positions" ? request.selection.positions.slice(0, 100) : undefined },
  }));
  if (discarded === 0) throw await nothingSelected(cluster, request.topic, request.selection);
  await announceDlqChange(cluster.name, request.topic);
  return { discarded };
}
