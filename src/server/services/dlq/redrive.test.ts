import { describe, expect, it } from "vitest";
import type { FetchedRecord } from "~/server/broker";
import { summariseDlq } from "./dlq";
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
    expect(redriveCopy(record, "orders", 1, 9, Buffer.from('{"eventId":"e1","fixed":true}')).value!.toString()).toBe('{"eventId":"e1","fixed":true}');
  });
});

describe("DLQ summary", () => {
  const now = 1_000_000_000;
  const stats = { indexed: 4, open: 2, arrivedSince: 2, resolvedSince: 1, oldestOpen: now - 600_000, topReasons: [{ reason: "A: failed <n>", count: 1 }], sourceTopic: "orders" };
  it("counts depth without redriven or discarded records, inflow over the window, the oldest open record, and the source", () => {
    const s = summariseDlq("x.DLQ", stats, { total: 4, behind: 0, checkedAt: now }, null, false, now);
    expect(s.depth).toBe(2);
    expect(s.inflowPerMin).toBeCloseTo(2 / 5);
    expect(s.oldestAgeMs).toBe(600_000);
    expect(s.topReasons).toEqual([{ reason: "A: failed <n>", count: 1 }]);
    expect(s.sourceTopic).toBe("orders");
    expect(s.growing).toBe(true);
  });
  it("counts records the index has not read yet as open", () => {
    expect(summariseDlq("x.DLQ", stats, { total: 10, behind: 6, checkedAt: now }, null, false, now).depth).toBe(8);
  });
  it("is not growing when as many were resolved as arrived, and falls back to the declared source", () => {
    const s = summariseDlq("x.DLQ", { ...stats, arrivedSince: 1, resolvedSince: 1, sourceTopic: null, oldestOpen: null }, { total: 4, behind: 0, checkedAt: now }, "payments", true, now);
    expect(s.growing).toBe(false);
    expect(s.sourceTopic).toBe("payments");
    expect(s.oldestAgeMs).toBeNull();
    expect(s.declared).toBe(true);
  });
});
