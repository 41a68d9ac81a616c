// `npm run bench:sampler -- --clusters`: one worker sampling three clusters (three local brokers),
// each BENCH_CLUSTER_TOPICS × BENCH_PARTITIONS partitions and BENCH_CLUSTER_GROUPS groups with
// commits. Prints each cluster's sampler cycle, then the same with the third broker stopped: the
// other two's cycles must not grow (each cluster's loop runs on its own). Asserts nothing.
import pLimit from "p-limit";
import pg from "pg";
import { commitGroupOffsets, createProducer, disconnectAll, ensureTopics, type ClusterConnectionConfig } from "../../src/server/broker";
import { ensureDatabase, migrateDatabase } from "../lib/database";
import { startLocalKafka, stopLocalKafka } from "../lib/local-kafka";
import { BENCH_STACK } from "../lib/test-ports";
import { TestWorkers } from "../lib/test-workers";
import { printTable, say } from "./lib/report";
import { retryUntil } from "./lib/retry";
import { median, percentile } from "./lib/stats";

const TOPICS = Number(process.env.BENCH_CLUSTER_TOPICS || 600);
const PARTITIONS = Number(process.env.BENCH_PARTITIONS || 5);
const GROUPS = Number(process.env.BENCH_CLUSTER_GROUPS || 300);
const CYCLES = Number(process.env.BENCH_CYCLES || 10);
const offset = Number(process.env.SIGNALBOX_TEST_PORT_OFFSET || 0);
// The bench broker, and two more on ports no other stack uses (their controllers on the next port).
const PORTS = [BENCH_STACK.kafkaPort, 19463 + offset, 19473 + offset];
const clusters: ClusterConnectionConfig[] = PORTS.map((port, i) => ({ name: `bench-${i + 1}`, brokers: [`127.0.0.1:${port}`], clientId: "signalbox-bench", ssl: false, connectionTimeoutMs: 10_000 }));

async function seed(cluster: ClusterConnectionConfig): Promise<void> {
  const topics = Array.from({ length: TOPICS }, (_, i) => `bench-${String(i).padStart(5, "0")}`);
  for (let i = 0; i < topics.length; i += 200) await retryUntil(() => ensureTopics(cluster, topics.slice(i, i + 200).map((topic) => ({ topic, numPartitions: PARTITIONS }))));
  const producer = await createProducer(cluster, { idempotent: false });
  for (const topic of topics.slice(0, 100)) await retryUntil(() => producer.send(topic, Array.from({ length: 10 }, (_, i) => ({ key: `k${i}`, value: "{}" }))));
  await producer.disconnect();
  const limit = pLimit(32);
  await Promise.all(
    Array.from({ length: GROUPS }, (_, g) =>
      limit(() => retryUntil(() => commitGroupOffsets(cluster, `bench-group-${String(g).padStart(4, "0")}`, topics[g % topics.length]!, Array.from({ length: PARTITIONS }, (_, partition) => ({ partition, offset: 0 }))))),
    ),
  );
}

/** Collects `CYCLES` complete cycles (all groups seen) of each of `names`, after one warm-up cycle each. */
async function collectCycles(db: pg.Client, names: string[]): Promise<Map<string, number[]>> {
  const cycles = new Map(names.map((n) => [n, [] as number[]]));
  const warmed = new Set<string>();
  await new Promise<void>((resolve, reject) => {
    const timeout = setTimeout(() => reject(new Error(`timed out waiting for sampler cycles: ${[...cycles].map(([n, c]) => `${n} ${c.length}`).join(", ")}`)), 20 * 60_000);
    const onNotification = async (message: pg.Notification) => {
      const { cluster } = JSON.parse(message.payload ?? "{}") as { cluster?: string };
      const list = cluster ? cycles.get(cluster) : undefined;
      if (!list || list.length >= CYCLES) return;
      const row = (await db.query<{ cycleMs: number; groups: number }>(`SELECT "cycleMs", jsonb_array_length(payload->'groups') AS groups FROM "LagSnapshotLatest" WHERE "clusterName" = $1`, [cluster])).rows[0];
      if (!row || row.groups < GROUPS) return;
      if (!warmed.has(cluster!)) return void warmed.add(cluster!);
      if (list.length < CYCLES) list.push(row.cycleMs);
      if ([...cycles.values()].every((c) => c.length >= CYCLES)) {
        clearTimeout(timeout);
        db.off("notification", onNotification);
        resolve();
      }
    };
    db.on("notification", onNotification);
  });
  return cycles;
}

export async function samplerClustersBench(): Promise<void> {
  const t0 = performance.now();
  say(`starting ${PORTS.length} fresh brokers (${PORTS.join(", ")}) and database ${BENCH_STACK.databaseUrl}…`);
  await ensureDatabase(BENCH_STACK.databaseUrl, { reset: true });
  await migrateDatabase(BENCH_STACK.databaseUrl);
  for (const port of PORTS) await startLocalKafka({ port, fresh: true });
  const running = new Set(PORTS);
  const workers = new TestWorkers({
    DATABASE_URL: BENCH_STACK.databaseUrl,
    KAFKA_BROKERS: clusters[0]!.brokers[0]!,
    KAFKA_CLUSTER_NAME: clusters[0]!.name,
    SIGNALBOX_CLUSTERS: JSON.stringify({ clusters: clusters.slice(1).map((c) => ({ name: c.name, bootstrapServers: c.brokers[0] })) }),
    SIGNALBOX_SECRET_KEY: Buffer.alloc(32, 7).toString("base64"),
    LOG_LEVEL: "warn",
    SAMPLER_INTERVAL_MS: "5000",
    KAFKA_CONNECTION_TIMEOUT_MS: "10000",
  });
  const db = new pg.Client({ connectionString: BENCH_STACK.databaseUrl });
  await db.connect();
  try {
    say(`creating ${TOPICS} topics × ${PARTITIONS} partitions and ${GROUPS} groups on each cluster…`);
    for (const cluster of clusters) await seed(cluster);
    say(`setup took ${((performance.now() - t0) / 1000).toFixed(0)} s; starting one worker, waiting for ${CYCLES} cycles of each cluster…`);
    await db.query("LISTEN signalbox_lag_snapshot");
    workers.spawn();
    const allUp = await collectCycles(db, clusters.map((c) => c.name));
    const down = clusters[2]!;
    say(`stopping ${down.name}'s broker; ${CYCLES} more cycles of the others…`);
    await stopLocalKafka(PORTS[2]!);
    running.delete(PORTS[2]!);
    const oneDown = await collectCycles(db, clusters.slice(0, 2).map((c) => c.name));
    const status = (await db.query<{ error: string | null }>(`SELECT error FROM "ClusterSamplerStatus" WHERE "clusterName" = $1`, [down.name])).rows[0];
    const fmt = (c: number[] | undefined) => (c && c.length ? `${median(c)} / ${percentile(c, 95)} ms` : "—");
    printTable(
      ["Cluster", `All up: cycle median / p95 (${CYCLES})`, `${down.name} down: cycle median / p95 (${CYCLES})`],
      clusters.map((c) => [`${c.name} (${TOPICS * PARTITIONS} partitions, ${GROUPS} groups)`, fmt(allUp.get(c.name)), c === down ? `down: ${status?.error ?? "(no status)"}` : fmt(oneDown.get(c.name))]),
    );
  } catch (error) {
    workers.printLastLines();
    throw error;
  } finally {
    await workers.stopAll();
    await db.end();
    await disconnectAll();
    for (const port of running) await stopLocalKafka(port);
  }
}
