import { describe, expect, it } from "vitest";
import { indexIsComplete, indexLagOf, judgeIndexer } from "./index-lag";

const at = (nextOffset: number, checkedAt: number) => ({ nextOffset, checkedAt });

describe("DLQ index lag", () => {
  it("counts per partition what lies between the cursor and the end, and the oldest check", () => {
    const lag = indexLagOf(
      "x.DLQ",
      [
        { partition: 1, start: 0, end: 40 },
        { partition: 0, start: 10, end: 100 },
      ],
      new Map([
        [0, at(60, 5_000)],
        [1, at(40, 7_000)],
      ]),
    );
    expect(lag).toEqual({
      topic: "x.DLQ",
      total: 130,
      behind: 40,
      checkedAt: 5_000,
      partitions: [
        { partition: 0, start: 10, end: 100, indexedTo: 60, behind: 40, checkedAt: 5_000 },
        { partition: 1, start: 0, end: 40, indexedTo: 40, behind: 0, checkedAt: 7_000 },
      ],
    });
    expect(indexIsComplete(lag)).toBe(false);
  });

  it("counts a partition never read as wholly behind, and has no check time until every partition has one", () => {
    const lag = indexLagOf("x.DLQ", [{ partition: 0, start: 5, end: 25 }, { partition: 1, start: 0, end: 0 }], new Map());
    expect(lag.behind).toBe(20);
    expect(lag.partitions.map((p) => p.indexedTo)).toEqual([null, null]);
    expect(lag.checkedAt).toBeNull();
  });

  it("counts from the log start when retention deleted what the index never read, and all of a partition whose cursor is past its end", () => {
    const lag = indexLagOf("x.DLQ", [{ partition: 0, start: 50, end: 70 }, { partition: 1, start: 0, end: 3 }], new Map([[0, at(10, 1)], [1, at(900, 1)]]));
    expect(lag.partitions.map((p) => p.behind)).toEqual([20, 3]);
  });

  it("is complete when every record the topic holds is indexed, empty partitions included", () => {
    expect(indexIsComplete(indexLagOf("x.DLQ", [{ partition: 0, start: 0, end: 3 }, { partition: 1, start: 0, end: 0 }], new Map([[0, at(3, 1)]])))).toBe(true);
  });
});

describe("the indexer's state", () => {
  const env = { WORKER_STALE_AFTER_MS: 20_000, DLQ_INDEX_INTERVAL_MS: 5_000 };
  it("runs while its last heartbeat is fresh", () => {
    expect(judgeIndexer(95_000, 100_000, env)).toEqual({ running: true, lastSeen: 95_000, staleAfterMs: 20_000, intervalMs: 5_000 });
    expect(judgeIndexer(70_000, 100_000, env).running).toBe(false);
    expect(judgeIndexer(null, 100_000, env)).toMatchObject({ running: false, lastSeen: null });
  });
});
