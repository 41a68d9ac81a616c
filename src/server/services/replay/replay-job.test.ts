import { describe, expect, it } from "vitest";
import type { FetchedRecord } from "~/server/broker";
import { REPLAY_JOB_HEADER, REPLAY_OF_HEADER, replayJobParamsSchema } from "./params";
import { copiesAsBytes, replayCopier } from "./replay-job";

function params(partitionStrategy: { kind: "keep" } | { kind: "hash" } | { kind: "fixed"; partition: number }) {
  return replayJobParamsSchema.parse({
    request: { sourceTopic: "ünï.orders", range: { kind: "offsets", partitions: [{ partition: 2, from: 0, to: 10 }] }, targetTopic: "orders.replayed", partitionStrategy },
    ranges: [{ partition: 2, from: 0, to: 10 }],
    dryRunCount: 10,
  });
}

const record = (offset: number, headers: FetchedRecord["headers"] = []): FetchedRecord => ({ topic: "ünï.orders", partition: 2, offset, timestamp: 1, key: Buffer.from("k"), value: Buffer.from([0, 255]), headers });

describe("replayCopier", () => {
  it("keeps key, value and every header in order (duplicates and null values), then says where the copy came from and which job wrote it", () => {
    const copyOf = replayCopier(42, params({ kind: "keep" }));
    const source = record(1_234_567, [
      { key: "trace", value: Buffer.from("a") },
      { key: "trace", value: null },
    ]);
    const copy = copyOf(source);
    expect(copy.topic).toBe("orders.replayed");
    expect(copy.partition).toBe(2);
    expect(copy.key).toBe(source.key);
    expect(copy.value).toBe(source.value);
    expect(copy.headers.map((h) => [h.key, h.value?.toString("utf8") ?? null])).toEqual([
      ["trace", "a"],
      ["trace", null],
      [REPLAY_OF_HEADER, "ünï.orders/2/1234567"],
      [REPLAY_JOB_HEADER, "42"],
    ]);
    // The source record's own list is left as it was.
    expect(source.headers).toHaveLength(2);
  });

  it("gives each copy its own offset, whatever came before", () => {
    const copyOf = replayCopier(7, params({ kind: "keep" }));
    const values = [9, 10, 0, 99_999_999_999].map((o) => copyOf(record(o)).headers.find((h) => h.key === REPLAY_OF_HEADER)!.value!.toString("utf8"));
    expect(values).toEqual(["ünï.orders/2/9", "ünï.orders/2/10", "ünï.orders/2/0", "ünï.orders/2/99999999999"]);
  });

  it("sends copies to the chosen partition, or leaves it to the key's hash", () => {
    expect(replayCopier(1, params({ kind: "fixed", partition: 5 }))(record(0)).partition).toBe(5);
    expect(replayCopier(1, params({ kind: "hash" }))(record(0)).partition).toBeUndefined();
  });
});

describe("copiesAsBytes", () => {
  const with_ = (request: Record<string, unknown>) => {
    const p = params({ kind: "keep" });
    return replayJobParamsSchema.parse({ ...p, request: { ...p.request, ...request } });
  };

  it("copies as bytes only a replay of every record of its range, to a partition known without the key", () => {
    expect(copiesAsBytes(with_({}))).toBe(true);
    expect(copiesAsBytes(with_({ partitionStrategy: { kind: "fixed", partition: 1 } }))).toBe(true);
    // Each of these needs the records one by one.
    expect(copiesAsBytes(with_({ filter: { eventType: "OrderPlaced" } }))).toBe(false);
    expect(copiesAsBytes(with_({ maxCount: 10 }))).toBe(false);
    expect(copiesAsBytes(with_({ ratePerSec: 100 }))).toBe(false);
    expect(copiesAsBytes(with_({ partitionStrategy: { kind: "hash" } }))).toBe(false);
  });
});
