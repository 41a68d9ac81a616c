import { describe, expect, it, vi } from "vitest";
import { decodePartition } from "./fetch-v4";
import { encodedRecordMessages, encodeProduceRequest, encodeRecordBatch, loadKafkajsInternals, type ProduceMessage } from "./produce-encoder";
import { copyEncoder, type CopyHeaders } from "./record-copies";
import type { RecordHeader } from "./types";

const kafkajs = loadKafkajsInternals();
const NOW = 1_765_000_000_000;

/** A source batch at `baseOffset`, as a producer wrote it. */
async function sourceBatch(baseOffset: number, messages: ProduceMessage[]) {
  const bytes = await encodeRecordBatch({ messages, compression: 0, transactional: false, producerId: -1n, producerEpoch: 0, firstSequence: 0, now: NOW - 5000, kafkajs });
  bytes.writeBigInt64BE(BigInt(baseOffset), 0);
  return { bytes, baseOffset };
}

/** A batch of the target, with our produce encoder, from `messages`. */
const targetBatch = (messages: ProduceMessage[]) => encodeRecordBatch({ messages, compression: 0, transactional: true, producerId: 77n, producerEpoch: 2, firstSequence: 10, now: NOW, kafkajs });

const headers: CopyHeaders = { sourceOffset: { key: "x-replay-of", prefix: "ünï.orders/2/" }, fixed: [{ key: "x-replay-job", value: Buffer.from("42") }] };

/** The copy the record path would make of `m` at `offset` (same headers, then the two added). */
function objectCopy(m: ProduceMessage, offset: number): ProduceMessage {
  const own = (m.headers as RecordHeader[] | undefined) ?? [];
  return { key: m.key, value: m.value, headers: [...own, { key: "x-replay-of", value: Buffer.from(`ünï.orders/2/${offset}`) }, { key: "x-replay-job", value: Buffer.from("42") }] };
}

const sample = (i: number): ProduceMessage => {
  const variants: ProduceMessage[] = [
    { key: Buffer.from(`ord-${i}`), value: Buffer.from(JSON.stringify({ eventType: "OrderPlaced", i })), headers: [{ key: "traceparent", value: Buffer.from(`00-${i}`) }] },
    { key: null, value: null },
    { key: Buffer.alloc(0), value: Buffer.from([0, 255, 1, 254]), headers: [{ key: "dup", value: Buffer.from("a") }, { key: "dup", value: null }, { key: "ü", value: Buffer.from("✓") }] },
    { key: Buffer.from("big"), value: Buffer.alloc(3000, i % 251) },
  ];
  return variants[i % variants.length]!;
};

describe("copyEncoder", () => {
  it("writes each copy exactly as the record path does: the source's key, value and headers, then the two added, byte for byte", async () => {
    const first = Array.from({ length: 150 }, (_, i) => sample(i));
    const second = Array.from({ length: 30 }, (_, i) => sample(i + 1));
    const base = 2 ** 40;
    const batches = [await sourceBatch(base, first), await sourceBatch(base + 150, second)];
    const result = copyEncoder(headers).encode(batches, { from: base, to: base + 1000 });
    expect(result.count).toBe(180);
    expect(result.lastOffset).toBe(base + 179);
    expect(result.runs).toHaveLength(1);
    const expected = [...first, ...second].map((m, i) => objectCopy(m, base + i));
    const ours = await targetBatch(encodedRecordMessages(result.runs[0]!.body, result.runs[0]!.count, 2));
    expect(ours.equals(await targetBatch(expected))).toBe(true);
  });

  it("copies only the range asked for, from batches that start before it and end after it", async () => {
    const batches = [await sourceBatch(100, Array.from({ length: 10 }, (_, i) => sample(i))), await sourceBatch(110, Array.from({ length: 10 }, (_, i) => sample(i)))];
    const result = copyEncoder(headers).encode(batches, { from: 105, to: 113 });
    expect(result.count).toBe(8);
    expect(result.lastOffset).toBe(112);
    const batch = await targetBatch(encodedRecordMessages(result.runs[0]!.body, result.runs[0]!.count, 0));
    // Read back as a consumer would: the copies of offsets 105 to 112, in order.
    const decoded = await decodePartition("t", { partition: 0, errorCode: 0, highWatermark: 8, lastStableOffset: 8, abortedTransactions: [], records: batch }, 0);
    expect(decoded.records.map((r) => r.headers.find((h) => h.key === "x-replay-of")!.value!.toString())).toEqual([105, 106, 107, 108, 109, 110, 111, 112].map((o) => `ünï.orders/2/${o}`));
    expect(decoded.records[0]!.value).toEqual(sample(5).value);
    expect(decoded.records.every((r) => r.timestamp === NOW)).toBe(true);
  });

  it("splits the copies into batches under the size limit, none lost or repeated, a record bigger than the limit alone", async () => {
    const messages = [...Array.from({ length: 40 }, (_, i) => sample(i)), { key: Buffer.from("huge"), value: Buffer.alloc(20_000, 1) }, sample(1)];
    const result = copyEncoder(headers, 8_000).encode(await Promise.all([sourceBatch(0, messages)]), { from: 0, to: 1e9 });
    expect(result.count).toBe(42);
    expect(result.runs.length).toBeGreaterThan(3);
    expect(result.runs.reduce((n, r) => n + r.count, 0)).toBe(42);
    for (const run of result.runs) if (run.count > 1) expect(run.body.length).toBeLessThanOrEqual(8_000 - 61);
    const offsets: string[] = [];
    for (const run of result.runs) {
      const batch = await targetBatch(encodedRecordMessages(run.body, run.count, 0));
      const decoded = await decodePartition("t", { partition: 0, errorCode: 0, highWatermark: 0, lastStableOffset: 0, abortedTransactions: [], records: batch }, 0);
      expect(decoded.records).toHaveLength(run.count);
      offsets.push(...decoded.records.map((r) => r.headers.find((h) => h.key === "x-replay-of")!.value!.toString().split("/").pop()!));
    }
    expect(offsets).toEqual(messages.map((_, i) => String(i)));
  });

  it("writes the next copies into the buffers of runs given back, and never into a run still out", async () => {
    const encoder = copyEncoder(headers, 8_000);
    const source = [await sourceBatch(0, Array.from({ length: 40 }, (_, i) => sample(i)))];
    const first = encoder.encode(source, { from: 0, to: 40 });
    const firstBytes = first.runs.map((r) => Buffer.from(r.body));
    // Not given back yet: new copies go to new buffers, and the first ones stay as they were.
    const second = encoder.encode(source, { from: 0, to: 40 });
    expect(second.runs.some((r) => first.runs.some((f) => f.storage === r.storage))).toBe(false);
    encoder.reuse(first.runs);
    const third = encoder.encode(source, { from: 0, to: 40 });
    expect(third.runs.some((r) => first.runs.some((f) => f.storage === r.storage))).toBe(true);
    // Reused or not, the copies are the same bytes.
    expect(third.runs.map((r) => r.body.toString("hex"))).toEqual(firstBytes.map((b) => b.toString("hex")));
    expect(second.runs.map((r) => r.body.toString("hex"))).toEqual(firstBytes.map((b) => b.toString("hex")));
  });

  it("refuses a batch whose record runs past its end, rather than copy garbage", async () => {
    const { bytes } = await sourceBatch(0, [sample(0), sample(3)]);
    // The second record's length claims more bytes than the batch has.
    const cut = bytes.subarray(0, bytes.length - 100);
    expect(() => copyEncoder(headers).encode([{ bytes: cut, baseOffset: 0 }], { from: 0, to: 10 })).toThrow(/truncated or malformed/);
  });
});

describe("records encoded ahead, in a produce request", () => {
  it("go as one batch of their own; a batch that mixes them with other messages is refused", async () => {
    vi.spyOn(Date, "now").mockReturnValue(NOW);
    const result = copyEncoder(headers).encode([await sourceBatch(0, [sample(0), sample(1)])], { from: 0, to: 2 });
    const encoded = encodedRecordMessages(result.runs[0]!.body, 2, 0);
    const request = (messages: ProduceMessage[]) => encodeProduceRequest({ acks: -1, timeout: 1000, transactionalId: "tx", producerId: 1n, producerEpoch: 0, topicData: [{ topic: "t", partitions: [{ partition: 0, firstSequence: 0, messages }] }] }, kafkajs);
    // Sent as parts, the encoded records uncopied; the same bytes as the record path's request for the same copies.
    const parts = (await request(encoded)) as unknown as { parts: Buffer[]; buf: Buffer; offset: number };
    expect(parts.parts).toContain(result.runs[0]!.body);
    const ordinary = await request([objectCopy(sample(0), 0), objectCopy(sample(1), 1)]);
    expect(parts.buf.equals(ordinary.buf.subarray(0, ordinary.offset))).toBe(true);
    await expect(request([...encoded, { key: "k", value: "v" }])).rejects.toThrow(/mixes records encoded ahead/);
    vi.restoreAllMocks();
  });
});
