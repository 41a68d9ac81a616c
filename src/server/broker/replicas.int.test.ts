// Integration: the brokers and replicas /metrics and the Overview report, on a real broker, checked
// against Kafka's own kafka-topics --describe.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeConnectionsAfterAll } from "../../../scripts/lib/test-support";
import { kafkaTool } from "../../../scripts/lib/local-kafka";
import { INTEGRATION_STACK } from "../../../scripts/lib/test-ports";
import { getEnv } from "~/env";
import { clusterFromEnv } from "~/server/services/clusters/active-cluster";
import { countTopics, deleteTopics, describeReplicas, ensureTopics } from "./admin";

const cluster = clusterFromEnv(getEnv());
const topic = `it-replicas-${Date.now()}`;

closeConnectionsAfterAll();

describe("describeReplicas and countTopics", () => {
  beforeAll(async () => {
    await ensureTopics(cluster, [{ topic, numPartitions: 3 }]);
  });
  afterAll(async () => {
    await deleteTopics(cluster, [topic]);
  });

  it("report each partition's leader, replicas and in-sync replicas as kafka-topics --describe does", async () => {
    const state = await describeReplicas(cluster);
    expect(state.brokers).toHaveLength(1);
    expect(`${state.brokers[0]!.host}:${state.brokers[0]!.port}`).toBe(`127.0.0.1:${INTEGRATION_STACK.kafkaPort}`);

    // "\tTopic: t\tPartition: 0\tLeader: 1\tReplicas: 1\tIsr: 1…"
    const described = await kafkaTool(INTEGRATION_STACK.kafkaPort, "kafka-topics", ["--describe", "--topic", topic]);
    const reference = [...described.matchAll(/Partition: (\d+)\s+Leader: (-?\d+)\s+Replicas: ([\d,]+)\s+Isr: ([\d,]*)/g)].map((m) => ({
      topic,
      partition: Number(m[1]),
      leader: Number(m[2]),
      replicas: m[3]!.split(",").map(Number),
      isr: m[4] ? m[4].split(",").map(Number) : [],
    }));
    expect(reference).toHaveLength(3);
    const ours = state.partitions.filter((p) => p.topic === topic).sort((a, b) => a.partition - b.partition);
    expect(ours).toEqual(reference);
    expect(ours.every((p) => p.leader === state.brokers[0]!.nodeId)).toBe(true);
  });

  it("count no under-replicated or offline partition on a healthy single broker", async () => {
    const counts = await countTopics(cluster);
    expect(counts.underReplicated).toBe(0);
    expect(counts.offline).toBe(0);
    expect(counts.partitions).toBeGreaterThanOrEqual(3);
  });
});
