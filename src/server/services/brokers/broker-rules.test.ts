import { describe, expect, it } from "vitest";
import type { ConfigEntry } from "~/server/broker";
import { brokerConfigRefusal, brokerRows, MAX_LISTED_PARTITIONS, partitionHealth } from "./broker-rules";

const p = (topic: string, partition: number, leader: number, replicas: number[], isr: number[]) => ({ topic, partition, leader, replicas, isr });

describe("broker rows", () => {
  const brokers = [
    { nodeId: 1, host: "a", port: 9092, rack: "r1" },
    { nodeId: 2, host: "b", port: 9092, rack: null },
  ];
  const partitions = [p("orders", 0, 1, [1, 2], [1, 2]), p("orders", 1, 2, [2, 1], [2]), p("payments", 0, 1, [1], [1])];

  it("counts partitions led, replicas held and replicas out of sync per broker, and sums log dirs", () => {
    const rows = brokerRows(brokers, 2, partitions, [
      { nodeId: 1, unavailable: null, dirs: [{ path: "/a", error: null, sizeBytes: 100, totalBytes: null, usableBytes: null, topics: [] }, { path: "/b", error: null, sizeBytes: 50, totalBytes: null, usableBytes: null, topics: [] }] },
      { nodeId: 2, unavailable: "refused", dirs: [] },
    ]);
    expect(rows).toEqual([
      { nodeId: 1, host: "a", port: 9092, rack: "r1", controller: false, partitionsLed: 2, replicas: 3, outOfSync: 1, logDirBytes: 150, logDirs: 2 },
      { nodeId: 2, host: "b", port: 9092, rack: null, controller: true, partitionsLed: 1, replicas: 2, outOfSync: 0, logDirBytes: null, logDirs: null },
    ]);
  });

  it("leaves sizes empty when no log dirs could be read", () => {
    expect(brokerRows(brokers, null, [], null).map((r) => [r.logDirBytes, r.controller])).toEqual([
      [null, false],
      [null, false],
    ]);
  });
});

describe("partition health", () => {
  it("lists under-replicated and offline partitions by topic and partition", () => {
    const health = partitionHealth([p("z", 0, 1, [1, 2], [1]), p("a", 1, -1, [3], []), p("a", 0, 1, [1, 2], [1, 2]), p("a", 2, 1, [1, 2], [1])]);
    expect(health.underReplicated.count).toBe(3);
    expect(health.underReplicated.partitions.map((x) => `${x.topic}-${x.partition}`)).toEqual(["a-1", "a-2", "z-0"]);
    expect(health.offline).toEqual({ count: 1, partitions: [{ topic: "a", partition: 1, leader: -1, replicas: [3], isr: [] }] });
  });

  it("lists at most MAX_LISTED_PARTITIONS but counts them all", () => {
    const many = Array.from({ length: MAX_LISTED_PARTITIONS + 7 }, (_, i) => p("t", i, 1, [1, 2], [1]));
    const health = partitionHealth(many);
    expect(health.underReplicated.count).toBe(MAX_LISTED_PARTITIONS + 7);
    expect(health.underReplicated.partitions).toHaveLength(MAX_LISTED_PARTITIONS);
  });
});

describe("which broker configuration changes are sent", () => {
  const entry = (over: Partial<ConfigEntry>): ConfigEntry => ({ name: "log.cleaner.threads", value: "1", source: "default", readOnly: false, sensitive: false, synonyms: [], ...over });

  it("sends a change to a dynamic setting, and the removal of a per-broker value", () => {
    expect(brokerConfigRefusal(1, entry({}), { kind: "set", name: "log.cleaner.threads" })).toBeNull();
    expect(brokerConfigRefusal(1, entry({ source: "dynamic-broker" }), { kind: "remove", name: "log.cleaner.threads" })).toBeNull();
  });

  it("refuses unknown, read-only and sensitive settings, and removing a value that is not dynamic", () => {
    expect(brokerConfigRefusal(1, undefined, { kind: "set", name: "no.such" })).toBe("Broker 1 has no setting named no.such.");
    expect(brokerConfigRefusal(1, entry({ name: "broker.id", readOnly: true }), { kind: "set", name: "broker.id" })).toMatch(/read-only.*server.properties/);
    expect(brokerConfigRefusal(1, entry({ sensitive: true }), { kind: "set", name: "log.cleaner.threads" })).toMatch(/sensitive/);
    expect(brokerConfigRefusal(1, entry({ source: "static-broker" }), { kind: "remove", name: "log.cleaner.threads" })).toMatch(/no dynamic value.*static-broker/);
  });
});
