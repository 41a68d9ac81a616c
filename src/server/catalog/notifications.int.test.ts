// Integration: live notifications over PostgreSQL LISTEN when the listening session dies (what a
// database restart does). A stream must not go quiet forever: it ends with an error, so the page
// behind it reopens it and reads again, and the connection comes back for the next one.
import { describe, expect, it } from "vitest";
import { terminateListeners } from "../../../scripts/lib/database";
import { closeConnectionsAfterAll } from "../../../scripts/lib/test-support";
import { getEnv } from "~/env";
import { CHANNELS, notificationBatches, notify } from "~/server/catalog";

closeConnectionsAfterAll();

/** The next batch of `stream`, notifying `payload` every 200 ms until one arrives (the listener may still be connecting). */
async function nextHearing(stream: AsyncGenerator<string[]>, payload: string): Promise<string[]> {
  const next = stream.next();
  let got: IteratorResult<string[]> | null = null;
  void next.then((r) => (got = r));
  for (let i = 0; i < 100 && !got; i += 1) {
    await notify(CHANNELS.jobs, payload);
    await new Promise((r) => setTimeout(r, 200));
  }
  return (await next).value as string[];
}

describe("notification streams", () => {
  it("end with an error when the LISTEN session is lost, and a new stream hears notifications again", async () => {
    const stream = notificationBatches(CHANNELS.jobs);
    expect(await nextHearing(stream, "before")).toContain("before");

    const ended = expect(stream.next()).rejects.toThrow("Live updates stopped: the connection to PostgreSQL was lost.");
    expect(await terminateListeners(getEnv().DATABASE_URL)).toBe(1);
    await ended;

    const reopened = notificationBatches(CHANNELS.jobs);
    expect(await nextHearing(reopened, "after")).toContain("after");
    await reopened.return(undefined);
  });
});
