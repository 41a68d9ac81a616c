// What a principal may do: its own role everywhere, plus the role bindings that name it (by email,
// by one of its identity provider's groups, or by token name).
import { bindingsFor, type PrincipalKind, type Role, type RoleBindingRow } from "~/server/catalog";
import type { Grant } from "./authorize";

export function grantOfBinding(b: RoleBindingRow): Grant {
  return { role: b.role, scope: { clusters: b.clusters, topics: b.topics, groups: b.groups, subjects: b.subjects }, source: `binding ${b.id}` };
}

export async function grantsFor(principal: { role: Role | null; email?: string; groups?: string[]; tokenName?: string }): Promise<Grant[]> {
  const names: { kind: PrincipalKind; principal: string }[] = [
    ...(principal.email ? [{ kind: "user" as const, principal: principal.email }] : []),
    ...(principal.groups ?? []).map((g) => ({ kind: "group" as const, principal: g })),
    ...(principal.tokenName ? [{ kind: "token" as const, principal: principal.tokenName }] : []),
  ];
  const own: Grant[] = principal.role ? [{ role: principal.role, scope: null, source: "role" }] : [];
  return [...own, ...(await bindingsFor(names)).map(grantOfBinding)];
}
