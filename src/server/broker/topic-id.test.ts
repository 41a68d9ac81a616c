import { describe, expect, it } from "vitest";
import { encodeMetadataRequest, parseMetadataTopicIds } from "./topic-id";

const uvarint = (n: number) => Buffer.from([n]); // every count here is below 128
const compact = (s: string | null) => (s === null ? uvarint(0) : Buffer.concat([uvarint(Buffer.byteLength(s) + 1), Buffer.from(s)]));
const int16 = (n: number) => Buffer.from([(n >> 8) & 0xff, n & 0xff]);
const int32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
};

function topic(errorCode: number, name: string, id: string, partitions: number): Buffer {
  const parts = [int16(errorCode), compact(name), Buffer.from(id.replaceAll("-", ""), "hex"), Buffer.from([0]), uvarint(partitions + 1)];
  for (let p = 0; p < partitions; p++) {
    // error, index, leader, leader epoch, replicas [1], isr [1], offline [], tags
    parts.push(int16(0), int32(p), int32(1), int32(0), uvarint(2), int32(1), uvarint(2), int32(1), uvarint(1), uvarint(0));
  }
  parts.push(int32(-2147483648), uvarint(0));
  return Buffer.concat(parts);
}

describe("Metadata v10+ topic ids", () => {
  it("reads each existing topic's id and skips topics the broker does not know", () => {
    const id = "6f1c2a34-5b6d-4e7f-8091-a2b3c4d5e6f7";
    const payload = Buffer.concat([
      uvarint(0), // response header tags
      int32(0), // throttle
      uvarint(2), int32(1), compact("127.0.0.1"), int32(9092), compact(null), uvarint(0), // one broker
      compact("cluster-x"), int32(1),
      uvarint(3), topic(0, "orders.DLQ", id, 2), topic(3, "gone.DLQ", "00000000-0000-0000-0000-000000000000", 0),
      uvarint(0),
    ]);
    expect(parseMetadataTopicIds(payload)).toEqual(new Map([["orders.DLQ", id]]));
  });

  it("asks by name with a zero id, never creating the topic", () => {
    const body = encodeMetadataRequest(12, ["a.DLQ"]);
    expect([...body]).toEqual([0, 2, ...Array(16).fill(0), 6, ...Buffer.from("a.DLQ"), 0, 0, 0, 0]);
    expect(encodeMetadataRequest(10, []).length).toBe(encodeMetadataRequest(12, []).length + 1);
  });

  it("refuses a truncated answer instead of misreading it", () => {
    expect(() => parseMetadataTopicIds(Buffer.from([0, 0, 0]))).toThrow(/truncated/);
  });
});
