import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";

// patches/kafkajs+2.2.4.patch, applied by patch-package on `npm ci` (the project's postinstall).
const require = createRequire(import.meta.url);
type Group = (args: { topic: string; partitionMetadata: unknown[]; messages: { key: string }[]; partitioner: (a: { message: { key: string } }) => number }) => Record<string, { key: string }[]>;
const groupMessagesPerPartition = require("kafkajs/src/producer/groupMessagesPerPartition.js") as Group;

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
});
