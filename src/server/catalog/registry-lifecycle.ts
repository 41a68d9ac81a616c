// Deleting schema versions (soft, then permanent) and the registry's mode, each change audited in
// its own transaction. What a delete may do (Confluent's rules) is decided here from the rows, under
// the registry lock, so a registration cannot slip in between the check and the delete.
import "server-only";
import { sql } from "kysely";
import { writeAudit, type AuditRecord } from "./audit";
import { executeInTransaction, getDb, getSql } from "./db";
import { listReferrersOf, type Referrer } from "./schema-references";
import type { TopicRef } from "./schemas";

const REGISTRY_LOCK_KEY = 0x5c4e4a; // the same lock as registration (schemas.ts)

export const REGISTRY_MODES = ["READWRITE", "READONLY"] as const;
export type RegistryMode = (typeof REGISTRY_MODES)[number];

/** Which versions a delete names: one version, the latest (live one for a soft delete), or the whole subject. */
export type DeleteTarget = { version: number } | { version: "latest" } | { subject: true };

export type DeleteOutcome =
  | { kind: "deleted"; versions: number[]; eventTypeRemoved: boolean }
  | { kind: "no-event-type" }
  | { kind: "no-version" }
  /** A soft delete of what is already soft-deleted (Confluent's 40404 / 40406). */
  | { kind: "already-soft-deleted" }
  /** A permanent delete of what was not soft-deleted first (Confluent's 40405 / 40407). */
  | { kind: "not-soft-deleted"; versions: number[] }
  | { kind: "referenced"; versions: number[]; by: Referrer[] }
  | { kind: "bound"; topics: TopicRef[] };

/**
 * Soft-deletes or permanently deletes schema versions of an event type. A permanent delete that
 * leaves the event type without versions removes it too (the subject no longer exists, as in
 * Confluent's registry), and remembers the highest schema id removed so it is never given again.
 */
export async function deleteSchemaVersions(input: {
  eventTypeName: string;
  target: DeleteTarget;
  permanent: boolean;
  actor: AuditRecord["actor"];
  audit: Omit<AuditRecord, "actor" | "details"> & { details: Record<string, unknown> };
}): Promise<DeleteOutcome> {
  return getDb().$transaction(async (tx) => {
    await executeInTransaction(tx, sql`SELECT pg_advisory_xact_lock(${REGISTRY_LOCK_KEY})`.compile(getSql()));
    const eventType = await tx.eventType.findUnique({ where: { name: input.eventTypeName }, include: { versions: { orderBy: { version: "asc" } }, bindings: true } });
    if (!eventType || eventType.versions.length === 0) return { kind: "no-event-type" } as const;
    const all = eventType.versions;
    const live = all.filter((v) => v.deletedAt === null);
    let targets: typeof all;
    if ("subject" in input.target) {
      if (!input.permanent && live.length === 0) return { kind: "already-soft-deleted" } as const;
      if (input.permanent && live.length > 0) return { kind: "not-soft-deleted", versions: live.map((v) => v.version) } as const;
      targets = input.permanent ? all : live;
    } else {
      const wanted = input.target.version;
      const row = wanted === "latest" ? (input.permanent ? all : live).at(-1) : all.find((v) => v.version === wanted);
      if (!row) return wanted === "latest" ? ({ kind: "no-event-type" } as const) : ({ kind: "no-version" } as const);
      if (!input.permanent && row.deletedAt) return { kind: "already-soft-deleted" } as const;
      if (input.permanent && !row.deletedAt) return { kind: "not-soft-deleted", versions: [row.version] } as const;
      targets = [row];
    }
    const ids = targets.map((v) => v.id);
    const by = (await listReferrersOf(ids, tx)).filter((r) => !(r.eventType === eventType.name && targets.some((t) => t.version === r.version)));
    if (by.length > 0) return { kind: "referenced", versions: targets.map((v) => v.version), by } as const;
    // Records on a bound topic may name these schema ids; a permanent delete would make them undecodable.
    if (input.permanent && eventType.bindings.length > 0) return { kind: "bound", topics: eventType.bindings.map((b) => ({ clusterName: b.clusterName, topic: b.topic })) } as const;

    const versions = targets.map((v) => v.version);
    let eventTypeRemoved = false;
    if (input.permanent) {
      const highest = Math.max(...targets.map((v) => v.schemaId));
      const global = await tx.schemaRegistryConfig.findUnique({ where: { id: "global" } });
      if (highest > (global?.highestDeletedSchemaId ?? 0)) {
        await tx.schemaRegistryConfig.upsert({ where: { id: "global" }, create: { id: "global", highestDeletedSchemaId: highest }, update: { highestDeletedSchemaId: highest } });
      }
      await tx.schemaVersion.deleteMany({ where: { id: { in: ids } } });
      if (targets.length === all.length) {
        await tx.eventType.delete({ where: { id: eventType.id } });
        eventTypeRemoved = true;
      }
    } else {
      await tx.schemaVersion.updateMany({ where: { id: { in: ids } }, data: { deletedAt: new Date(), deletedBy: input.actor.email } });
    }
    await writeAudit(
      {
        actor: input.actor,
        action: input.audit.action,
        targetType: input.audit.targetType,
        targetId: input.audit.targetId,
        details: { ...input.audit.details, permanent: input.permanent, versions, schemaIds: [...new Set(targets.map((v) => v.schemaId))], eventTypeRemoved },
      },
      tx,
    );
    return { kind: "deleted", versions, eventTypeRemoved } as const;
  });
}

/** Every event type with how many of its versions are live and how many soft-deleted: the registry's subjects. */
export async function listEventTypeVersionCounts(): Promise<{ name: string; live: number; deleted: number }[]> {
  const rows = await getDb().eventType.findMany({ select: { name: true, versions: { select: { deletedAt: true } } }, orderBy: { name: "asc" } });
  return rows.map((r) => ({ name: r.name, live: r.versions.filter((v) => v.deletedAt === null).length, deleted: r.versions.filter((v) => v.deletedAt !== null).length }));
}

/** The subject-version pairs that hold a schema id, with whether each is soft-deleted. */
export async function listVersionsWithSchemaId(schemaId: number): Promise<{ eventType: string; version: number; deleted: boolean }[]> {
  const rows = await getDb().schemaVersion.findMany({ where: { schemaId }, select: { version: true, deletedAt: true, eventType: { select: { name: true } } }, orderBy: { createdAt: "asc" } });
  return rows.map((r) => ({ eventType: r.eventType.name, version: r.version, deleted: r.deletedAt !== null }));
}

// ── Mode ─────────────────────────────────────────────────────────────────────────────────────

/** "global", or a subject name as the client wrote it. */
const modeKey = (scope: { subject: string } | "global") => (scope === "global" ? "global" : `subject:${scope.subject}`);

export async function getRegistryMode(scope: { subject: string } | "global"): Promise<RegistryMode | null> {
  const row = await getDb().schemaRegistryMode.findUnique({ where: { scope: modeKey(scope) } });
  return row?.mode ?? null;
}

/** Sets (null: removes) a mode and audits the change in the same transaction. */
export async function setRegistryMode(scope: { subject: string } | "global", mode: RegistryMode | null, actor: AuditRecord["actor"]): Promise<{ before: RegistryMode | null; after: RegistryMode | null }> {
  const key = modeKey(scope);
  return getDb().$transaction(async (tx) => {
    const before = (await tx.schemaRegistryMode.findUnique({ where: { scope: key } }))?.mode ?? null;
    if (mode === null) await tx.schemaRegistryMode.deleteMany({ where: { scope: key } });
    else await tx.schemaRegistryMode.upsert({ where: { scope: key }, create: { scope: key, mode }, update: { mode } });
    const change = { before, after: mode };
    await writeAudit({ actor, action: mode === null ? "schema-registry.mode.delete" : "schema-registry.mode.set", targetType: "schema-registry", targetId: scope === "global" ? "global" : scope.subject, details: change }, tx);
    return change;
  });
}
