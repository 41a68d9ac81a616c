// Integration: the sampler's per-partition numbers on a real broker, with known data, must equal
// what Kafka's own `kafka-consumer-groups --describe` prints. Then history and live announcements.
import { beforeAll, describe, expect, it } from "vitest";
import { closeConnectionsAfterAll } from "../../../../scripts/lib/test-support";
import { kafkaTool } from "../../../../scripts/lib/local-kafka";
import { INTEGRATION_STACK } from "../../../../scripts/lib/test-ports";
import { getEnv } from "~/env";
import {
  beginTransaction,
  commitGroupOffsets,
  createProducer,
  deleteRecordsBefore,
  deleteTopics,
  deleteConsumerGroups,
  ensureTopics,
  runGroupConsumer,
  type GroupConsumer,
} from "~/server/broker";
import { clusterFromEnv } from "~/server/services/clusters/active-cluster";
import { groupHistory, latestSnapshot, snapshotAnnouncements, topicHistory } from "./queries";
import { Sampler } from "./sampler";
import type { GroupSnapshot, LagSnapshot } from "./types";

const cluster = clusterFromEnv(getEnv());
const run = `it-lag-${Date.now()}`;
const data = `${run}-data`; // 3 partitions with known record counts
const idle = `${run}-idle`; // 2 empty partitions, consumed by an active group that never commits
const emptyGroup = `${run}-empty-group`;
const activeGroup = `${run}-active-group`;
const COUNTS = [10, 20, 5];

interface ReferenceRow {
  topic: string;
  partition: number;
  current: number | null;
  end: number;
  lag: number | null;
  consumerId: string | null;
}

/** Parses `kafka-consumer-groups --describe` output ("-" means none). */
async function reference(groupId: string): Promise<ReferenceRow[]> {
  // Under heavy machine load the tool sometimes prints no rows at all (it gave up finding the
  // coordinator); ask again a few times before taking "no rows" as its answer.
  for (let attempt = 1; ; attempt++) {
    const rows = await referenceOnce(groupId);
    if (rows.length > 0 || attempt === 5) return rows;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

async function referenceOnce(groupId: string): Promise<ReferenceRow[]> {
  const out = await kafkaTool(INTEGRATION_STACK.kafkaPort, "kafka-consumer-groups", ["--describe", "--group", groupId]);
  const dash = (v: string) => (v === "-" ? null : Number(v));
  return out
    .split("\n")
    .map((line) => line.trim().split(/\s+/))
    .filter((cols) => cols[0] === groupId)
    .map((cols) => ({ topic: cols[1]!, partition: Number(cols[2]), current: dash(cols[3]!), end: Number(cols[4]), lag: dash(cols[5]!), consumerId: cols[6] === "-" ? null : cols[6]! }))
    .sort((a, b) => (a.topic === b.topic ? a.partition - b.partition : a.topic < b.topic ? -1 : 1));
}

function ours(group: GroupSnapshot | undefined): ReferenceRow[] {
  return (group?.partitions ?? []).map((p) => ({ topic: p.topic, partition: p.partition, current: p.committed, end: p.end, lag: p.lag, consumerId: p.consumerId }));
}

const newSampler = () => new Sampler(cluster, { metadataIntervalMs: 0, statusWindow: 3, concurrency: 4 });
let consumer: GroupConsumer | null = null;

beforeAll(async () => {
  await ensureTopics(cluster, [
    { topic: data, numPartitions: 3 },
    { topic: idle, numPartitions: 2 },
  ]);
  const producer = await createProducer(cluster);
  for (const [partition, count] of COUNTS.entries()) {
    await producer.send(data, Array.from({ length: count }, (_, i) => ({ partition, key: `k${i}`, value: JSON.stringify({ i }) })));
  }
  await producer.disconnect();
  // p0 behind by 6, p1 committed above the high watermark (25 > 20), p2 never committed.
  await commitGroupOffsets(cluster, emptyGroup, data, [
    { partition: 0, offset: 4 },
    { partition: 1, offset: 25 },
  ]);
  consumer = await runGroupConsumer(cluster, { groupId: activeGroup, topics: [idle], eachRecord: async () => undefined });
});

closeConnectionsAfterAll(async () => {
  await consumer?.stop();
  await deleteTopics(cluster, [data, idle]).catch(() => undefined);
});

describe("the lag sampler on a real broker", () => {
  it("equals kafka-consumer-groups --describe for an empty group, a commit above the high watermark and a partition without commit", async () => {
    const snapshot = await newSampler().cycle();
    const group = snapshot.groups.find((g) => g.groupId === emptyGroup);
    expect(group?.state).toBe("Empty");
    expect(ours(group)).toEqual(await reference(emptyGroup));
    expect(ours(group)).toEqual([
      { topic: data, partition: 0, current: 4, end: 10, lag: 6, consumerId: null },
      { topic: data, partition: 1, current: 25, end: 20, lag: -5, consumerId: null },
    ]);
    // Totals count only positive lags.
    expect(group?.totalLag).toBe(6);
    const topic = snapshot.topics.find((t) => t.topic === data);
    expect(topic?.partitions.map((p) => [p.low, p.high])).toEqual([
      [0, 10],
      [0, 20],
      [0, 5],
    ]);
  });

  it("shows an active member's assigned partitions without commits as null lag, never 0", async () => {
    let group: GroupSnapshot | undefined;
    await expect
      .poll(
        async () => {
          group = (await newSampler().cycle()).groups.find((g) => g.groupId === activeGroup);
          return group?.partitions.length ?? 0;
        },
        { timeout: 30_000, interval: 1000 },
      )
      .toBe(2);
    expect(group!.state).toBe("Stable");
    expect(group!.partitions.every((p) => p.committed === null && p.lag === null && p.consumerId !== null)).toBe(true);
    const ref = await reference(activeGroup);
    expect(ours(group).map(({ consumerId, ...rest }) => ({ ...rest, hasConsumer: consumerId !== null }))).toEqual(
      ref.map(({ consumerId, ...rest }) => ({ ...rest, hasConsumer: consumerId !== null })),
    );
    expect(group!.totalLag).toBe(0);
  });

  it("flags records deleted past the committed offset, and still matches the reference lag", async () => {
    await deleteRecordsBefore(cluster, data, [{ partition: 0, offset: 8 }]);
    const snapshot = await newSampler().cycle();
    const p0 = snapshot.groups.find((g) => g.groupId === emptyGroup)!.partitions.find((p) => p.partition === 0)!;
    expect(snapshot.topics.find((t) => t.topic === data)!.partitions[0]).toMatchObject({ low: 8, high: 10 });
    expect(p0.committedBelowLogStart).toBe(true);
    expect(ours(snapshot.groups.find((g) => g.groupId === emptyGroup))).toEqual(await reference(emptyGroup));
  });

  it("reads the high watermark like the reference while a transaction is open (read_uncommitted)", async () => {
    const txnTopic = `${run}-txn`;
    const txnGroup = `${run}-txn-group`;
    await ensureTopics(cluster, [{ topic: txnTopic, numPartitions: 1 }]);
    await commitGroupOffsets(cluster, txnGroup, txnTopic, [{ partition: 0, offset: 0 }]);
    const transaction = await beginTransaction(cluster, `${run}-txn-producer`);
    try {
      await transaction.send(txnTopic, Array.from({ length: 7 }, (_, i) => ({ partition: 0, key: `t${i}`, value: "pending" })));
      const snapshot = await newSampler().cycle();
      const group = snapshot.groups.find((g) => g.groupId === txnGroup);
      // A read_committed reader would see the last stable offset, 0, and lag 0.
      expect(ours(group)).toEqual([{ topic: txnTopic, partition: 0, current: 0, end: 7, lag: 7, consumerId: null }]);
      expect(ours(group)).toEqual(await reference(txnGroup));
    } finally {
      await transaction.abort();
      await deleteTopics(cluster, [txnTopic]);
    }
  });

  it("computes produce rates, stores history, announces snapshots, and survives a topic deleted and recreated", async () => {
    const sampler = newSampler();
    const announcements = snapshotAnnouncements(AbortSignal.timeout(60_000));
    const nextAnnouncement = announcements.next();

    const first = await sampler.cycle();
    await sampler.persist(first);
    expect(first.topics.find((t) => t.topic === data)!.produceRate).toBeNull(); // one sample: no rate yet
    await expect(nextAnnouncement).resolves.toMatchObject({ value: { takenAt: first.takenAt } });
    expect((await latestSnapshot(cluster.name))?.takenAt).toBe(first.takenAt);

    const producer = await createProducer(cluster);
    await producer.send(data, Array.from({ length: 30 }, (_, i) => ({ partition: 2, key: `n${i}`, value: "x" })));
    await producer.disconnect();
    await new Promise((r) => setTimeout(r, 1100));
    const second = await sampler.cycle();
    await sampler.persist(second);
    const rate = second.topics.find((t) => t.topic === data)!.produceRate!;
    expect(rate).toBeGreaterThan(0);
    // 30 records over the time between the two cycles.
    expect(rate).toBeCloseTo(30 / ((second.takenAt - first.takenAt) / 1000), 0);

    // The process's cached snapshot gives way to the new one, loaded once for simultaneous readers.
    const [latest, sameMoment] = (await Promise.all([latestSnapshot(cluster.name), latestSnapshot(cluster.name)])) as LagSnapshot[];
    expect(latest!.takenAt).toBe(second.takenAt);
    expect(sameMoment).toBe(latest);
    const history = await topicHistory(cluster.name, data, "15m");
    expect(history.points.map((p) => p.endOffset)).toEqual([35, 65]);
    const groupPoints = (await groupHistory(cluster.name, emptyGroup, "15m")).points;
    expect(groupPoints.at(-1)).toMatchObject({ lag: 6, members: 0 });

    // Deleted and recreated with fewer records: end offsets fall, so the rate is dropped, not negative.
    await deleteTopics(cluster, [data]);
    await ensureTopics(cluster, [{ topic: data, numPartitions: 3 }]);
    const recreateProducer = await createProducer(cluster);
    await recreateProducer.send(data, [{ partition: 0, key: "a", value: "1" }]);
    await recreateProducer.disconnect();
    await expect
      .poll(async () => (await sampler.cycle()).topics.find((t) => t.topic === data)?.partitions.map((p) => p.high), { timeout: 30_000, interval: 1000 })
      .toEqual([1, 0, 0]);
    const after = await sampler.cycle();
    expect(after.topics.find((t) => t.topic === data)!.produceRate).toBe(0);
    await announcements.return(undefined);
  });

  it("lists a consumer group created or deleted between metadata reads at the next cycle", async () => {
    const sampler = new Sampler(cluster, { metadataIntervalMs: 3_600_000, statusWindow: 3, concurrency: 4 });
    const late = `sampler-late-${Date.now()}`;
    expect((await sampler.cycle()).groups.map((g) => g.groupId)).not.toContain(late);
    await commitGroupOffsets(cluster, late, data, [{ partition: 0, offset: 1 }]);
    expect((await sampler.cycle()).groups.find((g) => g.groupId === late)).toMatchObject({ state: "Empty", members: [] });
    await deleteConsumerGroups(cluster, [late]);
    expect((await sampler.cycle()).groups.map((g) => g.groupId)).not.toContain(late);
  });
});
