// Accounts, sessions and API tokens. Every change that has an audit entry writes it in the same
// transaction, so the log never misses a sign-in, a lockout or a revoked token.
import "server-only";
import { writeAudit, type AuditRecord } from "./audit";
import { getDb } from "./db";
import type { Role } from "./types";

export interface AccountRow {
  id: string;
  email: string;
  name: string;
  role: Role | null;
  roleSource: string;
  passwordHash: string | null;
  disabled: boolean;
  failedSignIns: number;
  lockedUntil: Date | null;
}

const accountSelect = { id: true, email: true, name: true, role: true, roleSource: true, passwordHash: true, disabled: true, failedSignIns: true, lockedUntil: true } as const;

export async function findAccount(email: string): Promise<AccountRow | null> {
  return getDb().user.findUnique({ where: { email }, select: accountSelect });
}

/** Counts a failed sign-in, locks the account when `lockUntil` is given, and audits both. */
export async function recordFailedSignIn(userId: string, lockUntil: Date | null, audit: AuditRecord[]): Promise<number> {
  return getDb().$transaction(async (tx) => {
    const user = await tx.user.update({ where: { id: userId }, data: { failedSignIns: { increment: 1 }, ...(lockUntil ? { lockedUntil: lockUntil } : {}) }, select: { failedSignIns: true } });
    for (const record of audit) await writeAudit(record, tx);
    return user.failedSignIns;
  });
}

export async function auditOnly(record: AuditRecord): Promise<void> {
  await writeAudit(record);
}

export interface NewSession {
  idHash: string;
  userId: string;
  method: "password" | "oidc";
  expiresAt: Date;
  clientIp: string | null;
  userAgent: string | null;
}

/** Opens a session: clears the failure count and lock, records the sign-in and audits it. */
export async function openSession(session: NewSession, audit: AuditRecord): Promise<void> {
  await getDb().$transaction(async (tx) => {
    await tx.user.update({ where: { id: session.userId }, data: { failedSignIns: 0, lockedUntil: null, lastSignInAt: new Date() } });
    await tx.session.create({ data: { id: session.idHash, userId: session.userId, method: session.method, expiresAt: session.expiresAt, clientIp: session.clientIp, userAgent: session.userAgent?.slice(0, 400) ?? null } });
    await writeAudit(audit, tx);
  });
}

export interface SessionRow {
  id: string;
  method: string;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
  user: { id: string; email: string; name: string; role: Role | null; roleSource: string; disabled: boolean; groups: string[] };
}

export async function findSession(idHash: string): Promise<SessionRow | null> {
  return getDb().session.findUnique({
    where: { id: idHash },
    select: { id: true, method: true, createdAt: true, lastSeenAt: true, expiresAt: true, user: { select: { id: true, email: true, name: true, role: true, roleSource: true, disabled: true, groups: true } } },
  });
}

export async function touchSession(idHash: string, at: Date): Promise<void> {
  await getDb().session.updateMany({ where: { id: idHash }, data: { lastSeenAt: at } });
}

/** Ends one session (expired ones too, without an entry). Returns whether a row went away. */
export async function closeSession(idHash: string, audit: AuditRecord | null): Promise<boolean> {
  return getDb().$transaction(async (tx) => {
    const { count } = await tx.session.deleteMany({ where: { id: idHash } });
    if (count > 0 && audit) await writeAudit(audit, tx);
    return count > 0;
  });
}

/** Ends every session of a user ("sign out everywhere", disable, password reset). */
export async function closeUserSessions(userId: string, audit: AuditRecord): Promise<number> {
  return getDb().$transaction(async (tx) => {
    const { count } = await tx.session.deleteMany({ where: { userId } });
    await writeAudit({ ...audit, details: { ...audit.details, sessionsEnded: count } }, tx);
    return count;
  });
}

export async function countUserSessions(userId: string): Promise<number> {
  return getDb().session.count({ where: { userId } });
}

/**
 * Deletes sessions that can no longer be used: past their absolute end, or idle since before
 * `idleBefore`. A session closes when its cookie comes back too late, but most never come back
 * (the browser was closed), so without this every sign-in would leave a row forever.
 */
export async function pruneEndedSessions(now: Date, idleBefore: Date): Promise<number> {
  return (await getDb().session.deleteMany({ where: { OR: [{ expiresAt: { lte: now } }, { lastSeenAt: { lt: idleBefore } }] } })).count;
}

export interface LocalAccountInput {
  email: string;
  name: string;
  role: Role | null;
  passwordHash: string | null;
}

/** Creates a local account; refuses an email that exists. Returns null when it exists. */
export async function createAccount(input: LocalAccountInput, audit: AuditRecord): Promise<{ id: string } | null> {
  return getDb().$transaction(async (tx) => {
    if (await tx.user.findUnique({ where: { email: input.email }, select: { id: true } })) return null;
    const user = await tx.user.create({ data: { email: input.email, name: input.name, role: input.role, roleSource: "local", passwordHash: input.passwordHash }, select: { id: true } });
    await writeAudit(audit, tx);
    return user;
  });
}

/** Creates the account when missing, or sets its password when it has none (seeding). */
export async function ensureAccount(input: LocalAccountInput): Promise<"created" | "password-set" | "unchanged"> {
  const db = getDb();
  const existing = await db.user.findUnique({ where: { email: input.email }, select: { passwordHash: true } });
  if (!existing) {
    await db.user.create({ data: { email: input.email, name: input.name, role: input.role, roleSource: "local", passwordHash: input.passwordHash } });
    return "created";
  }
  if (!existing.passwordHash && input.passwordHash) {
    await db.user.update({ where: { email: input.email }, data: { passwordHash: input.passwordHash } });
    return "password-set";
  }
  return "unchanged";
}

/** Applies a change to an account and its audit entry together; a disabled or reset account loses its sessions. */
export async function updateAccount(
  email: string,
  change: { disabled?: boolean; passwordHash?: string; role?: Role | null; roleSource?: string },
  audit: (before: AccountRow) => AuditRecord,
): Promise<AccountRow | null> {
  return getDb().$transaction(async (tx) => {
    const before = await tx.user.findUnique({ where: { email }, select: accountSelect });
    if (!before) return null;
    const unlock = change.passwordHash !== undefined || change.disabled === false ? { failedSignIns: 0, lockedUntil: null } : {};
    await tx.user.update({ where: { email }, data: { ...change, ...unlock } });
    if (change.disabled === true || change.passwordHash !== undefined) await tx.session.deleteMany({ where: { userId: before.id } });
    await writeAudit(audit(before), tx);
    return before;
  });
}

export interface AccountListRow {
  id: string;
  email: string;
  name: string;
  role: Role | null;
  roleSource: string;
  disabled: boolean;
  hasPassword: boolean;
  lockedUntil: Date | null;
  lastSignInAt: Date | null;
  createdAt: Date;
  sessions: number;
}

export async function listAccounts(): Promise<AccountListRow[]> {
  const rows = await getDb().user.findMany({
    orderBy: { email: "asc" },
    select: { id: true, email: true, name: true, role: true, roleSource: true, disabled: true, passwordHash: true, lockedUntil: true, lastSignInAt: true, createdAt: true, _count: { select: { sessions: true } } },
  });
  return rows.map(({ passwordHash, _count, ...row }) => ({ ...row, hasPassword: passwordHash !== null, sessions: _count.sessions }));
}

/** Finds or creates the person an identity provider vouched for, and records the role its groups give. */
export async function upsertOidcAccount(input: { subject: string; email: string; name: string; role: Role | null; roleSource: string; groups: string[] }): Promise<{ id: string; disabled: boolean; role: Role | null }> {
  const db = getDb();
  const bySubject = await db.user.findUnique({ where: { oidcSubject: input.subject }, select: { id: true } });
  const where = bySubject ? { id: bySubject.id } : { email: input.email };
  return db.user.upsert({
    where,
    create: { email: input.email, name: input.name, role: input.role, roleSource: input.roleSource, oidcSubject: input.subject, groups: input.groups },
    update: { name: input.name, role: input.role, roleSource: input.roleSource, oidcSubject: input.subject, groups: input.groups },
    select: { id: true, disabled: true, role: true },
  });
}

// --- API tokens -----------------------------------------------------------------------------

export interface ApiTokenRow {
  id: string;
  name: string;
  secretHash: string;
  role: Role;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  createdBy: { id: string; email: string; name: string } | null;
}

const tokenSelect = { id: true, name: true, secretHash: true, role: true, createdAt: true, lastUsedAt: true, revokedAt: true, createdBy: { select: { id: true, email: true, name: true } } } as const;

export async function createApiToken(input: { id: string; name: string; secretHash: string; role: Role; createdById: string | null }, audit: AuditRecord): Promise<boolean> {
  return getDb().$transaction(async (tx) => {
    if (await tx.apiToken.findUnique({ where: { name: input.name }, select: { id: true } })) return false;
    await tx.apiToken.create({ data: input });
    await writeAudit(audit, tx);
    return true;
  });
}

export async function findApiTokenById(id: string): Promise<ApiTokenRow | null> {
  return getDb().apiToken.findUnique({ where: { id }, select: tokenSelect });
}

export async function findApiTokenByName(name: string): Promise<ApiTokenRow | null> {
  return getDb().apiToken.findUnique({ where: { name }, select: tokenSelect });
}

/** Records a use; the first use is audited in the same transaction. */
export async function markApiTokenUsed(id: string, at: Date, firstUseAudit: AuditRecord | null): Promise<void> {
  const db = getDb();
  if (!firstUseAudit) {
    await db.apiToken.update({ where: { id }, data: { lastUsedAt: at } });
    return;
  }
  await db.$transaction(async (tx) => {
    // Only the request that flips lastUsedAt from null writes the "first use" entry.
    const { count } = await tx.apiToken.updateMany({ where: { id, lastUsedAt: null }, data: { lastUsedAt: at } });
    if (count > 0) await writeAudit(firstUseAudit, tx);
  });
}

export async function revokeApiToken(name: string, at: Date, audit: AuditRecord): Promise<boolean> {
  return getDb().$transaction(async (tx) => {
    const { count } = await tx.apiToken.updateMany({ where: { name, revokedAt: null }, data: { revokedAt: at } });
    if (count > 0) await writeAudit(audit, tx);
    return count > 0;
  });
}

export async function listApiTokens(): Promise<Omit<ApiTokenRow, "secretHash">[]> {
  return getDb().apiToken.findMany({ orderBy: { createdAt: "desc" }, select: { ...tokenSelect, secretHash: false } });
}
