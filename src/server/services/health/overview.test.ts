import { describe, expect, it } from "vitest";
import { visibleCounts } from "./overview";

const topic = (name: string, partitions: number) => ({ topic: name, partitions: Array.from({ length: partitions }, () => ({}) as never), produceRate: null });
const group = (groupId: string) => ({ groupId }) as never;

describe("visibleCounts", () => {
  it("counts only the topics, partitions and groups the reader may see, and leaves out the cluster-wide replication health", () => {
    const snapshot = { topics: [topic("payments", 3), topic("payments.DLQ", 1), topic("orders", 6), topic("__consumer_offsets", 50)], groups: [group("billing"), group("shipping")] };
    expect(visibleCounts(snapshot, (t) => t.startsWith("payments"), (g) => g === "billing")).toEqual({ topics: 2, internalTopics: 0, partitions: 4, consumerGroups: 1, underReplicated: null, offline: null });
    expect(visibleCounts(snapshot, () => true, () => true)).toEqual({ topics: 3, internalTopics: 1, partitions: 60, consumerGroups: 2, underReplicated: null, offline: null });
  });
});
