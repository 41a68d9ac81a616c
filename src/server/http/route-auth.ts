// The session-or-token check for plain route handlers (tRPC procedures have theirs in trpc.ts).
import { getEnv } from "~/env";
import type { Actor, Role } from "~/server/catalog";
import { mayActEverywhere } from "~/server/services/auth/authorize";
import { actorFromHeaders } from "./request-actor";

export type RouteAccess = { ok: true; actor: Actor | null } | { ok: false; response: Response };

/**
 * The caller when it may use a route that needs `role`; otherwise the 401 or 403 to answer.
 * `isPublic` lets a route open itself by configuration (METRICS_PUBLIC).
 */
export async function authorizeRoute(request: Request, role: Role, options: { isPublic?: boolean } = {}): Promise<RouteAccess> {
  if (options.isPublic) return { ok: true, actor: null };
  const actor = await actorFromHeaders(request.headers, getEnv());
  const headers = { "cache-control": "no-store" };
  if (!actor) {
    return {
      ok: false,
      response: Response.json({ error: "Unauthorized: send an API token (Authorization: Bearer <secret>) or sign in." }, { status: 401, headers: { ...headers, "www-authenticate": 'Bearer realm="Signalbox"' } }),
    };
  }
  // These routes export everything at once, so a role limited to some resources is not enough.
  if (!mayActEverywhere(actor, role)) {
    return { ok: false, response: Response.json({ error: `Forbidden: this needs the ${role} role for the whole cluster; ${actor.email} has ${actor.role ?? "no role"}.` }, { status: 403, headers }) };
  }
  return { ok: true, actor };
}
