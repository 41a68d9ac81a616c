// Integration: the list pages' procedures (lag.groupsPage, lag.topicsPage) over a stored snapshot of
// thousands of groups: the filter finds one group, windows page through the sorted list, a scoped
// viewer sees only its groups and topics, and unbounded input is refused before any work.
import { TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";
import { callerAs, closeConnectionsAfterAll } from "../../../../scripts/lib/test-support";
import { saveLatestSnapshot, type Actor } from "~/server/catalog";
import type { GroupSnapshot, LagSnapshot, TopicSnapshot } from "~/server/services/lag/types";

const run = `pages-${Date.now()}`;
const CLUSTER = "integration";
const viewer: Actor = { email: "viewer-pages-it@signalbox.local", name: "Viewer", role: "viewer" };
const scoped: Actor = {
  email: "scoped-pages-it@signalbox.local",
  name: "Scoped",
  role: null,
  grants: [{ role: "viewer", scope: { clusters: [], topics: [`${run}-t-1*`], groups: [`${run}-g-1*`], subjects: [] }, source: "test" }],
};

const group = (i: number): GroupSnapshot => ({
  groupId: `${run}-g-${i}`,
  state: "Empty",
  members: [],
  status: i % 10 === 0 ? "ERR" : "OK",
  totalLag: i,
  maxLag: i,
  maxLagSeconds: null,
  consumeRate: null,
  consumeRateByTopic: {},
  partitions: [],
});
const topic = (i: number): TopicSnapshot => ({ topic: `${run}-t-${i}`, partitions: [{ topic: `${run}-t-${i}`, partition: 0, low: 0, high: i }], produceRate: null });

closeConnectionsAfterAll();

describe("the list pages' procedures", async () => {
  const takenAt = Date.now();
  const snapshot: LagSnapshot = { cluster: CLUSTER, takenAt, cycleMs: 1, groups: Array.from({ length: 3000 }, (_, i) => group(i)), topics: Array.from({ length: 2000 }, (_, i) => topic(i)) };
  await saveLatestSnapshot(CLUSTER, new Date(takenAt), 1, snapshot);

  it("finds one group among 3,000 and pages through them in name order", async () => {
    const caller = await callerAs(viewer);
    const one = await caller.lag.groupsPage({ filter: `${run}-G-2999` });
    expect(one).toMatchObject({ matching: 1, total: 3000, takenAt, counts: { ERR: 300, OK: 2700, WARN: 0, PENDING: 0 } });
    expect(one.rows.map((g) => g.groupId)).toEqual([`${run}-g-2999`]);

    const last = await caller.lag.groupsPage({ sort: "group", dir: "desc", offset: 0, limit: 1 });
    expect(last.rows[0]!.groupId).toBe(`${run}-g-2999`);
    const window = await caller.lag.groupsPage({ sort: "group", dir: "asc", offset: 2990, limit: 500 });
    expect(window.rows.map((g) => g.groupId)).toEqual(Array.from({ length: 10 }, (_, i) => `${run}-g-${2990 + i}`));
    const errs = await caller.lag.groupsPage({ status: "ERR", limit: 500 });
    expect(errs.matching).toBe(300);
    expect(errs.rows.every((g) => g.status === "ERR")).toBe(true);
  });

  it("shows the topics page's rows with sparklines, and nothing for a filter that matches nothing", async () => {
    const caller = await callerAs(viewer);
    const page = await caller.lag.topicsPage({ sort: "messages", dir: "desc", limit: 3 });
    expect(page).toMatchObject({ matching: 2000, total: 2000 });
    expect(page.rows.map((t) => [t.topic, t.messages, Array.isArray(t.sparkline)])).toEqual([
      [`${run}-t-1999`, 1999, true],
      [`${run}-t-1998`, 1998, true],
      [`${run}-t-1997`, 1997, true],
    ]);
    expect(await caller.lag.topicsPage({ filter: "no-topic-is-called-this" })).toMatchObject({ rows: [], matching: 0, total: 2000 });
  });

  it("counts and lists only what a scoped viewer may see", async () => {
    const caller = await callerAs(scoped);
    const groups = await caller.lag.groupsPage({ limit: 500 });
    // g-1, g-10…g-19, g-100…g-199, g-1000…g-1999
    expect(groups.total).toBe(1111);
    expect(groups.rows.every((g) => g.groupId.startsWith(`${run}-g-1`))).toBe(true);
    const topics = await caller.lag.topicsPage({ filter: "-t-", limit: 500 });
    expect(topics.total).toBe(1111);
    expect(topics.matching).toBe(1111);
  });

  it("refuses a filter, a page or an offset beyond their bounds", async () => {
    const caller = await callerAs(viewer);
    for (const attempt of [
      caller.lag.groupsPage({ filter: "x".repeat(257) }),
      caller.lag.groupsPage({ limit: 501 }),
      caller.lag.topicsPage({ offset: -1 }),
      caller.lag.topicsPage({ offset: 10_000_001 }),
    ]) {
      const error = await attempt.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TRPCError);
      expect((error as TRPCError).code).toBe("BAD_REQUEST");
    }
  });
});
