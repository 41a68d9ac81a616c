import { getDb } from "./db";
import type { Actor, AuditEntry } from "./types";

export interface AuditRecord {
  actor: Actor;
  action: string;
  targetType: string;
  targetId: string;
  details?: Record<string, unknown>;
}

export async function writeAudit(record: AuditRecord): Promise<void> {
  const db = getDb();
  const user = await db.user.findUnique({ where: { email: record.actor.email }, select: { id: true } });
  await db.auditLog.create({
    data: {
      actorEmail: record.actor.email,
      actorRole: record.actor.role,
      userId: user?.id ?? null,
      action: record.action,
      targetType: record.targetType,
      targetId: record.targetId,
      details: (record.details ?? {}) as object,
    },
  });
}

export async function listAudit(options: { limit: number; beforeId?: string }): Promise<AuditEntry[]> {
  const rows = await getDb().auditLog.findMany({
    where: options.beforeId ? { id: { lt: BigInt(options.beforeId) } } : undefined,
    orderBy: { id: "desc" },
    take: options.limit,
  });
  return rows.map((row) => ({ ...row, id: row.id.toString() }));
}
