// The catalog database for local runs and tests: create it if missing, reset it, migrate and seed.
import path from "node:path";
import pg from "pg";
import { REPO_ROOT } from "./local-kafka";
import { run, SERVER_CONDITION } from "./processes";

function maintenanceUrl(databaseUrl: string): { adminUrl: string; database: string } {
  const url = new URL(databaseUrl);
  const database = decodeURIComponent(url.pathname.replace(/^\//, ""));
  if (!/^[A-Za-z0-9_]+$/.test(database)) throw new Error(`Database name "${database}" must be letters, digits and underscores`);
  url.pathname = "/postgres";
  return { adminUrl: url.toString(), database };
}

/** The demo shop's own database (orders and its outbox), next to the catalog's on the same server: `<catalog>_shop`. */
export function shopDatabaseUrl(catalogUrl: string): string {
  const url = new URL(catalogUrl);
  url.pathname = `${url.pathname.replace(/\/$/, "")}_shop`;
  return url.toString();
}

export async function ensureDatabase(databaseUrl: string, options: { reset?: boolean } = {}): Promise<void> {
  const { adminUrl, database } = maintenanceUrl(databaseUrl);
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    if (options.reset) await client.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    const exists = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE "${database}"`);
  } finally {
    await client.end();
  }
}

const PRISMA = path.join(REPO_ROOT, "node_modules/.bin/prisma");
const TSX = path.join(REPO_ROOT, "node_modules/.bin/tsx");

export async function migrateDatabase(databaseUrl: string): Promise<void> {
  await run(PRISMA, ["migrate", "deploy"], { cwd: REPO_ROOT, env: { DATABASE_URL: databaseUrl } });
}

export async function seedDatabase(env: Record<string, string | undefined>): Promise<void> {
  await run(TSX, [...SERVER_CONDITION, "prisma/seed.ts"], { cwd: REPO_ROOT, env });
}

/**
 * Ends the server sessions holding advisory lock `key` (pg_terminate_backend), as a database restart
 * would: for tests of what a runner does when its job's lock dies under it. Returns how many.
 */
export async function terminateLockHolders(databaseUrl: string, key: number): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    const { rows } = await client.query<{ pid: number }>(
      `SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND ((classid::bigint << 32) | objid::bigint) = $1::bigint`,
      [String(key)],
    );
    for (const { pid } of rows) await client.query("SELECT pg_terminate_backend($1)", [pid]);
    return rows.length;
  } finally {
    await client.end();
  }
}

/** Ends the sessions that LISTEN for notifications (what a database restart does to them). Returns how many. */
export async function terminateListeners(databaseUrl: string): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    const { rows } = await client.query<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND query LIKE 'LISTEN %'`,
    );
    for (const { pid } of rows) await client.query("SELECT pg_terminate_backend($1)", [pid]);
    return rows.length;
  } finally {
    await client.end();
  }
}
