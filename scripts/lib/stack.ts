// The whole local Signalbox stack: broker, catalog database, web app, worker and (optionally) the demo
// event system. `npm run demo` and the end-to-end tests both start it through here.
import fs from "node:fs";
import path from "node:path";
import { ensureDatabase, migrateDatabase, seedDatabase, shopDatabaseUrl } from "./database";
import { startLocalConnect, stopLocalConnect } from "./local-connect";
import { localKafkaVersion, REPO_ROOT, startLocalKafka, stopLocalKafka } from "./local-kafka";
import { run, SERVER_CONDITION, startProcess, type ManagedProcess } from "./processes";

export interface StackOptions {
  /** Start a local broker on this port, unless `externalBrokers` is given. */
  kafkaPort: number;
  externalBrokers?: string;
  freshKafka?: boolean;
  /** Brokers in the local cluster (kafka.sh's KAFKA_NODES); 1 unless a benchmark needs more. */
  kafkaNodes?: number;
  /**
   * Also start a Kafka Connect worker on this REST port against the local broker (not with
   * externalBrokers), named "connect" in KAFKA_CONNECT_URLS. It starts while the database and the
   * build are prepared, so it costs little time.
   */
  connectPort?: number;
  databaseUrl: string;
  resetDatabase?: boolean;
  webPort: number;
  /** Next.js build directory, so the demo and the e2e suite can build side by side. */
  distDir: string;
  withDemoSystem: boolean;
  env?: Record<string, string | undefined>;
  /** Print child output (the demo does; tests keep it in a log file). */
  echo?: boolean;
  logFile?: string;
  /** Every line a child prints, with the child's name (web, worker, demo), e.g. to count errors. */
  onLine?: (processName: string, line: string) => void;
  say?: (message: string) => void;
}

export interface RunningStack {
  url: string;
  env: Record<string, string | undefined>;
  kafkaPort: number | null;
  processes: ManagedProcess[];
  stop(): Promise<void>;
}

const BIN = (name: string) => path.join(REPO_ROOT, "node_modules/.bin", name);

function newestMtime(target: string): number {
  const stat = fs.statSync(target, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of fs.readdirSync(target)) {
    if (entry === "generated" || entry === "node_modules") continue;
    newest = Math.max(newest, newestMtime(path.join(target, entry)));
  }
  return newest;
}

/** A build is reused only when nothing it was built from is newer. */
function isNewerThanSources(builtFile: string, sources: string[]): boolean {
  const built = fs.statSync(path.join(REPO_ROOT, builtFile), { throwIfNoEntry: false })?.mtimeMs ?? 0;
  return built > Math.max(...sources.map((p) => newestMtime(path.join(REPO_ROOT, p))));
}

export function buildIsCurrent(distDir: string): boolean {
  return isNewerThanSources(path.join(distDir, "BUILD_ID"), ["src", "public", "next.config.js", "package-lock.json", "tsconfig.json"]);
}

const WORKER_BUNDLE = "dist/worker/index.mjs";

/** Builds the web app into `distDir` unless the build there is current (e.g. the end-to-end suite's, reused by the chaos suite). */
export async function ensureWebBuild(distDir: string, env: Record<string, string | undefined>, say: (message: string) => void): Promise<void> {
  if (buildIsCurrent(distDir)) {
    say("Web app build is current; reusing it.");
    return;
  }
  say("Building the web app (next build)… this takes a minute or two on a small machine.");
  await run(BIN("next"), ["build"], { cwd: REPO_ROOT, env: { ...env, NEXT_DIST_DIR: distDir, NODE_ENV: "production" } });
}

/** Bundles the worker (scripts/build-worker.mjs, under a second) unless dist/worker is current. */
export async function ensureWorkerBuild(): Promise<void> {
  if (isNewerThanSources(WORKER_BUNDLE, ["src", "package-lock.json", "tsconfig.json", "scripts/build-worker.mjs"])) return;
  await run(process.execPath, [path.join(REPO_ROOT, "scripts/build-worker.mjs")], { cwd: REPO_ROOT });
}

type ChildOptions = { cwd?: string; env: Record<string, string | undefined>; quiet?: boolean; onLine?: (line: string) => void };

/** The production web server (`next start`) of the build in `env.NEXT_DIST_DIR`, on 127.0.0.1. */
export function startWebProcess(name: string, webPort: number, options: ChildOptions): ManagedProcess {
  return startProcess(name, BIN("next"), ["start", "-p", String(webPort), "-H", "127.0.0.1"], { cwd: REPO_ROOT, ...options, env: { ...options.env, NODE_ENV: "production" } });
}

/** The worker as it runs in production: the plain-JavaScript bundle on Node (ensureWorkerBuild first). */
export function startWorkerProcess(name: string, options: ChildOptions): ManagedProcess {
  return startProcess(name, process.execPath, [...workerNodeFlags(), WORKER_BUNDLE], { cwd: REPO_ROOT, ...options });
}

async function waitForHealthy(url: string, timeoutMs: number, isStopped: () => string | null): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = "no answer yet";
  while (Date.now() < deadline) {
    const stopped = isStopped();
    if (stopped) throw new Error(`${stopped} exited before Signalbox became healthy`);
    try {
      const response = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(15_000) });
      const body = (await response.json()) as { status: string };
      if (response.status === 200) return;
      last = JSON.stringify(body);
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new Error(`Signalbox did not become healthy within ${timeoutMs / 1000} s; last answer: ${last}`);
}

/**
 * Node flags for the worker, as `npm run worker` passes them. V8 sizes its heap for the machine's
 * memory, so on a big machine the worker kept ~200 MB of garbage around a live set of ~50 MB
 * (2,000 topics, 1,000 groups); a limit makes it collect sooner (README, "Benchmark: sampler at
 * scale"). WORKER_MAX_HEAP_MB raises it for much larger clusters.
 */
export function workerNodeFlags(): string[] {
  const heapMb = Number(process.env.WORKER_MAX_HEAP_MB || 256);
  if (!Number.isInteger(heapMb) || heapMb < 64) throw new Error(`WORKER_MAX_HEAP_MB must be a whole number of megabytes, at least 64; got "${process.env.WORKER_MAX_HEAP_MB}"`);
  return ["--enable-source-maps", `--max-old-space-size=${heapMb}`];
}

export async function startStack(options: StackOptions): Promise<RunningStack> {
  const say = options.say ?? ((m: string) => console.log(m));
  const started: ManagedProcess[] = [];
  let kafkaPort: number | null = null;
  const logStream = options.logFile ? fs.createWriteStream(options.logFile, { flags: "a" }) : null;

  let connectPort: number | null = null;
  let connectStarting: Promise<unknown> = Promise.resolve();
  const stop = async () => {
    await Promise.all(started.map((p) => p.stop()));
    // A worker still starting would outlive the stop otherwise.
    await connectStarting.catch(() => undefined);
    if (kafkaPort !== null && connectPort !== null) {
      say(`Stopping the Kafka Connect worker on port ${connectPort}…`);
      await stopLocalConnect({ kafkaPort, connectPort });
    }
    if (kafkaPort !== null) {
      say(`Stopping the local Kafka broker on port ${kafkaPort}…`);
      await stopLocalKafka(kafkaPort);
    }
    logStream?.end();
  };

  try {
    let brokers = options.externalBrokers;
    if (!brokers) {
      const nodes = options.kafkaNodes ?? 1;
      say(`Starting a local Kafka ${localKafkaVersion()} ${nodes > 1 ? `cluster of ${nodes} brokers` : "broker"} on 127.0.0.1:${options.kafkaPort}${options.freshKafka ? " (fresh data)" : ""}…`);
      kafkaPort = options.kafkaPort;
      brokers = (await startLocalKafka({ port: options.kafkaPort, fresh: options.freshKafka, nodes })).bootstrap;
    } else {
      say(`Using the Kafka cluster at ${brokers} (KAFKA_BROKERS).`);
    }

    if (options.connectPort !== undefined && kafkaPort !== null) {
      say(`Starting a Kafka Connect worker on http://127.0.0.1:${options.connectPort}…`);
      connectPort = options.connectPort;
      connectStarting = startLocalConnect({ kafkaPort, connectPort: options.connectPort, fresh: options.freshKafka });
      // Awaited below; a failure meanwhile must not be an unhandled rejection.
      connectStarting.catch(() => undefined);
    }

    // The demo's order-service keeps its orders and outbox in a database of its own, and Signalbox
    // watches that outbox (unless OUTBOX_MONITORS says otherwise).
    const shopUrl = options.withDemoSystem ? (options.env?.DEMO_SHOP_DATABASE_URL ?? shopDatabaseUrl(options.databaseUrl)) : undefined;
    const env: Record<string, string | undefined> = {
      ...(shopUrl ? { OUTBOX_MONITORS: JSON.stringify([{ name: "shop", url: shopUrl, table: "shop.outbox", publishedColumn: "published_at", stallAfterSeconds: 30 }]) } : {}),
      ...options.env,
      ...(connectPort !== null ? { KAFKA_CONNECT_URLS: `connect=http://127.0.0.1:${connectPort}` } : {}),
      KAFKA_BROKERS: brokers,
      DATABASE_URL: options.databaseUrl,
      PORT: String(options.webPort),
      NEXT_DIST_DIR: options.distDir,
    };

    say("Preparing the catalog database (migrate and seed)…");
    await ensureDatabase(options.databaseUrl, { reset: options.resetDatabase });
    await migrateDatabase(options.databaseUrl);
    await seedDatabase({ ...process.env, ...env });
    if (shopUrl) await ensureDatabase(shopUrl, { reset: options.resetDatabase });

    await ensureWebBuild(options.distDir, env, say);

    const childOptions = (name: string) => ({
      cwd: REPO_ROOT,
      env,
      quiet: !options.echo,
      onLine: (line: string) => {
        logStream?.write(`${line}\n`);
        options.onLine?.(name, line);
      },
    });
    await connectStarting;
    started.push(startWebProcess("web", options.webPort, childOptions("web")));
    // The worker runs as plain JavaScript, as in production (scripts/build-worker.mjs).
    await ensureWorkerBuild();
    started.push(startWorkerProcess("worker", childOptions("worker")));
    if (shopUrl) started.push(startProcess("demo", BIN("tsx"), [...SERVER_CONDITION, "src/demo/index.ts"], { ...childOptions("demo"), env: { ...env, DEMO_SHOP_DATABASE_URL: shopUrl } }));

    const url = `http://127.0.0.1:${options.webPort}`;
    await waitForHealthy(url, 120_000, () => started.find((p) => p.child.exitCode !== null)?.name ?? null);
    return { url, env, kafkaPort, processes: started, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
