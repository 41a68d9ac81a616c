// Leases: "of several workers, exactly one does this", held as PostgreSQL session-level advisory
// locks on a dedicated connection each (the sampler and the other singleton loops, each job's runner).
import "server-only";
import type pg from "pg";
import { dedicatedClient } from "./db";

/**
 * A lease held as a session-level advisory lock: when the holding process dies, PostgreSQL drops
 * its connection and the lock with it, so another worker takes over on its next try.
 */
export interface Lease {
  tryAcquire(): Promise<boolean>;
  readonly held: boolean;
  release(): Promise<void>;
}

export function advisoryLease(key: number): Lease {
  let client: pg.Client | null = null;
  let held = false;
  const drop = () => {
    held = false;
    const c = client;
    client = null;
    void c?.end().catch(() => undefined);
  };
  return {
    get held() {
      return held;
    },
    async tryAcquire() {
      if (held && client) {
        // Still ours only if the connection is alive.
        try {
          await client.query("SELECT 1");
          return true;
        } catch {
          drop();
        }
      }
      try {
        client = dedicatedClient();
        client.on("error", drop);
        await client.connect();
        const result = await client.query<{ ok: boolean }>("SELECT pg_try_advisory_lock($1) AS ok", [key]);
        held = result.rows[0]?.ok === true;
        if (!held) drop();
        return held;
      } catch (error) {
        drop();
        throw error;
      }
    },
    async release() {
      if (client && held) await client.query("SELECT pg_advisory_unlock($1)", [key]).catch(() => undefined);
      drop();
    },
  };
}
