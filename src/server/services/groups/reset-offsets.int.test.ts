// Integration: resetting a consumer group's offsets on a real broker. Refused while the group has
// an active member (Kafka's reason shown); on an empty group the offsets end exactly where
// `kafka-consumer-groups --describe` says they are afterwards.
import { beforeAll, describe, expect, it } from "vitest";
import { closeConnectionsAfterAll } from "../../../../scripts/lib/test-support";
import { kafkaTool } from "../../../../scripts/lib/local-kafka";
import { INTEGRATION_STACK } from "../../../../scripts/lib/test-ports";
import { getEnv } from "~/env";
import { commitGroupOffsets, createProducer, ensureTopics, runGroupConsumer, type GroupConsumer } from "~/server/broker";
import { listAudit } from "~/server/catalog";
import { clusterFromEnv } from "~/server/services/clusters/active-cluster";
import { executeReset, previewReset, targetOffsets } from "./reset-offsets";

const cluster = clusterFromEnv(getEnv());
const run = `it-reset-${Date.now()}`;
const topic = `${run}-t`;
const group = `${run}-g`;
const support = { email: "support@signalbox.local", name: "Support", role: "support" as const };
const T0 = Date.now() - 600_000;
let consumer: GroupConsumer | null = null;

async function referenceOffsets(groupId: string): Promise<Map<number, number | null>> {
  const out = await kafkaTool(INTEGRATION_STACK.kafkaPort, "kafka-consumer-groups", ["--describe", "--group", groupId]);
  const rows = out.split("\n").map((l) => l.trim().split(/\s+/)).filter((c) => c[0] === groupId && c[1] === topic);
  return new Map(rows.map((c) => [Number(c[2]), c[3] === "-" ? null : Number(c[3])]));
}

beforeAll(async () => {
  await ensureTopics(cluster, [{ topic, numPartitions: 3 }]);
  const producer = await createProducer(cluster);
  // 20 records per partition, one second apart, so a timestamp lands mid-partition.
  await producer.send(topic, Array.from({ length: 60 }, (_, i) => ({ partition: i % 3, key: `k${i}`, value: `v${i}`, timestamp: String(T0 + Math.floor(i / 3) * 1000) })));
  await producer.disconnect();
  await commitGroupOffsets(cluster, group, topic, [0, 1, 2].map((partition) => ({ partition, offset: 10 })));
});

closeConnectionsAfterAll(async () => {
  await consumer?.stop();
});

describe("targetOffsets", () => {
  it("clamps into the log like kafka-consumer-groups and refuses to shift without a commit", () => {
    const p = [{ partition: 0, current: 5, logStart: 2, logEnd: 20 }];
    expect(targetOffsets({ kind: "shift", by: -10 }, p)).toEqual([{ partition: 0, newOffset: 2, clamped: "start" }]);
    expect(targetOffsets({ kind: "shift", by: 3 }, p)).toEqual([{ partition: 0, newOffset: 8, clamped: null }]);
    expect(targetOffsets({ kind: "offset", offset: 99 }, p)).toEqual([{ partition: 0, newOffset: 20, clamped: "end" }]);
    expect(() => targetOffsets({ kind: "shift", by: 1 }, [{ ...p[0]!, current: null }])).toThrow(/no committed offset/);
  });
});

describe("reset consumer group offsets", () => {
  it("is refused while the group has an active member, with Kafka's reason", async () => {
    consumer = await runGroupConsumer(cluster, { groupId: group, topics: [topic], eachRecord: async () => undefined });
    // Wait until the member has joined.
    for (let i = 0; i < 100 && (await previewReset(cluster, { groupId: group, topic, target: { kind: "earliest" } })).members.length === 0; i += 1) await new Promise((r) => setTimeout(r, 200));
    const preview = await previewReset(cluster, { groupId: group, topic, target: { kind: "earliest" } });
    expect(preview.members.length).toBe(1);
    expect(preview.refusal).toMatch(new RegExp(`Assignments can only be reset if the group '${group}' is inactive, but the current state is (Stable|PreparingRebalance|CompletingRebalance)`));
    await expect(executeReset(support, cluster, { groupId: group, topic, target: { kind: "earliest" } })).rejects.toThrow(/can only be reset if the group .* is inactive/);
    await consumer.stop();
    consumer = null;
    const audit = await listAudit({ limit: 50 });
    expect(audit.some((a) => a.action === "group.offsets.reset-refused" && a.targetId === group)).toBe(true);
  });

  it("on an empty group, ends exactly at the offsets kafka-consumer-groups reports, for every kind of target", async () => {
    // The stopped member leaves the group; wait for Kafka to call it Empty.
    for (let i = 0; i < 100 && (await previewReset(cluster, { groupId: group, topic, target: { kind: "latest" } })).refusal; i += 1) await new Promise((r) => setTimeout(r, 200));
    // Each kafka-consumer-groups run starts a JVM (seconds): one per case.
    const cases = [
      { target: { kind: "offset" as const, offset: 12 }, partitions: [0, 2] },
      { target: { kind: "shift" as const, by: -15 }, partitions: [0, 1] },
      { target: { kind: "timestamp" as const, timestamp: T0 + 5_500 }, partitions: [0] },
      { target: { kind: "latest" as const }, partitions: [2] },
    ];
    let before = await referenceOffsets(group);
    for (const c of cases) {
      const preview = await previewReset(cluster, { groupId: group, topic, partitions: c.partitions, target: c.target });
      expect(preview.refusal).toBeNull();
      for (const row of preview.rows) expect(row.current).toBe(before.get(row.partition) ?? null);
      const done = await executeReset(support, cluster, { groupId: group, topic, partitions: c.partitions, target: c.target });
      const after = await referenceOffsets(group);
      for (const row of done.rows) {
        expect(after.get(row.partition)).toBe(row.newOffset);
        expect(row.lagAfter).toBe(row.logEnd - row.newOffset);
      }
      before = after;
    }
    // Partition 0: offset 12, shift −15 clamps to the log start (0), the timestamp (records 1 s
    // apart) lands on 6. Partition 1: the member had consumed to 20; shift −15 gives 5. Partition 2: latest.
    expect(Object.fromEntries(before)).toEqual({ 0: 6, 1: 5, 2: 20 });
    const audit = await listAudit({ limit: 50 });
    expect(audit.filter((a) => a.action === "group.offsets.reset" && a.targetId === group).length).toBe(cases.length);
  });
});
