import type { Role } from "~/server/catalog";

/**
 * Who may do what. Reading needs any role. Each action area has its own role; admin may do everything.
 * Roles are not ranked against each other: an operator is not an architect.
 */
export function hasRole(actual: Role | null, required: Role): boolean {
  // A person whom no rule gives a role may sign in, and do nothing else.
  if (actual === null) return false;
  if (required === "viewer") return true;
  if (actual === "admin") return true;
  return actual === required;
}
