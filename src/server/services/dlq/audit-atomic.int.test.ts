// Integration: a DLQ action and its audit entry are one transaction. The audit write is made to fail
// (an actor role PostgreSQL's Role enum refuses); the change must not stay behind without its entry.
// For a redrive the change is the claimed records and the job: a start that dies after claiming
// must leave no claims (they would block the retried submission until a sweep released them).
import { beforeAll, describe, expect, it } from "vitest";
import { closeConnectionsAfterAll } from "../../../../scripts/lib/test-support";
import { getEnv } from "~/env";
import { signalboxDlqHeaders } from "~/lib/dlq-headers";
import { createProducer, ensureTopics } from "~/server/broker";
import { randomUUID } from "node:crypto";
import { findJob, listAudit, listDlqStates, releaseQueuedClaims, transitionJob } from "~/server/catalog";
import { cancelJob, pauseJob } from "~/server/services/jobs/jobs";
import { clusterFromEnv } from "~/server/services/clusters/active-cluster";
import { discardDlq, startRedrive } from "./dlq";
import { catchUpDlqIndex } from "./indexer";
import { parseDlqRequest } from "./dlq.types";

const env = getEnv();
const cluster = clusterFromEnv(env);
const dlq = `it-dlq-audit-${Date.now()}.DLQ`;
const redriven = `it-dlq-audit-redrive-${Date.now()}.DLQ`;
const support = { email: "support@signalbox.local", name: "Support", role: "support" as const };
/** Its entry cannot be written: PostgreSQL refuses the role. */
const unauditable = { ...support, role: "not-a-role" as never };

beforeAll(async () => {
  await ensureTopics(cluster, [
    { topic: dlq, numPartitions: 1 },
    { topic: redriven, numPartitions: 1 },
  ]);
  const producer = await createProducer(cluster);
  for (const topic of [dlq, redriven]) {
    await producer.send(topic, [
      { key: "k", value: "{}", headers: signalboxDlqHeaders({ topic: "orders", partition: 0, offset: "1" }, { errorClass: "X", message: "y", attempts: 1 }) },
      { key: "k2", value: "{}", headers: signalboxDlqHeaders({ topic: "orders", partition: 0, offset: "2" }, { errorClass: "X", message: "y", attempts: 1 }) },
    ]);
  }
  await producer.disconnect();
  // What the worker's DLQ index loop does (only the worker writes the index).
  await catchUpDlqIndex(cluster, dlq);
  await catchUpDlqIndex(cluster, redriven);
});

closeConnectionsAfterAll();

describe("DLQ actions and their audit entries", () => {
  it("leaves a record pending when its discard's audit entry cannot be written, and discards and audits it together otherwise", async () => {
    const selection = { kind: "positions" as const, positions: [{ partition: 0, offset: 0 }] };
    await expect(discardDlq(unauditable, cluster, parseDlqRequest.discard({ topic: dlq, selection, reason: "test order" }))).rejects.toThrow();
    expect(await listDlqStates(cluster.name, dlq)).toEqual([]);

    expect(await discardDlq(support, cluster, parseDlqRequest.discard({ topic: dlq, selection, reason: "test order" }))).toEqual({ discarded: 1 });
    expect((await listDlqStates(cluster.name, dlq)).map((s) => s.status)).toEqual(["DISCARDED"]);
    expect((await listAudit({ limit: 50 })).filter((a) => a.action === "dlq.discard" && a.targetId === dlq)).toHaveLength(1);
  });

  it("claims a redrive's records and creates its job in one transaction: a start that fails after claiming leaves nothing claimed, and the same submission then starts it", async () => {
    const request = parseDlqRequest.redrive({ topic: redriven, selection: { kind: "filter", filter: {} }, idempotencyKey: randomUUID() });
    // The job's row (and its audit entry) cannot be written, after the records were claimed.
    await expect(startRedrive(unauditable, cluster, request)).rejects.toThrow();
    expect(await listDlqStates(cluster.name, redriven)).toEqual([]);

    const job = await startRedrive(support, cluster, request);
    expect(job.progress.expected).toBe(2);
    const states = await listDlqStates(cluster.name, redriven);
    expect(states.map((s) => [s.status, s.jobId])).toEqual([
      ["QUEUED", job.id],
      ["QUEUED", job.id],
    ]);
    expect((await startRedrive(support, cluster, request)).id).toBe(job.id);

    // A pause or cancel request and its entry are one transaction too (as is the worker's outcome).
    await expect(pauseJob(unauditable, job.id)).rejects.toThrow();
    expect((await findJob(job.id))!.requested).toBeNull();
    await cancelJob(support, job.id);
    expect((await findJob(job.id))!.requested).toBe("cancel");
    expect((await listAudit({ limit: 50 })).filter((a) => a.targetType === "job" && a.targetId === String(job.id)).map((a) => a.action)).toContain("job.cancel");
    // No worker runs here; the job must not wait for the next test file's runner.
    await transitionJob(job.id, ["QUEUED"], { status: "CANCELLED", finishedAt: new Date() });
    await releaseQueuedClaims(job.key);
  });
});
