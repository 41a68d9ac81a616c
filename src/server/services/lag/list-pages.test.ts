import { describe, expect, it } from "vitest";
import { groupIndex, groupsPageOf, indexLists, NameOrder, snapshotLists, topicIndex, topicsPageOf } from "./list-pages";
import { groupsPageInput, topicsPageInput } from "./list-pages.types";
import type { GroupSnapshot, GroupStatus, LagSnapshot, TopicSnapshot } from "./types";

function group(groupId: string, status: GroupStatus, totalLag: number): GroupSnapshot {
  return { groupId, state: "Empty", members: [], status, totalLag, maxLag: totalLag, maxLagSeconds: null, consumeRate: null, consumeRateByTopic: {}, partitions: [] };
}
function topic(name: string, partitions: number, produceRate: number | null): TopicSnapshot {
  return { topic: name, partitions: Array.from({ length: partitions }, (_, partition) => ({ topic: name, partition, low: 0, high: 10 * partitions })), produceRate };
}
const snapshot = (groups: GroupSnapshot[], topics: TopicSnapshot[] = []): LagSnapshot => ({ cluster: "c", takenAt: 1, cycleMs: 1, groups, topics });

const STATUSES: GroupStatus[] = ["OK", "WARN", "ERR", "PENDING"];
// 2,500 groups, "svc-0" … "svc-2499", statuses in turn, lag = their number.
const many = snapshot(
  Array.from({ length: 2500 }, (_, i) => group(`svc-${i}`, STATUSES[i % 4]!, i)),
  Array.from({ length: 300 }, (_, i) => topic(`t-${i}`, (i % 7) + 1, i % 5 === 0 ? null : i)),
);

describe("the groups list page", () => {
  it("finds one group among thousands by any part of its id, ignoring case", () => {
    const page = groupsPageOf(groupIndex(many), groupsPageInput.parse({ filter: "  SVC-1234 " }), null);
    expect(page.rows.map((g) => g.groupId)).toEqual(["svc-1234"]);
    expect(page.matching).toBe(1);
    expect(page.total).toBe(2500);
    expect(page.counts).toEqual({ OK: 625, WARN: 625, ERR: 625, PENDING: 625 });
  });

  it("pages through the sorted list, the windows joining up to the whole list in natural name order", () => {
    const index = groupIndex(many);
    const seen: string[] = [];
    for (let offset = 0; offset < 2500; offset += 500) seen.push(...groupsPageOf(index, groupsPageInput.parse({ sort: "group", dir: "asc", offset, limit: 500 }), null).rows.map((g) => g.groupId));
    expect(seen).toEqual(Array.from({ length: 2500 }, (_, i) => `svc-${i}`));
    const last = groupsPageOf(index, groupsPageInput.parse({ sort: "group", dir: "desc", offset: 0, limit: 1 }), null);
    expect(last.rows[0]!.groupId).toBe("svc-2499");
    // Past the end: no rows, the count still right.
    expect(groupsPageOf(index, groupsPageInput.parse({ offset: 9999 }), null)).toMatchObject({ rows: [], matching: 2500 });
  });

  it("sorts worst status first by default, then by lag, and filters by status", () => {
    const index = groupIndex(many);
    const first = groupsPageOf(index, groupsPageInput.parse({ limit: 3 }), null).rows;
    expect(first.map((g) => [g.status, g.totalLag])).toEqual([
      ["ERR", 2498],
      ["ERR", 2494],
      ["ERR", 2490],
    ]);
    const warn = groupsPageOf(index, groupsPageInput.parse({ status: "WARN", filter: "svc-1", limit: 500 }), null);
    expect(warn.rows.every((g) => g.status === "WARN" && g.groupId.startsWith("svc-1"))).toBe(true);
    expect(warn.matching).toBe(warn.rows.length);
  });

  it("breaks ties by name, ascending in either direction", () => {
    const tied = snapshot([group("b", "OK", 1), group("a", "OK", 1), group("c", "ERR", 0)]);
    const index = groupIndex(tied);
    expect(groupsPageOf(index, groupsPageInput.parse({ sort: "totalLag", dir: "desc" }), null).rows.map((g) => g.groupId)).toEqual(["a", "b", "c"]);
    expect(groupsPageOf(index, groupsPageInput.parse({ sort: "totalLag", dir: "asc" }), null).rows.map((g) => g.groupId)).toEqual(["c", "a", "b"]);
  });

  it("counts and lists only the groups the caller may see", () => {
    const page = groupsPageOf(groupIndex(many), groupsPageInput.parse({ filter: "svc-12", limit: 500 }), (g) => g.groupId.endsWith("0"));
    expect(page.rows.every((g) => g.groupId.endsWith("0"))).toBe(true);
    expect(page.total).toBe(250);
    expect(page.matching).toBe(page.rows.length);
    expect(page.counts.OK + page.counts.ERR + page.counts.WARN + page.counts.PENDING).toBe(250);
  });

  it("builds one index per snapshot and reuses it", () => {
    expect(groupIndex(many)).toBe(groupIndex(many));
    expect(groupIndex(snapshot(many.groups))).not.toBe(groupIndex(many));
  });
});

describe("the lists stored with a snapshot", () => {
  it("hold the rows in natural name order with each topic's offset sums, and index like the snapshot itself", () => {
    const mixed = snapshot([group("svc-10", "OK", 1), group("svc-9", "ERR", 5), group("Svc-1", "WARN", 2)], [topic("t-10", 2, 1), topic("t-9", 1, null)]);
    const lists = JSON.parse(JSON.stringify(snapshotLists(mixed))) as ReturnType<typeof snapshotLists>;
    expect(lists.groups.map((g) => g.groupId)).toEqual(["Svc-1", "svc-9", "svc-10"]);
    expect(lists.topics.map((t) => t.topic)).toEqual(["t-9", "t-10"]);
    // t-9: one partition 0..10; t-10: two partitions 0..20.
    expect(lists.topicOffsets).toEqual([
      [10, 0],
      [40, 0],
    ]);
    const stored = indexLists(lists);
    for (const sort of ["group", "status", "state", "members", "topics", "totalLag", "maxLag", "maxLagSeconds", "rate"] as const) {
      for (const dir of ["asc", "desc"] as const) {
        const input = groupsPageInput.parse({ sort, dir });
        expect(groupsPageOf(stored.groups, input, null).rows.map((g) => g.groupId)).toEqual(groupsPageOf(groupIndex(mixed), input, null).rows.map((g) => g.groupId));
      }
    }
    expect(topicsPageOf(stored.topics, topicsPageInput.parse({ sort: "topic", dir: "desc" }), null).rows.map((t) => t.topic)).toEqual(["t-10", "t-9"]);
  });

  it("sorts names again only when they changed", () => {
    const order = new NameOrder();
    const first = order.of(["b", "a"]);
    expect([...first]).toEqual([1, 0]);
    expect(order.of(["b", "a"])).toBe(first);
    expect([...order.of(["b", "a", "a0"])]).toEqual([1, 2, 0]);
  });
});

describe("the topics list page", () => {
  it("sorts by produce rate with unknown rates last, and by partitions", () => {
    const index = topicIndex(many);
    const byRate = topicsPageOf(index, topicsPageInput.parse({ sort: "rate", dir: "desc", limit: 500 }), null).rows;
    expect(byRate[0]!.topic).toBe("t-299");
    expect(byRate.slice(-60).every((t) => t.produceRate === null)).toBe(true);
    const byPartitions = topicsPageOf(index, topicsPageInput.parse({ sort: "partitions", dir: "asc", limit: 2 }), null).rows;
    expect(byPartitions.map((t) => [t.topic, t.partitions, t.messages])).toEqual([
      ["t-0", 1, 10],
      ["t-7", 1, 10],
    ]);
  });

  it("answers a filter that matches nothing with no rows and the total", () => {
    expect(topicsPageOf(topicIndex(many), topicsPageInput.parse({ filter: "nothing-like-this" }), null)).toEqual({ rows: [], matching: 0, total: 300 });
  });

  it("refuses unbounded input: a long filter, a large page, a negative offset", () => {
    expect(() => topicsPageInput.parse({ filter: "x".repeat(257) })).toThrow();
    expect(() => topicsPageInput.parse({ limit: 501 })).toThrow();
    expect(() => groupsPageInput.parse({ offset: -1 })).toThrow();
    expect(() => groupsPageInput.parse({ sort: "password" })).toThrow();
  });
});
