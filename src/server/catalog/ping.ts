import "server-only";
import { getDb } from "./db";

export async function pingDatabase(): Promise<void> {
  await getDb().$queryRaw`SELECT 1`;
}
