// The catalog's two clients over one pg pool. Prisma runs without native engines: the pg driver
// adapter does the I/O. Kysely writes the statements Prisma cannot say (docs/layout.md, "SQL"):
// it hands its parameters straight to pg, where Prisma's query compiler would copy each one
// through its WebAssembly heap and plan (seconds and ~150 MB that never shrinks for the lag
// snapshot or thousands of history rows).
import "server-only";
import { PrismaPg } from "@prisma/adapter-pg";
import { Kysely, PostgresDialect, type CompiledQuery } from "kysely";
import pg from "pg";
import { getEnv } from "~/env";
import { PrismaClient } from "./generated/prisma/client";
import type { DB } from "./generated/kysely/database";

export type { DB };

const TIMESTAMP_OID = 1114;

/**
 * The catalog's timestamps are `timestamp(3)` without a zone holding UTC, as Prisma writes them.
 * pg would read them in the process's time zone; Prisma's adapter sets its own parsers per query,
 * so this only changes what Kysely reads.
 */
const poolTypes = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === TIMESTAMP_OID && format !== "binary" ? (text: string) => new Date(`${text.replace(" ", "T")}Z`) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

const globalForDb = globalThis as unknown as { __signalboxDb?: { prisma: PrismaClient; pool: pg.Pool; kysely: Kysely<DB> } };

function connect() {
  globalForDb.__signalboxDb ??= (() => {
    const pool = new pg.Pool({ connectionString: getEnv().DATABASE_URL, max: 5, connectionTimeoutMillis: 3000, types: poolTypes });
    return {
      pool,
      prisma: new PrismaClient({ adapter: new PrismaPg(pool, { disposeExternalPool: true }) }),
      kysely: new Kysely<DB>({ dialect: new PostgresDialect({ pool }) }),
    };
  })();
  return globalForDb.__signalboxDb;
}

export function getDb(): PrismaClient {
  return connect().prisma;
}

/** Typed SQL on the same pool as Prisma. Never destroy it: disconnectDb ends the pool once. */
export function getSql(): Kysely<DB> {
  return connect().kysely;
}

/** Prisma's interactive-transaction client. */
export type PrismaTx = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];

/**
 * Runs `fn` in one transaction: what it writes commits together, or not at all (a process that dies
 * half-way leaves nothing). Long enough for a bulk statement, e.g. claiming 100,000 DLQ records.
 */
export function inTransaction<T>(fn: (tx: PrismaTx) => Promise<T>): Promise<T> {
  return getDb().$transaction(fn, { maxWait: 10_000, timeout: 120_000 });
}

/**
 * Runs a Kysely statement inside a Prisma transaction, on its connection: for a statement that must
 * commit with rows Prisma writes (a discard with its audit entry, the registry's lock). Returns the
 * rows changed. The only caller of Prisma's raw API.
 */
export async function executeInTransaction(tx: PrismaTx, statement: CompiledQuery): Promise<number> {
  const { sql, parameters } = statement;
  return tx.$executeRawUnsafe(sql, ...parameters);
}

export async function disconnectDb(): Promise<void> {
  const db = globalForDb.__signalboxDb;
  globalForDb.__signalboxDb = undefined;
  await db?.prisma.$disconnect();
  // $disconnect ends the pool only once Prisma connected; a pool used only through Kysely needs its own end.
  if (db && !db.pool.ended) await db.pool.end().catch(() => undefined);
}

/**
 * A connection of its own, outside the pool: LISTEN and session-level advisory locks belong to the
 * connection that issued them (notifications.ts, leases.ts).
 */
export function dedicatedClient(): pg.Client {
  return new pg.Client({ connectionString: getEnv().DATABASE_URL, connectionTimeoutMillis: 3000 });
}
