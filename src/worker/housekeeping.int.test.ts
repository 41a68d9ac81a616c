// Integration: the worker's housekeeping against the real catalog. Sessions whose browser never came
// back (absolute end passed, or idle too long) are removed; a live one stays.
import { describe, expect, it } from "vitest";
import { closeConnectionsAfterAll } from "../../scripts/lib/test-support";
import { getEnv } from "~/env";
import { countUserSessions, findAccount, touchSession, type Actor } from "~/server/catalog";
import { hashSecret } from "~/server/services/auth/secrets";
import { sessionActor, sessionPolicy, startSession } from "~/server/services/auth/sessions";
import { createLocalAccount } from "~/server/services/users/accounts";
import { keepHouse } from "./housekeeping";

const run = Date.now().toString(36);
const admin: Actor = { email: `house-admin-${run}@signalbox.local`, name: "Housekeeping IT admin", role: "admin", kind: "user", method: "password" };
const client = { ip: "127.0.0.11", userAgent: "housekeeping-it" };

closeConnectionsAfterAll();

describe("worker housekeeping", () => {
  it("removes sessions past their absolute end or idle too long, and keeps live ones", async () => {
    const env = getEnv();
    const policy = sessionPolicy(env);
    const email = `erin-${run}@signalbox.local`;
    await createLocalAccount(admin, { email, name: "Erin", role: "viewer", password: "correct horse battery staple" });
    const account = (await findAccount(email))!;
    const user = { id: account.id, email, name: account.name, role: account.role };
    const now = Date.now();
    // Opened longer ago than the absolute limit allows.
    await startSession(user, "password", client, policy, new Date(now - policy.maxMs - 60_000));
    // Opened a while ago and last seen longer ago than the idle limit allows.
    const idle = await startSession(user, "password", client, policy, new Date(now - policy.idleMs - 120_000));
    await touchSession(hashSecret(idle.token), new Date(now - policy.idleMs - 60_000));
    const live = await startSession(user, "password", client, policy);
    expect(await countUserSessions(account.id)).toBe(3);

    expect(await keepHouse(env)).toMatchObject({ sessions: expect.any(Number) });
    expect(await countUserSessions(account.id)).toBe(1);
    expect(await sessionActor(live.token, client, policy)).toMatchObject({ email });
  });
});
