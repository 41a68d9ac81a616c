import "server-only";
import { sql } from "kysely";
import { getSql } from "./db";

export async function pingDatabase(): Promise<void> {
  await sql`SELECT 1`.execute(getSql());
}
