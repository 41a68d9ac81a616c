import { describe, expect, it } from "vitest";
import { encodeOffsetFetchGroups, parseOffsetFetchGroups } from "./offset-fetch";
import { compactString, int16, int32, uvarint } from "./wire";

// The request's own writers build the answers here: the parser is what is tested.
const compact = compactString;
const int64 = (n: number) => {
  const b = Buffer.alloc(8);
  b.writeBigInt64BE(BigInt(n));
  return b;
};

/** partition, committed offset, leader epoch, metadata, error, tags */
const partition = (index: number, offset: number, errorCode = 0) => Buffer.concat([int32(index), int64(offset), int32(-1), compact(""), int16(errorCode), uvarint(0)]);

function group(groupId: string, topics: [string, Buffer[]][], errorCode = 0): Buffer {
  const parts: Buffer[] = [compact(groupId), uvarint(topics.length + 1)];
  for (const [name, partitions] of topics) parts.push(compact(name), uvarint(partitions.length + 1), ...partitions, uvarint(0));
  parts.push(int16(errorCode), uvarint(0));
  return Buffer.concat(parts);
}

describe("OffsetFetch v8 (many groups in one request)", () => {
  it("asks for every topic of each group, without require_stable", () => {
    expect(encodeOffsetFetchGroups(["g1", "ü"])).toEqual(
      Buffer.concat([
        uvarint(0), // request header tags
        uvarint(3),
        compact("g1"), uvarint(0), uvarint(0), // group, topics null (all), tags
        compact("ü"), uvarint(0), uvarint(0),
        Buffer.from([0]), // require_stable
        uvarint(0),
      ]),
    );
  });

  it("reads each group's commits, leaves out partitions without one, and reports group and partition errors", () => {
    const payload = Buffer.concat([
      uvarint(0), // response header tags
      int32(0), // throttle
      uvarint(5),
      group("orders", [["orders", [partition(0, 42), partition(1, -1), partition(2, 2 ** 40)]], ["audit", [partition(0, 7)]]]),
      group("never-committed", []),
      group("moved", [], 16),
      group("partly-refused", [["secret", [partition(0, 3), partition(1, 0, 29)]]]),
      uvarint(0),
    ]);
    const answers = parseOffsetFetchGroups(payload);
    expect(Object.fromEntries(answers)).toEqual({
      orders: {
        errorCode: 0,
        offsets: [
          { topic: "orders", partition: 0, offset: 42 },
          { topic: "orders", partition: 2, offset: 2 ** 40 },
          { topic: "audit", partition: 0, offset: 7 },
        ],
      },
      "never-committed": { errorCode: 0, offsets: [] },
      moved: { errorCode: 16, offsets: [] },
      "partly-refused": { errorCode: 29, offsets: [{ topic: "secret", partition: 0, offset: 3 }] },
    });
  });

  it("refuses a truncated answer instead of misreading it", () => {
    const payload = Buffer.concat([uvarint(0), int32(0), uvarint(2), group("orders", [["orders", [partition(0, 42)]]])]);
    expect(() => parseOffsetFetchGroups(payload.subarray(0, payload.length - 3))).toThrow(/OffsetFetch response is truncated/);
  });
});
