// Integration: the Overview's counts against what was created on the real broker, and against
// Kafka's own command-line tools as the reference.
import { describe, expect, it } from "vitest";
import { closeConnectionsAfterAll } from "../../../../scripts/lib/test-support";
import { kafkaTool } from "../../../../scripts/lib/local-kafka";
import { INTEGRATION_STACK } from "../../../../scripts/lib/test-ports";
import { getEnv } from "~/env";
import { createProducer, deleteTopics, ensureTopics, runGroupConsumer } from "~/server/broker";
import { clusterFromEnv } from "~/server/services/clusters/active-cluster";
import { getOverview } from "./overview";

const cluster = clusterFromEnv(getEnv());
const prefix = `it-overview-${Date.now()}`;

closeConnectionsAfterAll();

describe("overview counts on a real broker", () => {
  it("counts exactly the topics, partitions and groups that exist", async () => {
    const before = await getOverview({ cluster, workerStaleAfterMs: 20_000 });
    expect(before.health.kafka.ok).toBe(true);
    expect(before.counts).not.toBeNull();

    const created = [
      { topic: `${prefix}-a`, numPartitions: 1 },
      { topic: `${prefix}-b`, numPartitions: 3 },
      { topic: `${prefix}-c`, numPartitions: 6 },
    ];
    await ensureTopics(cluster, created);

    // A consumer group that has committed an offset.
    const producer = await createProducer(cluster);
    await producer.send(`${prefix}-a`, [{ key: "k", value: "hello" }]);
    await producer.disconnect();
    let received = 0;
    const consumer = await runGroupConsumer(cluster, {
      groupId: `${prefix}-group`,
      topics: [`${prefix}-a`],
      eachRecord: async () => {
        received += 1;
      },
    });
    await expect.poll(() => received, { timeout: 30_000 }).toBe(1);
    await consumer.stop();

    const after = await getOverview({ cluster, workerStaleAfterMs: 20_000 });
    expect(after.counts!.topics).toBe(before.counts!.topics + 3);
    expect(after.counts!.partitions).toBe(before.counts!.partitions + 10);
    expect(after.counts!.consumerGroups).toBe(before.counts!.consumerGroups + 1);

    // The reference: Kafka's own tools see the same numbers.
    const referenceTopics = (await kafkaTool(INTEGRATION_STACK.kafkaPort, "kafka-topics", ["--list", "--exclude-internal"])).split("\n").filter(Boolean);
    expect(after.counts!.topics).toBe(referenceTopics.length);
    const referenceGroups = (await kafkaTool(INTEGRATION_STACK.kafkaPort, "kafka-consumer-groups", ["--list"])).split("\n").filter(Boolean);
    expect(after.counts!.consumerGroups).toBe(referenceGroups.length);

    await deleteTopics(cluster, created.map((t) => t.topic));
    const cleaned = await getOverview({ cluster, workerStaleAfterMs: 20_000 });
    expect(cleaned.counts!.topics).toBe(before.counts!.topics);
  });

  it("reports the cluster id and version Kafka itself reports", async () => {
    const overview = await getOverview({ cluster, workerStaleAfterMs: 20_000 });
    const referenceId = (await kafkaTool(INTEGRATION_STACK.kafkaPort, "kafka-cluster", ["cluster-id"])).match(/Cluster ID: (\S+)/)?.[1];
    expect(referenceId).toBeTruthy();
    expect(overview.health.kafka.clusterId).toBe(referenceId);
    expect(overview.health.kafka.brokers).toEqual([`127.0.0.1:${INTEGRATION_STACK.kafkaPort}`]);
    expect(overview.health.kafka.kafkaVersion).toMatch(/^\d+\.\d+$/);
  });
});
