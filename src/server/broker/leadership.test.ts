import { describe, expect, it } from "vitest";
import { isLeadershipChange } from "./reader";

describe("isLeadershipChange", () => {
  it("recognises a moved leader anywhere in the cause chain, and nothing else", () => {
    const protocol = Object.assign(new Error("This server is not the leader for that topic-partition"), { type: "NOT_LEADER_FOR_PARTITION" });
    expect(isLeadershipChange(protocol)).toBe(true);
    expect(isLeadershipChange(new Error("retries exceeded", { cause: protocol }))).toBe(true);
    expect(isLeadershipChange(Object.assign(new Error("no such topic"), { type: "UNKNOWN_TOPIC_OR_PARTITION" }))).toBe(false);
    expect(isLeadershipChange(undefined)).toBe(false);
  });
});
