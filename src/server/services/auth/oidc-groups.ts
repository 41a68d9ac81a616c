// From the identity provider's claims to Signalbox roles: the groups claim, then the role mapping.
import type { Role } from "~/server/catalog/types";
import type { RoleMappingEntry } from "./oidc-config";

/**
 * The groups at `path` in `claims`: an array of strings, or one string (some providers send a single
 * group unwrapped). Missing or of another shape: no groups.
 */
export function groupsFromClaims(claims: Record<string, unknown>, path: string): string[] {
  const value = claimAt(claims, path);
  if (typeof value === "string") return value ? [value] : [];
  if (Array.isArray(value)) return [...new Set(value.filter((g): g is string => typeof g === "string" && g !== ""))];
  return [];
}

function claimAt(claims: Record<string, unknown>, path: string): unknown {
  // A claim name may itself contain dots (Auth0's namespaced claims such as "https://acme.com/groups"),
  // so the whole path as one name wins over walking it.
  if (Object.hasOwn(claims, path)) return claims[path];
  let value: unknown = claims;
  for (const segment of path.split(".")) {
    // Own properties only: a path such as "constructor" must not reach into the prototype.
    value = value !== null && typeof value === "object" && Object.hasOwn(value, segment) ? (value as Record<string, unknown>)[segment] : undefined;
  }
  return value;
}

/** A role a user signs in with, and the groups that gave it; no groups means the default role. */
export interface RoleGrant {
  role: Role;
  fromGroups: string[];
}

/**
 * The roles `groups` earn under `mapping`, each once, in mapping order; else `defaultRole` alone;
 * else none (the user may not sign in).
 */
export function rolesFromGroups(groups: readonly string[], mapping: readonly RoleMappingEntry[], defaultRole: Role | null): RoleGrant[] {
  const member = new Set(groups);
  const grants = new Map<Role, string[]>();
  for (const { group, role } of mapping) {
    if (!member.has(group)) continue;
    const from = grants.get(role) ?? [];
    if (!from.includes(group)) from.push(group);
    grants.set(role, from);
  }
  if (grants.size === 0) return defaultRole ? [{ role: defaultRole, fromGroups: [] }] : [];
  return [...grants].map(([role, fromGroups]) => ({ role, fromGroups }));
}

/**
 * The one role a user holds (a user has a single role, see roles.ts): admin if granted, since it
 * covers every area; otherwise roles are not ranked, so the first in mapping order, which lets the
 * mapping's author decide. Null when nothing was granted.
 */
export function highestRole(grants: readonly RoleGrant[]): RoleGrant | null {
  return grants.find((g) => g.role === "admin") ?? grants[0] ?? null;
}
