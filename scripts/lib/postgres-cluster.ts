// A PostgreSQL cluster of its own for a test suite that stops and restarts its database (the chaos
// suite): the machine's PostgreSQL binaries (/usr/lib/postgresql/<major>/bin), initdb and pg_ctl,
// with a data directory under .cache/. PostgreSQL refuses to run as root, so as root every command
// runs as the `postgres` OS user, which owns the data directory. pg_ctl keeps the server's PID in
// the data directory, so any process (a test, the suite's teardown) can stop it.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { REPO_ROOT } from "./local-kafka";
import { run } from "./processes";

export type ShutdownMode = "smart" | "fast" | "immediate";

export interface PostgresCluster {
  port: number;
  dataDir: string;
  /** The server's log, appended across restarts. */
  logFile: string;
  /** A URL for `database` as the superuser (local connections are trusted; 127.0.0.1 only). */
  databaseUrl(database: string): string;
  start(): Promise<void>;
  /** `fast` rolls back open transactions and closes every connection; `immediate` is a crash (recovery on the next start). */
  stop(mode: ShutdownMode): Promise<void>;
  isRunning(): Promise<boolean>;
}

const SUPERUSER = "postgres";
const OS_USER = "postgres";

function binDir(): string {
  const root = "/usr/lib/postgresql";
  const majors = fs.existsSync(root) ? fs.readdirSync(root).filter((d) => /^\d+$/.test(d) && fs.existsSync(path.join(root, d, "bin/pg_ctl"))) : [];
  if (majors.length === 0) throw new Error(`No PostgreSQL server binaries under ${root} (Debian: apt-get install postgresql).`);
  return path.join(root, majors.sort((a, b) => Number(b) - Number(a))[0]!, "bin");
}

/** Root runs the binaries as the postgres user; anyone else as themselves. */
function asServerUser(command: string, args: string[]): [string, string[]] {
  return process.getuid?.() === 0 ? ["runuser", ["-u", OS_USER, "--", command, ...args]] : [command, args];
}

function chownToServerUser(target: string): void {
  if (process.getuid?.() !== 0) return;
  const uid = Number(execFileSync("id", ["-u", OS_USER], { encoding: "utf8" }).trim());
  const gid = Number(execFileSync("id", ["-g", OS_USER], { encoding: "utf8" }).trim());
  fs.chownSync(target, uid, gid);
}

/** The cluster in `dataDir` (relative to the repository), as it is: nothing is created, started or stopped. */
export function postgresCluster(options: { port: number; dataDir: string }): PostgresCluster {
  const bin = binDir();
  const dataDir = path.resolve(REPO_ROOT, options.dataDir);
  const logFile = `${dataDir}.log`;
  const pgCtl = async (args: string[]) => {
    const [command, argv] = asServerUser(path.join(bin, "pg_ctl"), ["-D", dataDir, ...args]);
    return run(command, argv);
  };
  const cluster: PostgresCluster = {
    port: options.port,
    dataDir,
    logFile,
    databaseUrl: (database) => `postgresql://${SUPERUSER}@127.0.0.1:${options.port}/${database}`,
    async start() {
      // The socket goes into the data directory: the machine's /var/run/postgresql belongs to its own server.
      const serverOptions = `-p ${options.port} -c listen_addresses=127.0.0.1 -k ${dataDir}`;
      await pgCtl(["start", "-w", "-t", "120", "-l", logFile, "-o", serverOptions]);
    },
    async stop(mode) {
      if (!(await cluster.isRunning())) return;
      await pgCtl(["stop", "-w", "-t", "120", "-m", mode]);
    },
    async isRunning() {
      // pg_ctl status: 0 running, 3 not running, 4 no data directory.
      return pgCtl(["status"]).then(
        () => true,
        () => false,
      );
    },
  };
  return cluster;
}

/**
 * The cluster in `dataDir`, created with initdb when missing or when `fresh`; not started. A server
 * left running in it by an earlier run is stopped first.
 */
export async function preparePostgresCluster(options: { port: number; dataDir: string; fresh?: boolean }): Promise<PostgresCluster> {
  const cluster = postgresCluster(options);
  const { dataDir, logFile } = cluster;
  const bin = binDir();
  if (fs.existsSync(path.join(dataDir, "PG_VERSION"))) await cluster.stop("immediate");
  if (options.fresh) fs.rmSync(dataDir, { recursive: true, force: true });
  if (!fs.existsSync(path.join(dataDir, "PG_VERSION"))) {
    // Parents get the usual mode (the server's user must pass through them); only the data directory is private.
    fs.mkdirSync(path.dirname(dataDir), { recursive: true });
    fs.mkdirSync(dataDir, { mode: 0o700 });
    chownToServerUser(dataDir);
    const [command, argv] = asServerUser(path.join(bin, "initdb"), ["-D", dataDir, "-U", SUPERUSER, "-A", "trust", "-E", "UTF8", "--no-sync"]);
    await run(command, argv);
  }
  if (!fs.existsSync(logFile)) fs.writeFileSync(logFile, "");
  chownToServerUser(logFile);
  return cluster;
}
