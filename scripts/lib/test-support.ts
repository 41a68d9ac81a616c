// What the integration tests share: a tRPC caller that acts as a given actor, and the afterAll that
// closes every connection a test file opened (the job queue, Kafka, PostgreSQL) once its own
// cleanup is done, so the next file starts clean and vitest can exit.
import { afterAll } from "vitest";
import { createCaller } from "../../src/server/api/root";
import { createTRPCContext } from "../../src/server/api/trpc";
import { disconnectAll } from "../../src/server/broker";
import { disconnectDb, stopJobQueue, type Actor } from "../../src/server/catalog";

/** The app's procedures, called in-process as `actor` (no HTTP, no session). */
export async function callerAs(actor: Actor) {
  return createCaller(await createTRPCContext({ headers: new Headers(), actor }));
}

/** After the file's tests: runs `cleanup` (stop consumers, delete topics…), then closes every connection. */
export function closeConnectionsAfterAll(cleanup?: () => unknown): void {
  afterAll(async () => {
    await cleanup?.();
    await stopJobQueue();
    await disconnectAll();
    await disconnectDb();
  });
}
