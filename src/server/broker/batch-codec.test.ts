import { describe, expect, it } from "vitest";
import { parseFetchV4Codecs } from "./batch-codec";
import { encodeFetchV4 } from "./fetch-v4";

const int16 = (n: number) => Buffer.from([(n >> 8) & 0xff, n & 0xff]);
const int32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
};
const int64 = (n: number) => {
  const b = Buffer.alloc(8);
  b.writeBigInt64BE(BigInt(n));
  return b;
};
const str = (s: string) => Buffer.concat([int16(s.length), Buffer.from(s)]);

/** A record batch header (61 bytes) with `attributes`, and `body` bytes of records. */
function batch(attributes: number, body = Buffer.alloc(10)): Buffer {
  const afterLength = Buffer.concat([int32(0), Buffer.from([2]), int32(0), int16(attributes), Buffer.alloc(40), body]);
  return Buffer.concat([int64(0), int32(afterLength.length), afterLength]);
}

function response(partitions: { partition: number; records: Buffer | null }[]): Buffer {
  return Buffer.concat([
    int32(0),
    int32(1),
    str("t"),
    int32(partitions.length),
    ...partitions.flatMap((p) => [int32(p.partition), int16(0), int64(100), int64(100), int32(1), int64(7), int64(3), p.records === null ? int32(-1) : Buffer.concat([int32(p.records.length), p.records])]),
  ]);
}

describe("parseFetchV4Codecs", () => {
  it("reads each partition's codec from its first data batch's attributes, past control batches", () => {
    const codecs = parseFetchV4Codecs(
      response([
        { partition: 0, records: batch(1) },
        { partition: 1, records: Buffer.concat([batch(0x20 | 0x10), batch(0x10 | 4)]) },
        { partition: 2, records: batch(0x10) },
        { partition: 3, records: null },
      ]),
    );
    expect(Object.fromEntries(codecs)).toEqual({ 0: "gzip", 1: "zstd", 2: "none" });
  });

  it("asks for one topic and each position", () => {
    const body = encodeFetchV4("orders", [{ partition: 2, offset: 42 }], { maxBytesPerPartition: 1 });
    // replica, wait, min, max (4 each), isolation (1), topics count (4), "orders" (2 + 6), partitions count (4), partition (4), offset (8), max (4)
    expect(body.length).toBe(16 + 1 + 4 + 8 + 4 + 16);
    expect(body.readBigInt64BE(body.length - 12)).toBe(42n);
  });
});
