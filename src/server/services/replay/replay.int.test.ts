// Integration: replay jobs on a real broker and PostgreSQL, with kcat as the independent reader.
// - a time window with a filter: the dry run's count equals what is written, and every copy is
//   byte-identical (key, value, headers incl. duplicate keys) plus the replay headers;
// - without a filter, the copies made from the records' bytes: the same, byte for byte;
// - kill -9 of the worker mid-replay, then two workers restart: every source record exactly once;
// - the rate limit: 100 records at 20 msg/s take at least about 4.9 s.
import { randomUUID } from "node:crypto";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { closeConnectionsAfterAll } from "../../../../scripts/lib/test-support";
import { kcatConsume, kcatHeader as header, type KcatRecord } from "../../../../scripts/lib/kcat";
import { TestWorkers } from "../../../../scripts/lib/test-workers";
import { killWorkerMidJob, waitForJob } from "../../../../scripts/lib/wait-for-job";
import { getEnv } from "~/env";
import { createProducer, ensureTopics, type OutgoingRecord } from "~/server/broker";
import { listAudit } from "~/server/catalog";
import { clusterFromEnv } from "~/server/services/clusters/active-cluster";
import { cancelJob, getJob, pauseJob, resumeJob } from "~/server/services/jobs/jobs";
import { JOB_HANDLERS } from "~/worker/jobs/kinds";
import { JobRunner } from "~/worker/jobs/runner";
import { replayJobParamsSchema, replayRequestSchema, type ReplayRequest } from "./params";
import { planReplay, type ReplayPlan } from "./plan";
import { startReplay } from "./replay";
import { copiesAsBytes } from "./replay-job";

const env = getEnv();
const cluster = clusterFromEnv(env);
const bootstrap = cluster.brokers[0]!;
const run = `it-replay-${Date.now()}`;
const support = { email: "support@signalbox.local", name: "Support", role: "support" as const };
const T0 = Math.floor(Date.now() / 1000) * 1000 - 3_600_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function dryRun(request: ReplayRequest): Promise<ReplayPlan> {
  for await (const event of planReplay(cluster, replayRequestSchema.parse(request))) if (event.type === "done") return event.plan;
  throw new Error("the dry run ended without a plan");
}

const copiesOf = (records: KcatRecord[], jobId: number) => records.filter((r) => header(r, "x-replay-job").includes(String(jobId)));

function envelope(i: number, eventType: string, customerId: string) {
  return JSON.stringify({ eventId: randomUUID(), eventType, timestamp: new Date().toISOString(), version: 1, source: "it", data: { customerId, total: i }, metadata: { correlationId: `corr-${i}`, causationId: null } });
}

let runner: JobRunner | null = null;
const newRunner = () =>
  new JobRunner(async (name) => (name === cluster.name ? cluster : null), JOB_HANDLERS, { workerId: `it-${process.pid}`, concurrency: 2, reapIntervalMs: 1000, claimGraceMs: 20_000, retryAfterMs: 1000 });

beforeAll(async () => {
  await ensureTopics(cluster, [
    { topic: `${run}-src`, numPartitions: 3 },
    { topic: `${run}-dst`, numPartitions: 3 },
    { topic: `${run}-big`, numPartitions: 3 },
    { topic: `${run}-big-dst`, numPartitions: 3 },
    { topic: `${run}-rate`, numPartitions: 1 },
    { topic: `${run}-rate-dst`, numPartitions: 1 },
    { topic: `${run}-ctl-dst`, numPartitions: 1 },
    { topic: `${run}-idem-dst`, numPartitions: 1 },
    { topic: `${run}-wide`, numPartitions: 3 },
    { topic: `${run}-wide-dst`, numPartitions: 3 },
    { topic: `${run}-max-dst`, numPartitions: 3 },
  ]);
  const producer = await createProducer(cluster);
  // 30 records before the window, 90 inside it (100 ms apart), 30 after; partitions round-robin.
  const records: OutgoingRecord[] = [];
  const add = (i: number, ts: number) =>
    records.push({
      partition: i % 3,
      timestamp: String(ts),
      key: i % 10 === 4 ? null : `order-${i}`,
      value: envelope(i, i % 3 === 0 ? "PaymentFailed" : "OrderPlaced", i % 2 === 0 ? "cust-42" : "cust-7"),
      headers: { eventType: i % 3 === 0 ? "PaymentFailed" : "OrderPlaced", "x-dup": [`first-${i}`, `second-${i}`], tenant: "acme" },
    });
  for (let i = 0; i < 30; i += 1) add(1000 + i, T0 - 60_000 + i);
  for (let i = 0; i < 90; i += 1) add(i, T0 + i * 100);
  for (let i = 0; i < 30; i += 1) add(2000 + i, T0 + 60_000 + i);
  await producer.send(`${run}-src`, records);
  const big: OutgoingRecord[] = Array.from({ length: 1500 }, (_, i) => ({ partition: i % 3, key: `k-${i}`, value: envelope(i, "OrderPlaced", "cust-1") }));
  await producer.send(`${run}-big`, big);
  // 4,000 records of ~2 KB per partition: 8 MB, two fetches and several transactions each, in flight on several writers at once.
  const padding = "x".repeat(2000);
  for (let batch = 0; batch < 48; batch += 1) {
    // 250 at a time: a produce request holds at most 1 MB per partition.
    await producer.send(`${run}-wide`, Array.from({ length: 250 }, (_, i) => ({ partition: batch % 3, key: `w-${batch}-${i}`, value: `${batch}/${i} ${padding}` })));
  }
  await producer.send(`${run}-rate`, Array.from({ length: 100 }, (_, i) => ({ key: `r-${i}`, value: `rate ${i}` })));
  await producer.disconnect();
});

// A runner left running would take the next test's jobs (the kill -9 test needs its job to itself).
afterEach(async () => {
  await runner?.stop();
  runner = null;
});

closeConnectionsAfterAll();

describe("replay", () => {
  it("replays a time window with a filter: the dry-run count is what gets written, byte for byte, with the replay headers", async () => {
    const request: ReplayRequest = {
      sourceTopic: `${run}-src`,
      range: { kind: "time", from: T0, to: T0 + 9_000 },
      filter: { eventType: "OrderPlaced", jsonPath: "data.customerId", jsonOperator: "=", jsonValue: "cust-42" },
      targetTopic: `${run}-dst`,
      partitionStrategy: { kind: "keep" },
    };
    const plan = await dryRun(request);
    // In the window, i even and not a multiple of 3: 30 records; the same filter outside the window matches more.
    expect(plan.toRead).toBe(90);
    expect(plan.matched).toBe(30);
    expect(plan.wouldWrite).toBe(30);
    expect(plan.sample.length).toBe(20);
    expect(plan.sample.every((m) => m.envelope.eventType === "OrderPlaced")).toBe(true);

    runner = newRunner();
    await runner.start();
    const job = await startReplay(support, cluster, replayJobParamsSchema.parse({ request, ranges: plan.ranges, dryRunCount: plan.wouldWrite }));
    const done = await waitForJob(job.id, (j) => j.status === "COMPLETED" || j.status === "FAILED");
    expect(done.status).toBe("COMPLETED");
    expect(done.progress).toMatchObject({ read: 90, matched: 30, written: 30 });

    const source = await kcatConsume(bootstrap, `${run}-src`);
    const copies = copiesOf(await kcatConsume(bootstrap, `${run}-dst`), job.id);
    expect(copies.length).toBe(plan.wouldWrite);
    for (const copy of copies) {
      const [of] = header(copy, "x-replay-of");
      const [topic, partition, offset] = of!.split("/");
      expect(topic).toBe(`${run}-src`);
      const original = source.find((r) => r.partition === Number(partition) && r.offset === Number(offset))!;
      expect(original).toBeDefined();
      expect(copy.partition).toBe(original.partition);
      expect(copy.key === null ? null : copy.key.toString("hex")).toBe(original.key === null ? null : original.key.toString("hex"));
      expect(copy.value!.equals(original.value!)).toBe(true);
      // Same headers in the same order, duplicate keys included, then exactly the two replay headers.
      expect(copy.headers.slice(0, -2)).toEqual(original.headers);
      expect(original.headers.filter(([k]) => k === "x-dup")).toHaveLength(2);
      expect(copy.headers.slice(-2)).toEqual([
        ["x-replay-of", `${run}-src/${partition}/${offset}`],
        ["x-replay-job", String(job.id)],
      ]);
    }
    expect(copies.some((c) => c.key === null)).toBe(true);
    const audit = await listAudit({ limit: 100 });
    const actions = audit.filter((a) => a.targetType === "job" && a.targetId === String(job.id));
    expect(actions.map((a) => a.action)).toEqual(expect.arrayContaining(["job.create", "job.completed"]));
    expect(actions.find((a) => a.action === "job.create")).toMatchObject({ actorEmail: support.email });
  });

  it("without a filter copies the records' bytes: every record in the range once, byte for byte, with the replay headers", async () => {
    // From the middle of each partition's first batch to before its end: the fetched batches hold records on both sides.
    const request: ReplayRequest = { sourceTopic: `${run}-src`, range: { kind: "offsets", partitions: [0, 1, 2].map((p) => ({ partition: p, from: 5, to: 47 })) }, targetTopic: `${run}-bytes-dst` };
    await ensureTopics(cluster, [{ topic: `${run}-bytes-dst`, numPartitions: 3 }]);
    const plan = await dryRun(request);
    expect(plan.wouldWrite).toBe(3 * 42);
    const params = replayJobParamsSchema.parse({ request, ranges: plan.ranges, dryRunCount: plan.wouldWrite });
    expect(copiesAsBytes(params)).toBe(true);
    runner = newRunner();
    await runner.start();
    const job = await startReplay(support, cluster, params);
    const done = await waitForJob(job.id, (j) => j.status === "COMPLETED" || j.status === "FAILED");
    expect(done.status).toBe("COMPLETED");
    expect(done.progress).toMatchObject({ read: 126, matched: 126, written: 126 });

    const source = await kcatConsume(bootstrap, `${run}-src`);
    const copies = copiesOf(await kcatConsume(bootstrap, `${run}-bytes-dst`), job.id);
    expect(copies).toHaveLength(126);
    for (const partition of [0, 1, 2]) {
      const ofPartition = copies.filter((c) => c.partition === partition);
      // Partition kept, source order kept, offsets 5 to 46 exactly.
      expect(ofPartition.map((c) => header(c, "x-replay-of")[0])).toEqual(Array.from({ length: 42 }, (_, i) => `${run}-src/${partition}/${i + 5}`));
      for (const copy of ofPartition) {
        const offset = Number(header(copy, "x-replay-of")[0]!.split("/")[2]);
        const original = source.find((r) => r.partition === partition && r.offset === offset)!;
        expect(copy.key === null ? null : copy.key.toString("hex")).toBe(original.key === null ? null : original.key.toString("hex"));
        expect(copy.value!.equals(original.value!)).toBe(true);
        expect(copy.headers.slice(0, -2)).toEqual(original.headers);
        expect(copy.headers.slice(-2)).toEqual([
          ["x-replay-of", `${run}-src/${partition}/${offset}`],
          ["x-replay-job", String(job.id)],
        ]);
      }
    }
    expect(copies.some((c) => c.key === null)).toBe(true);
  });

  it("copies a range much larger than one fetch, with commits of several partitions in flight: every record once, and the counts say so", async () => {
    const request: ReplayRequest = { sourceTopic: `${run}-wide`, range: { kind: "offsets", partitions: [0, 1, 2].map((p) => ({ partition: p, from: 0, to: 4000 })) }, targetTopic: `${run}-wide-dst` };
    const plan = await dryRun(request);
    expect(plan.wouldWrite).toBe(12_000);
    runner = newRunner();
    await runner.start();
    const job = await startReplay(support, cluster, replayJobParamsSchema.parse({ request, ranges: plan.ranges, dryRunCount: plan.wouldWrite }));
    const done = await waitForJob(job.id, (j) => j.status === "COMPLETED" || j.status === "FAILED", 120_000);
    expect(done.status).toBe("COMPLETED");
    expect(done.progress).toMatchObject({ read: 12_000, matched: 12_000, written: 12_000 });
    const copies = copiesOf(await kcatConsume(bootstrap, `${run}-wide-dst`), job.id);
    expect(copies).toHaveLength(12_000);
    expect(new Set(copies.map((c) => header(c, "x-replay-of")[0])).size).toBe(12_000);
    // Partitions kept, and within each partition the source order.
    for (const partition of [0, 1, 2]) {
      const offsets = copies.filter((c) => c.partition === partition).map((c) => Number(header(c, "x-replay-of")[0]!.split("/")[2]));
      expect(offsets).toEqual(Array.from({ length: 4000 }, (_, i) => i));
    }
  });

  it("stops at the maximum count across writers that run side by side: exactly that many copies, each source once", async () => {
    const request: ReplayRequest = { sourceTopic: `${run}-big`, range: { kind: "offsets", partitions: [0, 1, 2].map((p) => ({ partition: p, from: 0, to: 500 })) }, targetTopic: `${run}-max-dst`, maxCount: 700 };
    const plan = await dryRun(request);
    expect(plan.wouldWrite).toBe(700);
    runner = newRunner();
    await runner.start();
    const job = await startReplay(support, cluster, replayJobParamsSchema.parse({ request, ranges: plan.ranges, dryRunCount: plan.wouldWrite }));
    const done = await waitForJob(job.id, (j) => j.status === "COMPLETED" || j.status === "FAILED", 120_000);
    expect(done.status).toBe("COMPLETED");
    expect(done.progress.written).toBe(700);
    const copies = copiesOf(await kcatConsume(bootstrap, `${run}-max-dst`), job.id);
    expect(copies).toHaveLength(700);
    expect(new Set(copies.map((c) => header(c, "x-replay-of")[0])).size).toBe(700);
    // Each partition's copies are a prefix of its source, in order: a writer stops at a record, never skips one.
    for (const partition of [0, 1, 2]) {
      const offsets = copies.filter((c) => c.partition === partition).map((c) => Number(header(c, "x-replay-of")[0]!.split("/")[2]));
      expect(offsets).toEqual(Array.from({ length: offsets.length }, (_, i) => i));
    }
    const audit = (await listAudit({ limit: 200 })).find((a) => a.targetId === String(job.id) && a.action === "job.completed");
    expect(JSON.stringify(audit?.details)).toContain("maximum count of 700");
  });

  it("survives kill -9 of the worker mid-replay: after a restart (two workers) every source record is written exactly once", async () => {
    const request: ReplayRequest = { sourceTopic: `${run}-big`, range: { kind: "offsets", partitions: [0, 1, 2].map((p) => ({ partition: p, from: 0, to: 500 })) }, targetTopic: `${run}-big-dst`, ratePerSec: 300 };
    const plan = await dryRun(request);
    expect(plan.wouldWrite).toBe(1500);
    const job = await startReplay(support, cluster, replayJobParamsSchema.parse({ request, ranges: plan.ranges, dryRunCount: plan.wouldWrite }));

    const workers = new TestWorkers({ LOG_LEVEL: "info", JOBS_REAP_INTERVAL_MS: "1000", SAMPLER_INTERVAL_MS: "60000" });
    const { killedAt, writtenAtKill, resumedAfterMs, done } = await killWorkerMidJob(workers, job.id, { atWritten: 300 });
    expect(killedAt.status).toBe("RUNNING");
    expect(writtenAtKill).toBeLessThan(1500);
    expect(done.status).toBe("COMPLETED");
    expect(done.attempts).toBeGreaterThanOrEqual(2);
    expect(done.progress.written).toBe(1500);

    const copies = copiesOf(await kcatConsume(bootstrap, `${run}-big-dst`), job.id);
    const counts = new Map<string, number>();
    for (const c of copies) for (const of of header(c, "x-replay-of")) counts.set(of, (counts.get(of) ?? 0) + 1);
    const expected = [0, 1, 2].flatMap((p) => Array.from({ length: 500 }, (_, o) => `${run}-big/${p}/${o}`));
    expect(copies.length).toBe(1500);
    expect([...counts.keys()].sort()).toEqual(expected.sort());
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    console.log(`kill -9 result: killed at ${writtenAtKill} written; writing again ${resumedAfterMs} ms after the restart (worker boot included); after restart ${copies.length} copies, ${counts.size} distinct sources, max count per source ${Math.max(...counts.values())}`);
    // Three worker processes boot in this test; on a busy 2-core machine that alone can take a minute.
  }, 360_000);

  // 10 msg/s: the 100 records take 10 s, so a loaded machine still cancels with records left.
  it("pauses, resumes and cancels at a checkpoint; a cancelled job reports exactly what it wrote", async () => {
    runner = newRunner();
    await runner.start();
    const request: ReplayRequest = { sourceTopic: `${run}-rate`, range: { kind: "offsets", partitions: [{ partition: 0, from: 0, to: 100 }] }, targetTopic: `${run}-ctl-dst`, ratePerSec: 10 };
    const plan = await dryRun(request);
    const job = await startReplay(support, cluster, replayJobParamsSchema.parse({ request, ranges: plan.ranges, dryRunCount: plan.wouldWrite }));
    await waitForJob(job.id, (j) => j.progress.written >= 20);
    await pauseJob(support, job.id);
    const paused = await waitForJob(job.id, (j) => j.status === "PAUSED");
    await sleep(1000);
    expect((await getJob(job.id)).progress.written).toBe(paused.progress.written);
    expect(paused.progress.written).toBeLessThan(100);
    await resumeJob(support, job.id);
    await waitForJob(job.id, (j) => j.status === "RUNNING" && j.progress.written > paused.progress.written);
    await cancelJob(support, job.id);
    const cancelled = await waitForJob(job.id, (j) => j.status === "CANCELLED");
    expect(cancelled.progress.written).toBeLessThan(100);
    const copies = copiesOf(await kcatConsume(bootstrap, `${run}-ctl-dst`), job.id);
    expect(copies).toHaveLength(cancelled.progress.written);
    // The first N source records, each once: a cancel keeps what was written and nothing more.
    expect(copies.map((c) => header(c, "x-replay-of")[0])).toEqual(Array.from({ length: cancelled.progress.written }, (_, i) => `${run}-rate/0/${i}`));
    const actions = (await listAudit({ limit: 100 })).filter((a) => a.targetId === String(job.id)).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(["job.pause", "job.paused", "job.resume", "job.cancel", "job.cancelled"]));
    await expect(resumeJob(support, job.id)).rejects.toThrow(/only a paused job can be resumed/);
  });

  it("paces to the rate limit: 100 records at 20 msg/s take at least about 4.9 s", async () => {
    runner = newRunner();
    await runner.start();
    const request: ReplayRequest = { sourceTopic: `${run}-rate`, range: { kind: "offsets", partitions: [{ partition: 0, from: 0, to: 100 }] }, targetTopic: `${run}-rate-dst`, ratePerSec: 20 };
    const plan = await dryRun(request);
    const job = await startReplay(support, cluster, replayJobParamsSchema.parse({ request, ranges: plan.ranges, dryRunCount: plan.wouldWrite }));
    const done = await waitForJob(job.id, (j) => j.status === "COMPLETED" || j.status === "FAILED");
    expect(done.status).toBe("COMPLETED");
    expect(done.progress.written).toBe(100);
    expect(done.finishedAt!.getTime() - done.startedAt!.getTime()).toBeGreaterThanOrEqual(4900);
    expect(copiesOf(await kcatConsume(bootstrap, `${run}-rate-dst`), job.id)).toHaveLength(100);
  });

  it("starts one job per idempotency key: a repeated or concurrent submit gets the first job back", async () => {
    const submitter = { email: `idem-${run}@signalbox.local`, name: "Idem", role: "support" as const };
    const request: ReplayRequest = { sourceTopic: `${run}-rate`, range: { kind: "offsets", partitions: [{ partition: 0, from: 0, to: 10 }] }, targetTopic: `${run}-idem-dst` };
    const plan = await dryRun(request);
    const submit = (idempotencyKey: string) => startReplay(submitter, cluster, replayJobParamsSchema.parse({ request, ranges: plan.ranges, dryRunCount: plan.wouldWrite, idempotencyKey }));
    const key = randomUUID();
    // A double click: both requests at once.
    const [first, second] = await Promise.all([submit(key), submit(key)]);
    expect(second.id).toBe(first.id);
    // A retried request, later.
    expect((await submit(key)).id).toBe(first.id);
    const other = await submit(randomUUID());
    expect(other.id).not.toBe(first.id);
    const created = (await listAudit({ limit: 200 })).filter((a) => a.action === "job.create" && a.actorEmail === submitter.email);
    expect(created).toHaveLength(2);
    for (const job of [first, other]) await cancelJob(submitter, job.id);
  });
});
