import { describe, expect, it } from "vitest";
import type { ConsumerGroupDescription } from "~/server/broker";
import { deleteGroupsSchema, MAX_GROUPS_PER_DELETE, ownGroupRefusal, planGroupDeletion } from "./delete-groups";

const described = (groupId: string, state: string, members = 0): ConsumerGroupDescription =>
  ({ groupId, state, protocolType: "consumer", members: Array.from({ length: members }, (_, i) => ({ memberId: `m${i}`, clientId: "c", host: "h", assignments: [] })) }) as ConsumerGroupDescription;

describe("planGroupDeletion", () => {
  it("deletes empty groups and refuses Signalbox's own, groups with members and unknown groups, each with its reason", () => {
    const plan = planGroupDeletion(
      ["billing-old", "signalbox-replay-7", "signalbox-internal-browse", "payments", "ghost"],
      [described("billing-old", "Empty"), described("payments", "Stable", 2), described("ghost", "Dead")],
    );
    expect(plan.toDelete).toEqual(["billing-old"]);
    expect(plan.refused).toEqual([
      { groupId: "signalbox-replay-7", deleted: false, reason: expect.stringContaining("exactly-once") },
      { groupId: "signalbox-internal-browse", deleted: false, reason: expect.stringContaining("Signalbox's own") },
      { groupId: "payments", deleted: false, reason: "it has 2 active members (state Stable): stop its consumers first" },
      { groupId: "ghost", deleted: false, reason: "no such group" },
    ]);
  });

  it("names only Signalbox's own groups as its own", () => {
    expect(ownGroupRefusal("signalbox-redrive-3")).toMatch(/checkpoint/);
    expect(ownGroupRefusal("signalbox-ui")).toBeNull();
  });
});

describe("deleteGroupsSchema", () => {
  it("needs one group at least, bounds the batch, and drops repeats", () => {
    expect(deleteGroupsSchema.safeParse({ groupIds: [] }).error?.issues[0]?.message).toBe("Name at least one consumer group to delete.");
    expect(deleteGroupsSchema.safeParse({ groupIds: Array.from({ length: MAX_GROUPS_PER_DELETE + 1 }, (_, i) => `g${i}`) }).success).toBe(false);
    expect(deleteGroupsSchema.parse({ groupIds: ["a", "b", "a"] }).groupIds).toEqual(["a", "b"]);
  });
});
