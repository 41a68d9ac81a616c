// Integration: a support person scoped to some topics may redrive a DLQ in their scope only to
// topics in their scope. Redriving "to the original topics" is checked against every topic the
// selected records name in their headers, before anything is claimed.
import { describe, expect, it } from "vitest";
import { closeConnectionsAfterAll } from "../../../../scripts/lib/test-support";
import { getEnv } from "~/env";
import { signalboxDlqHeaders } from "~/lib/dlq-headers";
import { createProducer, ensureTopics } from "~/server/broker";
import { listDlqStates, type Actor } from "~/server/catalog";
import { clusterFromEnv } from "~/server/services/clusters/active-cluster";
import { cancelJob } from "~/server/services/jobs/jobs";
import { startRedrive } from "./dlq";
import { parseDlqRequest } from "./dlq.types";
import { catchUpDlqIndex } from "./indexer";

const cluster = clusterFromEnv(getEnv());
const run = `it-dest-${Date.now()}`;
const dlq = `${run}-pay.DLQ`;
const [inScope, outOfScope] = [`${run}-pay-src`, `${run}-orders`];
const scoped: Actor = {
  email: "scoped-support@signalbox.local",
  name: "Scoped Support",
  role: null,
  grants: [{ role: "support", scope: { clusters: [], topics: [`${run}-pay*`], groups: [], subjects: [] }, source: "test" }],
};

closeConnectionsAfterAll();

describe("redrive to the original topics, for a scoped support person", () => {
  it("is refused when a selected record came from a topic outside the scope, and claims nothing; allowed within it", async () => {
    await ensureTopics(cluster, [dlq, inScope, outOfScope].map((topic) => ({ topic, numPartitions: 1 })));
    const producer = await createProducer(cluster);
    await producer.send(
      dlq,
      [outOfScope, inScope].map((origin, i) => ({ key: `k${i}`, value: `{"eventId":"${run}-${i}"}`, headers: signalboxDlqHeaders({ topic: origin, partition: 0, offset: String(i) }, { errorClass: "Boom", message: "boom", attempts: 1 }) })),
    );
    await producer.disconnect();
    await catchUpDlqIndex(cluster, dlq);

    const both = parseDlqRequest.redrive({ topic: dlq, selection: { kind: "positions", positions: [{ partition: 0, offset: 0 }, { partition: 0, offset: 1 }] } });
    await expect(startRedrive(scoped, cluster, both)).rejects.toMatchObject({ code: "FORBIDDEN", userMessage: expect.stringContaining(outOfScope) });
    expect(await listDlqStates(cluster.name, dlq)).toEqual([]);

    const mine = parseDlqRequest.redrive({ topic: dlq, selection: { kind: "positions", positions: [{ partition: 0, offset: 1 }] } });
    const job = await startRedrive(scoped, cluster, mine);
    expect((job.params as { count: number }).count).toBe(1);
    await cancelJob(scoped, job.id);
  });
});
