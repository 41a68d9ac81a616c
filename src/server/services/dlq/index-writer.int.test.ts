// Integration: only the worker writes the DLQ index, on a real broker and PostgreSQL with a real worker
// process.
// - web-tier reads (overview, groups, index status, summaries, history), repeated, leave the index
//   tables as they were and announce nothing; they report how far behind the index is;
// - an action that needs the whole index refuses, naming the problem and changing nothing, when no
//   worker runs, and when a worker's heartbeat is there but nothing reads the index in time;
// - with a worker running (its interval set far beyond the test), such an action asks it to catch up,
//   waits, and covers every record, including those that arrived after its last round.
import { beforeAll, describe, expect, it } from "vitest";
import { callerAs, closeConnectionsAfterAll } from "../../../../scripts/lib/test-support";
import { TestWorkers } from "../../../../scripts/lib/test-workers";
import { getEnv } from "~/env";
import { signalboxDlqHeaders } from "~/lib/dlq-headers";
import { createProducer, ensureTopics, type OutgoingRecord } from "~/server/broker";
import {
  CHANNELS,
  countDlqRecords,
  listAudit,
  listDlqStates,
  listen,
  notify,
  pruneWorkerHeartbeats,
  readDlqCursorStates,
  readDlqTopicId,
  recordWorkerHeartbeat,
  stopListening,
  type Actor,
} from "~/server/catalog";
import { clusterFromEnv } from "~/server/services/clusters/active-cluster";
import { parseClusterTopic } from "./changes";
import { discardDlq, startRedrive } from "./dlq";
import { readIndexerState, readIndexLag } from "./index-lag";
import { requireCompleteIndex } from "./index-requests";
import { parseDlqRequest } from "./dlq.types";

const env = getEnv();
const cluster = clusterFromEnv(env);
const run = `it-dlqw-${Date.now()}`;
const dlq = `${run}.DLQ`;
const support: Actor = { email: "support-dlqw@signalbox.local", name: "Support", role: "support" };
const viewer: Actor = { email: "viewer-dlqw@signalbox.local", name: "Viewer", role: "viewer" };

function deadLetter(i: number): OutgoingRecord {
  return {
    key: `order-${i}`,
    partition: i % 2,
    value: JSON.stringify({ eventId: `evt-${run}-${i}`, eventType: "OrderPlaced", data: { n: i } }),
    headers: signalboxDlqHeaders({ topic: `${run}-orders`, partition: 0, offset: String(i) }, { errorClass: "GatewayTimeout", message: `failed after ${i} ms`, attempts: 1 }),
  };
}

async function produce(from: number, count: number): Promise<void> {
  const producer = await createProducer(cluster);
  await producer.send(dlq, Array.from({ length: count }, (_, i) => deadLetter(from + i)));
  await producer.disconnect();
}

/** What the index holds of the test's DLQ, as the catalog reads it. */
async function indexSnapshot() {
  const cursors = [...(await readDlqCursorStates(cluster.name, dlq)).entries()].sort((a, b) => a[0] - b[0]);
  return { records: await countDlqRecords({ clusterName: cluster.name, topic: dlq, status: "ALL" }), cursors, topicId: await readDlqTopicId(cluster.name, dlq) };
}

/** Removes every worker heartbeat: the files of this suite run one at a time, and no other worker runs now. */
const forgetWorkers = () => pruneWorkerHeartbeats(new Date(Date.now() + 60_000));

beforeAll(async () => {
  await ensureTopics(cluster, [{ topic: dlq, numPartitions: 2 }]);
  await produce(0, 40);
});

// The LISTEN connection this file opened closes too.
closeConnectionsAfterAll(stopListening);

describe("only the worker writes the DLQ index", () => {
  it("web-tier reads, repeated, leave the index tables untouched, announce nothing, and say how far behind the index is", async () => {
    const heard: { channel: string; payload: string }[] = [];
    const stops = await Promise.all([CHANNELS.dlq, CHANNELS.dlqIndex].map((channel) => listen(channel, (payload) => heard.push({ channel, payload }))));
    const before = await indexSnapshot();
    expect(before).toEqual({ records: 0, cursors: [], topicId: null });

    const caller = await callerAs(viewer);
    for (let refetch = 0; refetch < 5; refetch += 1) {
      const [overview, groups, status] = await Promise.all([caller.dlq.overview(), caller.dlq.groups({ topic: dlq }), caller.dlq.indexStatus({ topic: dlq }), caller.dlq.summaries(), caller.dlq.history({ topic: dlq, range: "1h" })]);
      expect(overview.find((t) => t.topic === dlq)).toMatchObject({ depth: 40, total: 40, behind: 40, indexCheckedAt: null });
      expect(groups).toMatchObject({ matched: 0, total: 40, behind: 40 });
      expect(groups.groups).toEqual([]);
      expect(status.lag).toMatchObject({ total: 40, behind: 40, checkedAt: null });
      expect(status.lag.partitions.map((p) => [p.partition, p.indexedTo, p.end, p.behind])).toEqual([
        [0, null, 20, 20],
        [1, null, 20, 20],
      ]);
    }

    // Notifications arrive in commit order: once this one is heard, any the reads caused would have been.
    const sentinel = `${run}-sentinel`;
    await notify(CHANNELS.dlq, sentinel);
    await expect.poll(() => heard.some((h) => h.payload === sentinel)).toBe(true);
    for (const stop of stops) stop();
    expect(heard.filter((h) => h.payload !== sentinel && parseClusterTopic(h.payload)?.topic === dlq)).toEqual([]);
    expect(await indexSnapshot()).toEqual(before);
  });

  it("refuses an action that needs the whole index when no worker runs, saying so, and changes nothing", async () => {
    await forgetWorkers();
    expect((await readIndexerState()).running).toBe(false);
    const discard = discardDlq(support, cluster, parseDlqRequest.discard({ topic: dlq, selection: { kind: "filter", filter: {} }, reason: "all of them" }));
    await expect(discard).rejects.toThrow(`The DLQ index of ${dlq} is 40 records behind and no worker is running to read them (no worker has ever sent a heartbeat)`);
    await expect(startRedrive(support, cluster, parseDlqRequest.redrive({ topic: dlq, selection: { kind: "filter", filter: { reason: "GatewayTimeout: failed after <n> ms" } } }))).rejects.toThrow(/no worker is running to read them/);
    // A position the index does not hold yet needs the worker as well.
    await expect(discardDlq(support, cluster, parseDlqRequest.discard({ topic: dlq, selection: { kind: "positions", positions: [{ partition: 0, offset: 3 }] }, reason: "this one" }))).rejects.toThrow(/no worker is running/);
    expect(await listDlqStates(cluster.name, dlq)).toEqual([]);
    expect((await listAudit({ limit: 200 })).filter((a) => a.targetId === dlq)).toEqual([]);
    expect((await indexSnapshot()).records).toBe(0);
  });

  it("gives up after its bounded wait when a worker's heartbeat is there but nothing reads the index, naming the problem", async () => {
    // A worker whose DLQ index loop is stuck: it beats, but never reads.
    await recordWorkerHeartbeat({ id: `${run}-stuck`, host: "test", pid: process.pid, startedAt: new Date() });
    try {
      await expect(requireCompleteIndex(cluster, dlq, { timeoutMs: 1_500 })).rejects.toThrow(new RegExp(`The worker did not finish reading ${dlq.replace(/\./g, "\\.")} into the DLQ index within 2 s \\(40 records still to read; it never read it\\)`));
    } finally {
      await forgetWorkers();
    }
  });

  it("with the worker running, an action asks it to catch up and covers every record, also those that arrived after its last round", async () => {
    // Rounds only at start and on request: the test's records can reach the index no other way.
    const workers = new TestWorkers({ LOG_LEVEL: "info", DLQ_INDEX_INTERVAL_MS: "600000", SAMPLER_INTERVAL_MS: "60000", JOBS_REAP_INTERVAL_MS: "60000" });
    try {
      workers.spawn();
      await expect.poll(async () => (await readIndexerState()).running, { timeout: 90_000, interval: 500 }).toBe(true);
      await expect.poll(async () => (await readIndexLag(cluster, dlq)).behind, { timeout: 60_000, interval: 500 }).toBe(0);
      expect((await indexSnapshot()).records).toBe(40);

      await produce(40, 25);
      const lag = await readIndexLag(cluster, dlq);
      expect(lag.behind).toBe(25);
      const discarded = await discardDlq(support, cluster, parseDlqRequest.discard({ topic: dlq, selection: { kind: "filter", filter: {} }, reason: "all of them, after the worker caught up" }));
      expect(discarded).toEqual({ discarded: 65 });
      expect((await readIndexLag(cluster, dlq)).behind).toBe(0);
      expect((await listDlqStates(cluster.name, dlq)).filter((s) => s.status === "DISCARDED")).toHaveLength(65);
      expect((await listAudit({ limit: 200 })).find((a) => a.action === "dlq.discard" && a.targetId === dlq)?.details).toMatchObject({ discarded: 65 });
    } catch (error) {
      workers.printLastLines();
      throw error;
    } finally {
      await workers.stopAll();
      await forgetWorkers();
    }
  }, 240_000);
});
