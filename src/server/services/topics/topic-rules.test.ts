import { describe, expect, it } from "vitest";
import type { ConfigEntry } from "~/server/broker";
import { describeRefusal, fieldOfRefusal, internalTopicRefusal, overridesAfter, purgeCuts } from "./topic-rules";
import { createTopicSchema } from "./topics.types";

const entry = (name: string, value: string | null, source: ConfigEntry["source"], extra: Partial<ConfigEntry> = {}): ConfigEntry => ({ name, value, source, readOnly: false, sensitive: false, synonyms: [], ...extra });

describe("fieldOfRefusal and describeRefusal", () => {
  it("puts each Kafka refusal next to its field", () => {
    expect(fieldOfRefusal("INVALID_REPLICATION_FACTOR")).toBe("replicationFactor");
    expect(fieldOfRefusal("INVALID_CONFIG")).toBe("configEntries");
    expect(fieldOfRefusal("TOPIC_ALREADY_EXISTS")).toBe("topic");
    expect(fieldOfRefusal("INVALID_PARTITIONS")).toBe("partitions");
    expect(fieldOfRefusal("TOPIC_AUTHORIZATION_FAILED")).toBe("form");
  });

  it("names the replication factor and the broker count", () => {
    expect(describeRefusal({ type: "INVALID_REPLICATION_FACTOR", message: "Replication-factor is invalid" }, { replicationFactor: 3, brokerCount: 1 })).toBe(
      "Kafka refused replication factor 3: the cluster has 1 broker (INVALID_REPLICATION_FACTOR).",
    );
  });
});

describe("internalTopicRefusal", () => {
  it("refuses Kafka's internal topics and nothing else", () => {
    expect(internalTopicRefusal("__consumer_offsets")).toMatch(/internal topic/);
    expect(internalTopicRefusal("orders")).toBeNull();
  });
});

describe("overridesAfter (AlterConfigs replaces every override)", () => {
  const entries = [entry("cleanup.policy", "delete", "default"), entry("retention.ms", "1000", "topic"), entry("segment.bytes", "1048576", "topic"), entry("max.message.bytes", "1048588", "static-broker")];

  it("keeps the other overrides when setting one", () => {
    expect(overridesAfter(entries, { kind: "set", name: "cleanup.policy", value: "compact" })).toEqual([
      { name: "cleanup.policy", value: "compact" },
      { name: "retention.ms", value: "1000" },
      { name: "segment.bytes", value: "1048576" },
    ]);
  });

  it("replaces an override's value rather than sending it twice", () => {
    expect(overridesAfter(entries, { kind: "set", name: "retention.ms", value: "2000" })).toEqual([
      { name: "retention.ms", value: "2000" },
      { name: "segment.bytes", value: "1048576" },
    ]);
  });

  it("removes one override and keeps the rest", () => {
    expect(overridesAfter(entries, { kind: "remove", name: "retention.ms" })).toEqual([{ name: "segment.bytes", value: "1048576" }]);
  });

  it("refuses to remove what is not an override, unknown names, read-only entries and hidden sensitive overrides", () => {
    expect(() => overridesAfter(entries, { kind: "remove", name: "cleanup.policy" })).toThrow(/no override on this topic to remove; its value comes from the default/);
    expect(() => overridesAfter(entries, { kind: "set", name: "retention.msx", value: "1" })).toThrow(/"retention.msx" is not a topic configuration Kafka knows/);
    expect(() => overridesAfter([entry("x", "1", "default", { readOnly: true })], { kind: "set", name: "x", value: "2" })).toThrow(/read-only/);
    expect(() => overridesAfter([...entries, entry("secret.thing", null, "topic", { sensitive: true })], { kind: "set", name: "cleanup.policy", value: "compact" })).toThrow(/sensitive overrides \(secret.thing\)/);
  });
});

describe("purgeCuts", () => {
  const partitions = [
    { partition: 0, logStart: 0, logEnd: 10, atTime: 4 },
    { partition: 1, logStart: 5, logEnd: 8, atTime: 8 },
  ];

  it("cuts named partitions at their offsets, skipping those already past it", () => {
    expect(purgeCuts({ kind: "offsets", offsets: [{ partition: 0, offset: 3 }, { partition: 1, offset: 2 }] }, partitions)).toEqual([{ partition: 0, from: 0, to: 3 }]);
  });

  it("cuts every partition at the first offset at or after the time", () => {
    expect(purgeCuts({ kind: "before-time", timestamp: 1 }, partitions)).toEqual([
      { partition: 0, from: 0, to: 4 },
      { partition: 1, from: 5, to: 8 },
    ]);
  });

  it("cuts everything up to the log end", () => {
    expect(purgeCuts({ kind: "all" }, partitions).map((c) => c.to)).toEqual([10, 8]);
  });

  it("refuses unknown partitions and offsets past the log end", () => {
    expect(() => purgeCuts({ kind: "offsets", offsets: [{ partition: 7, offset: 1 }] }, partitions)).toThrow("The topic has no partition 7.");
    expect(() => purgeCuts({ kind: "offsets", offsets: [{ partition: 0, offset: 11 }] }, partitions)).toThrow("Partition 0 ends at offset 10; it cannot be purged up to 11.");
  });
});

describe("createTopicSchema", () => {
  it("refuses bad names, partitions and duplicate entries with words naming them", () => {
    const result = createTopicSchema.safeParse({ topic: "bad name", partitions: 0, replicationFactor: 1, configEntries: [{ name: "retention.ms", value: "1" }, { name: "retention.ms", value: "2" }] });
    expect(result.success).toBe(false);
    const messages = result.error!.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    expect(messages).toEqual([
      'topic: A topic name may only contain letters, digits, ".", "_" and "-"; this one has space.',
      "partitions: A topic needs at least 1 partition.",
      "configEntries.1.name: retention.ms is set twice.",
    ]);
  });
});
