// The schema catalog: services, event types, their schema versions, topic bindings, producers,
// subscriptions, conformance results and the registry's global compatibility level.
// Domain rules (compatibility, validation, subject names) live in services/schemas; this file stores.
import "server-only";
import { sql } from "kysely";
import { executeInTransaction, getDb, getSql } from "./db";
import type { Prisma } from "./generated/prisma/client";
import { storeReferences, type StoredReference } from "./schema-references";
import type { CompatibilityMode, SchemaType } from "./types";
import { writeAudit, type AuditRecord } from "./audit";

// Registration reads every version, judges, then inserts; the lock makes that one step, so two
// concurrent registrations cannot both become version N or both allocate the same schema id.
const REGISTRY_LOCK_KEY = 0x5c4e4a;

export interface EventTypeInput {
  name: string;
  domain: string;
  owner: string;
  description: string;
  compatibility: CompatibilityMode | null;
}

export interface TopicRef {
  clusterName: string;
  topic: string;
}

export interface EventTypeRow extends EventTypeInput {
  id: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface SchemaVersionRow {
  id: string;
  eventTypeId: string;
  version: number;
  schemaId: number;
  schema: string;
  schemaType: SchemaType;
  fingerprint: string;
  createdBy: string;
  createdAt: Date;
  /** Set by a soft delete: hidden from the registry's listings and from compatibility checks. */
  deletedAt: Date | null;
  deletedBy: string | null;
}

export interface ServiceInput {
  name: string;
  team: string;
  description: string;
  links: { label: string; url: string }[];
}

export interface ServiceRow extends ServiceInput {
  id: string;
  createdAt: Date;
}

export interface ConformanceViolation {
  topic: string;
  partition: number;
  offset: string;
  timestamp: string;
  /** Why the message did not conform, e.g. "not JSON" or "2 schema errors". */
  reason: string;
  errors: { path: string; message: string }[];
  schemaVersion: number | null;
  /** The start of the value as text, for the reader (rendered as text, never HTML). */
  preview: string;
}

export interface ConformanceTopicResult {
  topic: string;
  sampled: number;
  conforming: number;
  /** Set when the topic could not be read at all. */
  error: string | null;
}

export interface ConformanceCheckRow {
  id: string;
  eventTypeId: string;
  clusterName: string;
  checkedAt: Date;
  sampled: number;
  conforming: number;
  topics: ConformanceTopicResult[];
  violations: ConformanceViolation[];
}

// ── Registry configuration ───────────────────────────────────────────────────────────────────

const DEFAULT_COMPATIBILITY: CompatibilityMode = "BACKWARD";

export async function getGlobalCompatibility(): Promise<CompatibilityMode> {
  const row = await getDb().schemaRegistryConfig.findUnique({ where: { id: "global" } });
  return row?.compatibility ?? DEFAULT_COMPATIBILITY;
}

export async function setGlobalCompatibility(mode: CompatibilityMode): Promise<{ before: CompatibilityMode; after: CompatibilityMode }> {
  const before = await getGlobalCompatibility();
  await getDb().schemaRegistryConfig.upsert({ where: { id: "global" }, create: { id: "global", compatibility: mode }, update: { compatibility: mode } });
  return { before, after: mode };
}

/**
 * A level set for a subject before anything is registered under it (clients may configure first);
 * it becomes the event type's own level when the subject's first schema creates the event type.
 */
const pendingKey = (subject: string) => `subject:${subject}`;

export async function getPendingSubjectCompatibility(subject: string): Promise<CompatibilityMode | null> {
  const row = await getDb().schemaRegistryConfig.findUnique({ where: { id: pendingKey(subject) } });
  return row?.compatibility ?? null;
}

export async function setPendingSubjectCompatibility(subject: string, mode: CompatibilityMode | null): Promise<{ before: CompatibilityMode | null; after: CompatibilityMode | null }> {
  const before = await getPendingSubjectCompatibility(subject);
  if (mode === null) await getDb().schemaRegistryConfig.deleteMany({ where: { id: pendingKey(subject) } });
  else await getDb().schemaRegistryConfig.upsert({ where: { id: pendingKey(subject) }, create: { id: pendingKey(subject), compatibility: mode }, update: { compatibility: mode } });
  return { before, after: mode };
}

// ── Event types ──────────────────────────────────────────────────────────────────────────────

function toEventTypeRow(row: { id: string; name: string; domain: string; owner: string; description: string; compatibility: CompatibilityMode | null; createdAt: Date; updatedAt: Date }): EventTypeRow {
  return { id: row.id, name: row.name, domain: row.domain, owner: row.owner, description: row.description, compatibility: row.compatibility, createdAt: row.createdAt, updatedAt: row.updatedAt };
}

export async function findEventType(name: string): Promise<EventTypeRow | null> {
  const row = await getDb().eventType.findUnique({ where: { name } });
  return row ? toEventTypeRow(row) : null;
}

export async function setEventTypeCompatibility(name: string, mode: CompatibilityMode | null): Promise<{ before: CompatibilityMode | null; after: CompatibilityMode | null } | null> {
  const existing = await getDb().eventType.findUnique({ where: { name } });
  if (!existing) return null;
  await getDb().eventType.update({ where: { name }, data: { compatibility: mode } });
  return { before: existing.compatibility, after: mode };
}

export interface EventTypeSummary extends EventTypeRow {
  latestVersion: number | null;
  /** The latest version's format; null without versions. */
  schemaType: SchemaType | null;
  versionCount: number;
  topics: TopicRef[];
  producers: string[];
  consumers: string[];
  latestConformance: Pick<ConformanceCheckRow, "checkedAt" | "sampled" | "conforming"> | null;
}

export async function listEventTypeSummaries(): Promise<EventTypeSummary[]> {
  const rows = await getDb().eventType.findMany({
    orderBy: { name: "asc" },
    include: {
      versions: { where: { deletedAt: null }, select: { version: true, schemaType: true }, orderBy: { version: "desc" } },
      bindings: { select: { clusterName: true, topic: true }, orderBy: { topic: "asc" } },
      producers: { select: { service: { select: { name: true } } } },
      subscriptions: { select: { service: { select: { name: true } } } },
      conformance: { select: { checkedAt: true, sampled: true, conforming: true }, orderBy: { checkedAt: "desc" }, take: 1 },
    },
  });
  return rows.map((row) => ({
    ...toEventTypeRow(row),
    latestVersion: row.versions[0]?.version ?? null,
    schemaType: row.versions[0]?.schemaType ?? null,
    versionCount: row.versions.length,
    topics: row.bindings,
    producers: [...new Set(row.producers.map((p) => p.service.name))].sort(),
    consumers: [...new Set(row.subscriptions.map((s) => s.service.name))].sort(),
    latestConformance: row.conformance[0] ?? null,
  }));
}

export interface EventTypeDetail extends EventTypeRow {
  versions: SchemaVersionRow[];
  topics: TopicRef[];
  producers: (Pick<ServiceRow, "name" | "team" | "description">)[];
  subscriptions: { service: string; team: string; clusterName: string; topic: string; consumerGroupId: string }[];
}

export async function getEventTypeDetail(name: string): Promise<EventTypeDetail | null> {
  const row = await getDb().eventType.findUnique({
    where: { name },
    include: {
      versions: { orderBy: { version: "asc" } },
      bindings: { select: { clusterName: true, topic: true }, orderBy: { topic: "asc" } },
      producers: { include: { service: true }, orderBy: { service: { name: "asc" } } },
      subscriptions: { include: { service: true }, orderBy: [{ service: { name: "asc" } }, { topic: "asc" }] },
    },
  });
  if (!row) return null;
  return {
    ...toEventTypeRow(row),
    versions: row.versions,
    topics: row.bindings,
    producers: row.producers.map((p) => ({ name: p.service.name, team: p.service.team, description: p.service.description })),
    subscriptions: row.subscriptions.map((s) => ({ service: s.service.name, team: s.service.team, clusterName: s.clusterName, topic: s.topic, consumerGroupId: s.consumerGroupId })),
  };
}

// ── Schema versions ──────────────────────────────────────────────────────────────────────────

/** Any version registered with this global id (they all hold the same schema). */
export async function findSchemaBySchemaId(schemaId: number): Promise<SchemaVersionRow | null> {
  return getDb().schemaVersion.findFirst({ where: { schemaId }, orderBy: { createdAt: "asc" } });
}

export async function listVersionsBySchemaId(schemaId: number): Promise<{ eventType: string; version: number }[]> {
  const rows = await getDb().schemaVersion.findMany({ where: { schemaId }, select: { version: true, eventType: { select: { name: true } } }, orderBy: { createdAt: "asc" } });
  return rows.map((r) => ({ eventType: r.eventType.name, version: r.version }));
}

export interface NewSchemaVersion {
  schema: string;
  schemaType: SchemaType;
  fingerprint: string;
  createdBy: string;
}

export type RegistrationOutcome<Reason> =
  | { kind: "existing"; eventType: EventTypeRow; version: SchemaVersionRow }
  | { kind: "created"; eventType: EventTypeRow; version: SchemaVersionRow; eventTypeCreated: boolean }
  | { kind: "refused"; eventType: EventTypeRow; compatibility: CompatibilityMode; reasons: Reason[] }
  | { kind: "no-event-type" };

/**
 * Registers a schema version in one locked transaction: returns the existing version when the
 * fingerprint is already registered under the event type; otherwise asks `judge` (with every earlier
 * version and the effective compatibility level) and inserts the next version unless it refuses.
 * With `create`, a missing event type is created (with its topic bindings) in the same transaction.
 */
export async function registerSchemaVersion<Reason>(input: {
  eventTypeName: string;
  create?: { eventType: Omit<EventTypeInput, "name">; topics: TopicRef[] };
  version: NewSchemaVersion;
  /** The versions the schema's references resolved to, stored with the new version. */
  references?: StoredReference[];
  judge: (earlier: SchemaVersionRow[], compatibility: CompatibilityMode) => Reason[];
}): Promise<RegistrationOutcome<Reason>> {
  return getDb().$transaction(async (tx) => {
    await executeInTransaction(tx, sql`SELECT pg_advisory_xact_lock(${REGISTRY_LOCK_KEY})`.compile(getSql()));
    let eventType = await tx.eventType.findUnique({ where: { name: input.eventTypeName } });
    let eventTypeCreated = false;
    if (!eventType) {
      if (!input.create) return { kind: "no-event-type" } as const;
      eventType = await tx.eventType.create({ data: { name: input.eventTypeName, ...input.create.eventType } });
      await createBindings(tx, eventType.id, input.create.topics);
      eventTypeCreated = true;
    }
    const row = toEventTypeRow(eventType);
    const all = await tx.schemaVersion.findMany({ where: { eventTypeId: eventType.id }, orderBy: { version: "asc" } });
    // Soft-deleted versions are neither "the same schema" nor checked against (as in Confluent's registry).
    const earlier = all.filter((v) => v.deletedAt === null);
    const same = earlier.find((v) => v.fingerprint === input.version.fingerprint);
    if (same) return { kind: "existing", eventType: row, version: same } as const;

    const global = await tx.schemaRegistryConfig.findUnique({ where: { id: "global" } });
    const compatibility = eventType.compatibility ?? global?.compatibility ?? DEFAULT_COMPATIBILITY;
    const reasons = input.judge(earlier, compatibility);
    if (reasons.length > 0) return { kind: "refused", eventType: row, compatibility, reasons } as const;

    const sameSchemaElsewhere = await tx.schemaVersion.findFirst({ where: { fingerprint: input.version.fingerprint }, select: { schemaId: true } });
    const highest = await tx.schemaVersion.aggregate({ _max: { schemaId: true } });
    const schemaId = sameSchemaElsewhere?.schemaId ?? Math.max(highest._max.schemaId ?? 0, global?.highestDeletedSchemaId ?? 0) + 1;
    // Version numbers continue after soft-deleted (and permanently deleted) ones, as in Confluent's registry.
    const version = await tx.schemaVersion.create({
      data: { eventTypeId: eventType.id, version: (all.at(-1)?.version ?? 0) + 1, schemaId, ...input.version },
    });
    await storeReferences(tx, version.id, input.references ?? []);
    return { kind: "created", eventType: row, version, eventTypeCreated } as const;
  });
}

// ── Topic bindings ───────────────────────────────────────────────────────────────────────────

async function createBindings(tx: Prisma.TransactionClient, eventTypeId: string, topics: TopicRef[]): Promise<void> {
  for (const t of topics) {
    await tx.topicBinding.upsert({
      where: { eventTypeId_clusterName_topic: { eventTypeId, clusterName: t.clusterName, topic: t.topic } },
      create: { eventTypeId, clusterName: t.clusterName, topic: t.topic },
      update: {},
    });
  }
}

/**
 * What Signalbox's catalog adds to a subject an external registry holds: an event type with its
 * domain, owner and description (created, or updated when given), and topic bindings; no versions
 * (those stay in the registry). Written with its audit entry in one transaction.
 */
export async function upsertEventTypeMetadata(
  name: string,
  metadata: { domain: string; owner: string; description: string },
  topics: TopicRef[],
  audit: (created: boolean) => AuditRecord,
): Promise<{ created: boolean }> {
  return getDb().$transaction(async (tx) => {
    const existing = await tx.eventType.findUnique({ where: { name } });
    const row = existing ? await tx.eventType.update({ where: { name }, data: metadata }) : await tx.eventType.create({ data: { name, ...metadata } });
    await createBindings(tx, row.id, topics);
    await writeAudit(audit(!existing), tx);
    return { created: !existing };
  });
}

/** Event types by name, with their topic bindings: what the catalog adds to an external registry's subjects. */
export async function listEventTypeMetadata(names: string[]): Promise<(EventTypeRow & { topics: TopicRef[] })[]> {
  if (names.length === 0) return [];
  const rows = await getDb().eventType.findMany({ where: { name: { in: names } }, include: { bindings: { select: { clusterName: true, topic: true } } } });
  return rows.map((r) => ({ ...toEventTypeRow(r), topics: r.bindings.map((b) => ({ clusterName: b.clusterName, topic: b.topic })) }));
}

/** Adds the bindings that do not exist yet; returns the ones added. With `audit`, its entry is written in the same transaction when any was added. */
export async function addTopicBindings(eventTypeName: string, topics: TopicRef[], audit?: (added: TopicRef[]) => AuditRecord): Promise<TopicRef[] | null> {
  return getDb().$transaction(async (tx) => {
    const eventType = await tx.eventType.findUnique({ where: { name: eventTypeName }, include: { bindings: true } });
    if (!eventType) return null;
    const unique = topics.filter((t, i) => topics.findIndex((u) => u.clusterName === t.clusterName && u.topic === t.topic) === i);
    const added = unique.filter((t) => !eventType.bindings.some((b) => b.clusterName === t.clusterName && b.topic === t.topic));
    await createBindings(tx, eventType.id, added);
    if (audit && added.length > 0) await writeAudit(audit(added), tx);
    return added;
  });
}

export type UnbindOutcome =
  | { kind: "no-event-type" }
  /** Some of the bindings asked for do not exist; nothing was removed. */
  | { kind: "not-bound"; missing: TopicRef[]; bound: TopicRef[] }
  /** `before`: every binding on the topics concerned (of any event type) before the removal. */
  | { kind: "removed"; removed: TopicRef[]; before: (TopicRef & { eventType: string })[] };

/**
 * Removes an event type's bindings to these topics, all or none, with the audit entry `audit` makes
 * from what was removed and what was bound to those topics before (in the same transaction).
 */
export async function removeTopicBindings(
  eventTypeName: string,
  topics: TopicRef[],
  audit: (removed: TopicRef[], before: (TopicRef & { eventType: string })[]) => AuditRecord,
): Promise<UnbindOutcome> {
  return getDb().$transaction(async (tx) => {
    const eventType = await tx.eventType.findUnique({ where: { name: eventTypeName }, include: { bindings: { orderBy: { topic: "asc" } } } });
    if (!eventType) return { kind: "no-event-type" } as const;
    const same = (a: TopicRef) => (b: TopicRef) => a.clusterName === b.clusterName && a.topic === b.topic;
    const unique = topics.filter((t, i) => topics.findIndex(same(t)) === i);
    const missing = unique.filter((t) => !eventType.bindings.some(same(t)));
    if (missing.length > 0) return { kind: "not-bound", missing, bound: eventType.bindings.map((b) => ({ clusterName: b.clusterName, topic: b.topic })) } as const;
    const rows = await tx.topicBinding.findMany({
      where: { OR: unique.map((t) => ({ clusterName: t.clusterName, topic: t.topic })) },
      select: { clusterName: true, topic: true, eventType: { select: { name: true } } },
      orderBy: [{ topic: "asc" }],
    });
    const before = rows.map((r) => ({ clusterName: r.clusterName, topic: r.topic, eventType: r.eventType.name }));
    await tx.topicBinding.deleteMany({ where: { eventTypeId: eventType.id, OR: unique.map((t) => ({ clusterName: t.clusterName, topic: t.topic })) } });
    await writeAudit(audit(unique, before), tx);
    return { kind: "removed", removed: unique, before } as const;
  });
}

/** Every binding of a cluster: which event types travel on which topics. */
export async function listTopicBindings(clusterName?: string): Promise<(TopicRef & { eventType: string })[]> {
  const rows = await getDb().topicBinding.findMany({
    where: clusterName ? { clusterName } : undefined,
    select: { clusterName: true, topic: true, eventType: { select: { name: true } } },
    orderBy: [{ topic: "asc" }],
  });
  return rows.map((r) => ({ clusterName: r.clusterName, topic: r.topic, eventType: r.eventType.name }));
}

// ── Services, producers, subscriptions ───────────────────────────────────────────────────────

export async function listServices(): Promise<ServiceRow[]> {
  const rows = await getDb().service.findMany({ orderBy: { name: "asc" } });
  return rows.map((r) => ({ id: r.id, name: r.name, team: r.team, description: r.description, links: (r.links ?? []) as ServiceInput["links"], createdAt: r.createdAt }));
}

/** Creates the service if missing; an existing one is left as it is. Returns whether it was created. */
export async function ensureService(input: ServiceInput): Promise<boolean> {
  const existing = await getDb().service.findUnique({ where: { name: input.name } });
  if (existing) return false;
  await getDb().service.create({ data: { ...input, links: input.links as object } });
  return true;
}

/** Returns true when the producer was added, false when it existed, null when a name is unknown. */
export async function ensureProducer(serviceName: string, eventTypeName: string): Promise<boolean | null> {
  const db = getDb();
  const [service, eventType] = await Promise.all([db.service.findUnique({ where: { name: serviceName } }), db.eventType.findUnique({ where: { name: eventTypeName } })]);
  if (!service || !eventType) return null;
  const existing = await db.producer.findUnique({ where: { serviceId_eventTypeId: { serviceId: service.id, eventTypeId: eventType.id } } });
  if (existing) return false;
  await db.producer.create({ data: { serviceId: service.id, eventTypeId: eventType.id } });
  return true;
}

export interface SubscriptionInput extends TopicRef {
  serviceName: string;
  eventTypeName: string;
  consumerGroupId: string;
}

export async function ensureSubscription(input: SubscriptionInput): Promise<boolean | null> {
  const db = getDb();
  const [service, eventType] = await Promise.all([db.service.findUnique({ where: { name: input.serviceName } }), db.eventType.findUnique({ where: { name: input.eventTypeName } })]);
  if (!service || !eventType) return null;
  const key = { serviceId: service.id, eventTypeId: eventType.id, clusterName: input.clusterName, topic: input.topic, consumerGroupId: input.consumerGroupId };
  const existing = await db.subscription.findUnique({ where: { serviceId_eventTypeId_clusterName_topic_consumerGroupId: key } });
  if (existing) return false;
  await db.subscription.create({ data: key });
  return true;
}

// ── Conformance ──────────────────────────────────────────────────────────────────────────────

const CONFORMANCE_RUNS_KEPT = 50;

export async function recordConformanceCheck(input: Omit<ConformanceCheckRow, "id" | "checkedAt"> & { checkedAt?: Date }): Promise<ConformanceCheckRow> {
  const db = getDb();
  const row = await db.conformanceCheck.create({
    data: {
      eventTypeId: input.eventTypeId,
      clusterName: input.clusterName,
      checkedAt: input.checkedAt ?? new Date(),
      sampled: input.sampled,
      conforming: input.conforming,
      topics: input.topics as unknown as object,
      violations: input.violations as unknown as object,
    },
  });
  // History is for trends, not forever: keep the newest runs per event type.
  const stale = await db.conformanceCheck.findMany({ where: { eventTypeId: input.eventTypeId }, orderBy: { checkedAt: "desc" }, skip: CONFORMANCE_RUNS_KEPT, select: { id: true } });
  if (stale.length > 0) await db.conformanceCheck.deleteMany({ where: { id: { in: stale.map((s) => s.id) } } });
  return toConformanceRow(row);
}

export async function listConformanceChecks(eventTypeId: string, limit = 20): Promise<ConformanceCheckRow[]> {
  const rows = await getDb().conformanceCheck.findMany({ where: { eventTypeId }, orderBy: { checkedAt: "desc" }, take: limit });
  return rows.map(toConformanceRow);
}

function toConformanceRow(row: { id: string; eventTypeId: string; clusterName: string; checkedAt: Date; sampled: number; conforming: number; topics: unknown; violations: unknown }): ConformanceCheckRow {
  return { ...row, topics: (row.topics ?? []) as ConformanceTopicResult[], violations: (row.violations ?? []) as ConformanceViolation[] };
}
