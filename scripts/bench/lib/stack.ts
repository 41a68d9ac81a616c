// The two ways a benchmark gets its Signalbox, both on the bench ports (BENCH_STACK, shifted by
// SIGNALBOX_TEST_PORT_OFFSET) with a fresh broker and a fresh database:
// - startBenchStack: the real processes (web app built for production, worker, optionally the demo
//   system), for benchmarks that measure what a user or Prometheus sees;
// - startInProcessServices: broker and database only, with this process playing web app and worker
//   (it imports the services itself), for benchmarks that time single steps.
import type { ClusterConnectionConfig } from "../../../src/server/broker";
import { ensureDatabase, migrateDatabase, seedDatabase } from "../../lib/database";
import { startLocalKafka, stopLocalKafka } from "../../lib/local-kafka";
import { startStack, type RunningStack, type StackOptions } from "../../lib/stack";
import { BENCH_STACK } from "../../lib/test-ports";
import { say } from "./report";

export { BENCH_STACK };

/** How the benchmark itself connects to the bench broker. */
export function benchCluster(): ClusterConnectionConfig {
  return { name: "local", brokers: [`127.0.0.1:${BENCH_STACK.kafkaPort}`], clientId: "signalbox-bench", ssl: false, connectionTimeoutMs: 10_000 };
}

export interface BenchStackOptions {
  logFile: string;
  env: Record<string, string | undefined>;
  withDemoSystem?: boolean;
  /** Brokers in the bench cluster (kafka.sh's KAFKA_NODES), default 1. */
  kafkaNodes?: number;
  /** Sign-in stays off unless the benchmark needs it (it measures pages, and the stack listens on loopback only). */
  signIn?: boolean;
  onLine?: StackOptions["onLine"];
}

export function startBenchStack(options: BenchStackOptions): Promise<RunningStack> {
  return startStack({
    kafkaPort: BENCH_STACK.kafkaPort,
    freshKafka: true,
    kafkaNodes: options.kafkaNodes,
    databaseUrl: BENCH_STACK.databaseUrl,
    resetDatabase: true,
    webPort: BENCH_STACK.webPort,
    distDir: ".next",
    withDemoSystem: options.withDemoSystem ?? false,
    echo: false,
    logFile: options.logFile,
    onLine: options.onLine,
    env: { ...(options.signIn ? {} : { SIGNALBOX_AUTH: "none" }), ...options.env },
    say,
  });
}

export interface InProcessServices {
  bootstrap: string;
  stop(): Promise<void>;
}

/**
 * Starts a fresh broker and a migrated, seeded database, and points this process's configuration at
 * them. The services read the environment when first imported: import them after this returns.
 */
export async function startInProcessServices(): Promise<InProcessServices> {
  const { kafkaPort, databaseUrl } = BENCH_STACK;
  const bootstrap = `127.0.0.1:${kafkaPort}`;
  Object.assign(process.env, { KAFKA_BROKERS: bootstrap, DATABASE_URL: databaseUrl, KAFKA_CLUSTER_NAME: "bench", LOG_LEVEL: "warn", KAFKA_CONNECTION_TIMEOUT_MS: "10000" });
  say(`starting a fresh broker on ${bootstrap} and database ${databaseUrl}…`);
  await startLocalKafka({ port: kafkaPort, fresh: true });
  await ensureDatabase(databaseUrl, { reset: true });
  await migrateDatabase(databaseUrl);
  await seedDatabase(process.env);
  return {
    bootstrap,
    async stop() {
      const { disconnectDb, stopJobQueue } = await import("../../../src/server/catalog");
      const { disconnectAll } = await import("../../../src/server/broker");
      await stopJobQueue();
      await disconnectAll();
      await disconnectDb();
      await stopLocalKafka(kafkaPort);
    },
  };
}

/** A job runner in this process, as the worker runs one, for benchmarks that time a job. */
export async function startBenchJobRunner(cluster: ClusterConnectionConfig) {
  const { JobRunner } = await import("../../../src/worker/jobs/runner");
  const { JOB_HANDLERS } = await import("../../../src/worker/jobs/kinds");
  const runner = new JobRunner(async (name) => (name === cluster.name ? cluster : null), JOB_HANDLERS, { workerId: "bench", concurrency: 1, reapIntervalMs: 5000, claimGraceMs: 20_000, retryAfterMs: 1000 });
  await runner.start();
  return runner;
}
