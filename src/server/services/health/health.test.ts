import { describe, expect, it } from "vitest";
import { httpStatusOf, judgeWorker } from "./health";

describe("judgeWorker", () => {
  const now = new Date("2026-11-22T10:00:00Z");

  it("reports a worker that never ran as down, with how to start one", () => {
    const health = judgeWorker(null, now, 20_000);
    expect(health.ok).toBe(false);
    expect(health.error).toContain("npm run worker");
  });

  it("accepts a recent heartbeat", () => {
    expect(judgeWorker(new Date(now.getTime() - 5_000), now, 20_000)).toEqual({ ok: true, lastSeen: "2026-11-22T09:59:55.000Z" });
  });

  it("flags a stale heartbeat with its age", () => {
    const health = judgeWorker(new Date(now.getTime() - 61_000), now, 20_000);
    expect(health.ok).toBe(false);
    expect(health.error).toBe("Worker silent for 61 s.");
  });
});

describe("httpStatusOf", () => {
  it("answers 503 unless everything is ok", () => {
    expect(httpStatusOf({ status: "ok" })).toBe(200);
    expect(httpStatusOf({ status: "degraded" })).toBe(503);
  });
});
