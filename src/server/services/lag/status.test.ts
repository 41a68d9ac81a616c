import { describe, expect, it } from "vitest";
import { PARTITION_STATUSES, type OffsetSample, type PartitionStatus } from "./types";
import { evaluateGroup, evaluatePartition, GROUP_STATUS_RULES, STATUS_RULES } from "./status";

const STEP = 5_000;

/** Samples 5 s apart from t=0, from [committed, end] pairs. */
function samples(...pairs: [number | null, number][]): OffsetSample[] {
  return pairs.map(([committed, end], i) => ({ at: i * STEP, committed, end }));
}

/** Evaluates right after the last sample, as the sampler does. */
function judge(window: OffsetSample[], minSamples = window.length, now = window.at(-1)?.at ?? 0) {
  return evaluatePartition(window, { now, minSamples });
}

describe("evaluatePartition: PENDING", () => {
  it("waits for the first sample", () => {
    expect(judge([], 3)).toEqual({ status: "PENDING", reason: "No samples yet; status needs 3." });
  });

  it("waits with a single sample, even when one sample is all the caller asks for", () => {
    expect(judge(samples([100, 100]), 1).status).toBe("PENDING");
    expect(judge(samples([100, 500]), 1).status).toBe("PENDING");
  });

  it("waits until minSamples samples are collected", () => {
    expect(judge(samples([100, 200], [100, 300]), 3)).toEqual({ status: "PENDING", reason: "2 of 3 samples collected so far." });
  });

  it("judges at exactly minSamples samples", () => {
    expect(judge(samples([100, 200], [100, 300], [100, 400]), 3).status).toBe("STALL");
  });

  it("says so when the latest sample has no committed offset", () => {
    const verdict = judge(samples([100, 200], [150, 250], [null, 300]), 3);
    expect(verdict.status).toBe("PENDING");
    expect(verdict.reason).toContain("no committed offset");
  });

  it("only judges the trailing run of samples with a commit", () => {
    const window = samples([null, 100], [null, 200], [100, 300], [100, 400]);
    expect(judge(window, 3)).toEqual({ status: "PENDING", reason: "Only the last 2 samples carry a committed offset; status needs 3 in a row." });
    expect(judge(window, 2).status).toBe("STALL");
  });

  it("does not read a trend across a gap in the commits", () => {
    // Offsets expired (null) in the middle: the drop from 500 to 100 is not judged as a REWIND.
    const window = samples([500, 600], [null, 700], [100, 800], [150, 810], [200, 820]);
    expect(judge(window, 3).status).toBe("OK");
  });
});

describe("evaluatePartition: REWIND", () => {
  it("flags a committed offset that went backwards", () => {
    const window = samples([500, 600], [520, 640], [120, 680], [130, 700]);
    expect(judge(window)).toEqual({ status: "REWIND", reason: "The committed offset went back from 520 to 120 within the window of 4 samples." });
  });

  it("wins over lag reaching zero in the same window", () => {
    const window = samples([500, 500], [0, 600], [600, 600]);
    expect(judge(window).status).toBe("REWIND");
  });
});

describe("evaluatePartition: OK because lag reached 0", () => {
  it("is OK when lag was 0 once, however it looks now", () => {
    const window = samples([100, 100], [100, 200], [100, 300], [100, 400]);
    expect(judge(window)).toEqual({ status: "OK", reason: "Lag was 0 in 1 of 4 samples (now 300)." });
  });

  it("counts a commit past the log end as lag 0", () => {
    const window = samples([510, 500], [510, 500], [510, 500]);
    expect(judge(window)).toEqual({ status: "OK", reason: "Lag was 0 in 3 of 3 samples (now 0)." });
  });

  it("is OK for an idle consumer that is caught up (flat, zero lag)", () => {
    expect(judge(samples([500, 500], [500, 500], [500, 500])).status).toBe("OK");
  });
});

describe("evaluatePartition: STALL", () => {
  it("flags a commit that does not move while lag stays the same (flat lag)", () => {
    const window = samples([100, 150], [100, 150], [100, 150], [100, 150]);
    expect(judge(window)).toEqual({ status: "STALL", reason: "The committed offset stayed at 100 across 4 samples (15 s) while lag stayed at 50." });
  });

  it("flags a commit that does not move while lag grows", () => {
    const window = samples([100, 150], [100, 150], [100, 170], [100, 200]);
    expect(judge(window)).toEqual({ status: "STALL", reason: "The committed offset stayed at 100 across 4 samples (15 s) while lag grew from 50 to 100." });
  });

  it("is not STALL when lag fell while the commit stood still (the log end moved back)", () => {
    expect(judge(samples([100, 300], [100, 200], [100, 250])).status).toBe("OK");
  });

  it("stays STALL while the evaluation follows the last sample closely", () => {
    const window = samples([100, 150], [100, 150], [100, 150]);
    // Window span 10 s; 2 × span from the window start is t=20 s, 10 s after the last sample.
    expect(judge(window, 3, 20_000).status).toBe("STALL");
  });
});

describe("evaluatePartition: STOP", () => {
  it("flags a lagging partition whose samples are older than the window spans", () => {
    const window = samples([100, 150], [100, 150], [100, 150]);
    // The commit has been 100 since t=0; at t=21 s that is over twice the 10 s window.
    expect(judge(window, 3, 21_000)).toEqual({ status: "STOP", reason: "The committed offset has stayed at 100 for 21 s, over twice the 10 s window, with lag 50." });
  });

  it("counts from the first sample showing the latest commit", () => {
    // The commit moved to 120 at t=10 s; the window spans 15 s.
    const window = samples([100, 200], [110, 220], [120, 240], [120, 260]);
    expect(judge(window, 4, 40_000).status).toBe("WARN");
    expect(judge(window, 4, 40_001).status).toBe("STOP");
  });

  it("is not judged when every sample has the same time", () => {
    const window: OffsetSample[] = [
      { at: 1_000, committed: 100, end: 150 },
      { at: 1_000, committed: 100, end: 150 },
    ];
    expect(judge(window, 2, 60_000).status).toBe("STALL");
  });

  it("never overrides lag that reached zero", () => {
    const window = samples([100, 100], [100, 150], [100, 150]);
    expect(judge(window, 3, 3_600_000).status).toBe("OK");
  });

  it("formats long durations in minutes and hours", () => {
    const window = samples([100, 150], [100, 150], [100, 150]);
    expect(judge(window, 3, 30 * 60_000).reason).toBe("The committed offset has stayed at 100 for 30 min, over twice the 10 s window, with lag 50.");
    expect(judge(window, 3, 3 * 3_600_000 + 30 * 60_000).reason).toContain("for 3.5 h");
  });
});

describe("evaluatePartition: WARN", () => {
  it("flags lag growing in every interval while the consumer commits (growing lag)", () => {
    const window = samples([100, 220], [150, 300], [200, 390], [250, 480], [300, 600]);
    expect(judge(window)).toEqual({ status: "WARN", reason: "Lag grew in every one of 4 intervals, 120 → 300." });
  });

  it("is OK when lag held once among growing intervals", () => {
    const window = samples([100, 220], [150, 300], [200, 350], [250, 480]);
    expect(judge(window)).toEqual({ status: "OK", reason: "Lag 120 → 230, holding or falling in 1 of 3 intervals." });
  });
});

describe("evaluatePartition: OK otherwise", () => {
  it("is OK for a consumer catching up", () => {
    const window = samples([100, 600], [300, 650], [500, 700], [650, 720]);
    expect(judge(window)).toEqual({ status: "OK", reason: "The consumer is catching up: lag 500 → 70 over 3 intervals." });
  });

  it("is OK for a consumer keeping pace with steady non-zero lag", () => {
    const window = samples([100, 150], [200, 250], [300, 350]);
    expect(judge(window)).toEqual({ status: "OK", reason: "Lag 50 → 50, holding or falling in 2 of 2 intervals." });
  });

  it("judges all samples it is given, even more than minSamples", () => {
    // The first interval shows lag falling, so lag did not grow in every interval.
    const window = samples([100, 300], [200, 300], [210, 320], [220, 340]);
    expect(judge(window, 2).status).toBe("OK");
    expect(judge(window.slice(1), 2).status).toBe("WARN");
  });
});

describe("evaluateGroup", () => {
  it("is PENDING with no partitions or only PENDING ones", () => {
    expect(evaluateGroup([])).toBe("PENDING");
    expect(evaluateGroup(["PENDING", "PENDING"])).toBe("PENDING");
  });

  it("is ERR when any partition is STALL, STOP or REWIND", () => {
    for (const bad of ["STALL", "STOP", "REWIND"] as const) expect(evaluateGroup(["OK", "WARN", bad, "PENDING"])).toBe("ERR");
  });

  it("is WARN when any partition is WARN and none is an error", () => {
    expect(evaluateGroup(["OK", "WARN", "PENDING"])).toBe("WARN");
  });

  it("is OK when judged partitions are OK, even next to PENDING ones", () => {
    expect(evaluateGroup(["OK", "OK"])).toBe("OK");
    expect(evaluateGroup(["PENDING", "OK"])).toBe("OK");
  });
});

describe("STATUS_RULES", () => {
  it("documents every partition status, in evaluation order", () => {
    const order: PartitionStatus[] = STATUS_RULES.map((r) => r.status);
    expect(order).toEqual(["PENDING", "REWIND", "OK", "STOP", "STALL", "WARN", "OK"]);
    expect(new Set(order)).toEqual(new Set(PARTITION_STATUSES));
    for (const r of STATUS_RULES) expect(r.rule.length).toBeGreaterThan(20);
  });

  it("documents every group status", () => {
    expect(GROUP_STATUS_RULES.map((r) => r.status)).toEqual(["PENDING", "ERR", "WARN", "OK"]);
  });
});
