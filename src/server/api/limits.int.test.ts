// Integration: per-user limits through the tRPC caller on a real broker: the trace topic limit (400)
// and concurrent scans and tails (429), released when a stream ends or is cancelled; active jobs
// per user (429, counted in PostgreSQL); the rate limit on expensive procedures (429).
import { TRPCError } from "@trpc/server";
import { beforeAll, describe, expect, it } from "vitest";
import { callerAs, closeConnectionsAfterAll } from "../../../scripts/lib/test-support";
import { getEnv } from "~/env";
import { createProducer, ensureTopics } from "~/server/broker";
import { insertJob, transitionJob, type Actor } from "~/server/catalog";
import { clusterFromEnv } from "~/server/services/clusters/active-cluster";

const cluster = clusterFromEnv(getEnv());
const topic = `it-limits-${Date.now()}`;
const viewer = (name: string): Actor => ({ email: `${name}-${Date.now()}@limits.it`, name, role: "viewer" });

async function refusal(run: () => Promise<unknown>): Promise<TRPCError> {
  const error = await run().then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TRPCError);
  return error as TRPCError;
}

beforeAll(async () => {
  await ensureTopics(cluster, [{ topic, numPartitions: 1 }]);
  const producer = await createProducer(cluster);
  await producer.send(topic, Array.from({ length: 20 }, (_, i) => ({ key: `k-${i}`, value: JSON.stringify({ eventId: `e-${i}`, metadata: { correlationId: `c-${i}` } }) })));
  await producer.disconnect();
});

closeConnectionsAfterAll();

describe("trace topic limit", () => {
  it("refuses more than TRACE_MAX_TOPICS named topics with a 400 that names the limit", async () => {
    const caller = await callerAs(viewer("tracer"));
    const max = getEnv().TRACE_MAX_TOPICS;
    const topics = Array.from({ length: max + 1 }, (_, i) => `${topic}-${i}`);
    const error = await refusal(async () => {
      for await (const _ of await caller.messages.trace({ id: "c-1", from: Date.now() - 60_000, to: Date.now(), topics })) void _;
    });
    expect(error.code).toBe("BAD_REQUEST");
    expect(error.message).toBe(`A trace searches at most ${max} topics (TRACE_MAX_TOPICS=${max}); ${max + 1} were named. Name fewer topics.`);
  });
});

describe("concurrent scans per user", () => {
  it("refuses a scan beyond MAX_CONCURRENT_SCANS_PER_USER with a 429, counts users apart, and frees a slot when a tail is cancelled", async () => {
    const max = getEnv().MAX_CONCURRENT_SCANS_PER_USER;
    const busy = await callerAs(viewer("busy"));
    // Live tails stay open until cancelled; reading their first event means each holds its slot.
    const tails = [];
    for (let i = 0; i < max; i += 1) {
      const tail = (await busy.messages.tail({ topic }))[Symbol.asyncIterator]();
      expect((await tail.next()).value).toMatchObject({ type: "progress" });
      tails.push(tail);
    }

    const scan = async (caller: typeof busy) => {
      let done = null;
      for await (const event of await caller.messages.scan({ topic, start: { kind: "earliest" }, limit: 5 })) if (event.type === "done") done = event;
      return done;
    };
    const error = await refusal(() => scan(busy));
    expect(error.code).toBe("TOO_MANY_REQUESTS");
    expect(error.message).toContain(`MAX_CONCURRENT_SCANS_PER_USER=${max}`);

    // Another user is not affected.
    expect(await scan(await callerAs(viewer("other")))).toMatchObject({ matched: 5 });

    // The browser going away ends the subscription with return(): the slot is free again.
    await tails.pop()!.return?.(undefined);
    expect(await scan(busy)).toMatchObject({ matched: 5 });
    // A finished scan released its slot too: the next one is still allowed.
    expect(await scan(busy)).toMatchObject({ matched: 5 });

    await Promise.all(tails.map((t) => t.return?.(undefined)));
  });
});

describe("active jobs per user", () => {
  it("refuses a replay start at MAX_ACTIVE_JOBS_PER_USER queued or running jobs, before touching the broker", async () => {
    const max = getEnv().MAX_ACTIVE_JOBS_PER_USER;
    const support: Actor = { email: `support-${Date.now()}@limits.it`, name: "Support", role: "support" };
    // Rows only (no delivery, a kind no worker runs), cancelled afterwards so no worker ever picks them up.
    const ids: number[] = [];
    try {
      for (let i = 0; i < max; i += 1) {
        const row = await insertJob({ kind: "limits-it", key: `${support.email}-${i}`, clusterName: cluster.name, params: {}, progress: {}, summary: "limits test", createdBy: support.email, createdByRole: "support" });
        ids.push(row.id);
        if (i === 0) await transitionJob(row.id, ["QUEUED"], { status: "RUNNING" });
      }
      const caller = await callerAs(support);
      const start = () => caller.replay.start({ request: { sourceTopic: `${topic}-missing`, range: { kind: "time", from: 0, to: 1 }, targetTopic: topic }, ranges: [{ partition: 0, from: 0, to: 1 }], dryRunCount: 1 });
      const error = await refusal(start);
      expect(error.code).toBe("TOO_MANY_REQUESTS");
      expect(error.message).toBe(`${support.email} already has ${max} replay or redrive jobs queued or running, the most one user may have (MAX_ACTIVE_JOBS_PER_USER=${max}). Wait for one to finish, or cancel one.`);

      // A paused job does not count: below the limit the start goes on (and fails on the missing topic).
      await transitionJob(ids[1]!, ["QUEUED"], { status: "PAUSED" });
      const next = await refusal(start);
      expect(next.code).toBe("NOT_FOUND");
    } finally {
      for (const id of ids) await transitionJob(id, ["QUEUED", "RUNNING", "PAUSED"], { status: "CANCELLED", finishedAt: new Date() });
    }
  });
});

describe("rate limit on expensive procedures", () => {
  it("refuses the call after RATE_LIMIT_EXPENSIVE_PER_MINUTE with a 429 naming the procedure and the limit, per user", async () => {
    const perMinute = getEnv().RATE_LIMIT_EXPENSIVE_PER_MINUTE;
    const caller = await callerAs(viewer("hasty"));
    // The middleware runs when the subscription is opened; the streams are never read, so nothing is scanned.
    const open = (c: typeof caller) => c.messages.trace({ id: "c-1", from: 0, to: 1, topics: [topic] });
    for (let i = 0; i < perMinute; i += 1) await open(caller);
    const error = await refusal(() => open(caller));
    expect(error.code).toBe("TOO_MANY_REQUESTS");
    expect(error.message).toContain(`Too many expensive requests (messages.trace): at most ${perMinute} a minute per user (RATE_LIMIT_EXPENSIVE_PER_MINUTE=${perMinute}).`);
    await expect(open(await callerAs(viewer("patient")))).resolves.toBeDefined();
  });
});
