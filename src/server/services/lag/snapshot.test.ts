import { describe, expect, it } from "vitest";
import type { CommittedOffset, ConsumerGroupDescription, PartitionOffsetRange } from "~/server/broker";
import { buildSnapshot, SamplerMemory, type CycleInput } from "./snapshot";

const group = (groupId: string, members: ConsumerGroupDescription["members"] = []): ConsumerGroupDescription => ({ groupId, state: members.length ? "Stable" : "Empty", protocolType: "consumer", members });
const offsets = (...highs: number[]): PartitionOffsetRange[] => highs.map((high, partition) => ({ topic: "t", partition, low: 0, high }));
const commits = (...values: (number | null)[]): CommittedOffset[] =>
  values.flatMap((offset, partition) => (offset === null ? [] : [{ topic: "t", partition, offset }]));

function cycle(memory: SamplerMemory, at: number, input: Partial<CycleInput>) {
  return buildSnapshot({ cluster: "c", now: at, monotonicNow: at, cycleMs: 1, offsets: [], groups: [], committed: new Map(), ...input }, memory, { statusWindow: 3 });
}

describe("buildSnapshot", () => {
  it("reports lag like kafka-consumer-groups and totals only positive lags", () => {
    const s = cycle(new SamplerMemory(), 0, { offsets: offsets(10, 20, 5), groups: [group("g")], committed: new Map([["g", commits(4, 25, null)]]) });
    const g = s.groups[0]!;
    expect(g.partitions.map((p) => [p.partition, p.committed, p.lag])).toEqual([
      [0, 4, 6],
      [1, 25, -5],
    ]);
    expect([g.totalLag, g.maxLag]).toEqual([6, 6]);
  });

  it("lists partitions assigned to a member without a commit, with null lag", () => {
    const member = { memberId: "m1", clientId: "c1", host: "10.0.0.1", assignments: [{ topic: "t", partitions: [0, 1] }] };
    const g = cycle(new SamplerMemory(), 0, { offsets: offsets(10, 20), groups: [group("g", [member])], committed: new Map([["g", commits(10)]]) }).groups[0]!;
    expect(g.partitions.map((p) => [p.partition, p.lag, p.consumerId, p.host])).toEqual([
      [0, 0, "m1", "10.0.0.1"],
      [1, null, "m1", "10.0.0.1"],
    ]);
  });

  it("does not count a partition's first commit as a burst of consumption", () => {
    const memory = new SamplerMemory();
    cycle(memory, 0, { offsets: offsets(1000, 1000), groups: [group("g")], committed: new Map([["g", commits(100, null)]]) });
    const g = cycle(memory, 10_000, { offsets: offsets(1000, 1000), groups: [group("g")], committed: new Map([["g", commits(150, 900)]]) }).groups[0]!;
    expect(g.consumeRate).toBe(5); // (150 − 100) / 10 s; partition 1's first commit is not a delta
    expect(g.consumeRateByTopic).toEqual({ t: 5 });
  });

  it("turns a long-stalled partition from STALL into STOP once it has not moved for over twice the window", () => {
    const memory = new SamplerMemory();
    const statusAt = (at: number) => cycle(memory, at, { offsets: offsets(100), groups: [group("g")], committed: new Map([["g", commits(40)]]) }).groups[0]!.partitions[0]!.status;
    expect(statusAt(0)).toBe("PENDING");
    expect(statusAt(5_000)).toBe("PENDING");
    expect(statusAt(10_000)).toBe("STALL");
    const statuses = [15_000, 20_000, 25_000, 30_000].map(statusAt);
    expect(statuses.at(-1)).toBe("STOP");
  });

  it("produces rates from end-offset deltas and forgets topics and groups that are gone", () => {
    const memory = new SamplerMemory();
    cycle(memory, 0, { offsets: offsets(0, 0), groups: [group("g")], committed: new Map([["g", commits(0)]]) });
    const s = cycle(memory, 2_000, { offsets: offsets(10, 30) });
    expect(s.topics[0]!.produceRate).toBe(20);
    expect(memory.windows.size).toBe(0);
    expect(memory.groupCommits.size).toBe(0);
  });
});
