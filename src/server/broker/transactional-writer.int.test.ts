// Integration: a job's writers (one transactional producer per group of source partitions) on a real
// broker, checked with kcat (librdkafka, read_committed) as the independent reader.
// - a run "killed" with transactions open on some partitions and committed on others: the next run
//   fences every writer of the old one (their late commits fail), resumes each partition from its own
//   checkpoint, and every record lands exactly once across the partitions (copies encoded ahead too);
// - a writer of the earlier one-writer-per-job version, mid-transaction, is fenced too;
// - copies keep their source's compression (Kafka's DumpLogSegments reads the codec on disk).
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { closeConnectionsAfterAll } from "../../../scripts/lib/test-support";
import { kcatConsume, kcatHeader } from "../../../scripts/lib/kcat";
import { REPO_ROOT } from "../../../scripts/lib/local-kafka";
import { INTEGRATION_STACK } from "../../../scripts/lib/test-ports";
import { getEnv } from "~/env";
import { clusterFromEnv } from "~/server/services/clusters/active-cluster";
import { ensureTopics } from "./admin";
import { batchCodecs } from "./batch-codec";
import { encodeRecordBatch, loadKafkajsInternals } from "./produce-encoder";
import { copyEncoder } from "./record-copies";
import { openTransactionalWriter, openWriterGroup, type OutgoingCopy, type TransactionalWriter } from "./transactional-writer";

const cluster = clusterFromEnv(getEnv());
const bootstrap = cluster.brokers[0]!;
const run = `it-writers-${Date.now()}`;
const PER_PARTITION = 300;

/** The copy of source record `i` of `partition`: it names its source, as a replay's copies do. */
function copy(topic: string, partition: number, i: number): OutgoingCopy {
  return { topic, partition, key: Buffer.from(`k-${partition}-${i}`), value: Buffer.from(`value ${partition}/${i} ${"y".repeat(200)}`), headers: [{ key: "x-of", value: Buffer.from(`${partition}/${i}`) }] };
}
const copies = (topic: string, partition: number, from: number, to: number) => Array.from({ length: to - from }, (_, k) => copy(topic, partition, from + k));

/** The same copies encoded ahead from source batches (as a replay without a filter makes them): "x-of" is added as the offset header. */
async function encodedCopies(partition: number, from: number, to: number) {
  const messages = Array.from({ length: to - from }, (_, k) => ({ key: Buffer.from(`k-${partition}-${from + k}`), value: Buffer.from(`value ${partition}/${from + k} ${"y".repeat(200)}`) }));
  const bytes = await encodeRecordBatch({ messages, compression: 0, transactional: false, producerId: -1n, producerEpoch: 0, firstSequence: 0, now: Date.now(), kafkajs: loadKafkajsInternals() });
  bytes.writeBigInt64BE(BigInt(from), 0);
  return copyEncoder({ sourceOffset: { key: "x-of", prefix: `${partition}/` }, fixed: [] }).encode([{ bytes, baseOffset: from }], { from, to }).runs;
}

function countSources(records: Awaited<ReturnType<typeof kcatConsume>>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const r of records) for (const of of kcatHeader(r, "x-of")) counts.set(of, (counts.get(of) ?? 0) + 1);
  return counts;
}

beforeAll(async () => {
  await ensureTopics(cluster, [
    { topic: `${run}-src`, numPartitions: 3 },
    { topic: `${run}-dst`, numPartitions: 3 },
    { topic: `${run}-legacy-src`, numPartitions: 1 },
    { topic: `${run}-legacy-dst`, numPartitions: 1 },
    { topic: `${run}-gzip-src`, numPartitions: 1 },
    { topic: `${run}-gzip-dst`, numPartitions: 1 },
  ]);
});

closeConnectionsAfterAll();

describe("a job's writers", () => {
  it("resume after a run died with transactions open on some partitions: the old writers are fenced, every record lands once", async () => {
    const jobKafkaId = `${run}-job`;
    const source = `${run}-src`;
    const target = `${run}-dst`;
    const first = await openWriterGroup(cluster, { jobKafkaId, partitions: [0, 1, 2], label: "the first run" });
    expect(first.writers.map((w) => w.partitions)).toEqual([[0], [1], [2]]);
    const writerOf = (group: typeof first, partition: number): TransactionalWriter => group.writers.find((w) => w.partitions.includes(partition))!.writer;

    // The first run: partition 0 commits 100 and has 100 more sent in an open transaction; partition 1
    // commits 150 and then 100 more in a second transaction that stays open; partition 2 commits 200.
    await writerOf(first, 0).commit(copies(target, 0, 0, 100), source, [{ partition: 0, offset: 100, metadata: null }]);
    await writerOf(first, 0).send(copies(target, 0, 100, 200));
    await writerOf(first, 1).commit(copies(target, 1, 0, 150), source, [{ partition: 1, offset: 150, metadata: null }]);
    // Copies encoded ahead, in the transaction that stays open: they must vanish with it.
    await writerOf(first, 1).sendEncoded({ topic: target, partition: 1, runs: await encodedCopies(1, 150, 250) });
    await writerOf(first, 2).commit(copies(target, 2, 0, 200), source, [{ partition: 2, offset: 200, metadata: null }]);
    // It dies here: nothing closes its writers, and its producers are still connected (a zombie).

    const second = await openWriterGroup(cluster, { jobKafkaId, partitions: [0, 1, 2], label: "the second run" });
    try {
      const checkpoint = new Map((await second.readCheckpoint(source)).map((c) => [c.partition, c.offset]));
      expect(Object.fromEntries(checkpoint)).toEqual({ 0: 100, 1: 150, 2: 200 });
      // The zombie's open transactions cannot commit any more: its writers were fenced.
      await expect(writerOf(first, 0).commit([], source, [{ partition: 0, offset: 200, metadata: null }])).rejects.toThrow(/fenced|took over/i);
      await expect(writerOf(first, 1).commit([], source, [{ partition: 1, offset: 250, metadata: null }])).rejects.toThrow(/fenced|took over/i);
      // The second run copies the rest of each partition from its own checkpoint, side by side.
      await Promise.all(
        [0, 1, 2].map(async (partition) => {
          const writer = writerOf(second, partition);
          const from = checkpoint.get(partition)!;
          if (partition === 1) await writer.sendEncoded({ topic: target, partition, runs: await encodedCopies(partition, from, PER_PARTITION) });
          else await writer.send(copies(target, partition, from, PER_PARTITION));
          await writer.commit([], source, [{ partition, offset: PER_PARTITION, metadata: null }]);
        }),
      );
      // Offsets committed in a transaction show in the group once the coordinator has written the
      // commit markers, a moment after commit() returns (kafkajs cannot ask for stable offsets).
      await expect.poll(async () => Object.fromEntries((await second.readCheckpoint(source)).map((c) => [c.partition, c.offset])), { timeout: 15_000 }).toEqual({ 0: PER_PARTITION, 1: PER_PARTITION, 2: PER_PARTITION });
    } finally {
      await second.close();
      await first.close();
    }

    const written = await kcatConsume(bootstrap, target);
    const counts = countSources(written);
    const expected = [0, 1, 2].flatMap((p) => Array.from({ length: PER_PARTITION }, (_, i) => `${p}/${i}`));
    expect(written).toHaveLength(3 * PER_PARTITION);
    expect([...counts.keys()].sort()).toEqual(expected.sort());
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    // Each partition's copies in source order, on the partition they were sent to.
    for (const partition of [0, 1, 2]) {
      expect(written.filter((r) => r.partition === partition).map((r) => kcatHeader(r, "x-of")[0])).toEqual(Array.from({ length: PER_PARTITION }, (_, i) => `${partition}/${i}`));
    }
  });

  it("fence the single writer an earlier version used for the same job, mid-transaction", async () => {
    const jobKafkaId = `${run}-legacy-job`;
    const legacy = await openTransactionalWriter(cluster, { transactionalId: jobKafkaId, checkpointGroupId: jobKafkaId, label: "the old version's run" });
    await legacy.send(copies(`${run}-legacy-dst`, 0, 0, 50));
    const group = await openWriterGroup(cluster, { jobKafkaId, partitions: [0], label: "the new version's run", fence: [jobKafkaId] });
    try {
      await expect(legacy.commit([], `${run}-legacy-src`, [{ partition: 0, offset: 50, metadata: null }])).rejects.toThrow(/fenced|took over/i);
      await group.writers[0]!.writer.commit(copies(`${run}-legacy-dst`, 0, 0, 50), `${run}-legacy-src`, [{ partition: 0, offset: 50, metadata: null }]);
    } finally {
      await group.close();
      await legacy.close();
    }
    const counts = countSources(await kcatConsume(bootstrap, `${run}-legacy-dst`));
    expect(counts.size).toBe(50);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
  });

  it("copies keep the source's compression", async () => {
    // kcat writes the source gzip-compressed.
    const lines = Array.from({ length: 20 }, (_, i) => `gzip ${i} ${"z".repeat(500)}`).join("\n") + "\n";
    await new Promise<void>((resolve, reject) => {
      const child = execFile("kcat", ["-b", bootstrap, "-t", `${run}-gzip-src`, "-P", "-z", "gzip"], (error) => (error ? reject(error) : resolve()));
      child.stdin!.end(lines);
    });
    const codecs = await batchCodecs(cluster, `${run}-gzip-src`, [{ partition: 0, offset: 0 }]);
    expect(codecs.get(0)).toBe("gzip");
    const writer = await openTransactionalWriter(cluster, { transactionalId: `${run}-gzip-job`, checkpointGroupId: `${run}-gzip-job`, label: "the gzip run" });
    try {
      await writer.commit(copies(`${run}-gzip-dst`, 0, 0, 20), `${run}-gzip-src`, [{ partition: 0, offset: 20, metadata: null }], { compression: codecs.get(0) });
    } finally {
      await writer.close();
    }
    // Kafka's own tool reads the codec of every batch in the target's log segment.
    const dataDir = path.join(process.env.KAFKA_CACHE_DIR ?? path.join(REPO_ROOT, ".cache/kafka"), "instances", String(INTEGRATION_STACK.kafkaPort), "data");
    const { stdout: dump } = await promisify(execFile)("bash", [path.join(REPO_ROOT, "scripts/kafka/kafka.sh"), "tool", "kafka.tools.DumpLogSegments", "--files", path.join(dataDir, `${run}-gzip-dst-0`, "00000000000000000000.log")], { env: { ...process.env, KAFKA_PORT: String(INTEGRATION_STACK.kafkaPort) } });
    const codecsOnDisk = [...dump.matchAll(/compresscodec: (\w+)/gi)].map((m) => m[1]!.toLowerCase());
    // The copies' batch, then the commit marker (control batches are never compressed).
    expect(codecsOnDisk[0]).toBe("gzip");
    expect(countSources(await kcatConsume(bootstrap, `${run}-gzip-dst`)).size).toBe(20);
  });
});
