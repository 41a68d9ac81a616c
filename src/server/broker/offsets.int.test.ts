// Integration: the sampler's bulk offset reads and the memberless commit, on a real broker, checked
// against Kafka's own tools (kafka-get-offsets, kafka-consumer-groups).
import { beforeAll, describe, expect, it } from "vitest";
import { closeConnectionsAfterAll } from "../../../scripts/lib/test-support";
import { kafkaTool } from "../../../scripts/lib/local-kafka";
import { INTEGRATION_STACK } from "../../../scripts/lib/test-ports";
import { getEnv } from "~/env";
import { clusterFromEnv } from "~/server/services/clusters/active-cluster";
import { AppError } from "../errors";
import { createProducer } from "./producer";
import { runGroupConsumer, type GroupConsumer } from "./consumer";
import { deleteRecordsBefore, commitGroupOffsets, fetchCommittedOffsetsOfGroups, readPartitionOffsets, type CommittedOffset } from "./offsets";
import { deleteTopics, ensureTopics } from "./admin";

const cluster = clusterFromEnv(getEnv());
const run = `it-offsets-${Date.now()}`;
// Several topics with different partition counts and record counts, so batching by leader and
// merging the answers back per topic is exercised.
const TOPICS = Array.from({ length: 6 }, (_, i) => ({ topic: `${run}-t${i}`, partitions: 1 + (i % 3) }));
const GROUPS = Array.from({ length: 12 }, (_, i) => `${run}-g${String(i).padStart(2, "0")}`);
const activeGroup = `${run}-active`;
let consumer: GroupConsumer | null = null;

const port = INTEGRATION_STACK.kafkaPort;
const byKey = <T extends { topic: string; partition: number }>(rows: T[]) =>
  [...rows].sort((a, b) => (a.topic === b.topic ? a.partition - b.partition : a.topic < b.topic ? -1 : 1));

/** `kafka-get-offsets --time -1|-2` for our topics: "topic:partition:offset" lines. */
async function referenceOffsets(time: -1 | -2): Promise<Map<string, number>> {
  const out = await kafkaTool(port, "kafka-get-offsets", ["--time", String(time), "--topic", `${run}-t.*`]);
  return new Map(
    out
      .trim()
      .split("\n")
      .map((line) => line.split(":"))
      .map(([topic, partition, offset]) => [`${topic}/${partition}`, Number(offset)]),
  );
}

/** Committed offsets of every group, as `kafka-consumer-groups --describe --all-groups` prints them. */
async function referenceCommits(): Promise<Map<string, CommittedOffset[]>> {
  const out = await kafkaTool(port, "kafka-consumer-groups", ["--describe", "--all-groups"]);
  const result = new Map<string, CommittedOffset[]>();
  for (const cols of out.split("\n").map((l) => l.trim().split(/\s+/))) {
    if (!cols[0]?.startsWith(run) || cols[3] === "-" || cols.length < 6) continue;
    const list = result.get(cols[0]) ?? [];
    list.push({ topic: cols[1]!, partition: Number(cols[2]), offset: Number(cols[3]) });
    result.set(cols[0], list);
  }
  return result;
}

beforeAll(async () => {
  await ensureTopics(cluster, TOPICS.map((t) => ({ topic: t.topic, numPartitions: t.partitions })));
  const producer = await createProducer(cluster);
  for (const [i, t] of TOPICS.entries()) {
    for (let partition = 0; partition < t.partitions; partition++) {
      await producer.send(t.topic, Array.from({ length: 3 + i * 2 + partition }, (_, n) => ({ partition, key: `k${n}`, value: "v" })));
    }
  }
  await producer.disconnect();
  await deleteRecordsBefore(cluster, TOPICS[1]!.topic, [{ partition: 0, offset: 2 }]);
  consumer = await runGroupConsumer(cluster, { groupId: activeGroup, topics: [TOPICS[0]!.topic], eachRecord: async () => undefined });
});

closeConnectionsAfterAll(async () => {
  await consumer?.stop();
  await deleteTopics(cluster, TOPICS.map((t) => t.topic)).catch(() => undefined);
});

describe("bulk offset reads on a real broker", () => {
  it("reads every partition's log start and end offsets like kafka-get-offsets", async () => {
    const ours = await readPartitionOffsets(cluster, TOPICS.map((t) => t.topic));
    const [ends, starts] = await Promise.all([referenceOffsets(-1), referenceOffsets(-2)]);
    expect(ours).toHaveLength(TOPICS.reduce((n, t) => n + t.partitions, 0));
    expect(ours).toEqual(byKey(ours));
    for (const p of ours) {
      expect(p.high).toBe(ends.get(`${p.topic}/${p.partition}`));
      expect(p.low).toBe(starts.get(`${p.topic}/${p.partition}`));
    }
    expect(ours.find((p) => p.topic === TOPICS[1]!.topic && p.partition === 0)).toMatchObject({ low: 2, high: 5 });
  });

  it("commits offsets of inactive groups and reads every group's commits back like kafka-consumer-groups", async () => {
    for (const [i, groupId] of GROUPS.entries()) {
      const t = TOPICS[i % TOPICS.length]!;
      // Group i commits offset i % 4 on each partition except the last, which stays without a commit.
      const partitions = Array.from({ length: Math.max(1, t.partitions - 1) }, (_, partition) => ({ partition, offset: i % 4 }));
      await commitGroupOffsets(cluster, groupId, t.topic, partitions);
    }
    // The first lookups fill the coordinator cache, the second read uses it: both must agree.
    // (The second goes in batches, OffsetFetch v8: a group without commits answers with none there too.)
    const never = `${run}-never-committed`;
    const first = await fetchCommittedOffsetsOfGroups(cluster, [...GROUPS, never], 4);
    const second = await fetchCommittedOffsetsOfGroups(cluster, [...GROUPS, never], 4);
    expect(first.get(never)).toEqual([]);
    expect(second.get(never)).toEqual([]);
    const reference = await referenceCommits();
    for (const groupId of GROUPS) {
      const expected = byKey(reference.get(groupId) ?? []);
      expect(expected.length).toBeGreaterThan(0);
      expect(byKey(first.get(groupId) as CommittedOffset[])).toEqual(expected);
      expect(byKey(second.get(groupId) as CommittedOffset[])).toEqual(expected);
    }
    expect(first.get(`${run}-never-committed`)).toEqual([]);
  });

  it("refuses to move the offsets of a group with active members, and leaves them as they were", async () => {
    const topic = TOPICS[0]!.topic;
    await expect.poll(async () => (await referenceCommits()).get(activeGroup)?.length ?? 0, { timeout: 30_000, interval: 1000 }).toBe(1);
    const before = (await fetchCommittedOffsetsOfGroups(cluster, [activeGroup])).get(activeGroup);
    const attempt = commitGroupOffsets(cluster, activeGroup, topic, [{ partition: 0, offset: 0 }]);
    await expect(attempt).rejects.toBeInstanceOf(AppError);
    await expect(attempt).rejects.toMatchObject({ code: "CONFLICT", userMessage: expect.stringContaining("has active members") });
    expect((await fetchCommittedOffsetsOfGroups(cluster, [activeGroup])).get(activeGroup)).toEqual(before);
  });
});
