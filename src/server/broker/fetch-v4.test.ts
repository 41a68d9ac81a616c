import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { decodePartition, encodeFetchV4, parseFetchV4, type FetchV4Partition } from "./fetch-v4";
import { encodeRecordBatch, loadKafkajsInternals, type ProduceMessage } from "./produce-encoder";
import type { FetchedRecord } from "./types";

const require = createRequire(import.meta.url);
const kafkajs = loadKafkajsInternals();
const Decoder = require("kafkajs/src/protocol/decoder.js") as new (buffer: Buffer) => object;
/** kafkajs's own decoder of a Fetch v4 partition's records, the reference. */
const kafkajsDecodeMessages = require("kafkajs/src/protocol/requests/fetch/v4/decodeMessages.js") as (decoder: object) => Promise<{ offset: string; timestamp: string; key: Buffer | null; value: Buffer | null; headers: Record<string, Buffer | null | (Buffer | null)[]> }[]>;

const GZIP = 1;
const CONTROL = 0x20;

/** A record batch at `baseOffset`, as a producer would write it (kafkajs's bytes, see produce-encoder.test.ts). */
async function batch(baseOffset: number, messages: ProduceMessage[], options: { compression?: number; producerId?: bigint; transactional?: boolean; control?: boolean; now?: number } = {}): Promise<Buffer> {
  const buf = await encodeRecordBatch({
    messages,
    compression: options.compression ?? 0,
    transactional: options.transactional ?? false,
    producerId: options.producerId ?? -1n,
    producerEpoch: 0,
    firstSequence: 0,
    now: options.now ?? 1_765_000_000_000,
    kafkajs,
  });
  buf.writeBigInt64BE(BigInt(baseOffset), 0);
  if (options.control) buf.writeInt16BE(buf.readInt16BE(21) | CONTROL, 21);
  return buf;
}

/** An abort (type 0) or commit (type 1) marker of `producerId`'s transaction. */
const marker = (offset: number, producerId: bigint, type: 0 | 1) => batch(offset, [{ key: Buffer.from([0, 0, 0, type]), value: Buffer.alloc(6) }], { producerId, transactional: true, control: true });

function partition(records: Buffer, aborted: { producerId: bigint; firstOffset: number }[] = []): FetchV4Partition {
  return { partition: 3, errorCode: 0, highWatermark: 100, lastStableOffset: 90, abortedTransactions: aborted, records };
}

/** What kafkajs's decoder makes of the same bytes, as our records. */
async function reference(records: Buffer): Promise<FetchedRecord[]> {
  const sized = Buffer.concat([Buffer.alloc(4), records]);
  sized.writeInt32BE(records.length, 0);
  const messages = await kafkajsDecodeMessages(new Decoder(sized));
  return messages.map((m) => ({
    topic: "t",
    partition: 3,
    offset: Number(m.offset),
    timestamp: Number(m.timestamp),
    key: m.key,
    value: m.value,
    headers: Object.entries(m.headers).flatMap(([key, value]) => (Array.isArray(value) ? value : [value]).map((v) => ({ key, value: v ?? null }))),
  }));
}

const sample: ProduceMessage[] = [
  { key: "ord-1", value: Buffer.from('{"eventType":"OrderPlaced"}'), headers: { trace: [Buffer.from("a"), Buffer.from("b")], "ü-key": "ü-value" }, timestamp: 1_765_000_000_500 },
  { key: null, value: null, timestamp: 1_765_000_000_000 },
  { key: Buffer.alloc(0), value: Buffer.from([0, 255, 1, 254]), headers: { empty: Buffer.alloc(0) } },
  { key: "big", value: Buffer.alloc(70_000, 7), timestamp: 1_000 },
];

describe("decodePartition", () => {
  it("reads an uncompressed batch exactly as kafkajs does: keys, null values, binary values, duplicate and unicode headers, timestamps", async () => {
    const records = Buffer.concat([await batch(40, sample), await batch(44, sample.slice(0, 2))]);
    const ours = await decodePartition("t", partition(records), 40);
    expect(ours.records).toEqual(await reference(records));
    expect(ours.records.map((r) => r.offset)).toEqual([40, 41, 42, 43, 44, 45]);
    expect(ours.records[0]!.headers.map((h) => h.key)).toEqual(["trace", "trace", "ü-key"]);
    expect(ours.nextOffset).toBe(46);
  });

  it("keeps headers in Kafka's order, interleaved keys and null values included (kafkajs's object would group them)", async () => {
    const headers = [
      { key: "a", value: Buffer.from("1") },
      { key: "b", value: null },
      { key: "a", value: Buffer.from("3") },
    ];
    const ours = await decodePartition("t", partition(await batch(0, [{ key: "k", value: "v", headers }])), 0);
    expect(ours.records[0]!.headers).toEqual(headers);
  });

  it("hands a compressed batch to kafkajs's codecs, and skips its records before the requested offset", async () => {
    const records = await batch(10, sample, { compression: GZIP });
    const ours = await decodePartition("t", partition(records), 12);
    expect(ours.records).toEqual((await reference(records)).filter((r) => r.offset >= 12));
    expect(ours.records.map((r) => r.offset)).toEqual([12, 13]);
    expect(ours.nextOffset).toBe(14);
  });

  it("leaves out a batch cut short at the size limit; the next fetch starts at it", async () => {
    const whole = await batch(0, sample.slice(0, 2));
    const cut = (await batch(2, sample)).subarray(0, 100);
    const ours = await decodePartition("t", partition(Buffer.concat([whole, cut])), 0);
    expect(ours.records.map((r) => r.offset)).toEqual([0, 1]);
    expect(ours.nextOffset).toBe(2);
  });

  it("drops an aborted transaction's batches and every marker, and keeps the same producer's later committed transaction", async () => {
    const records = Buffer.concat([
      await batch(0, [{ key: "plain", value: "0" }]),
      await batch(1, [{ key: "aborted", value: "1" }, { key: "aborted", value: "2" }], { producerId: 7n, transactional: true }),
      await batch(3, [{ key: "other-producer", value: "3" }], { producerId: 8n, transactional: true }),
      await marker(4, 7n, 0),
      await marker(5, 8n, 1),
      await batch(6, [{ key: "committed", value: "6" }], { producerId: 7n, transactional: true }),
      await marker(7, 7n, 1),
    ]);
    const ours = await decodePartition("t", partition(records, [{ producerId: 7n, firstOffset: 1 }]), 0);
    expect(ours.records.map((r) => `${r.offset}:${r.key}`)).toEqual(["0:plain", "3:other-producer", "6:committed"]);
    // Past the last marker: the next read does not see it again.
    expect(ours.nextOffset).toBe(8);
  });

  it("with keepBytes, hands back the uncompressed batches kept (aborted ones and markers left out) instead of records", async () => {
    const kept = await batch(0, sample.slice(0, 2));
    const records = Buffer.concat([kept, await batch(2, [{ key: "aborted", value: "x" }], { producerId: 7n, transactional: true }), await marker(3, 7n, 0)]);
    const ours = await decodePartition("t", partition(records, [{ producerId: 7n, firstOffset: 2 }]), 0, { keepBytes: true });
    expect(ours.records).toEqual([]);
    expect(ours.batches!.map((b) => b.baseOffset)).toEqual([0]);
    expect(ours.batches![0]!.bytes.equals(kept)).toBe(true);
    expect(ours.nextOffset).toBe(4);
  });

  it("with keepBytes, decodes every batch as usual when one of them is compressed", async () => {
    const records = Buffer.concat([await batch(0, sample.slice(0, 2)), await batch(2, sample.slice(0, 2), { compression: GZIP })]);
    const ours = await decodePartition("t", partition(records), 1, { keepBytes: true });
    expect(ours.batches).toBeUndefined();
    expect(ours.records).toEqual((await decodePartition("t", partition(records), 1)).records);
    expect(ours.records.map((r) => r.offset)).toEqual([1, 2, 3]);
  });

  it("hands an old message set (magic 0), whose entries are shorter than a batch's header, to kafkajs", async () => {
    // offset 5, size 16: crc (4), magic 0, attributes 0, key "k" (int32 length), value "v".
    const message = Buffer.concat([Buffer.alloc(4), Buffer.from([0, 0]), Buffer.from([0, 0, 0, 1]), Buffer.from("k"), Buffer.from([0, 0, 0, 1]), Buffer.from("v")]);
    const entry = Buffer.concat([Buffer.from([0, 0, 0, 0, 0, 0, 0, 5]), Buffer.from([0, 0, 0, message.length]), message]);
    const ours = await decodePartition("t", partition(entry), 5);
    expect(ours.records.map((r) => [r.offset, r.key?.toString(), r.value?.toString()])).toEqual([[5, "k", "v"]]);
    expect(ours.nextOffset).toBe(6);
  });

  it("answers an empty partition with no records and the requested offset", async () => {
    const ours = await decodePartition("t", partition(Buffer.alloc(0)), 17);
    expect(ours).toMatchObject({ records: [], nextOffset: 17, lastStableOffset: 90, highWatermark: 100 });
  });
});

describe("parseFetchV4", () => {
  it("splits a response into partitions with their bounds, aborted transactions and record bytes", async () => {
    const records = await batch(5, sample.slice(0, 1));
    const int16 = (n: number) => Buffer.from([(n >> 8) & 0xff, n & 0xff]);
    const int32 = (n: number) => Buffer.from([n >>> 24, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff]);
    const int64 = (n: bigint) => {
      const b = Buffer.alloc(8);
      b.writeBigInt64BE(n);
      return b;
    };
    const payload = Buffer.concat([
      int32(0),
      int32(1),
      int16(1),
      Buffer.from("t"),
      int32(2),
      ...[int32(0), int16(0), int64(9n), int64(8n), int32(1), int64(7n), int64(3n), int32(records.length), records],
      ...[int32(1), int16(6), int64(-1n), int64(-1n), int32(-1), int32(-1)],
    ]);
    const [p0, p1] = parseFetchV4(payload);
    expect(p0).toMatchObject({ partition: 0, errorCode: 0, highWatermark: 9, lastStableOffset: 8, abortedTransactions: [{ producerId: 7n, firstOffset: 3 }] });
    expect(p0!.records.equals(records)).toBe(true);
    expect(p1).toMatchObject({ partition: 1, errorCode: 6, abortedTransactions: [] });
    expect(p1!.records.length).toBe(0);
  });

  it("asks for each position with the wait and size given", () => {
    const body = encodeFetchV4("orders", [{ partition: 2, offset: 42 }], { maxBytesPerPartition: 4096, maxWaitMs: 500 });
    expect(body.readInt32BE(4)).toBe(500);
    expect(body.readInt32BE(12)).toBe(4096);
    expect(body.readBigInt64BE(body.length - 12)).toBe(42n);
    expect(body.readInt32BE(body.length - 4)).toBe(4096);
  });
});
