// Integration: local sign-in, sessions and API tokens against the real catalog: what each step
// stores, what it refuses, and the audit entries it writes with the change.
import { describe, expect, it } from "vitest";
import { closeConnectionsAfterAll } from "../../../../scripts/lib/test-support";
import { listAudit, type Actor } from "~/server/catalog";
import { createLocalAccount, resetAccountPassword, setAccountDisabled } from "~/server/services/users/accounts";
import { sessionActor, signInWithPassword, signOut, signOutEverywhere, type SessionPolicy } from "./sessions";
import { createToken, revokeToken, tokenActor } from "./tokens";

const run = Date.now().toString(36);
const admin: Actor = { email: `auth-admin-${run}@signalbox.local`, name: "Auth IT admin", role: "admin", kind: "user", method: "password" };
const client = { ip: "127.0.0.9", userAgent: "auth-it" };
const policy: SessionPolicy = { idleMs: 30 * 60_000, maxMs: 8 * 3_600_000, maxFailures: 3, lockMs: 15 * 60_000 };
const noWait = { sleep: async () => undefined };
const password = "correct horse battery staple";

async function newAccount(name: string, role: Actor["role"] = "viewer") {
  const email = `${name}-${run}@signalbox.local`;
  await createLocalAccount(admin, { email, name, role, password });
  return email;
}

const auditFor = async (email: string) => (await listAudit({ limit: 200 })).filter((e) => e.targetId === email);

closeConnectionsAfterAll();

describe("local sign-in and sessions", () => {
  it("signs in, opens a session the cookie's secret resolves, and audits who, how and from where", async () => {
    const email = await newAccount("alice");
    const result = await signInWithPassword({ email, password }, client, policy, noWait);
    expect(result).toMatchObject({ ok: true, actor: { email, role: "viewer", method: "password" } });
    if (!result.ok) return;
    expect(await sessionActor(result.token, client, policy)).toMatchObject({ email, role: "viewer", method: "password", kind: "user" });
    expect(await sessionActor(`${result.token}x`, client, policy)).toBeNull();
    const [entry] = await auditFor(email);
    expect(entry).toMatchObject({ action: "auth.sign-in", actorEmail: email, authMethod: "password", clientIp: "127.0.0.9", userAgent: "auth-it" });
    // Every sign-in is a new session id.
    const again = await signInWithPassword({ email, password }, client, policy, noWait);
    expect(again.ok && again.token).not.toBe(result.token);
  });

  it("refuses a wrong password without saying whether the account exists, then locks after repeated failures", async () => {
    const email = await newAccount("mallory");
    const unknown = await signInWithPassword({ email: `nobody-${run}@signalbox.local`, password }, client, policy, noWait);
    const wrong = await signInWithPassword({ email, password: "wrong password!" }, client, policy, noWait);
    expect(unknown).toEqual({ ok: false, reason: "invalid", message: "The email or password is wrong." });
    expect(wrong).toEqual(unknown);
    await signInWithPassword({ email, password: "wrong again!!" }, client, policy, noWait);
    const third = await signInWithPassword({ email, password: "third time!!" }, client, policy, noWait);
    expect(third).toMatchObject({ ok: false, reason: "locked" });
    // Locked: even the right password is refused until the lock ends or an admin resets it.
    expect(await signInWithPassword({ email, password }, client, policy, noWait)).toMatchObject({ ok: false, reason: "locked" });
    const actions = (await auditFor(email)).map((e) => e.action);
    expect(actions.filter((a) => a === "auth.sign-in.failed")).toHaveLength(3);
    expect(actions).toContain("auth.lockout");
    await resetAccountPassword(admin, { email, password: "a brand new password" });
    expect(await signInWithPassword({ email, password: "a brand new password" }, client, policy, noWait)).toMatchObject({ ok: true });
  });

  it("ends a session after the idle time and after the absolute time, and at sign-out", async () => {
    const email = await newAccount("bob");
    const signIn = async () => {
      const r = await signInWithPassword({ email, password }, client, policy, noWait);
      if (!r.ok) throw new Error(r.message);
      return r;
    };
    const idle = await signIn();
    expect(await sessionActor(idle.token, client, policy, new Date(Date.now() + policy.idleMs + 1000))).toBeNull();
    // Gone for good, not just refused once.
    expect(await sessionActor(idle.token, client, policy)).toBeNull();
    const old = await signIn();
    expect(await sessionActor(old.token, client, { ...policy, idleMs: 10 * policy.maxMs }, new Date(old.expiresAt.getTime() + 1))).toBeNull();
    const out = await signIn();
    const actor = (await sessionActor(out.token, client, policy))!;
    await signOut(out.token, actor);
    expect(await sessionActor(out.token, client, policy)).toBeNull();
    expect((await auditFor(email)).map((e) => e.action)).toContain("auth.sign-out");
  });

  it("signs out everywhere, and a disabled account loses its sessions and cannot sign in", async () => {
    const email = await newAccount("carol", "support");
    const first = await signInWithPassword({ email, password }, client, policy, noWait);
    const second = await signInWithPassword({ email, password }, { ip: "127.0.0.10", userAgent: "other" }, policy, noWait);
    if (!first.ok || !second.ok) throw new Error("sign-in failed");
    const actor = (await sessionActor(first.token, client, policy))!;
    expect(await signOutEverywhere(actor)).toBe(2);
    expect(await sessionActor(second.token, client, policy)).toBeNull();
    const third = await signInWithPassword({ email, password }, client, policy, noWait);
    if (!third.ok) throw new Error("sign-in failed");
    await setAccountDisabled(admin, { email, disabled: true });
    expect(await sessionActor(third.token, client, policy)).toBeNull();
    expect(await signInWithPassword({ email, password }, client, policy, noWait)).toMatchObject({ ok: false, reason: "disabled" });
  });

  it("refuses a short password and a duplicate account, naming the problem", async () => {
    await expect(createLocalAccount(admin, { email: `short-${run}@signalbox.local`, name: "Short", role: "viewer", password: "short" })).rejects.toThrow(/at least 12 characters/);
    const email = await newAccount("dave");
    await expect(createLocalAccount(admin, { email, name: "Dave", role: "viewer", password })).rejects.toThrow(/exists already/);
  });
});

describe("API tokens", () => {
  it("stands for its role by Bearer and by Basic, audits its first use, and stops at once when revoked", async () => {
    const { name, secret } = await createToken(admin, { name: `prom-${run}`, role: "viewer" });
    expect(secret).toMatch(/^sbx_[0-9a-f]{32}_/);
    const bearer = await tokenActor({ kind: "bearer", secret }, client);
    expect(bearer).toMatchObject({ role: "viewer", kind: "token", tokenName: name, method: "token" });
    expect(await tokenActor({ kind: "basic", name, secret }, client)).toMatchObject({ tokenName: name });
    expect(await tokenActor({ kind: "basic", name, secret: `${secret}x` }, client)).toBeNull();
    expect(await tokenActor({ kind: "bearer", secret: secret.slice(0, -1) + (secret.endsWith("A") ? "B" : "A") }, client)).toBeNull();
    const actions = (await listAudit({ limit: 100 })).filter((e) => e.targetId === name).map((e) => e.action);
    expect(actions.filter((a) => a === "token.first-use")).toHaveLength(1);
    expect(actions).toContain("token.create");
    await revokeToken(admin, name);
    expect(await tokenActor({ kind: "bearer", secret }, client)).toBeNull();
    await expect(createToken(admin, { name, role: "admin" })).rejects.toThrow(/exists already/);
    await expect(createToken(admin, { name: "bad name:with colon", role: "admin" })).rejects.toThrow(/token is not valid/);
  });
});
