import { describe, expect, it } from "vitest";
import { groupTransactionalId, partitionGroups, sliceForRequests, type OutgoingCopy } from "./transactional-writer";

const record = (topic: string, partition: number | undefined, bytes: number): OutgoingCopy => ({ topic, partition, key: null, value: Buffer.alloc(bytes), headers: [] });

describe("partitionGroups", () => {
  it("gives each partition its own writer up to the limit, then deals them by partition mod the limit", () => {
    expect(partitionGroups([2, 0, 1], 6)).toEqual([[0], [1], [2]]);
    expect(partitionGroups([0, 1, 2, 3, 4, 5, 6, 7], 3)).toEqual([
      [0, 3, 6],
      [1, 4, 7],
      [2, 5],
    ]);
  });

  it("keeps a partition in the same group (and transactional id) when the others are gone, so a resumed run fences the same producers", () => {
    const all = partitionGroups([0, 1, 2, 3, 4, 5, 6, 7], 3);
    const left = partitionGroups([4, 7], 3);
    expect(left).toEqual([[4, 7]]);
    const idOf = (groups: number[][], p: number) => groupTransactionalId("job", groups.find((g) => g.includes(p))!, 3);
    expect(idOf(left, 4)).toBe(idOf(all, 4));
    expect(idOf(left, 7)).toBe(idOf(all, 7));
    expect(idOf(all, 4)).not.toBe(idOf(all, 5));
  });
});

describe("sliceForRequests", () => {
  it("keeps each partition's part of a request under the batch limit, and puts several partitions in one request", () => {
    const records = [0, 1, 2].flatMap((p) => Array.from({ length: 10 }, () => record("t", p, 1000)));
    const slices = sliceForRequests(records, 5_500, 1_000_000);
    // 1,070 bytes counted per record: 5 per partition per request; 30 records of 3 partitions in 2 requests.
    expect(slices.map((s) => s.length)).toEqual([15, 15]);
    for (const slice of slices) for (const p of [0, 1, 2]) expect(slice.filter((r) => r.partition === p)).toHaveLength(5);
  });

  it("keeps the order, and counts records the producer hashes as one partition (whichever they land on, none goes over)", () => {
    const records = Array.from({ length: 12 }, (_, i) => ({ ...record("t", undefined, 1000), key: Buffer.from(String(i)) }));
    const slices = sliceForRequests(records, 3_300, 1_000_000);
    expect(slices.map((s) => s.length)).toEqual([3, 3, 3, 3]);
    expect(slices.flat().map((r) => r.key!.toString())).toEqual(records.map((r) => r.key!.toString()));
  });

  it("bounds the whole request, and sends a record bigger than the limit alone", () => {
    const records = [0, 1, 2, 3].map((p) => record("t", p, 1000));
    expect(sliceForRequests(records, 10_000, 2_200).map((s) => s.length)).toEqual([2, 2]);
    expect(sliceForRequests([record("t", 0, 5000), record("t", 0, 10)], 1_000, 1_000_000).map((s) => s.length)).toEqual([1, 1]);
  });
});
