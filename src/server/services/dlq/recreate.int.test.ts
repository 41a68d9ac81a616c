// Integration (real broker and PostgreSQL): a DLQ topic deleted and created again under its name
// reuses the old topic's offsets. Record states are keyed by position, so without the topic's
// identity the new records would inherit the old ones' DISCARDED state. The new topic gets as many
// records as the old one had, so the index cursor alone (ahead of the end) cannot notice it.
import { setTimeout as sleep } from "node:timers/promises";
import { beforeAll, describe, expect, it } from "vitest";
import { closeConnectionsAfterAll } from "../../../../scripts/lib/test-support";
import { getEnv } from "~/env";
import { signalboxDlqHeaders } from "~/lib/dlq-headers";
import { createProducer, deleteTopics, ensureTopics, fetchTopicId, listTopicNames } from "~/server/broker";
import { findDlqState, listIndexedDlqTopics, pruneDlqIndex } from "~/server/catalog";
import { clusterFromEnv } from "~/server/services/clusters/active-cluster";
import { discardDlq, dlqOverview, findDlqRecords } from "./dlq";
import { catchUpDlqIndex } from "./indexer";
import { parseDlqRequest } from "./dlq.types";

const env = getEnv();
const cluster = clusterFromEnv(env);
const run = `it-dlq-recreate-${Date.now()}`;
const dlq = `${run}.DLQ`;
/** Recreated while the index had forgotten it (the worker prunes topics that are gone). */
const forgottenDlq = `${run}-forgotten.DLQ`;
const support = { email: "support-recreate@signalbox.local", name: "Support", role: "support" as const };

async function produce(topic: string, generation: string): Promise<void> {
  const producer = await createProducer(cluster);
  await producer.send(
    topic,
    [0, 1].map((i) => ({
      key: `${generation}-${i}`,
      partition: 0,
      value: JSON.stringify({ eventId: `${generation}-${i}`, eventType: "OrderPlaced", data: {} }),
      headers: signalboxDlqHeaders({ topic: "orders", partition: 0, offset: String(i) }, { errorClass: "X", message: `failed ${generation}`, attempts: 1 }),
    })),
  );
  await producer.disconnect();
}

/** Deletes the topic and creates it again; Kafka deletes asynchronously, so creation is retried until the name is free. */
async function recreateTopic(topic: string): Promise<void> {
  const oldId = await fetchTopicId(cluster, topic);
  await deleteTopics(cluster, [topic]);
  for (let attempt = 0; attempt < 300; attempt++) {
    if (!(await listTopicNames(cluster)).includes(topic)) {
      try {
        await ensureTopics(cluster, [{ topic, numPartitions: 1 }]);
      } catch {
        // Still marked for deletion on the controller: try again.
      }
      const newId = await fetchTopicId(cluster, topic);
      if (newId && newId !== oldId) return;
    }
    await sleep(100);
  }
  throw new Error(`${topic} was not created again`);
}

beforeAll(async () => {
  await ensureTopics(cluster, [
    { topic: dlq, numPartitions: 1 },
    { topic: forgottenDlq, numPartitions: 1 },
  ]);
  await produce(dlq, "old");
  await produce(forgottenDlq, "old");
});

closeConnectionsAfterAll(async () => {
  await deleteTopics(cluster, [dlq, forgottenDlq]).catch(() => undefined);
});

describe("a DLQ topic deleted and created again", () => {
  it("starts clean: a new record at a discarded record's offset is pending and counts in the depth", async () => {
    expect(await fetchTopicId(cluster, dlq)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    await catchUpDlqIndex(cluster, dlq);
    expect(await discardDlq(support, cluster, parseDlqRequest.discard({ topic: dlq, selection: { kind: "positions", positions: [{ partition: 0, offset: 0 }] }, reason: "old test record" }))).toEqual({ discarded: 1 });
    expect((await findDlqState(cluster.name, dlq, { partition: 0, offset: 0 }))?.status).toBe("DISCARDED");

    await recreateTopic(dlq);
    await produce(dlq, "new");
    await catchUpDlqIndex(cluster, dlq);

    expect(await findDlqState(cluster.name, dlq, { partition: 0, offset: 0 })).toBeNull();
    const list = await findDlqRecords(cluster, dlq, parseDlqRequest.filter({ status: "ALL" }));
    expect(list.entries.map((e) => [e.offset, e.key, e.status]).sort()).toEqual([
      [0, "new-0", "PENDING"],
      [1, "new-1", "PENDING"],
    ]);
    const summary = (await dlqOverview(cluster)).find((t) => t.topic === dlq)!;
    expect(summary.depth).toBe(2);
  });

  it("starts clean when it was created again while the index had forgotten it", async () => {
    await catchUpDlqIndex(cluster, forgottenDlq);
    const selection = { kind: "positions" as const, positions: [{ partition: 0, offset: 1 }] };
    expect(await discardDlq(support, cluster, parseDlqRequest.discard({ topic: forgottenDlq, selection, reason: "old test record" }))).toEqual({ discarded: 1 });

    await recreateTopic(forgottenDlq);
    // What the worker does in a round that runs while the topic is gone: its index (not its states) goes.
    await pruneDlqIndex(cluster.name, (await listIndexedDlqTopics(cluster.name)).filter((t) => t !== forgottenDlq));
    await produce(forgottenDlq, "new");
    await catchUpDlqIndex(cluster, forgottenDlq);

    expect(await findDlqState(cluster.name, forgottenDlq, { partition: 0, offset: 1 })).toBeNull();
    const list = await findDlqRecords(cluster, forgottenDlq, parseDlqRequest.filter({ status: "ALL" }));
    expect(list.entries.map((e) => [e.offset, e.key, e.status]).sort()).toEqual([
      [0, "new-0", "PENDING"],
      [1, "new-1", "PENDING"],
    ]);
  });
});
