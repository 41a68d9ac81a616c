// Integration: DLQ inspection and redrive on a real broker and PostgreSQL, kcat as the independent reader.
// - demo-style DLQ (Signalbox headers, as the demo's payment-service writes payments.DLQ): grouped by
//   reason; one reason redriven at a set rate, each record exactly once on its source topic with the
//   replay headers and its original eventId; a double-click writes one copy;
// - edit and redrive: an invalid edit is refused with the error path, a valid one is written and audited;
// - cancel: the moved count is what was written, later records stay pending;
// - the attempt cap sends a record to the parking lot;
// - kill -9 of the worker mid-job, then a restart: every record exactly once and its state recorded.
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { closeConnectionsAfterAll } from "../../../../scripts/lib/test-support";
import { kcatConsume, kcatHeader as header, type KcatRecord } from "../../../../scripts/lib/kcat";
import { TestWorkers } from "../../../../scripts/lib/test-workers";
import { killWorkerMidJob, waitForJob } from "../../../../scripts/lib/wait-for-job";
import { getEnv } from "~/env";
import { signalboxDlqHeaders } from "~/lib/dlq-headers";
import { createProducer, ensureTopics, type OutgoingRecord } from "~/server/broker";
import { listAudit, listDlqStates } from "~/server/catalog";
import { clusterFromEnv } from "~/server/services/clusters/active-cluster";
import { cancelJob, type JobView } from "~/server/services/jobs/jobs";
import { parseConfluentFrame, encodeConfluentFrame } from "~/lib/wire-format";
import { registerEventType } from "~/server/services/schemas/event-types";
import { decodeWith, encodeWith, parseSchema } from "~/server/services/schemas/formats";
import { JOB_HANDLERS } from "~/worker/jobs/kinds";
import { JobRunner } from "~/worker/jobs/runner";
import { discardDlq, editAndRedrive, findDlqRecords, listDlqGroups, startRedrive } from "./dlq";
import { catchUpDlqIndex } from "./indexer";
import { parseDlqRequest } from "./dlq.types";

const env = getEnv();
const cluster = clusterFromEnv(env);
const bootstrap = cluster.brokers[0]!;
const run = `it-dlq-${Date.now()}`;
const source = `${run}-payments`;
const dlq = `${run}.DLQ`;
const support = { email: "support@signalbox.local", name: "Support", role: "support" as const };
const REASONS = [
  { errorClass: "PaymentGatewayTimeoutException", message: (i: number) => `Payment gateway did not answer within ${3000 + i} ms` },
  { errorClass: "CardTokenExpiredException", message: () => "Card token has expired for customer" },
  { errorClass: "CurrencyNotSupportedException", message: () => "Currency CHF is not supported by the acquirer" },
];
const eventIds = new Map<number, string>();

const ofJob = (records: KcatRecord[], jobId: number) => records.filter((r) => header(r, "x-replay-job").includes(String(jobId)));

const finished = (j: JobView) => j.status === "COMPLETED" || j.status === "FAILED" || j.status === "CANCELLED";

function envelope(i: number, eventType = "OrderPlaced", data: object = { orderId: `o-${i}`, amount: i }) {
  const eventId = randomUUID();
  eventIds.set(i, eventId);
  return JSON.stringify({ eventId, eventType, timestamp: new Date().toISOString(), version: 1, source: "order-service", data, metadata: { correlationId: `corr-${i}`, causationId: null } });
}

/** A dead-lettered record as the demo's payment-service writes it. */
function deadLetter(i: number, reason: (typeof REASONS)[number], extra: Record<string, string> = {}): OutgoingRecord {
  return {
    key: `order-${i}`,
    value: envelope(i),
    headers: { eventType: "OrderPlaced", ...signalboxDlqHeaders({ topic: source, partition: i % 3, offset: String(i) }, { errorClass: reason.errorClass, message: reason.message(i), attempts: 3 }), ...extra },
  };
}

let runner: JobRunner | null = null;
const startRunner = async () => {
  if (runner) return;
  runner = new JobRunner(async (name) => (name === cluster.name ? cluster : null), JOB_HANDLERS, { workerId: `it-dlq-${process.pid}`, concurrency: 2, reapIntervalMs: 1000, claimGraceMs: 20_000, retryAfterMs: 1000 });
  await runner.start();
};
const stopRunner = async () => {
  await runner?.stop();
  runner = null;
};

beforeAll(async () => {
  await ensureTopics(cluster, [
    { topic: source, numPartitions: 3 },
    { topic: dlq, numPartitions: 1 },
    { topic: `${run}-edit.DLQ`, numPartitions: 1 },
    { topic: `${run}-avro.DLQ`, numPartitions: 1 },
    { topic: `${run}-cancel.DLQ`, numPartitions: 1 },
    { topic: `${run}-big.DLQ`, numPartitions: 3 },
    { topic: `${run}-big`, numPartitions: 3 },
  ]);
  const producer = await createProducer(cluster);
  // 60 failures: 30 timeouts, 20 expired tokens, 10 unsupported currencies, interleaved.
  await producer.send(dlq, Array.from({ length: 60 }, (_, i) => deadLetter(i, REASONS[i % 6 < 3 ? 0 : i % 6 < 5 ? 1 : 2]!)));
  // One already redriven three times: past the default cap (3) it goes to the parking lot.
  await producer.send(dlq, [deadLetter(999, REASONS[2]!, { "x-redrive-attempt": "3" })]);
  await producer.send(`${run}-cancel.DLQ`, Array.from({ length: 100 }, (_, i) => deadLetter(1000 + i, REASONS[0]!)));
  await producer.send(
    `${run}-big.DLQ`,
    Array.from({ length: 1500 }, (_, i) => ({ ...deadLetter(2000 + i, REASONS[0]!), partition: i % 3, headers: { ...signalboxDlqHeaders({ topic: `${run}-big`, partition: 0, offset: String(i) }, { errorClass: "X", message: "y", attempts: 1 }) } })),
  );
  await producer.disconnect();
  // What the worker's DLQ index loop does (only the worker writes the index).
  for (const topic of [dlq, `${run}-cancel.DLQ`, `${run}-big.DLQ`]) await catchUpDlqIndex(cluster, topic);
});

closeConnectionsAfterAll(async () => {
  await stopRunner();
});

describe("DLQ", () => {
  it("groups a demo-style DLQ by reason and redrives one reason at a set rate, each record exactly once with the replay headers and its eventId", async () => {
    const listed = await listDlqGroups(cluster, dlq);
    expect(listed.matched).toBe(61);
    expect(listed.groups.map((g) => [g.reason, g.count])).toEqual([
      ["PaymentGatewayTimeoutException: Payment gateway did not answer within <n> ms", 30],
      ["CardTokenExpiredException: Card token has expired for customer", 20],
      ["CurrencyNotSupportedException: Currency CHF is not supported by the acquirer", 11],
    ]);
    const timeout = listed.groups[0]!;
    expect(timeout.sample[0]!.origin.topic).toBe(source);

    await startRunner();
    const job = await startRedrive(support, cluster, parseDlqRequest.redrive({ topic: dlq, selection: { kind: "filter", filter: { reason: timeout.reason } }, ratePerSec: 20 }));
    const done = await waitForJob(job.id, finished);
    expect(done.status).toBe("COMPLETED");
    expect(done.progress.written).toBe(30);
    // 30 records at 20 msg/s: at least (30 − 1) / 20 s.
    expect(done.finishedAt!.getTime() - done.startedAt!.getTime()).toBeGreaterThanOrEqual(1400);

    const copies = ofJob(await kcatConsume(bootstrap, source), job.id);
    expect(copies).toHaveLength(30);
    const dlqRecords = await kcatConsume(bootstrap, dlq);
    const seen = new Set<string>();
    for (const copy of copies) {
      const [of] = header(copy, "x-replay-of");
      expect(seen.has(of!)).toBe(false);
      seen.add(of!);
      const offset = Number(of!.split("/")[2]);
      const original = dlqRecords.find((r) => r.offset === offset)!;
      expect(copy.key!.toString()).toBe(original.key!.toString());
      expect(copy.value!.equals(original.value!)).toBe(true);
      expect(JSON.parse(copy.value!.toString()).eventId).toBe(JSON.parse(original.value!.toString()).eventId);
      expect(header(copy, "x-error-class")).toEqual(["PaymentGatewayTimeoutException"]);
      expect(header(copy, "x-redrive-attempt")).toEqual(["1"]);
      expect(header(copy, "x-replay-job")).toEqual([String(job.id)]);
    }
    expect([...seen].sort()).toEqual(Array.from({ length: 30 }, (_, k) => `${dlq}/0/${Math.floor(k / 3) * 6 + (k % 3)}`).sort());

    const states = await listDlqStates(cluster.name, dlq);
    expect(states.filter((s) => s.status === "REDRIVEN")).toHaveLength(30);
    expect(states.every((s) => s.jobId === job.id && s.targetTopic === source && s.redriveAttempt === 1)).toBe(true);
    expect((await listDlqGroups(cluster, dlq)).groups.map((g) => g.count)).toEqual([20, 11]);

    // A double-click: the same pending record twice at once, and a redriven one again.
    const target = (await findDlqRecords(cluster, dlq, parseDlqRequest.filter({ reason: listed.groups[1]!.reason }))).entries[0]!;
    const clicks = await Promise.allSettled([0, 1].map(() => startRedrive(support, cluster, parseDlqRequest.redrive({ topic: dlq, selection: { kind: "positions", positions: [{ partition: 0, offset: target.offset }] } }))));
    expect(clicks.filter((c) => c.status === "fulfilled")).toHaveLength(1);
    expect(String((clicks.find((c) => c.status === "rejected") as PromiseRejectedResult).reason)).toMatch(/already redriven, discarded or queued/);
    await expect(startRedrive(support, cluster, parseDlqRequest.redrive({ topic: dlq, selection: { kind: "positions", positions: [{ partition: 0, offset: 0 }] } }))).rejects.toThrow(/already redriven/);
    const clickJob = (clicks.find((c) => c.status === "fulfilled") as PromiseFulfilledResult<JobView>).value;
    await waitForJob(clickJob.id, finished);
    const afterClicks = (await kcatConsume(bootstrap, source)).filter((r) => header(r, "x-replay-of").includes(`${dlq}/0/${target.offset}`));
    expect(afterClicks).toHaveLength(1);

    const audit = (await listAudit({ limit: 200 })).filter((a) => a.action === "dlq.redrive" && a.targetId === dlq);
    expect(audit.length).toBeGreaterThanOrEqual(2);
  });

  it("sends a record past the attempt cap to the parking lot", async () => {
    const parked = (await findDlqRecords(cluster, dlq, parseDlqRequest.filter({}))).entries.find((e) => e.redriveAttempts === 3)!;
    const job = await startRedrive(support, cluster, parseDlqRequest.redrive({ topic: dlq, selection: { kind: "positions", positions: [parked] } }));
    expect((await waitForJob(job.id, finished)).status).toBe("COMPLETED");
    const lot = ofJob(await kcatConsume(bootstrap, `${dlq}.parking-lot`), job.id);
    expect(lot).toHaveLength(1);
    expect(header(lot[0]!, "x-redrive-attempt")).toEqual(["4"]);
    expect(ofJob(await kcatConsume(bootstrap, source), job.id)).toHaveLength(0);
  });

  it("refuses an edit that fails schema validation with the error path, and redrives and audits a valid one", async () => {
    const editDlq = `${run}-edit.DLQ`;
    const eventType = `DlqEdit${Date.now()}`;
    const schema = { type: "object", required: ["data"], properties: { data: { type: "object", required: ["amount"], properties: { amount: { type: "number" } } } } };
    await registerEventType({ ...support, role: "architect" as const }, cluster.name, { name: eventType, domain: "it", owner: "it", description: "", topics: [], compatibility: null, schema: JSON.stringify(schema) });
    const producer = await createProducer(cluster);
    const original = JSON.stringify({ eventId: "evt-edit-1", eventType, data: { amount: "12.50" } });
    await producer.send(editDlq, [{ key: "k-edit", value: original, headers: signalboxDlqHeaders({ topic: source, partition: 0, offset: "5" }, { errorClass: "SchemaException", message: "amount is not a number", attempts: 1 }) }]);
    await producer.disconnect();

    await expect(editAndRedrive(support, cluster, parseDlqRequest.edit({ topic: editDlq, partition: 0, offset: 0, value: "{not json" }))).rejects.toThrow(/value: Not JSON/);
    await expect(editAndRedrive(support, cluster, parseDlqRequest.edit({ topic: editDlq, partition: 0, offset: 0, value: JSON.stringify({ eventId: "evt-edit-1", eventType, data: { amount: "still text" } }) }))).rejects.toThrow(/\/data\/amount/);
    expect(await listDlqStates(cluster.name, editDlq)).toHaveLength(0);

    const fixed = JSON.stringify({ eventId: "evt-edit-1", eventType, data: { amount: 12.5 } });
    const job = await editAndRedrive(support, cluster, parseDlqRequest.edit({ topic: editDlq, partition: 0, offset: 0, value: fixed }));
    expect((await waitForJob(job.id, finished)).status).toBe("COMPLETED");
    const copies = ofJob(await kcatConsume(bootstrap, source), job.id);
    expect(copies).toHaveLength(1);
    expect(copies[0]!.value!.toString()).toBe(fixed);
    expect(copies[0]!.key!.toString()).toBe("k-edit");
    const [state] = await listDlqStates(cluster.name, editDlq);
    expect(state).toMatchObject({ status: "REDRIVEN", editAfter: fixed, jobId: job.id });
    const audit = (await listAudit({ limit: 200 })).find((a) => a.action === "dlq.edit-redrive" && a.targetId === `${editDlq}/0/0`);
    expect(audit?.details).toMatchObject({ after: fixed, jobId: job.id });
    expect(JSON.parse((audit!.details as { before: string }).before)).toEqual(JSON.parse(original));
  });

  it("edits an Avro record as JSON and redrives it encoded with its own schema, under the same schema id; an edit the schema cannot hold is refused", async () => {
    const avroDlq = `${run}-avro.DLQ`;
    const name = `AvroRefund${Date.now()}`;
    const schemaText = JSON.stringify({ type: "record", name, namespace: "it.dlq", fields: [{ name: "refundId", type: "string" }, { name: "amount", type: "int" }] });
    const registered = await registerEventType({ ...support, role: "architect" as const }, cluster.name, { name, domain: "it", owner: "it", description: "", topics: [], compatibility: null, schema: schemaText, schemaType: "AVRO" });
    if (registered.status !== "created") throw new Error(`not registered: ${JSON.stringify(registered)}`);
    const parsed = parseSchema("AVRO", schemaText);
    if (!parsed.ok) throw new Error(parsed.problems.join("; "));
    const framed = Buffer.from(encodeConfluentFrame(registered.schemaId, encodeWith(parsed, { refundId: "r-1", amount: -5 })));
    const producer = await createProducer(cluster);
    await producer.send(avroDlq, [{ key: "k-avro", value: framed, headers: signalboxDlqHeaders({ topic: source, partition: 0, offset: "7" }, { errorClass: "NegativeAmount", message: "amount < 0", attempts: 1 }) }]);
    await producer.disconnect();

    const edit = (value: unknown) => parseDlqRequest.edit({ topic: avroDlq, partition: 0, offset: 0, value: JSON.stringify(value) });
    await expect(editAndRedrive(support, cluster, edit({ refundId: "r-1", amount: "five" }))).rejects.toThrow(/does not fit the record's AVRO schema \(id \d+\)/);
    expect(await listDlqStates(cluster.name, avroDlq)).toHaveLength(0);

    const job = await editAndRedrive(support, cluster, edit({ refundId: "r-1", amount: 5 }));
    expect((await waitForJob(job.id, finished)).status).toBe("COMPLETED");
    const [copy] = ofJob(await kcatConsume(bootstrap, source), job.id);
    const frame = parseConfluentFrame(copy!.value!);
    expect(frame?.schemaId).toBe(registered.schemaId);
    expect(decodeWith(parsed, frame!.payload)).toMatchObject({ ok: true, value: { refundId: "r-1", amount: 5 } });
  });

  it("discards with a required reason, and a cancelled redrive reports what it moved while later records stay pending", async () => {
    const cancelDlq = `${run}-cancel.DLQ`;
    await expect((async () => discardDlq(support, cluster, parseDlqRequest.discard({ topic: cancelDlq, selection: { kind: "positions", positions: [{ partition: 0, offset: 99 }] }, reason: "" })))()).rejects.toThrow(/Say why/);
    expect(await discardDlq(support, cluster, parseDlqRequest.discard({ topic: cancelDlq, selection: { kind: "positions", positions: [{ partition: 0, offset: 99 }] }, reason: "test order, not real" }))).toEqual({ discarded: 1 });

    await startRunner();
    const job = await startRedrive(support, cluster, parseDlqRequest.redrive({ topic: cancelDlq, selection: { kind: "filter", filter: {} }, ratePerSec: 20 }));
    expect((job.params as { count: number }).count).toBe(99);
    await waitForJob(job.id, (j) => j.progress.written >= 20);
    await cancelJob(support, job.id);
    const cancelled = await waitForJob(job.id, finished);
    expect(cancelled.status).toBe("CANCELLED");
    const moved = cancelled.progress.written;
    expect(moved).toBeGreaterThanOrEqual(20);
    expect(moved).toBeLessThan(99);
    const copies = ofJob(await kcatConsume(bootstrap, source), job.id);
    expect(copies).toHaveLength(moved);
    // The first `moved` records, each once (copies spread over the source's partitions by key).
    const movedOffsets = copies.map((c) => Number(header(c, "x-replay-of")[0]!.split("/")[2])).sort((a, b) => a - b);
    expect(movedOffsets).toEqual(Array.from({ length: moved }, (_, i) => i));
    const states = await listDlqStates(cluster.name, cancelDlq);
    expect(states.filter((s) => s.status === "REDRIVEN")).toHaveLength(moved);
    expect(states.filter((s) => s.status === "QUEUED")).toHaveLength(0);
    const pending = await findDlqRecords(cluster, cancelDlq, parseDlqRequest.filter({}));
    expect(pending.entries.map((e) => e.offset)).toEqual(Array.from({ length: 99 - moved }, (_, i) => moved + i));
  });

  it("survives kill -9 of the worker mid-redrive: after a restart (two workers) each record is written exactly once and recorded", async () => {
    // Only the spawned worker processes run jobs here.
    await stopRunner();
    const bigDlq = `${run}-big.DLQ`;
    const job = await startRedrive(support, cluster, parseDlqRequest.redrive({ topic: bigDlq, selection: { kind: "filter", filter: {} }, ratePerSec: 300 }));
    const workers = new TestWorkers({ LOG_LEVEL: "info", JOBS_REAP_INTERVAL_MS: "1000", SAMPLER_INTERVAL_MS: "60000" });
    let recordedAtKill = 0;
    const onKilled = async () => {
      recordedAtKill = (await listDlqStates(cluster.name, bigDlq)).filter((s) => s.status === "REDRIVEN").length;
    };
    const { killedAt, writtenAtKill, done } = await killWorkerMidJob(workers, job.id, { atWritten: 300, onKilled, timeoutMs: 120_000 });
    expect(killedAt.status).toBe("RUNNING");
    expect(writtenAtKill).toBeLessThan(1500);
    expect(done.status).toBe("COMPLETED");
    expect(done.attempts).toBeGreaterThanOrEqual(2);
    expect(done.progress.written).toBe(1500);
    const copies = ofJob(await kcatConsume(bootstrap, `${run}-big`), job.id);
    const counts = new Map<string, number>();
    for (const c of copies) for (const of of header(c, "x-replay-of")) counts.set(of, (counts.get(of) ?? 0) + 1);
    expect(copies).toHaveLength(1500);
    expect(counts.size).toBe(1500);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    const states = await listDlqStates(cluster.name, bigDlq);
    expect(states.filter((s) => s.status === "REDRIVEN" && s.jobId === job.id)).toHaveLength(1500);
    console.log(`kill -9 result: killed at ${writtenAtKill} written (${recordedAtKill} recorded REDRIVEN); after restart ${copies.length} copies, ${counts.size} distinct DLQ positions, max per position ${Math.max(...counts.values())}, ${states.length} states REDRIVEN`);
  }, 300_000);
});
