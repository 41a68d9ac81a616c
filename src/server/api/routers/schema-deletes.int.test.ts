// Integration: deleting schema versions from the catalog (the procedures the Schemas pages call):
// architects only, a soft delete before a permanent one, audited, and refused in READONLY mode.
import { TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";
import { callerAs, closeConnectionsAfterAll } from "../../../../scripts/lib/test-support";
import { listAudit, setRegistryMode, type Actor } from "~/server/catalog";

const run = Date.now().toString(36);
const viewer: Actor = { email: "viewer@signalbox.local", name: "Vic", role: "viewer" };
const architect: Actor = { email: "architect@signalbox.local", name: "Ari", role: "architect" };
const closed = (properties: Record<string, unknown>) => JSON.stringify({ type: "object", additionalProperties: false, properties });

closeConnectionsAfterAll();

describe("schemas.deleteVersion and schemas.deleteEventType", () => {
  const name = `DeleteMe${run}`;

  it("soft-delete a version for an architect only, then permanently; the event type goes with its last version", async () => {
    const asArchitect = await callerAs(architect);
    await asArchitect.schemas.register({ name, domain: "d", owner: "o", description: "", topics: [], compatibility: null, schema: closed({ a: { type: "string" } }) });
    expect(await asArchitect.schemas.addVersion({ name, schema: closed({ a: { type: "string" }, b: { type: "string" } }) })).toMatchObject({ status: "created", version: 2 });

    const refused = await (await callerAs(viewer)).schemas.deleteVersion({ name, version: 1 }).catch((e: unknown) => e);
    expect((refused as TRPCError).code).toBe("FORBIDDEN");

    await expect(asArchitect.schemas.deleteVersion({ name, version: 1, permanent: true })).rejects.toThrow(/must be soft-deleted before/);
    expect(await asArchitect.schemas.deleteVersion({ name, version: 1 })).toEqual({ versions: [1], eventTypeRemoved: false });
    await expect(asArchitect.schemas.deleteVersion({ name, version: 1 })).rejects.toThrow(/already soft-deleted/);
    const view = await asArchitect.schemas.get({ name });
    expect(view.versions.map((v) => [v.version, v.deletedBy])).toEqual([
      [1, architect.email],
      [2, null],
    ]);
    expect((await asArchitect.schemas.list()).eventTypes.find((t) => t.name === name)).toMatchObject({ latestVersion: 2, versionCount: 1 });

    // READONLY (here on the event type's own subject) refuses the UI's writes as it does the API's.
    await setRegistryMode({ subject: name }, "READONLY", architect);
    try {
      await expect(asArchitect.schemas.deleteEventType({ name })).rejects.toThrow(new RegExp(`Subject '${name}' is in READONLY mode`));
      await expect(asArchitect.schemas.addVersion({ name, schema: closed({ a: { type: "string" }, c: { type: "string" } }) })).rejects.toThrow(/READONLY/);
    } finally {
      await setRegistryMode({ subject: name }, null, architect);
    }

    expect(await asArchitect.schemas.deleteEventType({ name })).toEqual({ versions: [2], eventTypeRemoved: false });
    expect(await asArchitect.schemas.deleteEventType({ name, permanent: true })).toEqual({ versions: [1, 2], eventTypeRemoved: true });
    await expect(asArchitect.schemas.get({ name })).rejects.toThrow(/No event type named/);

    const actions = (await listAudit({ limit: 100 })).filter((a) => a.targetId === name).map((a) => a.action);
    expect(actions.filter((a) => a === "schema-version.delete")).toHaveLength(1);
    expect(actions.filter((a) => a === "schema-subject.delete")).toHaveLength(2);
  });
});
