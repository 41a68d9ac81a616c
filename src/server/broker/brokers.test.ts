import { describe, expect, it } from "vitest";
import { encodeDescribeLogDirsRequest, encodeIncrementalAlterBrokerConfig, parseDescribeLogDirsResponse, parseIncrementalAlterConfigsResponse } from "./brokers";

const uvarint = (n: number) => Buffer.from([n]); // every count here is below 128
const compact = (s: string) => Buffer.concat([uvarint(Buffer.byteLength(s) + 1), Buffer.from(s)]);
const classic = (s: string | null) => (s === null ? int16(-1) : Buffer.concat([int16(Buffer.byteLength(s)), Buffer.from(s)]));
const int16 = (n: number) => {
  const b = Buffer.alloc(2);
  b.writeInt16BE(n);
  return b;
};
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

function partition(index: number, size: number, future = false) {
  return Buffer.concat([int32(index), int64(size), int64(0), Buffer.from([future ? 1 : 0]), uvarint(0)]);
}

function logDirsResponse(version: number) {
  return Buffer.concat([
    uvarint(0), // response header tags
    int32(0), // throttle
    ...(version >= 3 ? [int16(0)] : []),
    uvarint(3), // two dirs
    int16(0),
    compact("/data/a"),
    uvarint(3), // two topics
    compact("orders"),
    uvarint(3),
    partition(0, 5_000_000_000), // above 2^32: read as int64
    partition(1, 1000),
    uvarint(0),
    compact("payments"),
    uvarint(3),
    partition(0, 7000),
    partition(0, 7000, true), // a future replica being moved here: not counted twice
    uvarint(0),
    ...(version >= 4 ? [int64(100_000_000_000), int64(40_000_000_000)] : []),
    uvarint(0),
    int16(57), // KAFKA_STORAGE_ERROR: an offline disk
    compact("/data/b"),
    uvarint(1),
    ...(version >= 4 ? [int64(-1), int64(-1)] : []),
    uvarint(0),
    uvarint(0), // body tags
  ]);
}

describe("DescribeLogDirs", () => {
  it("asks for every topic (compact null) with empty header and body tags", () => {
    expect([...encodeDescribeLogDirsRequest()]).toEqual([0, 0, 0]);
  });

  it.each([2, 3, 4])("v%i: sums each dir and topic, largest topic first, future replicas left out", (version) => {
    const { errorCode, dirs } = parseDescribeLogDirsResponse(logDirsResponse(version), version);
    expect(errorCode).toBe(0);
    expect(dirs).toEqual([
      {
        path: "/data/a",
        error: null,
        sizeBytes: 5_000_001_000 + 7000,
        totalBytes: version >= 4 ? 100_000_000_000 : null,
        usableBytes: version >= 4 ? 40_000_000_000 : null,
        topics: [
          { topic: "orders", partitions: 2, sizeBytes: 5_000_001_000 },
          { topic: "payments", partitions: 1, sizeBytes: 7000 },
        ],
      },
      { path: "/data/b", error: "KAFKA_STORAGE_ERROR", sizeBytes: 0, totalBytes: null, usableBytes: null, topics: [] },
    ]);
  });

  it("refuses a truncated answer rather than misreading it", () => {
    const full = logDirsResponse(4);
    expect(() => parseDescribeLogDirsResponse(full.subarray(0, full.length - 12), 4)).toThrow(/truncated/);
  });
});

describe("IncrementalAlterConfigs v0", () => {
  it("encodes one SET on one broker", () => {
    const body = encodeIncrementalAlterBrokerConfig(3, { name: "log.cleaner.threads", value: "2" });
    expect(body).toEqual(Buffer.concat([int32(1), Buffer.from([4]), classic("3"), int32(1), classic("log.cleaner.threads"), Buffer.from([0]), classic("2"), Buffer.from([0])]));
  });

  it("encodes a removal as DELETE with a null value", () => {
    const body = encodeIncrementalAlterBrokerConfig(1, { name: "log.cleaner.threads", value: null });
    expect(body.subarray(body.length - 4)).toEqual(Buffer.from([1, 0xff, 0xff, 0]));
  });

  it("reads Kafka's refusal with its message, and null when applied", () => {
    const answer = (code: number, message: string | null) => Buffer.concat([int32(0), int32(1), int16(code), classic(message), Buffer.from([4]), classic("1")]);
    expect(parseIncrementalAlterConfigsResponse(answer(0, null))).toBeNull();
    expect(parseIncrementalAlterConfigsResponse(answer(40, "Invalid value abc for configuration log.cleaner.threads"))).toEqual({ type: "INVALID_CONFIG", message: "Invalid value abc for configuration log.cleaner.threads" });
  });
});
