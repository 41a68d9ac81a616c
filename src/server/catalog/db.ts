// The catalog's Prisma client. Prisma runs without native engines: the pg driver adapter does the I/O.
// The adapter is given the pg pool rather than a URL, so the few bulk statements Prisma handles
// poorly (see lag-history.ts) can use the same connections through getPool().
import "server-only";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { getEnv } from "~/env";
import { PrismaClient, type Prisma } from "./generated/prisma/client";

const globalForDb = globalThis as unknown as { __signalboxDb?: { prisma: PrismaClient; pool: pg.Pool } };

function connect() {
  globalForDb.__signalboxDb ??= (() => {
    const pool = new pg.Pool({ connectionString: getEnv().DATABASE_URL, max: 5, connectionTimeoutMillis: 3000 });
    return { pool, prisma: new PrismaClient({ adapter: new PrismaPg(pool, { disposeExternalPool: true }) }) };
  })();
  return globalForDb.__signalboxDb;
}

export function getDb(): PrismaClient {
  return connect().prisma;
}

/** A transaction in progress; catalog functions that take one write inside it. */
export type CatalogTransaction = Prisma.TransactionClient;

/**
 * Runs `fn` in one transaction: what it writes commits together, or not at all (a process that dies
 * half-way leaves nothing). Long enough for a bulk statement, e.g. claiming 100,000 DLQ records.
 */
export function inTransaction<T>(fn: (tx: CatalogTransaction) => Promise<T>): Promise<T> {
  return getDb().$transaction(fn, { maxWait: 10_000, timeout: 120_000 });
}

/**
 * The pool under Prisma, for statements that carry megabytes of parameters (the lag snapshot,
 * thousands of history rows). Prisma's query compiler copies every parameter through its
 * WebAssembly heap and plan, which costs seconds and ~150 MB of memory that never shrinks.
 */
export function getPool(): pg.Pool {
  return connect().pool;
}

export async function disconnectDb(): Promise<void> {
  const db = globalForDb.__signalboxDb;
  globalForDb.__signalboxDb = undefined;
  await db?.prisma.$disconnect();
  // $disconnect ends the pool only once Prisma connected; a pool used only through getPool() needs its own end.
  if (db && !db.pool.ended) await db.pool.end().catch(() => undefined);
}

/**
 * A connection of its own, outside the pool: LISTEN and session-level advisory locks belong to the
 * connection that issued them (notifications.ts, leases.ts).
 */
export function dedicatedClient(): pg.Client {
  return new pg.Client({ connectionString: getEnv().DATABASE_URL, connectionTimeoutMillis: 3000 });
}
