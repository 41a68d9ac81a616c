// The one authorization function: may this actor do what `role` allows, on this resource? An actor
// holds grants: its own role (unscoped, everywhere) and role bindings limited by name patterns, e.g.
// support on topics `payments.*`. Procedures ask `mayAct` (through their role middleware), and those
// that name a resource also ask `assertMayActOn`; lists keep only what `mayActOn(…, "viewer", …)` allows.
import { compileUserGlob } from "~/lib/user-regex";
import type { Actor, Role } from "~/server/catalog";
import { AppError } from "~/server/errors";
import { hasRole } from "./roles";

export const RESOURCE_KINDS = ["clusters", "topics", "groups", "subjects"] as const;
export type ResourceKind = (typeof RESOURCE_KINDS)[number];

/** Name patterns per kind of resource; an empty list leaves that kind unlimited. */
export type Scope = Record<ResourceKind, string[]>;

export interface Grant {
  role: Role;
  /** null: everywhere (the principal's own role). */
  scope: Scope | null;
  /** Where it came from, for Settings and error messages ("role", "binding <id>"). */
  source: string;
}

/** What a call acts on. Several topics (a replay's source and target) must all be in scope. */
export interface Resource {
  cluster?: string;
  topics?: string[];
  group?: string;
  subject?: string;
}

/** What authorization needs of an actor (the browser's copy of the actor has the same fields). */
export type Principal = Pick<Actor, "email" | "role" | "grants">;

export function grantsOf(actor: Principal): Grant[] {
  if (actor.grants) return actor.grants;
  return actor.role ? [{ role: actor.role, scope: null, source: "role" }] : [];
}

/** Whether the actor holds `role` anywhere (scoped or not): enough to call the procedure at all. */
export function mayAct(actor: Principal, role: Role): boolean {
  return grantsOf(actor).some((g) => hasRole(g.role, role));
}

/** Whether the actor holds `role` everywhere, so its lists need no filtering. */
export function mayActEverywhere(actor: Principal, role: Role): boolean {
  return grantsOf(actor).some((g) => g.scope === null && hasRole(g.role, role));
}

function matchesAny(patterns: string[], name: string): boolean {
  return patterns.some((pattern) => {
    try {
      return compileUserGlob(pattern)(name);
    } catch {
      // A pattern that cannot be compiled grants nothing.
      return false;
    }
  });
}

function scopeAllows(scope: Scope, resource: Resource): boolean {
  const checks: [string[], string[]][] = [
    [scope.clusters, resource.cluster !== undefined ? [resource.cluster] : []],
    [scope.topics, resource.topics ?? []],
    [scope.groups, resource.group !== undefined ? [resource.group] : []],
    [scope.subjects, resource.subject !== undefined ? [resource.subject] : []],
  ];
  return checks.every(([patterns, names]) => patterns.length === 0 || names.every((name) => matchesAny(patterns, name)));
}

export function mayActOn(actor: Principal, role: Role, resource: Resource): boolean {
  return grantsOf(actor).some((g) => hasRole(g.role, role) && (g.scope === null || scopeAllows(g.scope, resource)));
}

function describeResource(resource: Resource): string {
  const parts = [
    resource.topics?.length ? `topic${resource.topics.length > 1 ? "s" : ""} ${resource.topics.join(", ")}` : null,
    resource.group !== undefined ? `consumer group ${resource.group}` : null,
    resource.subject !== undefined ? `subject ${resource.subject}` : null,
  ].filter(Boolean);
  // The cluster is named only when nothing narrower is: every other name lives in it.
  return parts.join(" and ") || (resource.cluster !== undefined ? `cluster ${resource.cluster}` : "this resource");
}

function describeScope(scope: Scope): string {
  return RESOURCE_KINDS.filter((k) => scope[k].length > 0)
    .map((k) => `${k} ${scope[k].join(", ")}`)
    .join("; ");
}

/** Refuses (403) unless the actor holds `role` for this resource, naming where it does hold it. */
export function assertMayActOn(actor: Principal, role: Role, resource: Resource): void {
  if (mayActOn(actor, role, resource)) return;
  const scoped = grantsOf(actor).filter((g) => g.scope && hasRole(g.role, role));
  const where = scoped.length ? `; ${actor.email} has it only for ${scoped.map((g) => describeScope(g.scope!)).join(" | ")}` : "";
  throw new AppError("FORBIDDEN", `This action on ${describeResource(resource)} needs the ${role} role there${where}.`);
}

/** The roles the actor holds on a resource: its own, and each binding whose scope covers it. */
export function rolesOn(actor: Principal, resource: Resource): Role[] {
  return [...new Set(grantsOf(actor).filter((g) => g.scope === null || scopeAllows(g.scope, resource)).map((g) => g.role))];
}

/** For masking: the roles the actor holds on each topic it reads. */
export function readerOf(actor: Principal, cluster: string): (topic: string) => Role[] {
  return (topic) => rolesOn(actor, { cluster, topics: [topic] });
}

/** Refuses (403) unless the actor holds `role` unscoped: for actions on everything at once (global settings). */
export function assertMayActEverywhere(actor: Principal, role: Role, what: string): void {
  if (!mayActEverywhere(actor, role)) throw new AppError("FORBIDDEN", `${what} needs the ${role} role everywhere; ${actor.email} has it only for some resources.`);
}

/** The items the actor may see (viewer on each item's resource); everything when it reads everywhere. */
export function visibleTo<T>(actor: Principal, items: T[], resourceOf: (item: T) => Resource): T[] {
  const mayView = viewFilter(actor, resourceOf);
  return mayView ? items.filter(mayView) : items;
}

/**
 * Whether the actor may see an item (viewer on its resource), or null when it reads everywhere: so a
 * list can skip the check for nearly every caller.
 */
export function viewFilter<T>(actor: Principal, resourceOf: (item: T) => Resource): ((item: T) => boolean) | null {
  if (mayActEverywhere(actor, "viewer")) return null;
  return (item) => mayActOn(actor, "viewer", resourceOf(item));
}
