// Integration: topic administration on a real broker, each outcome checked with Kafka's own tools
// (kafka-topics, kafka-configs, kafka-get-offsets) and in the audit log.
import { afterAll, describe, expect, it } from "vitest";
import { closeConnectionsAfterAll } from "../../../../scripts/lib/test-support";
import { kafkaTool } from "../../../../scripts/lib/local-kafka";
import { INTEGRATION_STACK } from "../../../../scripts/lib/test-ports";
import { getEnv } from "~/env";
import { createProducer, deleteTopics } from "~/server/broker";
import { listAudit } from "~/server/catalog";
import { clusterFromEnv } from "~/server/services/clusters/active-cluster";
import { checkNewTopic, createTopic, topicDefaults } from "./create-topic";
import { alterTopicConfig, deleteTopic, growTopic, purgeTopic, topicConfig } from "./manage-topic";
import { addPartitionsSchema, alterConfigSchema, createTopicSchema, purgeSchema } from "./topics.types";

const cluster = clusterFromEnv(getEnv());
const run = `it-topics-${Date.now()}`;
const operator = { email: "operator@signalbox.local", name: "Operator", role: "operator" as const };
const tool = (name: string, args: string[]) => kafkaTool(INTEGRATION_STACK.kafkaPort, name, args);
const created: string[] = [];

/** `kafka-configs --describe`: the topic's own overrides only, "name=value" each. */
async function overridesByKafka(topic: string): Promise<string[]> {
  const out = await tool("kafka-configs", ["--describe", "--entity-type", "topics", "--entity-name", topic]);
  return out
    .split("\n")
    .filter((l) => /^\s+\S+=/.test(l))
    .map((l) => l.trim().split(" ")[0]!)
    .sort();
}

/** `kafka-get-offsets` at -2 (earliest) or -1 (latest): partition → offset. */
async function offsetsByKafka(topic: string, time: "-2" | "-1"): Promise<Record<number, number>> {
  const out = await tool("kafka-get-offsets", ["--topic", topic, "--time", time]);
  return Object.fromEntries(out.split("\n").filter(Boolean).map((l) => l.trim().split(":").slice(1).map(Number) as [number, number]));
}

async function auditOf(topic: string) {
  return (await listAudit({ limit: 200 })).filter((e) => e.targetId === topic).map((e) => ({ action: e.action, details: e.details as Record<string, unknown> }));
}

async function create(topic: string, partitions: number, configEntries: { name: string; value: string }[] = []) {
  created.push(topic);
  return createTopic(operator, cluster, createTopicSchema.parse({ topic, partitions, replicationFactor: 1, configEntries }));
}

closeConnectionsAfterAll();
afterAll(async () => {
  await deleteTopics(cluster, created.filter((t) => !t.endsWith("-deleted"))).catch(() => undefined);
});

describe("creating a topic", () => {
  it("shows the broker's defaults for the form", async () => {
    const defaults = await topicDefaults(cluster);
    expect(defaults.brokerCount).toBe(1);
    expect(defaults.defaults.find((d) => d.broker === "num.partitions")?.value).toMatch(/^\d+$/);
    expect(defaults.defaults.find((d) => d.broker === "log.cleanup.policy")?.value).toBe("delete");
  });

  it("validateOnly names the refused configuration entry and the replication factor, and creates nothing", async () => {
    const topic = `${run}-invalid`;
    const badConfig = await checkNewTopic(cluster, createTopicSchema.parse({ topic, partitions: 2, replicationFactor: 1, configEntries: [{ name: "retention.ms", value: "1000" }, { name: "retention.msx", value: "1" }] }));
    expect(badConfig.problems).toEqual([{ field: "configEntries", entry: 1, message: expect.stringMatching(/^Kafka refused retention\.msx=1 \(INVALID_CONFIG\)/) }]);

    const badReplication = await checkNewTopic(cluster, createTopicSchema.parse({ topic, partitions: 2, replicationFactor: 3 }));
    expect(badReplication.problems).toEqual([{ field: "replicationFactor", message: "Kafka refused replication factor 3: the cluster has 1 broker (INVALID_REPLICATION_FACTOR)." }]);

    const internal = await checkNewTopic(cluster, createTopicSchema.parse({ topic: "__signalbox_x", partitions: 1, replicationFactor: 1 }));
    expect(internal.problems[0]).toMatchObject({ field: "topic", message: expect.stringMatching(/internal topic/) });

    const listed = await tool("kafka-topics", ["--list"]);
    expect(listed).not.toContain(topic);
  });

  it("creates the topic with its partitions and overrides; a refused create is audited", async () => {
    const topic = `${run}-created`;
    await create(topic, 3, [{ name: "retention.ms", value: "86400000" }, { name: "cleanup.policy", value: "compact" }]);
    const described = await tool("kafka-topics", ["--describe", "--topic", topic]);
    expect(described).toMatch(/PartitionCount:\s*3/);
    expect(described).toMatch(/ReplicationFactor:\s*1/);
    expect(await overridesByKafka(topic)).toEqual(["cleanup.policy=compact", "retention.ms=86400000"]);

    await expect(create(topic, 1)).rejects.toThrow(/already exists \(TOPIC_ALREADY_EXISTS\)/);
    expect((await auditOf(topic)).map((e) => e.action).sort()).toEqual(["topic.create", "topic.create-refused"]);
  });
});

describe("changing a topic", () => {
  it("shows every configuration with its source, and an edit keeps the other overrides", async () => {
    const topic = `${run}-config`;
    await create(topic, 1, [{ name: "retention.ms", value: "3600000" }, { name: "segment.bytes", value: "1048576" }]);
    const { entries } = await topicConfig(cluster, topic);
    expect(entries.find((e) => e.name === "retention.ms")).toMatchObject({ value: "3600000", source: "topic" });
    expect(entries.find((e) => e.name === "cleanup.policy")).toMatchObject({ value: "delete", source: "default" });
    expect(entries.length).toBeGreaterThan(20);

    await alterTopicConfig(operator, cluster, alterConfigSchema.parse({ kind: "set", topic, name: "cleanup.policy", value: "compact" }));
    expect(await overridesByKafka(topic)).toEqual(["cleanup.policy=compact", "retention.ms=3600000", "segment.bytes=1048576"]);

    await alterTopicConfig(operator, cluster, alterConfigSchema.parse({ kind: "remove", topic, name: "retention.ms" }));
    expect(await overridesByKafka(topic)).toEqual(["cleanup.policy=compact", "segment.bytes=1048576"]);

    await expect(alterTopicConfig(operator, cluster, alterConfigSchema.parse({ kind: "set", topic, name: "cleanup.policy", value: "shred" }))).rejects.toThrow(/Kafka refused cleanup.policy=shred \(INVALID_CONFIG\)/);
    expect(await overridesByKafka(topic)).toEqual(["cleanup.policy=compact", "segment.bytes=1048576"]);

    const audit = await auditOf(topic);
    const set = audit.find((e) => e.action === "topic.config.alter" && e.details.name === "cleanup.policy")!;
    expect(set.details).toMatchObject({ before: { value: "delete", source: "default" }, after: { value: "compact", source: "topic" } });
    expect(audit.filter((e) => e.action === "topic.config.alter-refused")).toHaveLength(1);
  });

  it("adds partitions, and refuses to shrink; a purge right after reaches the new partitions", async () => {
    const topic = `${run}-grow`;
    await create(topic, 2);
    // Reads the topic's offsets once, so the shared cluster caches its two partitions.
    await purgeTopic(operator, cluster, purgeSchema.parse({ topic, target: { kind: "all" } }));
    await growTopic(operator, cluster, addPartitionsSchema.parse({ topic, partitions: 5 }));
    expect(await tool("kafka-topics", ["--describe", "--topic", topic])).toMatch(/PartitionCount:\s*5/);

    const producer = await createProducer(cluster);
    try {
      await producer.send(topic, [{ value: "new", partition: 4 }]);
    } finally {
      await producer.disconnect();
    }
    const purged = await purgeTopic(operator, cluster, purgeSchema.parse({ topic, target: { kind: "all" } }));
    expect(purged.partitions).toEqual([{ partition: 4, logStartBefore: 0, logStartAfter: 1, recordsDeleted: 1 }]);
    expect((await offsetsByKafka(topic, "-2"))[4]).toBe(1);
    await expect(growTopic(operator, cluster, addPartitionsSchema.parse({ topic, partitions: 3 }))).rejects.toThrow(`"${topic}" has 5 partitions already; Kafka can only add partitions, so ask for more than 5.`);
    const audit = await auditOf(topic);
    expect(audit.find((e) => e.action === "topic.partitions.add")?.details).toMatchObject({ before: { partitions: 2 }, after: { partitions: 5 } });
    expect(audit.some((e) => e.action === "topic.partitions.add-refused")).toBe(true);
  });

  it("purges up to an offset per partition, then up to a time", async () => {
    const topic = `${run}-purge`;
    await create(topic, 2);
    const producer = await createProducer(cluster);
    const old = String(Date.now() - 3_600_000);
    const now = String(Date.now());
    try {
      await producer.send(topic, [0, 1, 2, 3, 4].map((i) => ({ value: `p0-${i}`, partition: 0, timestamp: i < 3 ? old : now })));
      await producer.send(topic, [0, 1, 2, 3].map((i) => ({ value: `p1-${i}`, partition: 1, timestamp: i < 1 ? old : now })));
    } finally {
      await producer.disconnect();
    }

    const byOffset = await purgeTopic(operator, cluster, purgeSchema.parse({ topic, target: { kind: "offsets", offsets: [{ partition: 0, offset: 2 }] } }));
    expect(byOffset.partitions).toEqual([{ partition: 0, logStartBefore: 0, logStartAfter: 2, recordsDeleted: 2 }]);
    expect(await offsetsByKafka(topic, "-2")).toEqual({ 0: 2, 1: 0 });

    await purgeTopic(operator, cluster, purgeSchema.parse({ topic, target: { kind: "before-time", timestamp: Date.now() - 1_800_000 } }));
    expect(await offsetsByKafka(topic, "-2")).toEqual({ 0: 3, 1: 1 });
    expect(await offsetsByKafka(topic, "-1")).toEqual({ 0: 5, 1: 4 });
    expect((await auditOf(topic)).filter((e) => e.action === "topic.purge")).toHaveLength(2);
  });

  it("deletes a topic; refuses internal topics, audited", async () => {
    const topic = `${run}-deleted`;
    await create(topic, 1);
    await deleteTopic(operator, cluster, topic);
    expect(await tool("kafka-topics", ["--list"])).not.toContain(topic);
    await expect(deleteTopic(operator, cluster, "__consumer_offsets")).rejects.toThrow(/"__consumer_offsets" is an internal topic/);
    await expect(purgeTopic(operator, cluster, purgeSchema.parse({ topic: "__consumer_offsets", target: { kind: "all" } }))).rejects.toThrow(/internal topic/);
    expect(await tool("kafka-topics", ["--list"])).toContain("__consumer_offsets");
    expect((await auditOf(topic)).map((e) => e.action)).toContain("topic.delete");
    expect((await auditOf("__consumer_offsets")).map((e) => e.action)).toEqual(expect.arrayContaining(["topic.delete-refused", "topic.purge-refused"]));
  });
});
