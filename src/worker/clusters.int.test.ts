// Integration: one worker serves every cluster, on real brokers and PostgreSQL with a real worker
// process. The integration broker is the default cluster; a second plaintext broker (kafka.sh, on
// its own port) is a second cluster from the clusters document. Each cluster's snapshots land under
// its own name, holding its own topics and groups only. Then the second broker stops: it shows as
// down with its error and when it was last reached. A third cluster is a listener that accepts
// connections and never answers (a hung broker): each of its cycles fails only after the request
// timeout, and the first cluster keeps sampling at its interval meanwhile, several cycles for each
// failed cycle of the hung one (their loops are independent).
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalKafka, stopLocalKafka } from "../../scripts/lib/local-kafka";
import { closeConnectionsAfterAll } from "../../scripts/lib/test-support";
import { INTEGRATION_STACK } from "../../scripts/lib/test-ports";
import { TestWorkers } from "../../scripts/lib/test-workers";
import { getEnv } from "~/env";
import { commitGroupOffsets, createProducer, ensureTopics, type ClusterConnectionConfig } from "~/server/broker";
import { readClusterSamplerStatus, readLatestSnapshot, readLatestSnapshotTime } from "~/server/catalog";
import { clusterFromEnv } from "~/server/services/clusters/active-cluster";
import type { LagSnapshot } from "~/server/services/lag/types";

const env = getEnv();
const first = clusterFromEnv(env);
const run = `it-clusters-${Date.now()}`;
const secondPort = INTEGRATION_STACK.secondKafkaPort;
const second: ClusterConnectionConfig = { ...first, name: `${run}-second`, brokers: [`127.0.0.1:${secondPort}`] };
const topicOf = (cluster: ClusterConnectionConfig) => `${run}.${cluster === first ? "first" : "second"}`;
const groupOf = (cluster: ClusterConnectionConfig) => `${topicOf(cluster)}-readers`;

let secondUp = false;
const hungSockets: net.Socket[] = [];
const hungListener = net.createServer((socket) => {
  // Accepted, never answered: the client waits for its request timeout.
  hungSockets.push(socket);
  socket.on("error", () => undefined);
});
const hung = `${run}-hung`;
const workerEnv = (hungPort: number) => ({
  LOG_LEVEL: "info",
  SAMPLER_INTERVAL_MS: "500",
  SAMPLER_METADATA_INTERVAL_MS: "1000",
  CLUSTERS_REFRESH_MS: "2000",
  // A slow failure for the down cluster: its cycles wait out the connection timeout.
  KAFKA_CONNECTION_TIMEOUT_MS: "3000",
  DLQ_INDEX_INTERVAL_MS: "60000",
  CONFORMANCE_INTERVAL_MS: "60000",
  SIGNALBOX_CLUSTERS: JSON.stringify({
    clusters: [
      { name: second.name, bootstrapServers: second.brokers[0] },
      { name: hung, bootstrapServers: `127.0.0.1:${hungPort}` },
    ],
  }),
});
let workers: TestWorkers;

async function seed(cluster: ClusterConnectionConfig): Promise<void> {
  await ensureTopics(cluster, [{ topic: topicOf(cluster), numPartitions: 2 }]);
  const producer = await createProducer(cluster);
  await producer.send(topicOf(cluster), Array.from({ length: 10 }, (_, i) => ({ partition: i % 2, key: `k${i}`, value: "x" })));
  await producer.disconnect();
  await commitGroupOffsets(cluster, groupOf(cluster), topicOf(cluster), [{ partition: 0, offset: 1 }]);
}

const snapshotOf = async (cluster: ClusterConnectionConfig) => (await readLatestSnapshot<LagSnapshot>(cluster.name))?.payload ?? null;

beforeAll(async () => {
  await new Promise<void>((resolve) => hungListener.listen(0, "127.0.0.1", resolve));
  workers = new TestWorkers(workerEnv((hungListener.address() as net.AddressInfo).port));
  await startLocalKafka({ port: secondPort, fresh: true });
  secondUp = true;
  await Promise.all([seed(first), seed(second)]);
}, 240_000);

closeConnectionsAfterAll();
afterAll(async () => {
  await workers?.stopAll();
  if (secondUp) await stopLocalKafka(secondPort);
  for (const socket of hungSockets) socket.destroy();
  await new Promise((resolve) => hungListener.close(resolve));
});

describe("one worker, many clusters", () => {
  it("stores each cluster's snapshots under its own name; a stopped cluster shows as down with its error, and the other keeps sampling", async () => {
    workers.spawn();
    try {
      for (const cluster of [first, second]) {
        await expect
          .poll(async () => (await snapshotOf(cluster))?.topics.some((t) => t.topic === topicOf(cluster)) ?? false, { timeout: 90_000, interval: 500 })
          .toBe(true);
      }
      for (const [cluster, other] of [
        [first, second],
        [second, first],
      ] as const) {
        const snapshot = (await snapshotOf(cluster))!;
        expect(snapshot.cluster).toBe(cluster.name);
        expect(snapshot.topics.map((t) => t.topic)).not.toContain(topicOf(other));
        expect(snapshot.groups.find((g) => g.groupId === groupOf(cluster))).toMatchObject({ totalLag: 4 }) // 5 records in partition 0, committed at 1; partition 1 has no commit;
        expect(snapshot.groups.map((g) => g.groupId)).not.toContain(groupOf(other));
        expect(await readClusterSamplerStatus(cluster.name)).toMatchObject({ error: null, errorCode: null });
      }

      const lastGood = (await readClusterSamplerStatus(second.name))!.lastSuccessAt!;
      await stopLocalKafka(secondPort);
      secondUp = false;

      // Down: the status says why, and when the cluster was last reached.
      await expect.poll(async () => (await readClusterSamplerStatus(second.name))?.error ?? null, { timeout: 60_000, interval: 250 }).not.toBeNull();
      const down = (await readClusterSamplerStatus(second.name))!;
      expect(down.errorCode).toMatch(/^BROKER_/);
      expect(down.error).toMatch(new RegExp(`Kafka|broker|127\\.0\\.0\\.1:${secondPort}`, "i"));
      expect(down.lastSuccessAt!.getTime()).toBeGreaterThanOrEqual(lastGood.getTime());
      expect(down.checkedAt.getTime()).toBeGreaterThan(down.lastSuccessAt!.getTime());

      // The hung cluster fails each cycle only after its request timeout; meanwhile the first's
      // snapshots keep coming. Watched across three failed cycles of the hung one.
      const firstTimes = new Set<number>();
      const failedCycles = new Set<number>();
      while (failedCycles.size < 4) {
        const [at, status] = await Promise.all([readLatestSnapshotTime(first.name), readClusterSamplerStatus(hung)]);
        if (at) firstTimes.add(at.getTime());
        if (status?.error) failedCycles.add(status.checkedAt.getTime());
        await new Promise((r) => setTimeout(r, 100));
      }
      const hungStatus = (await readClusterSamplerStatus(hung))!;
      expect(hungStatus).toMatchObject({ lastSuccessAt: null, errorCode: expect.stringMatching(/^BROKER_/) });
      const cycles = [...failedCycles].sort((a, b) => a - b);
      const during = [...firstTimes].filter((t) => t > cycles[0]! && t <= cycles.at(-1)!);
      // Sampled one after the other, the first would get at most one cycle per failed cycle of the hung one.
      expect(during.length).toBeGreaterThan(2 * (cycles.length - 1));
      expect(await readClusterSamplerStatus(first.name)).toMatchObject({ error: null });
    } catch (error) {
      workers.printLastLines();
      throw error;
    }
  });
});
