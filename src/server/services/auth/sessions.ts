// Sign-in with a local account, and the server-side sessions that follow it. A session is a random
// secret in an HttpOnly cookie; PostgreSQL holds its hash, so an admin (or "sign out everywhere")
// can end it at once. Sessions end after an idle time and, whatever the activity, at an absolute time.
import type { Env } from "~/env";
import {
  closeSession,
  closeUserSessions,
  findAccount,
  findSession,
  openSession,
  pruneEndedSessions,
  recordFailedSignIn,
  touchSession,
  auditOnly,
  type Actor,
  type AuditRecord,
} from "~/server/catalog";
import { grantsFor } from "./grants";
import { decoyHash, verifyPassword } from "./passwords";
import { hashSecret, newSecret } from "./secrets";

export interface ClientInfo {
  ip: string | null;
  userAgent: string | null;
}

export interface SessionPolicy {
  idleMs: number;
  maxMs: number;
  maxFailures: number;
  lockMs: number;
}

export function sessionPolicy(env: Pick<Env, "SESSION_IDLE_MINUTES" | "SESSION_MAX_HOURS" | "SIGNIN_MAX_FAILURES" | "SIGNIN_LOCK_MINUTES">): SessionPolicy {
  return { idleMs: env.SESSION_IDLE_MINUTES * 60_000, maxMs: env.SESSION_MAX_HOURS * 3_600_000, maxFailures: env.SIGNIN_MAX_FAILURES, lockMs: env.SIGNIN_LOCK_MINUTES * 60_000 };
}

/** The wait before answering a failed sign-in: doubles with each failure, up to 4 s. */
export function failureDelayMs(failures: number): number {
  return failures <= 0 ? 0 : Math.min(250 * 2 ** (failures - 1), 4000);
}

/** A person who is not signed in yet, as the audit log names them. */
function anonymous(email: string, client: ClientInfo, method: Actor["method"] = "password"): Actor {
  return { email, name: email, role: null, kind: "user", method, clientIp: client.ip, userAgent: client.userAgent };
}

export type SignInResult =
  | { ok: true; token: string; expiresAt: Date; actor: Actor }
  | { ok: false; reason: "invalid" | "locked" | "disabled"; message: string; retryAfterSeconds?: number };

const WRONG = "The email or password is wrong.";

export async function signInWithPassword(
  input: { email: string; password: string },
  client: ClientInfo,
  policy: SessionPolicy,
  options: { now?: Date; sleep?: (ms: number) => Promise<void> } = {},
): Promise<SignInResult> {
  const now = options.now ?? new Date();
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const email = input.email.trim().toLowerCase();
  const account = await findAccount(email);
  const who = anonymous(email, client);

  if (account?.lockedUntil && account.lockedUntil > now) {
    const retryAfterSeconds = Math.ceil((account.lockedUntil.getTime() - now.getTime()) / 1000);
    await auditOnly({ actor: { ...who, userId: account.id }, action: "auth.sign-in.refused", targetType: "user", targetId: email, details: { reason: "locked", lockedUntil: account.lockedUntil.toISOString() } });
    return { ok: false, reason: "locked", retryAfterSeconds, message: `This account is locked after repeated failed sign-ins. Try again in ${Math.ceil(retryAfterSeconds / 60)} minute(s), or ask an admin to reset its password.` };
  }

  const matches = await verifyPassword(input.password, account?.passwordHash ?? (await decoyHash()));
  if (!account || !account.passwordHash || !matches) {
    if (!account) {
      await auditOnly({ actor: who, action: "auth.sign-in.failed", targetType: "user", targetId: email, details: { reason: "unknown account" } });
      await sleep(failureDelayMs(1));
      return { ok: false, reason: "invalid", message: WRONG };
    }
    const failures = account.failedSignIns + 1;
    const locks = failures >= policy.maxFailures;
    const lockUntil = locks ? new Date(now.getTime() + policy.lockMs) : null;
    const entries: AuditRecord[] = [{ actor: { ...who, userId: account.id }, action: "auth.sign-in.failed", targetType: "user", targetId: email, details: { reason: account.passwordHash ? "wrong password" : "no local password", failures } }];
    if (lockUntil) entries.push({ actor: { ...who, userId: account.id }, action: "auth.lockout", targetType: "user", targetId: email, details: { failures, lockedUntil: lockUntil.toISOString() } });
    await recordFailedSignIn(account.id, lockUntil, entries);
    await sleep(failureDelayMs(failures));
    if (lockUntil) return { ok: false, reason: "locked", retryAfterSeconds: policy.lockMs / 1000, message: `Too many failed sign-ins: this account is locked for ${policy.lockMs / 60_000} minute(s).` };
    return { ok: false, reason: "invalid", message: WRONG };
  }

  if (account.disabled) {
    await auditOnly({ actor: { ...who, userId: account.id }, action: "auth.sign-in.refused", targetType: "user", targetId: email, details: { reason: "disabled" } });
    return { ok: false, reason: "disabled", message: "This account is disabled. Ask an admin to enable it." };
  }

  const { token, expiresAt } = await startSession(account, "password", client, policy, now);
  return { ok: true, token, expiresAt, actor: actorOf(account, "password", client) };
}

function actorOf(user: { id: string; email: string; name: string; role: Actor["role"] }, method: "password" | "oidc", client: ClientInfo): Actor {
  return { email: user.email, name: user.name, role: user.role, kind: "user", userId: user.id, method, clientIp: client.ip, userAgent: client.userAgent };
}

/** Opens a new session (always a new id: a sign-in never reuses one) and audits the sign-in. */
export async function startSession(
  user: { id: string; email: string; name: string; role: Actor["role"] },
  method: "password" | "oidc",
  client: ClientInfo,
  policy: SessionPolicy,
  now = new Date(),
): Promise<{ token: string; expiresAt: Date }> {
  const token = newSecret();
  const expiresAt = new Date(now.getTime() + policy.maxMs);
  await openSession(
    { idHash: hashSecret(token), userId: user.id, method, expiresAt, clientIp: client.ip, userAgent: client.userAgent },
    { actor: actorOf(user, method, client), action: "auth.sign-in", targetType: "user", targetId: user.email, details: { method } },
  );
  return { token, expiresAt };
}

// lastSeenAt is written at most once a minute per session, not on every request.
const TOUCH_EVERY_MS = 60_000;

/** The person behind a session cookie, or null when the session is unknown, idle too long, expired or its user disabled. */
export async function sessionActor(token: string, client: ClientInfo, policy: SessionPolicy, now = new Date()): Promise<Actor | null> {
  if (!token || token.length > 200) return null;
  const idHash = hashSecret(token);
  const session = await findSession(idHash);
  if (!session) return null;
  const idleFor = now.getTime() - session.lastSeenAt.getTime();
  if (now >= session.expiresAt || idleFor > policy.idleMs || session.user.disabled) {
    await closeSession(idHash, null);
    return null;
  }
  if (idleFor > TOUCH_EVERY_MS) await touchSession(idHash, now);
  const grants = await grantsFor({ role: session.user.role, email: session.user.email, groups: session.user.groups });
  return { ...actorOf(session.user, session.method === "oidc" ? "oidc" : "password", client), grants };
}

/** Removes the sessions sessionActor would refuse (expired or idle too long); returns how many. */
export function removeEndedSessions(policy: SessionPolicy, now = new Date()): Promise<number> {
  return pruneEndedSessions(now, new Date(now.getTime() - policy.idleMs));
}

export async function signOut(token: string, actor: Actor): Promise<void> {
  await closeSession(hashSecret(token), { actor, action: "auth.sign-out", targetType: "user", targetId: actor.email });
}

export async function signOutEverywhere(actor: Actor): Promise<number> {
  if (!actor.userId) return 0;
  return closeUserSessions(actor.userId, { actor, action: "auth.sign-out-everywhere", targetType: "user", targetId: actor.email });
}
