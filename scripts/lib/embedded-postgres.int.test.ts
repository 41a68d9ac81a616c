// The demo's no-DATABASE_URL path: the same migrations and seed must run on the embedded PGlite.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrateDatabase, seedDatabase } from "./database";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "./embedded-postgres";

const PORT = 55499;

describe("embedded PostgreSQL (PGlite) for the demo", () => {
  let embedded: EmbeddedPostgres;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "signalbox-pglite-"));

  beforeAll(async () => {
    embedded = await startEmbeddedPostgres({ port: PORT, dataDir: path.join(dataDir, "db") });
  });
  afterAll(async () => {
    await embedded?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("applies the Prisma migrations and the seed, and serves concurrent connections", async () => {
    await migrateDatabase(embedded.url);
    // As the demo seeds it: one account per role.
    await seedDatabase({ ...process.env, DATABASE_URL: embedded.url, SIGNALBOX_SEED_DEMO_ACCOUNTS: "1" });

    const pool = new pg.Pool({ connectionString: embedded.url, max: 5 });
    try {
      const migrations = await pool.query("SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL");
      expect(migrations.rows.map((r) => r.migration_name)).toContain("20261122000000_init");
      const counts = await Promise.all(Array.from({ length: 10 }, () => pool.query('SELECT count(*)::int AS n FROM "User"')));
      expect(new Set(counts.map((c) => c.rows[0].n))).toEqual(new Set([5]));
    } finally {
      await pool.end();
    }
  });
});
