import "server-only";
import { getDb } from "./db";
import type { Prisma } from "./generated/prisma/client";
import type { Actor, AuditEntry } from "./types";

export interface AuditRecord {
  actor: Actor;
  action: string;
  targetType: string;
  targetId: string;
  details?: Record<string, unknown>;
}

/** The row an audit record becomes: who acted, how they signed in and from where. */
function auditRow(record: AuditRecord, userId: string | null): Prisma.AuditLogUncheckedCreateInput {
  const { actor } = record;
  return {
    actorEmail: actor.email,
    actorRole: actor.role,
    actorKind: actor.kind ?? "user",
    tokenName: actor.tokenName ?? null,
    authMethod: actor.method ?? null,
    clientIp: actor.clientIp ?? null,
    userAgent: actor.userAgent?.slice(0, 400) ?? null,
    userId,
    action: record.action,
    targetType: record.targetType,
    targetId: record.targetId,
    details: (record.details ?? {}) as object,
  };
}

/**
 * Writes one audit entry. Pass `tx` to write it in the same transaction as the change it records,
 * so a crash can never leave a change without its entry (or an entry without its change).
 */
export async function writeAudit(record: AuditRecord, tx?: Prisma.TransactionClient): Promise<void> {
  const db = tx ?? getDb();
  const userId = record.actor.userId ?? (await db.user.findUnique({ where: { email: record.actor.email }, select: { id: true } }))?.id ?? null;
  await db.auditLog.create({ data: auditRow(record, userId) });
}

export async function listAudit(options: { limit: number; beforeId?: string }): Promise<AuditEntry[]> {
  const rows = await getDb().auditLog.findMany({
    where: options.beforeId ? { id: { lt: BigInt(options.beforeId) } } : undefined,
    orderBy: { id: "desc" },
    take: options.limit,
  });
  return rows.map((row) => ({ ...row, id: row.id.toString() }));
}
