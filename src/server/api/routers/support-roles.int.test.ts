// Integration: replay, job control and offset resets need the support role; viewers may browse.
import { TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";
import { callerAs, closeConnectionsAfterAll } from "../../../../scripts/lib/test-support";
import { listAudit, type Actor } from "~/server/catalog";

const viewer: Actor = { email: "viewer-support-it@signalbox.local", name: "Viewer", role: "viewer" };
const operator: Actor = { email: "operator-support-it@signalbox.local", name: "Operator", role: "operator" };

closeConnectionsAfterAll();

describe("support-only actions", () => {
  it("refuses replay, job control and offset resets to viewers and operators, and audits nothing", async () => {
    const before = (await listAudit({ limit: 1 }))[0]?.id;
    for (const actor of [viewer, operator]) {
      const caller = await callerAs(actor);
      const attempts = [
        caller.replay.start({ request: { sourceTopic: "orders", range: { kind: "time", from: 0, to: 1 }, targetTopic: "orders" }, ranges: [{ partition: 0, from: 0, to: 1 }], dryRunCount: 1 }),
        caller.jobs.pause({ id: 1 }),
        caller.jobs.resume({ id: 1 }),
        caller.jobs.cancel({ id: 1 }),
        caller.groupOffsets.reset({ groupId: "g", topic: "orders", target: { kind: "earliest" } }),
      ];
      for (const attempt of attempts) {
        const error = await attempt.catch((e: unknown) => e);
        expect(error).toBeInstanceOf(TRPCError);
        expect((error as TRPCError).code).toBe("FORBIDDEN");
        expect((error as TRPCError).message).toContain("needs the support role");
      }
    }
    expect((await listAudit({ limit: 1 }))[0]?.id).toBe(before);
  });

  it("lets a viewer list topics and jobs", async () => {
    const caller = await callerAs(viewer);
    expect(Array.isArray(await caller.messages.topics())).toBe(true);
    expect(Array.isArray(await caller.jobs.list({ kind: "replay" }))).toBe(true);
  });
});
