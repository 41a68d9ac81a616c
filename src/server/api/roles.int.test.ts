// Integration: role-checked procedures, audit entries and secret handling against the real catalog.
import { TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";
import { callerAs, closeConnectionsAfterAll } from "../../../scripts/lib/test-support";
import { ensureUser, listAudit, type Actor } from "~/server/catalog";


const admin: Actor = { email: "admin-it@signalbox.local", name: "Admin IT", role: "admin" };
const viewer: Actor = { email: "viewer-it@signalbox.local", name: "Viewer IT", role: "viewer" };

closeConnectionsAfterAll();

describe("role-checked procedures", () => {
  it("refuses a mutation to a role without the right, and changes nothing", async () => {
    await ensureUser(admin);
    await ensureUser(viewer);
    const auditBefore = await listAudit({ limit: 1 });
    const caller = await callerAs(viewer);
    const error = await caller.users.setRole({ email: viewer.email, role: "admin" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TRPCError);
    expect((error as TRPCError).code).toBe("FORBIDDEN");
    expect((error as TRPCError).message).toContain("needs the admin role");
    const users = await (await callerAs(admin)).users.list();
    expect(users.find((u) => u.email === viewer.email)?.role).toBe("viewer");
    expect((await listAudit({ limit: 1 }))[0]?.id).toBe(auditBefore[0]?.id);
  });

  it("lets an admin change a role and writes who did it to the audit log", async () => {
    const caller = await callerAs(admin);
    await caller.users.setRole({ email: viewer.email, role: "support" });
    const [entry] = await listAudit({ limit: 1 });
    expect(entry).toMatchObject({ actorEmail: admin.email, actorRole: "admin", action: "user.role.set", targetType: "user", targetId: viewer.email, details: { before: "viewer", after: "support" } });
    await caller.users.setRole({ email: viewer.email, role: "viewer" });
  });

  it("names the unknown user instead of failing silently", async () => {
    const caller = await callerAs(admin);
    await expect(caller.users.setRole({ email: "nobody@signalbox.local", role: "viewer" })).rejects.toMatchObject({ code: "NOT_FOUND", message: "No user with email nobody@signalbox.local." });
  });

  it("rejects invalid input with the field named", async () => {
    const caller = await callerAs(admin);
    await expect(caller.users.setRole({ email: "not-an-email", role: "viewer" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });
});

describe("cluster secrets", () => {
  it("never returns the SASL password to the API, only that one is set", async () => {
    const created = await (await callerAs(admin)).clusters.create({ name: "secret-it", bootstrapServers: "broker:9092", securityProtocol: "SASL_SSL", saslMechanism: "PLAIN", saslUsername: "svc", saslPassword: "s3cret-do-not-leak" });
    const clusters = await (await callerAs(viewer)).clusters.list();
    const secretCluster = clusters.find((c) => c.name === "secret-it");
    expect(secretCluster).toMatchObject({ hasPassword: true, saslUsername: "svc", source: "settings" });
    expect(JSON.stringify([created, clusters])).not.toContain("s3cret-do-not-leak");
    await (await callerAs(admin)).clusters.remove({ id: created.id });
  });
});
