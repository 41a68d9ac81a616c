// Integration: the schemas procedures are role-checked like every mutation: viewers read, architects change.
import { TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";
import { callerAs, closeConnectionsAfterAll } from "../../../../scripts/lib/test-support";
import { type Actor } from "~/server/catalog";

const run = Date.now().toString(36);
const viewer: Actor = { email: "viewer@signalbox.local", name: "Vic", role: "viewer" };
const operator: Actor = { email: "operator@signalbox.local", name: "Olive", role: "operator" };
const architect: Actor = { email: "architect@signalbox.local", name: "Ari", role: "architect" };

closeConnectionsAfterAll();

describe("schemas procedures", () => {
  it("let anyone read, refuse changes to roles other than architect (and admin), and register for an architect", async () => {
    const input = { name: `RoleCheck${run}`, domain: "d", owner: "o", description: "", topics: [], compatibility: null, schema: '{"type":"object"}' };
    for (const actor of [viewer, operator]) {
      const caller = await callerAs(actor);
      expect((await caller.schemas.list()).eventTypes.map((t) => t.name)).toContain("OrderPlaced");
      const error = await caller.schemas.register(input).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TRPCError);
      expect((error as TRPCError).code).toBe("FORBIDDEN");
      expect((error as TRPCError).message).toContain("needs the architect role");
      await expect(caller.schemas.setCompatibility({ name: "OrderPlaced", compatibility: "NONE" })).rejects.toThrow(/needs the architect role/);
    }
    expect((await (await callerAs(viewer)).schemas.list()).eventTypes.map((t) => t.name)).not.toContain(input.name);
    expect(await (await callerAs(architect)).schemas.register(input)).toMatchObject({ status: "created", version: 1 });
    expect((await (await callerAs(viewer)).schemas.get({ name: "OrderPlaced" })).effectiveCompatibility).toBe("BACKWARD");
  });

  it("answers an unknown event type with NOT_FOUND", async () => {
    const error = await (await callerAs(viewer)).schemas.get({ name: `Nope${run}` }).catch((e: unknown) => e);
    expect((error as TRPCError).code).toBe("NOT_FOUND");
  });
});
