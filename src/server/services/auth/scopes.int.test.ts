// Integration: role bindings limited by name patterns, through the real router and catalog. A
// support person bound to payments.* may act on payments.DLQ and is refused orders.DLQ; a viewer
// bound to payments.* sees only those topics; scoped admins cannot administer.
import { TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";
import { closeConnectionsAfterAll } from "../../../../scripts/lib/test-support";
import { createCaller } from "~/server/api/root";
import { createTRPCContext } from "~/server/api/trpc";
import { listAudit, writeAudit, type Actor } from "~/server/catalog";
import { addRoleBinding, removeRoleBinding } from "~/server/services/users/role-bindings";
import { grantsFor } from "./grants";

const run = Date.now().toString(36);
const admin: Actor = { email: `scopes-admin-${run}@signalbox.local`, name: "Scopes admin", role: "admin" };

async function callerFor(email: string, role: Actor["role"]) {
  const actor: Actor = { email, name: email, role, grants: await grantsFor({ role, email }) };
  return createCaller(await createTRPCContext({ headers: new Headers(), actor }));
}

const refusal = (error: unknown) => (error instanceof TRPCError ? `${error.code}: ${error.message}` : String(error));

closeConnectionsAfterAll();

describe("scoped role bindings", () => {
  it("lets support on payments.* discard in payments.DLQ and refuses orders.DLQ, naming the scope", async () => {
    const email = `sam-${run}@signalbox.local`;
    const binding = await addRoleBinding(admin, { principalKind: "user", principal: email, role: "support", topics: ["payments.*"] });
    expect((await listAudit({ limit: 20 })).find((e) => e.action === "binding.create" && e.targetId === email)).toBeTruthy();
    const sam = await callerFor(email, "viewer");
    const refused = await sam.dlq.discard({ topic: "orders.DLQ", selection: { kind: "positions", positions: [{ partition: 0, offset: 0 }] }, reason: "scope test" }).catch(refusal);
    expect(refused).toBe(`FORBIDDEN: This action on topic orders.DLQ needs the support role there; ${email} has it only for topics payments.*.`);
    // In scope: the access check passes; whatever the DLQ service then says, it is not a scope refusal.
    const inScope = await sam.dlq.discard({ topic: "payments.DLQ", selection: { kind: "positions", positions: [{ partition: 0, offset: 0 }] }, reason: "scope test" }).catch(refusal);
    expect(String(inScope)).not.toMatch(/FORBIDDEN/);
    const reset = await sam.groupOffsets.reset({ groupId: "orders-consumer", topic: "orders", target: { kind: "latest" } }).catch(refusal);
    expect(reset).toMatch(/^FORBIDDEN: This action on topic orders and consumer group orders-consumer needs the support role there/);
    await removeRoleBinding(admin, binding.id);
    const after = await (await callerFor(email, "viewer")).dlq.discard({ topic: "payments.DLQ", selection: { kind: "positions", positions: [{ partition: 0, offset: 0 }] }, reason: "x" }).catch(refusal);
    expect(after).toMatch(/^FORBIDDEN: This action needs the support role/);
  });

  it("shows a viewer bound to payments.* only those topics, and refuses reading another", async () => {
    const email = `vera-${run}@signalbox.local`;
    await addRoleBinding(admin, { principalKind: "user", principal: email, role: "viewer", topics: ["payments*"] });
    const vera = await callerFor(email, null);
    const everyone = await (await callerFor(admin.email, "admin")).messages.topics();
    const visible = await vera.messages.topics();
    expect(visible.every((t) => t.startsWith("payments"))).toBe(true);
    expect(visible).toEqual(everyone.filter((t) => t.startsWith("payments")));
    expect(await vera.lag.topic({ topic: "orders" }).catch(refusal)).toMatch(/^FORBIDDEN: This action on topic orders needs the viewer role there/);
    expect(await vera.users.me()).toMatchObject({ email, role: null });
    // The Overview's counts come from the sample of what Vera may see (none yet here: no worker runs in this test), never the whole cluster's.
    const full = await (await callerFor(admin.email, "admin")).overview.get();
    const mine = await vera.overview.get();
    if (full.counts) expect(mine.counts).not.toEqual(full.counts);
  });

  it("shows a scoped viewer only the audit entries about its resources", async () => {
    const email = `vic-${run}@signalbox.local`;
    await addRoleBinding(admin, { principalKind: "user", principal: email, role: "viewer", topics: [`audit-${run}-pay*`] });
    await writeAudit({ actor: admin, action: "test.entry", targetType: "topic", targetId: `audit-${run}-payments` });
    await writeAudit({ actor: admin, action: "test.entry", targetType: "topic", targetId: `audit-${run}-orders` });
    await writeAudit({ actor: admin, action: "test.entry", targetType: "dlq-message", targetId: `audit-${run}-payments.DLQ/0/1` });
    const seen = (await (await callerFor(email, null)).audit.list({ limit: 500 })).map((e) => e.targetId);
    expect(seen).toEqual(expect.arrayContaining([`audit-${run}-payments`, `audit-${run}-payments.DLQ/0/1`]));
    expect(seen).not.toContain(`audit-${run}-orders`);
    // Entries about people, tokens and bindings are for readers who see everything.
    expect(seen).not.toContain(email);
    const everything = (await (await callerFor(admin.email, "admin")).audit.list({ limit: 500 })).map((e) => e.targetId);
    expect(everything).toEqual(expect.arrayContaining([`audit-${run}-orders`, email]));
  });

  it("does not let a scoped admin administer users, tokens or bindings", async () => {
    const email = `ada-${run}@signalbox.local`;
    await addRoleBinding(admin, { principalKind: "user", principal: email, role: "admin", topics: ["payments*"] });
    const ada = await callerFor(email, "viewer");
    expect(await ada.users.list().catch(refusal)).toMatch(/^FORBIDDEN: This action needs the admin role everywhere/);
    expect(await ada.bindings.list().catch(refusal)).toMatch(/^FORBIDDEN/);
    expect(await ada.schemas.setGlobalCompatibility({ compatibility: "NONE" }).catch(refusal)).toMatch(/^FORBIDDEN: The global compatibility level needs the architect role everywhere/);
  });

  it("refuses a binding without a pattern, and a pattern RE2 cannot run, naming it", async () => {
    await expect(addRoleBinding(admin, { principalKind: "user", principal: "x@signalbox.local", role: "support" })).rejects.toThrow(/Name at least one pattern/);
    await expect(addRoleBinding(admin, { principalKind: "user", principal: "x@signalbox.local", role: "support", topics: ["+(a|b)"] })).rejects.toThrow(/role binding is not valid: topics.0/);
  });
});
