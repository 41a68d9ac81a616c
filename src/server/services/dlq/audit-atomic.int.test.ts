// Integration: a DLQ action and its audit entry are one transaction. The audit write is made to fail
// (an actor role PostgreSQL's Role enum refuses); the change must not stay behind without its entry.
import { beforeAll, describe, expect, it } from "vitest";
import { closeConnectionsAfterAll } from "../../../../scripts/lib/test-support";
import { getEnv } from "~/env";
import { signalboxDlqHeaders } from "~/lib/dlq-headers";
import { createProducer, ensureTopics } from "~/server/broker";
import { listAudit, listDlqStates } from "~/server/catalog";
import { clusterFromEnv } from "~/server/services/clusters/active-cluster";
import { discardDlq } from "./dlq";
import { catchUpDlqIndex } from "./indexer";
import { parseDlqRequest } from "./dlq.types";

const env = getEnv();
const cluster = clusterFromEnv(env);
const dlq = `it-dlq-audit-${Date.now()}.DLQ`;
const support = { email: "support@signalbox.local", name: "Support", role: "support" as const };
/** Its entry cannot be written: PostgreSQL refuses the role. */
const unauditable = { ...support, role: "not-a-role" as never };

beforeAll(async () => {
  await ensureTopics(cluster, [{ topic: dlq, numPartitions: 1 }]);
  const producer = await createProducer(cluster);
  await producer.send(dlq, [
    { key: "k", value: "{}", headers: signalboxDlqHeaders({ topic: "orders", partition: 0, offset: "1" }, { errorClass: "X", message: "y", attempts: 1 }) },
  ]);
  await producer.disconnect();
  // What the worker's DLQ index loop does (only the worker writes the index).
  await catchUpDlqIndex(cluster, dlq);
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
});
