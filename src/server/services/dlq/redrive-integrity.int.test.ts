// Integration: a redrive marks REDRIVEN only what it wrote, and its claims never outlive the job.
// Real broker and PostgreSQL, kcat as the independent reader.
// - a job that ended without its cleanup (worker died, Kafka away) has its claims released by the sweep;
// - records deleted by retention before the job reached them are EXPIRED, not REDRIVEN;
// - a record whose target is unknown stays pending, with the reason shown on it.
import { beforeAll, describe, expect, it } from "vitest";
import { closeConnectionsAfterAll } from "../../../../scripts/lib/test-support";
import { kcatConsume, kcatHeader as header, type KcatRecord } from "../../../../scripts/lib/kcat";
import { waitForJob } from "../../../../scripts/lib/wait-for-job";
import { getEnv } from "~/env";
import { signalboxDlqHeaders } from "~/lib/dlq-headers";
import { createProducer, deleteRecordsBefore, ensureTopics, type OutgoingRecord } from "~/server/broker";
import { listDlqStates, transitionJob } from "~/server/catalog";
import { clusterFromEnv } from "~/server/services/clusters/active-cluster";
import type { JobView } from "~/server/services/jobs/jobs";
import { JOB_HANDLERS } from "~/worker/jobs/kinds";
import { JobRunner } from "~/worker/jobs/runner";
import { releaseClaimsOfEndedJobs } from "./claim-sweeper";
import { getDlqMessage, startRedrive } from "./dlq";
import { catchUpDlqIndex } from "./indexer";
import { parseDlqRequest } from "./dlq.types";

const env = getEnv();
const cluster = clusterFromEnv(env);
const bootstrap = cluster.brokers[0]!;
const run = `it-dlq-integrity-${Date.now()}`;
const source = `${run}-orders`;
const support = { email: "support@signalbox.local", name: "Support", role: "support" as const };
const finished = (j: JobView) => j.status === "COMPLETED" || j.status === "FAILED" || j.status === "CANCELLED";
const ofJob = (records: KcatRecord[], jobId: number) => records.filter((r) => header(r, "x-replay-job").includes(String(jobId)));

/** A dead-lettered record; `origin` false: its headers name no source topic. */
function deadLetter(i: number, origin = true): OutgoingRecord {
  const error = { errorClass: "TimeoutException", message: "gateway timed out", attempts: 1 };
  return {
    key: `order-${i}`,
    value: JSON.stringify({ eventId: `e-${i}`, eventType: "OrderPlaced", data: { i } }),
    headers: origin ? signalboxDlqHeaders({ topic: source, partition: 0, offset: String(i) }, error) : { "x-error-class": error.errorClass, "x-error-message": error.message },
  };
}

/** Polls until `done` holds: the runner records a job's outcome before it runs the job's cleanup. */
async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 200));
  }
}

const all = (count: number) => Array.from({ length: count }, (_, offset) => ({ partition: 0, offset }));

let runner: JobRunner | null = null;
const startRunner = async () => {
  runner ??= new JobRunner(async (name) => (name === cluster.name ? cluster : null), JOB_HANDLERS, { workerId: `it-dlq-integrity-${process.pid}`, concurrency: 1, reapIntervalMs: 1000, claimGraceMs: 20_000, retryAfterMs: 1000 });
  await runner.start();
};

beforeAll(async () => {
  await ensureTopics(cluster, [
    { topic: source, numPartitions: 1 },
    { topic: `${run}-swept.DLQ`, numPartitions: 1 },
    { topic: `${run}-retention.DLQ`, numPartitions: 1 },
    { topic: `${run}-untargeted.DLQ`, numPartitions: 1 },
  ]);
  const producer = await createProducer(cluster);
  await producer.send(`${run}-swept.DLQ`, [0, 1, 2].map((i) => deadLetter(i)));
  await producer.send(`${run}-retention.DLQ`, [0, 1, 2, 3].map((i) => deadLetter(i)));
  // Offset 1 names no source topic, and the DLQ declares none.
  await producer.send(`${run}-untargeted.DLQ`, [deadLetter(0), deadLetter(1, false), deadLetter(2)]);
  await producer.disconnect();
  // What the worker's DLQ index loop does (only the worker writes the index).
  for (const topic of ["swept", "retention", "untargeted"]) await catchUpDlqIndex(cluster, `${run}-${topic}.DLQ`);
});

closeConnectionsAfterAll(async () => {
  await runner?.stop();
});

describe("redrive integrity", () => {
  it("releases the claims of a job that ended without its cleanup", async () => {
    const dlq = `${run}-swept.DLQ`;
    // No runner yet: the job is created and its records claimed, then it ends as a worker that died
    // after recording the outcome would leave it: terminal, cleanup never run.
    const job = await startRedrive(support, cluster, parseDlqRequest.redrive({ topic: dlq, selection: { kind: "positions", positions: all(3) } }));
    expect((await listDlqStates(cluster.name, dlq)).map((s) => s.status)).toEqual(["QUEUED", "QUEUED", "QUEUED"]);
    await transitionJob(job.id, ["QUEUED"], { status: "CANCELLED", finishedAt: new Date(Date.now() - 120_000) });

    expect(await releaseClaimsOfEndedJobs(cluster, new Date(Date.now() - 60_000))).toContain(job.id);
    expect(await listDlqStates(cluster.name, dlq)).toEqual([]);
  });

  it("marks records deleted by retention before the job reached them as expired, never redriven", async () => {
    const dlq = `${run}-retention.DLQ`;
    const job = await startRedrive(support, cluster, parseDlqRequest.redrive({ topic: dlq, selection: { kind: "positions", positions: all(4) } }));
    // Retention deletes the first two while the job waits for a worker.
    await deleteRecordsBefore(cluster, dlq, [{ partition: 0, offset: 2 }]);
    await startRunner();

    const done = await waitForJob(job.id, finished);
    expect(done.status).toBe("COMPLETED");
    const states = (await listDlqStates(cluster.name, dlq)).sort((a, b) => a.offset - b.offset);
    expect(states.map((s) => [s.offset, s.status])).toEqual([
      [0, "EXPIRED"],
      [1, "EXPIRED"],
      [2, "REDRIVEN"],
      [3, "REDRIVEN"],
    ]);
    expect(states[0]!.reason).toMatch(/Deleted by retention/);
    const written = ofJob(await kcatConsume(bootstrap, source), job.id).map((r) => header(r, "x-replay-of")[0]);
    expect(written.sort()).toEqual([`${dlq}/0/2`, `${dlq}/0/3`]);
  });

  it("leaves a record whose target is unknown pending, with the reason shown, while the records around it are redriven", async () => {
    const dlq = `${run}-untargeted.DLQ`;
    await startRunner();
    const job = await startRedrive(support, cluster, parseDlqRequest.redrive({ topic: dlq, selection: { kind: "positions", positions: all(3) } }));
    const done = await waitForJob(job.id, finished);
    expect(done.status).toBe("COMPLETED");

    const states = (await eventually(() => listDlqStates(cluster.name, dlq), (rows) => !rows.some((r) => r.status === "QUEUED"))).sort((a, b) => a.offset - b.offset);
    expect(states.map((s) => [s.offset, s.status])).toEqual([
      [0, "REDRIVEN"],
      [2, "REDRIVEN"],
    ]);
    const untargeted = await getDlqMessage(cluster, dlq, { partition: 0, offset: 1 });
    expect(untargeted.status).toBe("PENDING");
    expect(untargeted.redriveProblem).toMatch(/name no source topic/);
    const written = ofJob(await kcatConsume(bootstrap, source), job.id).map((r) => header(r, "x-replay-of")[0]);
    expect(written.sort()).toEqual([`${dlq}/0/0`, `${dlq}/0/2`]);
  });
});
