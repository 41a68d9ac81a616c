// The chaos suite's stack, every part of it a real process the scenarios can crash: a Kafka broker
// (SIGKILL, start again on the same data), a PostgreSQL cluster of its own (pg_ctl stop -m fast or
// immediate, start again), the web (SIGKILL, start again) behind a proxy that answers 502 while it
// is down, and as many workers as a scenario wants (SIGKILL any of them). It reuses the end-to-end
// suite's production build (.next-e2e, dist/worker) when that is current.
import fs from "node:fs";
import path from "node:path";
import { ensureDatabase, migrateDatabase, seedDatabase } from "../../../scripts/lib/database";
import { killLocalKafka, startLocalKafka, stopLocalKafka } from "../../../scripts/lib/local-kafka";
import { startOutageProxy, type OutageProxy } from "../../../scripts/lib/outage-proxy";
import { preparePostgresCluster, type PostgresCluster, type ShutdownMode } from "../../../scripts/lib/postgres-cluster";
import type { ManagedProcess } from "../../../scripts/lib/processes";
import { ensureWebBuild, ensureWorkerBuild, startWebProcess } from "../../../scripts/lib/stack";
import { CHAOS_STACK } from "../../../scripts/lib/test-ports";
import { TestWorkers } from "../../../scripts/lib/test-workers";
import { E2E_PASSWORD, saveSignedInState } from "../../auth";
import { forgetProcess, rememberProcess } from "./leftovers";
import { CHAOS_ARTIFACTS } from "./report";

export interface WorkerEvent {
  worker: string;
  message: string;
  jobId: number | null;
}

export interface ChaosStack {
  /** What the browser talks to: the proxy in front of the web. */
  url: string;
  bootstrap: string;
  databaseUrl: string;
  adminState: string;
  proxy: OutageProxy;
  postgres: PostgresCluster;
  /** Starts one more worker (the production bundle). */
  spawnWorker(): ManagedProcess;
  /** Workers still running. */
  workers(): ManagedProcess[];
  /** What the workers logged about jobs (runner lines with a jobId), in order. */
  jobEvents(jobId: number): WorkerEvent[];
  killBroker(): Promise<void>;
  startBroker(): Promise<void>;
  killWeb(): Promise<void>;
  /** Starts the web again and waits until it answers. */
  startWeb(): Promise<void>;
  /** Stops PostgreSQL in `mode`, keeps it down for `downMs`, starts it again. */
  restartPostgres(mode: ShutdownMode, downMs: number): Promise<void>;
  stop(): Promise<void>;
}

const say = (message: string) => console.log(`[chaos] ${message}`);

/** Both web and workers: short intervals, so a crash is noticed and a job resumes within seconds. */
function stackEnv(databaseUrl: string): Record<string, string> {
  return {
    KAFKA_BROKERS: `127.0.0.1:${CHAOS_STACK.kafkaPort}`,
    DATABASE_URL: databaseUrl,
    PORT: String(CHAOS_STACK.webPort),
    NEXT_DIST_DIR: CHAOS_STACK.distDir,
    LOG_LEVEL: "info",
    HEALTH_PROBE_INTERVAL_MS: "1000",
    WORKER_HEARTBEAT_MS: "2000",
    KAFKA_CONNECTION_TIMEOUT_MS: "1500",
    JOBS_REAP_INTERVAL_MS: "2000",
    JOBS_RETRY_AFTER_MS: "2000",
    DLQ_INDEX_INTERVAL_MS: "1000",
    SIGNALBOX_SEED_DEMO_ACCOUNTS: "1",
    SIGNALBOX_DEMO_PASSWORD: E2E_PASSWORD,
    SIGN_IN_MAX_ATTEMPTS: "500",
    RATE_LIMIT_EXPENSIVE_PER_MINUTE: "600",
    MAX_ACTIVE_JOBS_PER_USER: "50",
  };
}

async function waitForWeb(url: string, web: ManagedProcess, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (web.child.exitCode !== null) throw new Error(`the web process exited with ${web.child.exitCode} before it answered`);
    // Any answer from the web itself will do (503 while no worker runs yet); the proxy's 502 is not one.
    const status = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(10_000) }).then(
      (r) => r.status,
      () => 0,
    );
    if (status === 200 || status === 503) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the web did not answer within ${timeoutMs / 1000} s`);
}

export async function startChaosStack(): Promise<ChaosStack> {
  fs.mkdirSync(CHAOS_ARTIFACTS, { recursive: true });
  const log = fs.createWriteStream(path.join(CHAOS_ARTIFACTS, "stack.log"), { flags: "a" });
  const events: WorkerEvent[] = [];
  const stops: (() => Promise<unknown>)[] = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch((error: Error) => say(`while stopping: ${error.message}`));
    stops.length = 0;
    log.end();
  };

  try {
    say(`Starting a Kafka broker on 127.0.0.1:${CHAOS_STACK.kafkaPort} (fresh data)…`);
    const kafka = await startLocalKafka({ port: CHAOS_STACK.kafkaPort, fresh: true });
    stops.push(() => stopLocalKafka(CHAOS_STACK.kafkaPort));

    say(`Starting PostgreSQL of its own on 127.0.0.1:${CHAOS_STACK.postgresPort} (${CHAOS_STACK.postgresDataDir}, fresh)…`);
    const postgres = await preparePostgresCluster({ port: CHAOS_STACK.postgresPort, dataDir: CHAOS_STACK.postgresDataDir, fresh: true });
    await postgres.start();
    stops.push(() => postgres.stop("fast"));
    const databaseUrl = postgres.databaseUrl(CHAOS_STACK.database);
    const env = stackEnv(databaseUrl);
    await ensureDatabase(databaseUrl, { reset: true });
    await migrateDatabase(databaseUrl);
    await seedDatabase({ ...process.env, ...env });

    await ensureWebBuild(CHAOS_STACK.distDir, env, say);
    await ensureWorkerBuild();

    const lineTo = (name: string) => (line: string) => {
      log.write(`[${name}] ${line}\n`);
      if (!line.startsWith("{") || !line.includes('"jobId"')) return;
      try {
        const entry = JSON.parse(line) as { component?: string; message?: string; jobId?: number };
        if (entry.component === "jobs" && typeof entry.message === "string") events.push({ worker: name, message: entry.message, jobId: entry.jobId ?? null });
      } catch {
        // Not one of our log lines.
      }
    };

    let webCount = 0;
    let web: ManagedProcess | null = null;
    const startWeb = async () => {
      webCount += 1;
      const started = startWebProcess(`web-${webCount}`, CHAOS_STACK.webPort, { env, quiet: true, onLine: lineTo(`web-${webCount}`) });
      rememberProcess(started);
      void started.exited.then(() => forgetProcess(started));
      web = started;
      await waitForWeb(`http://127.0.0.1:${CHAOS_STACK.webPort}`, started);
    };
    stops.push(async () => {
      if (web) await web.stop();
    });
    await startWeb();

    const proxy = await startOutageProxy({ port: CHAOS_STACK.proxyPort, upstreamPort: CHAOS_STACK.webPort });
    stops.push(() => proxy.close());

    const workers = new TestWorkers(env, { bundle: true, onLine: (name, line) => lineTo(name)(line) });
    stops.push(() => workers.stopAll());

    const adminState = path.join(CHAOS_ARTIFACTS, "admin-state.json");
    await saveSignedInState(proxy.url, "admin@signalbox.local", adminState);
    say(`Signalbox is up behind the proxy at ${proxy.url}; output goes to ${path.join(CHAOS_ARTIFACTS, "stack.log")}`);

    return {
      url: proxy.url,
      bootstrap: kafka.bootstrap,
      databaseUrl,
      adminState,
      proxy,
      postgres,
      spawnWorker() {
        const worker = workers.spawn();
        rememberProcess(worker);
        void worker.exited.then(() => forgetProcess(worker));
        return worker;
      },
      workers: () => workers.alive(),
      jobEvents: (jobId) => events.filter((e) => e.jobId === jobId),
      killBroker: () => killLocalKafka(CHAOS_STACK.kafkaPort),
      startBroker: async () => {
        await startLocalKafka({ port: CHAOS_STACK.kafkaPort });
      },
      async killWeb() {
        const current = web;
        if (!current) return;
        await current.kill();
        web = null;
      },
      startWeb,
      async restartPostgres(mode, downMs) {
        await postgres.stop(mode);
        await new Promise((r) => setTimeout(r, downMs));
        await postgres.start();
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
