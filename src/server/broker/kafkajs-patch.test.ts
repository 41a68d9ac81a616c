import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";

// patches/kafkajs+2.2.4.patch, applied by patch-package on `npm ci` (the project's postinstall).
const require = createRequire(import.meta.url);
type Group = (args: { topic: string; partitionMetadata: unknown[]; messages: { key: string }[]; partitioner: (a: { message: { key: string } }) => number }) => Record<string, { key: string }[]>;
const groupMessagesPerPartition = require("kafkajs/src/producer/groupMessagesPerPartition.js") as Group;
type Framed = { parts: Buffer[]; size: () => number; buffer: Buffer };
const createRequest = require("kafkajs/src/protocol/request.js") as (args: { correlationId: number; clientId: string; request: { apiKey: number; apiVersion: number; encode: () => Promise<object> } }) => Promise<Framed>;
const Encoder = require("kafkajs/src/protocol/encoder.js") as new () => { writeBuffer(b: Buffer): unknown; buf: Buffer; offset: number };

describe("kafkajs as patched", () => {
  it("is the patched grouping of messages per partition (linear, not a copy per message)", () => {
    expect(String(groupMessagesPerPartition)).toContain("patches/kafkajs+2.2.4.patch");
  });

  it("groups messages by the partitioner's answer, keeping their order", () => {
    const messages = ["a0", "b1", "c0", "d2", "e1", "f0"].map((key) => ({ key }));
    const grouped = groupMessagesPerPartition({ topic: "t", partitionMetadata: [{}], messages, partitioner: ({ message }) => Number(message.key[1]) });
    expect(Object.keys(grouped)).toEqual(["0", "1", "2"]);
    expect(grouped[0]!.map((m) => m.key)).toEqual(["a0", "c0", "f0"]);
    expect(grouped[1]!.map((m) => m.key)).toEqual(["b1", "e1"]);
    expect(grouped[2]!.map((m) => m.key)).toEqual(["d2"]);
    expect(groupMessagesPerPartition({ topic: "t", partitionMetadata: [], messages, partitioner: () => 0 })).toEqual({});
  });

  it("frames a request as its parts: size, api key and version, correlation id and client id, then the payload's buffers, uncopied", async () => {
    expect(String(createRequest)).toContain("patches/kafkajs+2.2.4.patch");
    const payload = new Encoder();
    payload.writeBuffer(Buffer.alloc(3000, 9));
    const header = Buffer.concat([Buffer.from([0, 0, 0x0b, 0xcb]), Buffer.from([0, 0, 0, 7, 0, 0, 0, 7, 0, 9]), Buffer.from("signalbox")]);
    const framed = await createRequest({ correlationId: 7, clientId: "signalbox", request: { apiKey: 0, apiVersion: 7, encode: async () => payload } });
    expect(framed.parts).toHaveLength(2);
    expect(framed.parts[0]!.equals(header)).toBe(true);
    expect(framed.buffer.equals(Buffer.concat([header, Buffer.alloc(3000, 9)]))).toBe(true);
    expect(framed.size()).toBe(header.length + 3000);

    // A payload that is already parts (records encoded ahead) keeps them as they are.
    const body = Buffer.alloc(5000, 3);
    const split = await createRequest({ correlationId: 7, clientId: "signalbox", request: { apiKey: 0, apiVersion: 7, encode: async () => ({ parts: [Buffer.from([1, 2]), body] }) } });
    expect(split.parts[2]).toBe(body);
    expect(split.buffer.readInt32BE(0)).toBe(split.size() - 4);
    expect(split.size()).toBe(4 + 19 + 2 + 5000);
  });

  it("has the connection write a request's parts in one writev, not the joined buffer", () => {
    const connection = readFileSync(require.resolve("kafkajs/src/network/connection.js"), "utf8");
    expect(connection).toContain("patches/kafkajs+2.2.4.patch");
    expect(connection).toContain("this.socket.cork()");
    expect(connection).not.toContain("this.socket.write(requestPayload.buffer");
  });
});
