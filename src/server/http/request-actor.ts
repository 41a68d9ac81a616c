// Who is behind an HTTP request: a session cookie (people), an Authorization header (tools), or,
// only with SIGNALBOX_AUTH=none, the local development admin. Every route and the tRPC context ask here.
import type { Env } from "~/env";
import type { Actor } from "~/server/catalog";
import { sessionActor, sessionPolicy, type ClientInfo } from "~/server/services/auth/sessions";
import { tokenActor, type TokenCredential } from "~/server/services/auth/tokens";

export const SESSION_COOKIE = "signalbox_session";

/** The actor of SIGNALBOX_AUTH=none: local development only (the server refuses other listeners). */
export const DEVELOPMENT_ACTOR: Actor = { email: "dev@signalbox.local", name: "Local development (sign-in off)", role: "admin", kind: "user", method: "none" };

export function cookieValue(headers: Headers, name: string): string | null {
  for (const part of (headers.get("cookie") ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return null;
}

export function clientInfo(headers: Headers): ClientInfo {
  // Next.js fills x-forwarded-for from the socket when no proxy set it.
  const forwarded = headers.get("x-forwarded-for")?.split(",")[0]?.trim() || null;
  return { ip: forwarded?.slice(0, 64) ?? null, userAgent: headers.get("user-agent")?.slice(0, 400) ?? null };
}

export function credentialOf(headers: Headers): TokenCredential | null {
  const header = headers.get("authorization");
  if (!header) return null;
  const [scheme, value] = header.trim().split(/\s+/, 2);
  if (!value) return null;
  if (scheme?.toLowerCase() === "bearer") return { kind: "bearer", secret: value };
  if (scheme?.toLowerCase() === "basic") {
    const decoded = Buffer.from(value, "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    if (colon <= 0) return null;
    return { kind: "basic", name: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
  }
  return null;
}

export type AuthEnv = Pick<Env, "SIGNALBOX_AUTH" | "SESSION_IDLE_MINUTES" | "SESSION_MAX_HOURS" | "SIGNIN_MAX_FAILURES" | "SIGNIN_LOCK_MINUTES">;

/** The actor of a request, or null for an anonymous one. A bad token is anonymous too, never an error. */
export async function actorFromHeaders(headers: Headers, env: AuthEnv): Promise<Actor | null> {
  const client = clientInfo(headers);
  if (env.SIGNALBOX_AUTH === "none") return { ...DEVELOPMENT_ACTOR, clientIp: client.ip, userAgent: client.userAgent };
  const credential = credentialOf(headers);
  if (credential) return tokenActor(credential, client);
  const session = cookieValue(headers, SESSION_COOKIE);
  return session ? sessionActor(session, client, sessionPolicy(env)) : null;
}
