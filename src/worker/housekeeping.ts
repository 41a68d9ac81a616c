// Rows that only the passing of time makes dead: forgotten workers and ended sessions. Nothing else
// removes them, so the worker does on each heartbeat (two deletes on small tables).
import type { Env } from "~/env";
import { pruneWorkerHeartbeats } from "~/server/catalog";
import { removeEndedSessions, sessionPolicy } from "~/server/services/auth/sessions";

const DAY_MS = 86_400_000;

export async function keepHouse(env: Env, now = new Date()): Promise<{ sessions: number }> {
  // Workers silent for a day, so the table stays small across restarts.
  await pruneWorkerHeartbeats(new Date(now.getTime() - DAY_MS));
  return { sessions: await removeEndedSessions(sessionPolicy(env), now) };
}
