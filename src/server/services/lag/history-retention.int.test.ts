// Integration: how long lag history is kept (HISTORY_RAW_RETENTION_MS, HISTORY_ROLLUP_RETENTION_MS),
// on the real catalog. Rows of one topic series are written 0 to 40 minutes ago, rolled up and
// pruned with a 10-minute raw and a 30-minute rollup retention, as the soak benchmark runs it.
import { describe, expect, it } from "vitest";
import { closeConnectionsAfterAll } from "../../../../scripts/lib/test-support";
import { countTopicSamples, insertRawSamples, MINUTE_RESOLUTION, pruneHistory, RAW_RESOLUTION, rollUpMinutes } from "~/server/catalog";
import { resolutionFor } from "./queries";

const clusterName = `it-retention-${Date.now()}`;
const MINUTE = 60_000;

closeConnectionsAfterAll();

describe("history retention", () => {
  it("keeps raw rows and minute rollups only as long as configured", async () => {
    const now = Math.floor(Date.now() / MINUTE) * MINUTE;
    // One raw row a minute for the last 40 minutes.
    const rows = Array.from({ length: 40 }, (_, i) => ({ topic: "t", at: new Date(now - (40 - i) * MINUTE), endOffset: i * 10, startOffset: 0 }));
    await insertRawSamples(clusterName, rows, []);
    await rollUpMinutes(new Date(now - 41 * MINUTE), new Date(now));
    expect(await countTopicSamples(clusterName, RAW_RESOLUTION)).toBe(40);
    expect(await countTopicSamples(clusterName, MINUTE_RESOLUTION)).toBe(40);

    const removed = await pruneHistory(new Date(now), { rawMs: 10 * MINUTE, minuteMs: 30 * MINUTE });
    // Rows exactly at the limit stay (strictly older ones go).
    expect(await countTopicSamples(clusterName, RAW_RESOLUTION)).toBe(10);
    expect(await countTopicSamples(clusterName, MINUTE_RESOLUTION)).toBe(30);
    expect(removed.raw).toBeGreaterThanOrEqual(30);
    expect(removed.minute).toBeGreaterThanOrEqual(10);
  });

  it("reads charts from the rollups when raw rows are not kept as long as the range", () => {
    expect(resolutionFor("15m", 65 * MINUTE)).toBe(RAW_RESOLUTION);
    expect(resolutionFor("1h", 65 * MINUTE)).toBe(RAW_RESOLUTION);
    expect(resolutionFor("24h", 65 * MINUTE)).toBe(MINUTE_RESOLUTION);
    expect(resolutionFor("15m", 10 * MINUTE)).toBe(MINUTE_RESOLUTION);
    expect(resolutionFor("1h", 30 * MINUTE)).toBe(MINUTE_RESOLUTION);
  });
});
