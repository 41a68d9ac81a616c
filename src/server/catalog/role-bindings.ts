// Role bindings: roles limited to resources by name patterns. Changes are audited in their transaction.
import "server-only";
import { writeAudit, type AuditRecord } from "./audit";
import { getDb } from "./db";
import type { Role } from "./types";

export type PrincipalKind = "user" | "group" | "token";

export interface RoleBindingRow {
  id: string;
  principalKind: string;
  principal: string;
  role: Role;
  clusters: string[];
  topics: string[];
  groups: string[];
  subjects: string[];
  createdBy: string;
  createdAt: Date;
}

export async function bindingsFor(principals: { kind: PrincipalKind; principal: string }[]): Promise<RoleBindingRow[]> {
  if (principals.length === 0) return [];
  return getDb().roleBinding.findMany({ where: { OR: principals.map((p) => ({ principalKind: p.kind, principal: p.principal })) }, orderBy: { createdAt: "asc" } });
}

export async function listRoleBindings(): Promise<RoleBindingRow[]> {
  return getDb().roleBinding.findMany({ orderBy: [{ principalKind: "asc" }, { principal: "asc" }, { createdAt: "asc" }] });
}

export async function createRoleBinding(input: Omit<RoleBindingRow, "id" | "createdAt">, audit: (id: string) => AuditRecord): Promise<RoleBindingRow> {
  return getDb().$transaction(async (tx) => {
    const row = await tx.roleBinding.create({ data: input });
    await writeAudit(audit(row.id), tx);
    return row;
  });
}

export async function deleteRoleBinding(id: string, audit: (row: RoleBindingRow) => AuditRecord): Promise<boolean> {
  return getDb().$transaction(async (tx) => {
    const row = await tx.roleBinding.findUnique({ where: { id } });
    if (!row) return false;
    await tx.roleBinding.delete({ where: { id } });
    await writeAudit(audit(row), tx);
    return true;
  });
}
