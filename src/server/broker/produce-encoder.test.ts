import { createRequire } from "node:module";
import { afterEach, describe, expect, it, vi } from "vitest";
import { encodeProduceRequest, installProduceEncoder, KAFKAJS_VERSION, loadKafkajsInternals, type ProduceRequestArgs, type ProduceTopicData } from "./produce-encoder";

const require = createRequire(import.meta.url);
const kafkajs = loadKafkajsInternals();
/** kafkajs's own produce request v3 (v4 to v7 reuse it), the reference the bytes must match. */
const kafkajsRequestV3 = require("kafkajs/src/protocol/requests/produce/v3/request.js") as (args: ProduceRequestArgs) => { encode: () => Promise<{ buffer: Buffer }> };
const Long = require("kafkajs/src/utils/long.js") as { fromValue(v: number | string): { value: bigint } };

const NOW = 1_765_000_000_123;

async function both(args: ProduceRequestArgs): Promise<[Buffer, Buffer]> {
  const theirs = await kafkajsRequestV3(args).encode();
  const ours = await encodeProduceRequest(args, kafkajs);
  return [Buffer.from(ours.buf.subarray(0, ours.offset)), theirs.buffer];
}

function copies(n: number, valueBytes: number): ProduceTopicData["partitions"][number]["messages"] {
  return Array.from({ length: n }, (_, i) => ({
    key: i % 7 === 0 ? null : `ord-${i}`,
    value: Buffer.alloc(valueBytes, i % 251),
    headers: { "x-replay-of": Buffer.from(`src/0/${i}`), "x-replay-job": "42", trace: [Buffer.from("a"), "b"] },
  }));
}

describe("the produce encoder writes exactly kafkajs's bytes", () => {
  afterEach(() => vi.restoreAllMocks());

  it("for a transactional request over several topics and partitions, uncompressed", async () => {
    vi.spyOn(Date, "now").mockReturnValue(NOW);
    const args: ProduceRequestArgs = {
      acks: -1,
      timeout: 30_000,
      compression: 0,
      transactionalId: "signalbox-replay-job-7.w0",
      producerId: Long.fromValue(123456789012),
      producerEpoch: 3,
      topicData: [
        { topic: "orders.replayed", partitions: [{ partition: 0, firstSequence: 17, messages: copies(300, 1000) }, { partition: 2, firstSequence: 0, messages: copies(2, 20_000) }] },
        { topic: "ünïcode-topic", partitions: [{ partition: 5, firstSequence: 2_000_000_000, messages: [{ key: "ключ", value: "значение ✓", headers: { "ü-key": "ü-value" } }] }] },
      ],
    };
    const [ours, theirs] = await both(args);
    expect(ours.equals(theirs)).toBe(true);
  });

  it("for records with their own timestamps (in kafkajs's order), null values and no headers", async () => {
    vi.spyOn(Date, "now").mockReturnValue(NOW);
    const messages = [
      { key: "a", value: null, timestamp: "1765000000999" },
      { key: null, value: "v", timestamp: 1_700_000_000_000 },
      { value: Buffer.from("no key"), timestamp: "1000" },
      { key: Buffer.alloc(0), value: Buffer.alloc(0) },
    ];
    const [ours, theirs] = await both({ acks: 1, timeout: 5000, topicData: [{ topic: "t", partitions: [{ partition: 1, messages }] }] });
    expect(ours.equals(theirs)).toBe(true);
  });

  it("for a gzip batch (the codec a copy keeps from its source)", async () => {
    vi.spyOn(Date, "now").mockReturnValue(NOW);
    const args: ProduceRequestArgs = { acks: -1, timeout: 30_000, compression: 1, transactionalId: "tx", producerId: Long.fromValue(9), producerEpoch: 0, topicData: [{ topic: "t", partitions: [{ partition: 0, firstSequence: 5, messages: copies(50, 500) }] }] };
    const [ours, theirs] = await both(args);
    expect(ours.equals(theirs)).toBe(true);
  });

  it("for headers given as Signalbox's list: the same bytes as kafkajs's object with the same headers in the same order", async () => {
    vi.spyOn(Date, "now").mockReturnValue(NOW);
    const asObject = copies(40, 100);
    const asList = asObject.map((m) => ({ ...m, headers: [
      { key: "x-replay-of", value: Buffer.from((m.headers as Record<string, Buffer>)["x-replay-of"]!) },
      { key: "x-replay-job", value: Buffer.from("42") },
      { key: "trace", value: Buffer.from("a") },
      { key: "trace", value: Buffer.from("b") },
    ] }));
    const args = (messages: ProduceTopicData["partitions"][number]["messages"]): ProduceRequestArgs => ({ acks: -1, timeout: 1000, topicData: [{ topic: "t", partitions: [{ partition: 0, messages }] }] });
    const [, theirs] = await both(args(asObject));
    const ours = await encodeProduceRequest(args(asList), kafkajs);
    expect(Buffer.from(ours.buf.subarray(0, ours.offset)).equals(theirs)).toBe(true);
  });

  it("writes a null header value from a list as Kafka's null (length -1), which kafkajs's object cannot hold", async () => {
    vi.spyOn(Date, "now").mockReturnValue(NOW);
    const messages = [{ key: "k", value: "v", headers: [{ key: "h", value: null }] }];
    const encoded = await encodeProduceRequest({ acks: -1, timeout: 1000, topicData: [{ topic: "t", partitions: [{ partition: 0, messages }] }] }, kafkajs);
    const request = Buffer.from(encoded.buf.subarray(0, encoded.offset));
    // The record ends with: one header (varint 2), key "h" (varint 2, 0x68), value null (varint 1).
    expect([...request.subarray(request.length - 4)]).toEqual([2, 2, 0x68, 1]);
  });

  it("refuses a codec kafkajs cannot write, as kafkajs does", async () => {
    const args: ProduceRequestArgs = { acks: -1, timeout: 1000, compression: 2, topicData: [{ topic: "t", partitions: [{ partition: 0, messages: copies(1, 10) }] }] };
    await expect(kafkajsRequestV3(args).encode()).rejects.toThrow(/Snappy compression not implemented/);
    await expect(encodeProduceRequest(args, kafkajs)).rejects.toThrow(/Snappy compression not implemented/);
  });
});

describe("installing the produce encoder", () => {
  it("replaces the encode step of kafkajs's produce requests v3 to v7, and leaves older versions alone", async () => {
    // An upgrade of kafkajs must come with a new look at its internals: this fails until then.
    expect(kafkajs.version).toBe(KAFKAJS_VERSION);
    expect(installProduceEncoder()).toBe(true);
    expect(installProduceEncoder()).toBe(true);
    vi.spyOn(Date, "now").mockReturnValue(NOW);
    const args: ProduceRequestArgs = { acks: -1, timeout: 1000, transactionalId: null, topicData: [{ topic: "t", partitions: [{ partition: 0, messages: copies(3, 10) }] }] };
    const reference = (await kafkajsRequestV3(args).encode()).buffer;
    for (const version of [3, 4, 5, 6, 7]) {
      const { request } = kafkajs.produce.protocol({ version })(args) as unknown as { request: { apiVersion: number; encode: () => Promise<{ buf: Buffer; offset: number }> } };
      expect(request.apiVersion).toBe(version);
      const encoded = await request.encode();
      expect(Buffer.from(encoded.buf.subarray(0, encoded.offset)).equals(reference)).toBe(true);
      // The fast path hands back a buffer sized exactly, not kafkajs's doubling one.
      expect(encoded.buf.length).toBe(encoded.offset);
    }
    const v2 = kafkajs.produce.protocol({ version: 2 })(args) as unknown as { request: { encode: () => Promise<{ buf: Buffer; offset: number }> } };
    expect((await v2.request.encode()).buf.length).not.toBe(reference.length);
    vi.restoreAllMocks();
  });
});
