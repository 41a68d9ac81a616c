import { describe, expect, it } from "vitest";
import { describeIndexLag } from "./index-lag-text";
import type { IndexStatus } from "./types";

const readAt = 1_000_000;
function status(behind: number, checkedAgo: number | null, heartbeatAgo: number | null): IndexStatus {
  const checkedAt = checkedAgo === null ? null : readAt - checkedAgo;
  return {
    readAt,
    worker: { running: heartbeatAgo !== null && heartbeatAgo <= 20_000, lastSeen: heartbeatAgo === null ? null : readAt - heartbeatAgo, staleAfterMs: 20_000, intervalMs: 5_000 },
    lag: { topic: "x.DLQ", total: 2_000, behind, checkedAt, partitions: [{ partition: 0, start: 0, end: 2_000, indexedTo: 2_000 - behind, behind, checkedAt }] },
  };
}

describe("the DLQ index lag line", () => {
  it("says how far behind the index is and when the worker last updated it", () => {
    expect(describeIndexLag(status(1_234, 4_000, 1_000), 0)).toEqual({ state: "running", text: "Index 1,234 records behind · updated 4 s ago", detail: null });
    expect(describeIndexLag(status(0, 2_000, 1_000), 0)).toMatchObject({ state: "running", text: "Index up to date · updated 2 s ago" });
    expect(describeIndexLag(status(1, null, 1_000), 0).text).toBe("Index 1 record behind · not read by the worker yet");
  });

  it("ages from the server's reading plus the time since, whatever the browser's clock says", () => {
    expect(describeIndexLag(status(0, 2_000, 1_000), 3_000).text).toBe("Index up to date · updated 5 s ago");
  });

  it("says plainly that nothing updates the index when no worker runs, never that it is still reading", () => {
    const stopped = describeIndexLag(status(40, 180_000, 25_000), 0);
    expect(stopped.state).toBe("stopped");
    expect(stopped.text).toBe("Index not updating: no worker is running (last worker heartbeat 25 s ago).");
    expect(stopped.detail).toContain("40 records not indexed");
    expect(describeIndexLag(status(0, null, null), 0).text).toBe("Index not updating: no worker is running (no worker has ever run).");
    // Fresh at the read, stale since: the line turns without a new read.
    expect(describeIndexLag(status(0, 1_000, 15_000), 10_000).state).toBe("stopped");
  });

  it("warns when a running worker has not finished a round on the topic for a while", () => {
    expect(describeIndexLag(status(10, 60_000, 1_000), 0)).toMatchObject({ state: "stuck", text: "Index 10 records behind · updated 1 min ago" });
  });
});
