// The catalog's Prisma client. Prisma runs without native engines: the pg driver adapter does the I/O.
import { PrismaPg } from "@prisma/adapter-pg";
import { getEnv } from "~/env";
import { PrismaClient } from "./generated/prisma/client";

const globalForDb = globalThis as unknown as { __signalboxDb?: PrismaClient };

export function getDb(): PrismaClient {
  globalForDb.__signalboxDb ??= new PrismaClient({
    adapter: new PrismaPg({ connectionString: getEnv().DATABASE_URL, max: 5, connectionTimeoutMillis: 3000 }),
  });
  return globalForDb.__signalboxDb;
}

export async function disconnectDb(): Promise<void> {
  const db = globalForDb.__signalboxDb;
  globalForDb.__signalboxDb = undefined;
  await db?.$disconnect();
}
