import { describe, expect, it } from "vitest";
import type { FetchedRecord } from "~/server/broker";
import { groupByReason, summariseDlq, type DlqEntry } from "./dlq";
import { readDlqHeaders } from "./headers";
import { redriveCopy, redriveTarget } from "./redrive-job";

const h = (key: string, value: string) => ({ key, value: Buffer.from(value) });
const params = { targetTopic: null, fallbackTopic: null, attemptCap: 3, parkingTopic: "p.DLQ.parking-lot" };

describe("redriveTarget", () => {
  it("goes to the original topic from the headers, or the chosen one, or the fallback", () => {
    expect(redriveTarget([h("x-original-topic", "orders")], params)).toEqual({ topic: "orders", attempt: 1, parked: false });
    expect(redriveTarget([h("x-original-topic", "orders")], { ...params, targetTopic: "orders-retry" }).topic).toBe("orders-retry");
    expect(redriveTarget([], { ...params, fallbackTopic: "typed-in" }).topic).toBe("typed-in");
    expect(redriveTarget([], params).topic).toBeNull();
  });
  it("parks a record past the attempt cap", () => {
    expect(redriveTarget([h("x-original-topic", "orders"), h("x-redrive-attempt", "2")], params)).toEqual({ topic: "orders", attempt: 3, parked: false });
    expect(redriveTarget([h("x-original-topic", "orders"), h("x-redrive-attempt", "3")], params)).toEqual({ topic: "p.DLQ.parking-lot", attempt: 4, parked: true });
  });
});

describe("redriveCopy", () => {
  const record: FetchedRecord = {
    topic: "p.DLQ",
    partition: 2,
    offset: 17,
    timestamp: 0,
    key: Buffer.from("k"),
    value: Buffer.from('{"eventId":"e1"}'),
    headers: [h("eventId", "e1"), h("x-dup", "a"), h("x-dup", "b"), h("x-replay-of", "old/0/1"), h("x-redrive-attempt", "1")],
  };
  it("keeps key, value and headers and replaces the marks", () => {
    const copy = redriveCopy(record, "orders", 2, 9, null);
    expect(copy.topic).toBe("orders");
    expect(copy.key).toEqual(record.key);
    expect(copy.value).toEqual(record.value);
    expect(copy.headers.map((x) => [x.key, x.value!.toString()])).toEqual([
      ["eventId", "e1"],
      ["x-dup", "a"],
      ["x-dup", "b"],
      ["x-replay-of", "p.DLQ/2/17"],
      ["x-replay-job", "9"],
      ["x-redrive-attempt", "2"],
    ]);
  });
  it("writes the edited value instead of the original", () => {
    expect(redriveCopy(record, "orders", 1, 9, '{"eventId":"e1","fixed":true}').value!.toString()).toBe('{"eventId":"e1","fixed":true}');
  });
});

function entry(offset: number, timestamp: number, errorClass: string, status: DlqEntry["status"] = "PENDING", origin = "orders"): DlqEntry {
  const reading = readDlqHeaders([h("x-original-topic", origin), h("x-error-class", errorClass), h("x-error-message", `failed ${offset}`)]);
  return { partition: 0, offset, timestamp, key: null, eventType: null, eventId: null, reading, reason: `${errorClass}: failed <n>`, redriveAttempts: 0, status, state: null, preview: "" };
}

describe("DLQ summary", () => {
  const now = 1_000_000_000;
  it("groups by reason with counts and first/last seen, most frequent first", () => {
    const groups = groupByReason([entry(0, 10, "A"), entry(1, 20, "B"), entry(2, 30, "B")]);
    expect(groups.map((g) => [g.reason, g.count, g.firstSeen, g.lastSeen])).toEqual([
      ["B: failed <n>", 2, 20, 30],
      ["A: failed <n>", 1, 10, 10],
    ]);
  });
  it("counts depth without redriven or discarded records, inflow over the window, the oldest pending, and the source", () => {
    const entries = [entry(0, now - 3_600_000, "A", "REDRIVEN"), entry(1, now - 600_000, "A"), entry(2, now - 60_000, "B"), entry(3, now - 1_000, "B", "DISCARDED", "payments")];
    const s = summariseDlq({ topic: "x.DLQ", entries, total: 4, truncated: false }, now);
    expect(s.depth).toBe(2);
    expect(s.inflowPerMin).toBeCloseTo(2 / 5);
    expect(s.oldestAgeMs).toBe(600_000);
    expect(s.topReasons).toEqual([
      { reason: "A: failed <n>", count: 1 },
      { reason: "B: failed <n>", count: 1 },
    ]);
    expect(s.sourceTopic).toBe("orders");
    expect(s.growing).toBe(true);
  });
  it("counts records beyond the scan as pending", () => {
    expect(summariseDlq({ topic: "x.DLQ", entries: [entry(0, now, "A")], total: 10, truncated: true }, now).depth).toBe(10);
  });
});
