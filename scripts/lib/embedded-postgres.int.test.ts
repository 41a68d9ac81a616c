// The embedded PostgreSQL (the demo's default without a database, and the integration suite's with
// SIGNALBOX_TEST_EMBEDDED_DB=1): the migrations and the seed run on it, concurrent sessions stay
// apart (PGlite behind pglite-socket, its predecessor, shared one session between all clients and
// lost writes), data survives restarts, and neither a stale postmaster.pid nor a server orphaned
// by a killed demo stops the next start.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureDatabase, migrateDatabase, seedDatabase } from "./database";
import { isAlive, parsePostmasterPid, startEmbeddedPostgres, type EmbeddedPostgres } from "./embedded-postgres";
import { REPO_ROOT } from "./local-kafka";
import { EMBEDDED_DB_TEST_PORTS } from "./test-ports";

const [PORT, OTHER_PORT] = EMBEDDED_DB_TEST_PORTS;

async function rowsOf(url: string, sql: string): Promise<unknown[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

/** A separate process that starts the server on `dataDir` and resolves once it is up. */
function startInChildProcess(dataDir: string): Promise<ChildProcess> {
  // node with tsx's loader rather than the tsx command, which would run the script in a grandchild:
  // the PID killed below must be the process that started the server.
  const child = spawn(process.execPath, ["--import", "tsx", path.join(REPO_ROOT, "scripts/lib/embedded-postgres-child.ts"), String(PORT), dataDir], { cwd: REPO_ROOT, stdio: ["ignore", "pipe", "pipe"] });
  return new Promise((resolve, reject) => {
    let output = "";
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
      if (/^ready /m.test(output)) resolve(child);
    };
    child.stdout.on("data", collect);
    child.stderr.on("data", collect);
    child.once("exit", (code) => reject(new Error(`the child exited (${code}) before the server was up:\n${output}`)));
  });
}

describe("embedded PostgreSQL", () => {
  // World-readable, because as root the server runs as an unprivileged user that must reach its data directory.
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "signalbox-embedded-pg-"));
  fs.chmodSync(root, 0o755);
  const dataDir = path.join(root, "data");
  let embedded: EmbeddedPostgres | null = null;
  const url = () => embedded!.databaseUrl("signalbox");

  beforeAll(async () => {
    embedded = await startEmbeddedPostgres({ port: PORT, dataDir });
    await ensureDatabase(url());
  });
  afterAll(async () => {
    await embedded?.stop();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it("applies the Prisma migrations and the seed", async () => {
    await migrateDatabase(url());
    // As the demo seeds it: one account per role.
    await seedDatabase({ ...process.env, DATABASE_URL: url(), SIGNALBOX_SEED_DEMO_ACCOUNTS: "1" });
    const migrations = (await rowsOf(url(), "SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL")) as { migration_name: string }[];
    expect(migrations.map((r) => r.migration_name)).toContain("20261122000000_init");
    expect(await rowsOf(url(), 'SELECT count(*)::int AS n FROM "User"')).toEqual([{ n: 5 }]);
  });

  it("keeps two clients' transactions apart: a rollback in one takes nothing of the other's with it", async () => {
    const a = new pg.Client({ connectionString: url() });
    const b = new pg.Client({ connectionString: url() });
    await Promise.all([a.connect(), b.connect()]);
    try {
      await a.query("CREATE TABLE probe (who text PRIMARY KEY)");
      await a.query("BEGIN");
      await a.query("INSERT INTO probe VALUES ('a')");
      await b.query("BEGIN");
      await b.query("INSERT INTO probe VALUES ('b')");
      // Neither sees the other's uncommitted row.
      expect((await b.query("SELECT who FROM probe ORDER BY who")).rows).toEqual([{ who: "b" }]);
      expect((await a.query("SELECT who FROM probe ORDER BY who")).rows).toEqual([{ who: "a" }]);
      await b.query("COMMIT");
      // A committed row is visible to the other connection at once, inside its open transaction.
      expect((await a.query("SELECT who FROM probe ORDER BY who")).rows).toEqual([{ who: "a" }, { who: "b" }]);
      await a.query("ROLLBACK");
    } finally {
      await Promise.all([a.end(), b.end()]);
    }
    expect(await rowsOf(url(), "SELECT who FROM probe ORDER BY who")).toEqual([{ who: "b" }]);
  });

  it("answers many clients' interleaved parameterised statements, each with its own parameters", async () => {
    // The demo's failure under PGlite: the web's and the worker's unnamed prepared statements
    // interleaved on one session ("bind message supplies 6 parameters, but prepared statement ""
    // requires 4").
    const pool = new pg.Pool({ connectionString: url(), max: 8 });
    try {
      const results = await Promise.all(
        Array.from({ length: 200 }, (_, i) =>
          i % 2 === 0
            ? pool.query("SELECT $1::int + $2::int + $3::int + $4::int AS v", [i, 1, 2, 3]).then((r) => [i, r.rows[0].v])
            : pool.query("SELECT concat($1::text, $2::text, $3::text, $4::text, $5::text, $6::text) AS v", [String(i), "b", "c", "d", "e", "f"]).then((r) => [i, r.rows[0].v]),
        ),
      );
      expect(results).toEqual(Array.from({ length: 200 }, (_, i) => [i, i % 2 === 0 ? i + 6 : `${i}bcdef`]));
    } finally {
      await pool.end();
    }
  });

  it("keeps its data across a restart", async () => {
    await embedded!.stop();
    embedded = null;
    embedded = await startEmbeddedPostgres({ port: PORT, dataDir });
    expect(await rowsOf(url(), "SELECT who FROM probe")).toEqual([{ who: "b" }]);
    expect(await rowsOf(url(), 'SELECT count(*)::int AS n FROM "User"')).toEqual([{ n: 5 }]);
  });

  it("starts although a stale postmaster.pid names a PID that another program now has", async () => {
    await embedded!.stop();
    embedded = null;
    // As after a machine's crash or a SIGKILL of the server, once its PID went to another program
    // of the server's user (the data directory's owner): PostgreSQL alone then refuses to start
    // ("lock file "postmaster.pid" already exists"). Another user's PID it would ignore.
    const owner = fs.statSync(dataDir);
    const other = spawn("sleep", ["300"], { uid: owner.uid, gid: owner.gid });
    try {
      fs.writeFileSync(path.join(dataDir, "postmaster.pid"), `${other.pid}\n${dataDir}\n0\n${PORT}\n\n127.0.0.1\n0 0\nready\n`);
      embedded = await startEmbeddedPostgres({ port: PORT, dataDir });
      expect(await rowsOf(url(), "SELECT who FROM probe")).toEqual([{ who: "b" }]);
      expect(parsePostmasterPid(fs.readFileSync(path.join(dataDir, "postmaster.pid"), "utf8"))).not.toBe(other.pid);
    } finally {
      other.kill("SIGKILL");
    }
  });

  it("refuses a data directory that its starter still runs, and replaces the server once that starter was killed with SIGKILL", async () => {
    await embedded!.stop();
    embedded = null;
    const child = await startInChildProcess(dataDir);
    const orphanPid = parsePostmasterPid(fs.readFileSync(path.join(dataDir, "postmaster.pid"), "utf8"))!;
    try {
      await expect(startEmbeddedPostgres({ port: PORT, dataDir })).rejects.toThrow(`started by process ${child.pid}`);
    } finally {
      child.kill("SIGKILL");
    }
    await new Promise((resolve) => child.once("exit", resolve));
    // Killed with SIGKILL, the starter could not stop its server: it is still up, an orphan.
    expect(isAlive(orphanPid)).toBe(true);

    embedded = await startEmbeddedPostgres({ port: PORT, dataDir });
    expect(isAlive(orphanPid)).toBe(false);
    expect(await rowsOf(url(), "SELECT who FROM probe")).toEqual([{ who: "b" }]);
  });

  it("names the problem when its port is taken", async () => {
    const squatter = net.createServer();
    await new Promise<void>((resolve) => squatter.listen(OTHER_PORT, "127.0.0.1", resolve));
    try {
      await expect(startEmbeddedPostgres({ port: OTHER_PORT, dataDir: path.join(root, "other") })).rejects.toThrow(`Port ${OTHER_PORT} on 127.0.0.1 is already in use`);
    } finally {
      await new Promise((resolve) => squatter.close(resolve));
    }
  });
});
