import { describe, expect, it } from "vitest";
import type { GroupSnapshot } from "~/server/services/lag/types";
import { summariseSample } from "./home";

const group = (groupId: string, status: GroupSnapshot["status"], totalLag: number, partitionStatus: string = "OK") =>
  ({ groupId, status, totalLag, partitions: [{ status: partitionStatus }] }) as unknown as GroupSnapshot;

describe("summariseSample", () => {
  it("adds the lag, counts ERR groups and those with a STALL partition, and says when the sample is old", () => {
    const summary = summariseSample({ takenAt: 1_000, groups: [group("a", "OK", 5), group("b", "ERR", 10, "STALL"), group("c", "ERR", 0, "REWIND"), group("d", "WARN", 7)] }, 2_000, 5_000);
    expect(summary).toEqual({ takenAt: 1_000, stale: false, totalLag: 22, groups: 4, groupsErr: 2, groupsStall: 1 });
    expect(summariseSample({ takenAt: 1_000, groups: [] }, 1_000 + 15_001, 5_000).stale).toBe(true);
  });
});
