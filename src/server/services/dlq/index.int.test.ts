// Integration: the DLQ index on a real broker and PostgreSQL, with Kafka's own tools and kcat as the
// independent references.
// - catch-up (the worker's): the lag says what is still to read, a catch-up reads it all, nothing twice;
// - filters answered by the index (key, event type, correlation id, time) and by the payload (text);
// - the overview and the history chart agree after a discard;
// - retention: records deleted below the log start (kafka-delete-records) leave the index, and so
//   do their states once no unfinished job counts on them;
// - a DLQ declared in the catalog (no pattern matches it): listed, redriven to its declared source;
// - claims whose job was never created are released;
// - roles: support acts, architects declare, viewers read.
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { TRPCError } from "@trpc/server";
import { beforeAll, describe, expect, it } from "vitest";
import { callerAs, closeConnectionsAfterAll } from "../../../../scripts/lib/test-support";
import { kcatConsume, kcatHeader } from "../../../../scripts/lib/kcat";
import { kafkaTool } from "../../../../scripts/lib/local-kafka";
import { INTEGRATION_STACK } from "../../../../scripts/lib/test-ports";
import { waitForJob } from "../../../../scripts/lib/wait-for-job";
import { getEnv } from "~/env";
import { signalboxDlqHeaders } from "~/lib/dlq-headers";
import { createProducer, ensureTopics, readRange, type OutgoingRecord } from "~/server/broker";
import { appendDlqRecords, CHANNELS, claimDlqPositions, countDlqRecords, listen, findDlqState, listAudit, markClaimsExpired, readDlqCursors, releaseOrphanClaims, releaseQueuedClaims, setDlqClaimJobId, transitionJob, type Actor } from "~/server/catalog";
import { clusterFromEnv } from "~/server/services/clusters/active-cluster";
import { JOB_HANDLERS } from "~/worker/jobs/kinds";
import { JobRunner } from "~/worker/jobs/runner";
import { discardDlq, dlqOverview, findDlqRecords, startRedrive } from "./dlq";
import { dlqHistory } from "./history";
import { readIndexLag } from "./index-lag";
import { toIndexRow } from "./index-row";
import { catchUpDlqIndex } from "./indexer";
import { declareDlqTopic, dlqTopicRule, requireDlqTopic, undeclareDlqTopic } from "./topics";
import { parseDlqRequest } from "./dlq.types";

const env = getEnv();
const cluster = clusterFromEnv(env);
const bootstrap = cluster.brokers[0]!;
const run = `it-dlqidx-${Date.now()}`;
const dlq = `${run}.DLQ`;
const source = `${run}-orders`;
const billingDlq = `${run}-billing-failures`;
const billing = `${run}-billing`;
const support: Actor = { email: "support-idx@signalbox.local", name: "Support", role: "support" };
const architect: Actor = { email: "architect-idx@signalbox.local", name: "Architect", role: "architect" };
const viewer: Actor = { email: "viewer-idx@signalbox.local", name: "Viewer", role: "viewer" };
const operator: Actor = { email: "operator-idx@signalbox.local", name: "Operator", role: "operator" };
// The 30 records carry timestamps one second apart, starting ten minutes ago.
const base = Date.now() - 10 * 60_000;

function deadLetter(i: number): OutgoingRecord {
  const eventType = i % 2 === 0 ? "OrderPlaced" : "PaymentFailed";
  const note = i === 7 ? "needle-xyz" : "plain";
  return {
    key: `order-${i}`,
    partition: i % 2,
    timestamp: String(base + i * 1000),
    value: JSON.stringify({ eventId: `evt-${run}-${i}`, eventType, data: { orderId: `o-${i}`, note }, metadata: { correlationId: `c-${i}`, causationId: null } }),
    headers: signalboxDlqHeaders({ topic: source, partition: 0, offset: String(i) }, { errorClass: i % 3 === 0 ? "GatewayTimeout" : "CardExpired", message: `failed ${i}`, attempts: 2 }),
  };
}

let runner: JobRunner | null = null;

beforeAll(async () => {
  await ensureTopics(cluster, [
    { topic: dlq, numPartitions: 2 },
    { topic: source, numPartitions: 1 },
    { topic: billingDlq, numPartitions: 1 },
    { topic: billing, numPartitions: 1 },
  ]);
  const producer = await createProducer(cluster);
  await producer.send(dlq, Array.from({ length: 30 }, (_, i) => deadLetter(i)));
  // Failures of a hand-written service: no DLQ headers at all.
  await producer.send(billingDlq, [1, 2, 3].map((i) => ({ key: `invoice-${i}`, value: JSON.stringify({ eventId: `inv-${run}-${i}`, eventType: "InvoiceIssued", data: { n: i } }) })));
  await producer.disconnect();
});

closeConnectionsAfterAll(async () => {
  await runner?.stop();
});

describe("DLQ index", () => {
  it("reads new records in: the lag says what is left, a catch-up reads it all, and nothing is indexed twice", async () => {
    const before = await readIndexLag(cluster, dlq);
    expect(before).toMatchObject({ total: 30, behind: 30, checkedAt: null });
    expect(before.partitions.map((p) => [p.partition, p.indexedTo, p.end])).toEqual([
      [0, null, 15],
      [1, null, 15],
    ]);
    const first = await catchUpDlqIndex(cluster, dlq);
    expect(first).toMatchObject({ added: 30, behind: 0, total: 30 });
    const after = await readIndexLag(cluster, dlq);
    expect(after).toMatchObject({ total: 30, behind: 0 });
    expect(after.partitions.map((p) => [p.partition, p.indexedTo, p.end])).toEqual([
      [0, 15, 15],
      [1, 15, 15],
    ]);
    expect(after.checkedAt).not.toBeNull();
    expect((await catchUpDlqIndex(cluster, dlq)).added).toBe(0);
    expect(await countDlqRecords({ clusterName: cluster.name, topic: dlq, status: "ALL" })).toBe(30);
    // Kafka's own tool agrees on what the topic holds.
    const offsets = await kafkaTool(INTEGRATION_STACK.kafkaPort, "kafka-get-offsets", ["--topic", dlq]);
    expect(offsets.trim().split("\n").reduce((sum, line) => sum + Number(line.split(":")[2]), 0)).toBe(30);
  });

  it("filters by key, event type, correlation id and time in the index, and by payload text in the topic", async () => {
    const count = async (filter: Parameters<typeof parseDlqRequest.filter>[0]) => (await findDlqRecords(cluster, dlq, parseDlqRequest.filter(filter))).matched;
    expect(await count({ key: "order-1", keyMatch: "contains" })).toBe(11); // order-1 and order-10 … order-19
    expect(await count({ key: "order-1" })).toBe(1);
    expect(await count({ eventType: "PaymentFailed" })).toBe(15);
    expect(await count({ correlationId: "c-7" })).toBe(1);
    expect(await count({ from: base + 10_000, to: base + 20_000 })).toBe(10);
    expect(await count({ reason: "GatewayTimeout: failed <n>" })).toBe(10);
    const needle = await findDlqRecords(cluster, dlq, parseDlqRequest.filter({ text: "needle-xyz" }));
    expect(needle.entries.map((e) => e.key)).toEqual(["order-7"]);
    expect(needle.entries[0]).toMatchObject({ partition: 1, eventType: "PaymentFailed", origin: { topic: source }, status: "PENDING" });
    await expect((async () => findDlqRecords(cluster, dlq, parseDlqRequest.filter({ from: 2_000, to: 1_000 })))()).rejects.toThrow(/time range ends before it starts/);
  });

  it("after a discard the overview's depth and the history chart's right edge agree, and the change is announced", async () => {
    // Listening is in place before the discard (listen resolves once LISTEN is active).
    const announced: unknown[] = [];
    const stopListening = await listen(CHANNELS.dlq, (payload) => announced.push(JSON.parse(payload)));
    await expect((async () => discardDlq(support, cluster, parseDlqRequest.discard({ topic: dlq, selection: { kind: "filter", filter: { eventType: "PaymentFailed" } }, reason: "x" })))()).rejects.toThrow(/Say why/);
    expect(await discardDlq(support, cluster, parseDlqRequest.discard({ topic: dlq, selection: { kind: "filter", filter: { eventType: "PaymentFailed" } }, reason: "test payments, not real" }))).toEqual({ discarded: 15 });
    await expect(discardDlq(support, cluster, parseDlqRequest.discard({ topic: dlq, selection: { kind: "filter", filter: { eventType: "PaymentFailed" } }, reason: "again" }))).rejects.toThrow(/No pending record matches/);

    await expect.poll(() => announced).toContainEqual({ cluster: cluster.name, topic: dlq });
    stopListening();

    const summary = (await dlqOverview(cluster)).find((t) => t.topic === dlq)!;
    expect(summary).toMatchObject({ depth: 15, total: 30, behind: 0, sourceTopic: source, declared: false });
    expect(summary.oldestAgeMs).toBeGreaterThanOrEqual(10 * 60_000 - 5_000);

    const history = await dlqHistory(cluster.name, dlq, "1h");
    expect(history.points.at(-1)!.depth).toBe(15);
    // Every record arrived within the hour: the inflow adds up to all 30.
    expect(Math.round(history.points.reduce((sum, p) => sum + (p.inflowPerMin * history.bucketMs) / 60_000, 0))).toBe(30);
    // Before the first record arrived the depth was 0; right after the last, 30 (the discard came later).
    expect(history.points.find((p) => p.at >= base + 30_000 && p.at < Date.now() - 60_000)?.depth).toBe(30);

    const discarded = await findDlqRecords(cluster, dlq, parseDlqRequest.filter({ status: "DISCARDED" }));
    expect(discarded.matched).toBe(15);
    expect(discarded.entries.every((e) => e.state?.reason === "test payments, not real" && e.state.actor === support.email)).toBe(true);
  });

  it("forgets records that retention deleted below the log start, and their states once no job needs them", async () => {
    // Partition 0 holds order-0, order-2, … at offsets 0, 1, …; offsets 0–4 go with retention.
    // Below it: a discarded record (offset 1), an expired claim of a job that has not ended
    // (offset 3) and a plain claim (offset 4). Partition 1 keeps its 15 discarded records.
    await discardDlq(support, cluster, parseDlqRequest.discard({ topic: dlq, selection: { kind: "filter", filter: { key: "order-2" } }, reason: "handled by hand" }));
    const job = await startRedrive(support, cluster, parseDlqRequest.redrive({ topic: dlq, selection: { kind: "positions", positions: [{ partition: 0, offset: 3 }] } }));
    const jobKey = (await findDlqState(cluster.name, dlq, { partition: 0, offset: 3 }))!.jobKey!;
    await markClaimsExpired(jobKey, 0, [3], "deleted by retention before the job reached it");
    await claimDlqPositions(cluster.name, dlq, [{ partition: 0, offset: 4 }], { jobKey: `${run}-unfinished`, actor: support.email, targetTopic: null });

    const file = path.join(tmpdir(), `${run}-delete.json`);
    writeFileSync(file, JSON.stringify({ version: 1, partitions: [{ topic: dlq, partition: 0, offset: 5 }] }));
    await kafkaTool(INTEGRATION_STACK.kafkaPort, "kafka-delete-records", ["--offset-json-file", file]);
    const state = await catchUpDlqIndex(cluster, dlq);
    expect(state.total).toBe(25);
    expect(await countDlqRecords({ clusterName: cluster.name, topic: dlq, status: "ALL" })).toBe(25);
    const left = await findDlqRecords(cluster, dlq, parseDlqRequest.filter({ status: "ALL" }));
    expect(left.entries.filter((e) => e.partition === 0).map((e) => e.offset)).toEqual([5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);

    // The state of a record that is gone describes nothing any more. Kept, the states would grow
    // with every record ever discarded or redriven while the index stays as small as the topic.
    expect(await findDlqState(cluster.name, dlq, { partition: 0, offset: 1 })).toBeNull();
    expect(await findDlqState(cluster.name, dlq, { partition: 1, offset: 0 })).toMatchObject({ status: "DISCARDED" });
    // A job that has not ended still counts its claims; a claim is its job's to settle.
    expect(await findDlqState(cluster.name, dlq, { partition: 0, offset: 3 })).toMatchObject({ status: "EXPIRED" });
    expect(await findDlqState(cluster.name, dlq, { partition: 0, offset: 4 })).toMatchObject({ status: "QUEUED" });
    // Once the job has ended, its expired claim goes with the next round.
    await transitionJob(job.id, ["QUEUED"], { status: "CANCELLED", finishedAt: new Date() });
    await catchUpDlqIndex(cluster, dlq);
    expect(await findDlqState(cluster.name, dlq, { partition: 0, offset: 3 })).toBeNull();
    await releaseQueuedClaims(`${run}-unfinished`);
  });

  it("keeps the states when another indexer moved the index past the end this one read (no false 'created again')", async () => {
    // Partition 1: 15 records, all discarded above. Another indexer reads 3 new records after this
    // one read where the index stands; this one must then not take the index for being ahead of
    // the topic (which would start it afresh and make the discarded records pending again).
    const before = (await findDlqRecords(cluster, dlq, parseDlqRequest.filter({ status: "DISCARDED" }))).matched;
    expect(before).toBeGreaterThan(0);
    await catchUpDlqIndex(cluster, dlq, {
      betweenReads: async () => {
        const producer = await createProducer(cluster);
        await producer.send(dlq, [30, 31, 32].map((i) => ({ ...deadLetter(i), partition: 1 })));
        await producer.disconnect();
        // What the other indexer does: read them in and move the cursor past them.
        const cursor = (await readDlqCursors(cluster.name, dlq)).get(1)!;
        for await (const chunk of readRange(cluster, dlq, [{ partition: 1, offset: cursor }], { ends: new Map([[1, cursor + 3]]) })) {
          await appendDlqRecords(cluster.name, dlq, 1, chunk.records.map(toIndexRow), chunk.nextOffset);
        }
      },
    });
    expect((await findDlqRecords(cluster, dlq, parseDlqRequest.filter({ status: "DISCARDED" }))).matched).toBe(before);
    expect(await countDlqRecords({ clusterName: cluster.name, topic: dlq, status: "ALL" })).toBe(28);
    // Out of the way of the tests below, which count what is pending.
    expect(await discardDlq(support, cluster, parseDlqRequest.discard({ topic: dlq, selection: { kind: "filter", filter: { key: "order-3", keyMatch: "contains" } }, reason: "late arrivals of the race test" }))).toEqual({ discarded: 3 });
  });

  it("treats a topic the catalog declares as a DLQ, and redrives its header-less records to the declared source", async () => {
    await expect(requireDlqTopic(cluster.name, billingDlq)).rejects.toThrow(/not a dead-letter topic/);
    await expect(declareDlqTopic(architect, cluster, parseDlqRequest.declaration({ topic: billingDlq, sourceTopic: billingDlq }))).rejects.toThrow(/cannot be its own source/);
    await expect(declareDlqTopic(architect, cluster, parseDlqRequest.declaration({ topic: billingDlq, sourceTopic: `${run}-missing` }))).rejects.toThrow(/does not exist/);
    await declareDlqTopic(architect, cluster, parseDlqRequest.declaration({ topic: billingDlq, sourceTopic: billing, note: "billing-service writes here by hand" }));
    expect((await dlqTopicRule(cluster.name))(billingDlq)).toBe(true);
    // The worker's next round reads the newly declared DLQ in.
    await catchUpDlqIndex(cluster, billingDlq);

    const row = (await dlqOverview(cluster)).find((t) => t.topic === billingDlq)!;
    expect(row).toMatchObject({ declared: true, depth: 3, sourceTopic: billing, topReasons: [{ reason: "Unknown error", count: 3 }] });

    runner = new JobRunner(async (name) => (name === cluster.name ? cluster : null), JOB_HANDLERS, { workerId: `it-dlqidx-${process.pid}`, concurrency: 2, reapIntervalMs: 1000, claimGraceMs: 20_000, retryAfterMs: 1000 });
    await runner.start();
    const job = await startRedrive(support, cluster, parseDlqRequest.redrive({ topic: billingDlq, selection: { kind: "filter", filter: {} } }));
    const done = await waitForJob(job.id, (j) => j.status === "COMPLETED" || j.status === "FAILED" || j.status === "CANCELLED");
    expect(done.status).toBe("COMPLETED");
    expect(done.progress.written).toBe(3);
    const copies = (await kcatConsume(bootstrap, billing)).filter((r) => kcatHeader(r, "x-replay-job").includes(String(job.id)));
    expect(copies.map((c) => kcatHeader(c, "x-replay-of")[0]).sort()).toEqual([0, 1, 2].map((o) => `${billingDlq}/0/${o}`));

    await undeclareDlqTopic(architect, cluster.name, billingDlq);
    await expect(requireDlqTopic(cluster.name, billingDlq)).rejects.toThrow(/not a dead-letter topic/);
    const audit = (await listAudit({ limit: 200 })).filter((a) => a.targetId === billingDlq).map((a) => a.action);
    expect(audit).toEqual(expect.arrayContaining(["dlq.declare", "dlq.redrive", "dlq.undeclare"]));
  });

  it("releases claims whose job was never created, and leaves claims of real jobs alone", async () => {
    const [orphan, owned] = [{ partition: 0, offset: 6 }, { partition: 0, offset: 8 }];
    await claimDlqPositions(cluster.name, dlq, [orphan], { jobKey: `${run}-orphan`, actor: support.email, targetTopic: null });
    await claimDlqPositions(cluster.name, dlq, [owned], { jobKey: `${run}-owned`, actor: support.email, targetTopic: null });
    await setDlqClaimJobId(`${run}-owned`, 987_654);
    expect(await releaseOrphanClaims(new Date(Date.now() + 60_000))).toBeGreaterThanOrEqual(1);
    expect(await findDlqState(cluster.name, dlq, orphan)).toBeNull();
    expect(await findDlqState(cluster.name, dlq, owned)).toMatchObject({ status: "QUEUED" });
    await releaseQueuedClaims(`${run}-owned`);
  });

  it("lets only support act on DLQ records and only architects declare DLQs; viewers read", async () => {
    for (const actor of [viewer, operator, architect]) {
      const caller = await callerAs(actor);
      for (const attempt of [
        caller.dlq.redrive({ topic: dlq, selection: { kind: "filter", filter: {} } }),
        caller.dlq.discard({ topic: dlq, selection: { kind: "filter", filter: {} }, reason: "not allowed" }),
        caller.dlq.editAndRedrive({ topic: dlq, partition: 0, offset: 6, value: "{}" }),
      ]) {
        const error = await attempt.catch((e: unknown) => e);
        expect(error).toBeInstanceOf(TRPCError);
        expect((error as TRPCError).message).toContain("needs the support role");
      }
    }
    for (const actor of [viewer, support]) {
      const error = await (await callerAs(actor)).dlq.declare({ topic: billingDlq }).catch((e: unknown) => e);
      expect((error as TRPCError).code).toBe("FORBIDDEN");
      expect((error as TRPCError).message).toContain("needs the architect role");
    }
    const overview = await (await callerAs(viewer)).dlq.overview();
    expect(overview.find((t) => t.topic === dlq)?.depth).toBe(10);
  });
});
