// Integration: the catalog's Kysely statements on the real PostgreSQL. The columns hold UTC without a
// zone, as Prisma writes them; these tests run in a zone far from UTC, so a timestamp sent or read in
// the process's zone would come back hours off (and disagree with what Prisma reads).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeConnectionsAfterAll } from "../../../scripts/lib/test-support";
import { appendDlqRecords, type DlqIndexRow, listWrappedDlqFailures, queryDlqRecords } from "./dlq-index";
import { getDb } from "./db";
import { insertRawSamples, RAW_RESOLUTION, readGroupSeries, readLatestSnapshot, readTopicSeries, saveLatestSnapshot } from "./lag-history";

const clusterName = `it-sql-${Date.now()}`;
const previousZone = process.env.TZ;

closeConnectionsAfterAll();

beforeAll(() => {
  process.env.TZ = "America/Los_Angeles";
});
afterAll(() => {
  process.env.TZ = previousZone;
});

describe("the catalog's typed SQL", () => {
  it("runs in a zone that is not UTC", () => {
    expect(new Date(0).getTimezoneOffset()).not.toBe(0);
  });

  it("writes and reads the lag snapshot through one path, in UTC, as Prisma reads it", async () => {
    const takenAt = new Date("2026-12-06T10:11:12.345Z");
    await saveLatestSnapshot(clusterName, takenAt, 42, { groups: [{ id: "g", lag: 7 }] });
    await saveLatestSnapshot(clusterName, new Date(takenAt.getTime() + 5000), 43, { groups: [] });
    const read = await readLatestSnapshot<{ groups: unknown[] }>(clusterName);
    expect(read).toEqual({ takenAt: new Date(takenAt.getTime() + 5000), cycleMs: 43, payload: { groups: [] } });
    const viaPrisma = await getDb().lagSnapshotLatest.findUnique({ where: { clusterName } });
    expect(viaPrisma?.takenAt.toISOString()).toBe("2026-12-06T10:11:17.345Z");
  });

  it("round-trips history rows of column arrays with their times and bigints", async () => {
    const at = new Date("2026-12-06T10:00:00.000Z");
    const big = 2 ** 40 + 3;
    await insertRawSamples(clusterName, [{ topic: "t", at, endOffset: big, startOffset: 5 }], [{ groupId: "g", at, committed: big, totalLag: 9, maxLag: 4, maxLagSeconds: 1.5, status: "Stable", members: 2 }]);
    const from = new Date(at.getTime() - 1000);
    const to = new Date(at.getTime() + 1000);
    expect(await readTopicSeries(clusterName, "t", RAW_RESOLUTION, from, to)).toEqual([{ topic: "t", at, endOffset: big, startOffset: 5 }]);
    expect(await readGroupSeries(clusterName, "g", RAW_RESOLUTION, from, to)).toEqual([{ groupId: "g", at, committed: big, totalLag: 9, maxLag: 4, maxLagSeconds: 1.5, status: "Stable", members: 2 }]);
    const viaPrisma = await getDb().topicSample.findFirst({ where: { clusterName, topic: "t" } });
    expect(viaPrisma?.at.toISOString()).toBe(at.toISOString());
  });

  it("filters DLQ records by time in UTC and pages wrapped failures by key", async () => {
    const topic = "orders.DLQ";
    const row = (offset: number, timestamp: number, errorMessage: string): DlqIndexRow => ({
      partition: 0, offset, timestamp, key: `k${offset}`, eventType: null, eventId: null, correlationId: null, convention: "spring-kafka",
      errorClass: "E", errorMessage, reason: `E: ${errorMessage}`, originTopic: "orders", originPartition: 0, originOffset: String(offset),
      attempts: 1, redriveAttempts: 0, preview: "{}", valueBytes: 2,
    });
    const t0 = Date.parse("2026-12-06T10:00:00.000Z");
    await appendDlqRecords(clusterName, topic, 0, [row(0, t0, "Listener failed; boom"), row(1, t0 + 1000, "plain"), row(2, t0 + 2000, "Listener failed; again"), row(3, t0 + 3000, "x; nested exception is y")], 4);
    const inWindow = await queryDlqRecords({ clusterName, topic, status: "ALL", from: t0 + 1000, to: t0 + 3000 }, { limit: 10 });
    expect(inWindow.map((r) => [r.offset, r.timestamp])).toEqual([[1, t0 + 1000], [2, t0 + 2000]]);
    const ours = <T extends { clusterName: string }>(rows: T[]) => rows.filter((r) => r.clusterName === clusterName);
    const all = ours(await listWrappedDlqFailures(null, 100_000));
    expect(all.map((r) => r.offset)).toEqual([0, 2, 3]);
    const afterFirst = ours(await listWrappedDlqFailures(all[0]!, 100_000));
    expect(afterFirst.map((r) => r.offset)).toEqual([2, 3]);
  });
});
