// Integration: the brokers area on a real broker: the list (rack-less single node, partitions led,
// log dir sizes from DescribeLogDirs), one broker's configuration, and dynamic configuration changes
// through IncrementalAlterConfigs, each checked with kafka-configs and in the audit log.
import { afterAll, describe, expect, it } from "vitest";
import { closeConnectionsAfterAll } from "../../../../scripts/lib/test-support";
import { kafkaTool } from "../../../../scripts/lib/local-kafka";
import { INTEGRATION_STACK } from "../../../../scripts/lib/test-ports";
import { getEnv } from "~/env";
import { createProducer, deleteTopics, ensureTopics } from "~/server/broker";
import { listAudit } from "~/server/catalog";
import { clusterFromEnv } from "~/server/services/clusters/active-cluster";
import { alterBrokerSetting, brokerDetail, brokerList } from "./brokers";
import { alterBrokerConfigSchema } from "./brokers.types";

const cluster = clusterFromEnv(getEnv());
const TOPIC = `it-brokers-${Date.now()}`;
const admin = { email: "admin@signalbox.local", name: "Admin", role: "admin" as const };
// Harmless to change on a running broker: the log cleaner's I/O throttle (a double, which the broker
// shows as Java prints it: set "5.0E7" so the value reads back the same).
const SETTING = "log.cleaner.io.max.bytes.per.second";
const tool = (name: string, args: string[]) => kafkaTool(INTEGRATION_STACK.kafkaPort, name, args);

/** `kafka-configs --describe --entity-type brokers`: broker 1's dynamic values, "name=value" each. */
async function dynamicByKafka(): Promise<string[]> {
  const out = await tool("kafka-configs", ["--describe", "--entity-type", "brokers", "--entity-name", "1"]);
  return out
    .split("\n")
    .filter((l) => /^\s+\S+=/.test(l))
    .map((l) => l.trim().split(" ")[0]!);
}

async function brokerAudit() {
  return (await listAudit({ limit: 100 })).filter((e) => e.targetType === "broker" && e.targetId === "1").map((e) => ({ action: e.action, details: e.details as Record<string, unknown> }));
}

closeConnectionsAfterAll();
afterAll(async () => {
  await deleteTopics(cluster, [TOPIC]).catch(() => undefined);
  await tool("kafka-configs", ["--alter", "--entity-type", "brokers", "--entity-name", "1", "--delete-config", SETTING]).catch(() => undefined);
});

describe("the brokers list", () => {
  it("shows the broker with its partitions and its log dir's size from DescribeLogDirs, topic by topic", async () => {
    await ensureTopics(cluster, [{ topic: TOPIC, numPartitions: 3 }]);
    const producer = await createProducer(cluster);
    try {
      await producer.send(TOPIC, Array.from({ length: 50 }, (_, i) => ({ key: `k${i}`, value: "x".repeat(1000) })));
    } finally {
      await producer.disconnect();
    }
    const list = await brokerList(cluster);
    expect(list.brokers).toEqual([
      expect.objectContaining({ nodeId: 1, host: "127.0.0.1", port: INTEGRATION_STACK.kafkaPort, rack: null, controller: true, outOfSync: 0, logDirs: 1 }),
    ]);
    const [broker] = list.brokers;
    expect(broker!.partitionsLed).toBeGreaterThanOrEqual(3);
    expect(broker!.logDirBytes).toBeGreaterThan(50_000);
    expect(list.logDirsError).toBeNull();
    expect(list.kafkaVersion).toMatch(/^\d+\.\d+$/);
    expect(list.health).toEqual({ underReplicated: { count: 0, partitions: [] }, offline: { count: 0, partitions: [] } });

    const detail = await brokerDetail(cluster, 1);
    const dir = detail.logDirs[0]!;
    const ours = dir.topics.find((t) => t.topic === TOPIC)!;
    expect(ours.partitions).toBe(3);
    // 50 records of 1 KB, with batch and record overhead.
    expect(ours.sizeBytes).toBeGreaterThan(50_000);
    expect(ours.sizeBytes).toBeLessThan(80_000);
    expect(dir.totalBytes).toBeGreaterThan(dir.usableBytes!);
  });

  it("names the brokers there are when asked for one that is not", async () => {
    await expect(brokerDetail(cluster, 42)).rejects.toThrow("Broker 42 is not in the cluster (brokers: 1).");
  });
});

describe("a broker's configuration", () => {
  it("lists every setting with its source, as kafka-configs --describe --all does", async () => {
    const { entries } = await brokerDetail(cluster, 1);
    const byName = new Map(entries.map((e) => [e.name, e]));
    expect(byName.get("node.id")).toMatchObject({ value: "1", source: "static-broker", readOnly: true });
    expect(byName.get("log.cleaner.threads")).toMatchObject({ readOnly: false });
    expect(entries.length).toBeGreaterThan(100);
  });

  it("sets and removes a dynamic value, audited with the value before and after, as kafka-configs sees it", async () => {
    const set = await alterBrokerSetting(admin, cluster, alterBrokerConfigSchema.parse({ kind: "set", nodeId: 1, name: SETTING, value: "5.0E7" }));
    expect(set).toEqual({ name: SETTING, before: { value: expect.any(String), source: "default" }, after: { value: "5.0E7", source: "dynamic-broker" } });
    expect(await dynamicByKafka()).toContain(`${SETTING}=5.0E7`);

    const removed = await alterBrokerSetting(admin, cluster, alterBrokerConfigSchema.parse({ kind: "remove", nodeId: 1, name: SETTING }));
    expect(removed.after).toEqual({ value: set.before!.value, source: "default" });
    expect(await dynamicByKafka()).not.toContain(`${SETTING}=5.0E7`);

    const audit = await brokerAudit();
    expect(audit.slice(0, 2)).toEqual([
      { action: "broker.config.alter", details: expect.objectContaining({ name: SETTING, before: { value: "5.0E7", source: "dynamic-broker" }, after: { value: set.before!.value, source: "default" } }) },
      { action: "broker.config.alter", details: expect.objectContaining({ name: SETTING, after: { value: "5.0E7", source: "dynamic-broker" } }) },
    ]);
  });

  it("refuses a read-only setting before asking Kafka, and carries Kafka's own reason for a bad value; both audited", async () => {
    await expect(alterBrokerSetting(admin, cluster, alterBrokerConfigSchema.parse({ kind: "set", nodeId: 1, name: "node.id", value: "2" }))).rejects.toThrow(/node.id cannot be changed while broker 1 runs \(it is read-only\)/);
    await expect(alterBrokerSetting(admin, cluster, alterBrokerConfigSchema.parse({ kind: "set", nodeId: 1, name: SETTING, value: "fast" }))).rejects.toThrow(
      new RegExp(`Kafka refused ${SETTING.replaceAll(".", "\\.")}=fast on broker 1 \\(INVALID_REQUEST\\): .*fast`),
    );
    const audit = await brokerAudit();
    expect(audit.slice(0, 2).map((a) => [a.action, a.details.name])).toEqual([
      ["broker.config.alter-refused", SETTING],
      ["broker.config.alter-refused", "node.id"],
    ]);
    expect(await dynamicByKafka()).not.toContain(`${SETTING}=fast`);
  });
});
