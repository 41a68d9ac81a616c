import { describe, expect, it } from "vitest";
import { DEMO_FLOWS } from "~/demo/order-flow";
import { quantile } from "./latency";
import { DEFAULT_TRACKER_LIMITS, FlowTracker, type FlowEvent } from "./tracker";

const T0 = Date.UTC(2026, 11, 6, 12, 0, 0);
let offset = 0;
function ev(eventType: string, correlationId: string, at: number, more: Partial<FlowEvent> = {}): FlowEvent {
  offset += 1;
  return { topic: "t", partition: 0, offset, timestamp: T0 + at, key: correlationId, eventId: `${correlationId}-${eventType}`, eventType, source: "svc", correlationId, causationId: null, version: 1, deadLetter: false, ...more };
}
const flow = { id: "f1", name: "checkout", definition: { ...DEMO_FLOWS[0]!.definition, steps: DEMO_FLOWS[0]!.definition.steps.map((s) => ({ ...s, sloMs: 5_000 })), endToEndSloMs: 15_000 } };

function sum<K extends "started" | "completed" | "compensated" | "failed" | "overSlo" | "duplicates" | "repeated" | "outOfOrder">(cp: ReturnType<FlowTracker["checkpoint"]>, field: K): number {
  return [...(cp.buckets.get("f1")?.values() ?? [])].reduce((n, b) => n + b[field], 0);
}

describe("FlowTracker", () => {
  it("follows an instance along the happy path to completion, with its end-to-end and step latencies", () => {
    const tracker = new FlowTracker([flow]);
    tracker.ingest(ev("OrderPlaced", "a", 0));
    tracker.ingest(ev("PaymentSucceeded", "a", 200));
    tracker.ingest(ev("StockReserved", "a", 700));
    tracker.ingest(ev("StockAllocated", "a", 900));
    const cp = tracker.checkpoint();
    expect(cp.instances).toHaveLength(1);
    expect(cp.instances[0]).toMatchObject({ correlationId: "a", state: "COMPLETED", endedAt: T0 + 900 });
    expect(sum(cp, "started")).toBe(1);
    expect(sum(cp, "completed")).toBe(1);
    const bucket = [...cp.buckets.get("f1")!.values()][0]!;
    expect(quantile(bucket.latency.e2e, 0.5)).toBeGreaterThan(500);
    expect(quantile(bucket.latency.e2e, 0.5)).toBeLessThanOrEqual(1000);
    expect(Object.keys(bucket.latency.steps).sort()).toEqual(["OrderPlaced>PaymentSucceeded", "PaymentSucceeded>StockReserved", "StockReserved>StockAllocated"]);
    expect(tracker.openCount("f1")).toBe(0);
  });

  it("counts a compensated saga (refund, then cancel) apart from a completed one", () => {
    const tracker = new FlowTracker([flow]);
    for (const [type, at] of [["OrderPlaced", 0], ["PaymentSucceeded", 100], ["StockReservationFailed", 200], ["PaymentRefunded", 300], ["OrderCancelled", 400]] as const) tracker.ingest(ev(type, "b", at));
    const cp = tracker.checkpoint();
    expect(cp.instances[0]!.state).toBe("COMPENSATED");
    expect(sum(cp, "compensated")).toBe(1);
    expect(sum(cp, "completed")).toBe(0);
  });

  it("marks an instance STUCK once a step waits past its SLO, and says which step", () => {
    const tracker = new FlowTracker([flow]);
    tracker.ingest(ev("OrderPlaced", "c", 0));
    tracker.tick(T0 + 4_000);
    expect(tracker.checkpoint().instances[0]!.state).toBe("RUNNING");
    tracker.tick(T0 + 6_000);
    const stuck = tracker.checkpoint().instances[0]!;
    expect(stuck.state).toBe("STUCK");
    expect(stuck.detail.waiting).toEqual([{ after: "OrderPlaced", next: ["PaymentSucceeded", "PaymentFailed"], since: T0, sloMs: 5_000, overdue: true }]);
    // It moves on when the awaited event comes.
    tracker.ingest(ev("PaymentSucceeded", "c", 6_500));
    tracker.tick(T0 + 7_000);
    expect(tracker.checkpoint().instances[0]!.state).toBe("RUNNING");
  });

  it("marks an instance FAILED while its event lies dead-lettered, and running again once it moves on", () => {
    const tracker = new FlowTracker([flow]);
    tracker.ingest(ev("OrderPlaced", "d", 0));
    tracker.ingest(ev("OrderPlaced", "d", 50, { topic: "payments.DLQ", deadLetter: true, offset: 7 }));
    let cp = tracker.checkpoint();
    expect(cp.instances[0]!.state).toBe("FAILED");
    expect(cp.instances[0]!.detail.deadLetter).toMatchObject({ topic: "payments.DLQ", offset: 7, eventType: "OrderPlaced" });
    expect(sum(cp, "failed")).toBe(1);
    tracker.ingest(ev("PaymentSucceeded", "d", 60_000));
    cp = tracker.checkpoint();
    expect(cp.instances[0]!.detail.deadLetter).toBeNull();
    expect(cp.instances[0]!.state).not.toBe("FAILED");
  });

  it("finds a redelivered event, a cause answered twice, and an event read before its declared predecessor", () => {
    const tracker = new FlowTracker([flow]);
    const placed = ev("OrderPlaced", "e", 0);
    tracker.ingest(placed);
    tracker.ingest({ ...placed, offset: placed.offset + 100 });
    tracker.ingest(ev("PaymentSucceeded", "e", 100, { causationId: placed.eventId, eventId: "pay-1" }));
    tracker.ingest(ev("PaymentSucceeded", "e", 150, { causationId: placed.eventId, eventId: "pay-2" }));
    tracker.ingest(ev("OrderPlaced", "f", 0));
    tracker.ingest(ev("StockReserved", "f", 100));
    const cp = tracker.checkpoint();
    expect(sum(cp, "duplicates")).toBe(1);
    expect(sum(cp, "repeated")).toBe(1);
    expect(sum(cp, "outOfOrder")).toBe(1);
    expect(cp.topics.get("t")!.get(T0)!.duplicates).toBe(1);
  });

  it("attaches events read before their start event once the start comes", () => {
    const tracker = new FlowTracker([flow]);
    tracker.ingest(ev("PaymentFailed", "g", 100));
    tracker.ingest(ev("OrderPlaced", "g", 0));
    tracker.ingest(ev("OrderCancelled", "g", 200));
    expect(tracker.checkpoint().instances[0]!.state).toBe("COMPENSATED");
  });

  it("counts versions going backwards per topic and key", () => {
    const tracker = new FlowTracker([]);
    tracker.ingest(ev("X", "k", 0, { version: 3 }));
    tracker.ingest(ev("X", "k", 1, { version: 4 }));
    tracker.ingest(ev("X", "k", 2, { version: 2 }));
    tracker.ingest(ev("X", "other", 3, { version: 1 }));
    expect(tracker.checkpoint().topics.get("t")!.get(T0)!.versionRegressions).toBe(1);
  });

  it("keeps memory bounded: beyond the open cap the oldest instance is given up on, and counted failed", () => {
    const tracker = new FlowTracker([flow], { ...DEFAULT_TRACKER_LIMITS, maxOpenPerFlow: 3 });
    for (let i = 0; i < 5; i++) tracker.ingest(ev("OrderPlaced", `o${i}`, i));
    expect(tracker.openCount("f1")).toBe(3);
    const cp = tracker.checkpoint();
    const abandoned = cp.instances.filter((i) => i.detail.abandoned);
    expect(abandoned.map((i) => i.correlationId)).toEqual(["o0", "o1"]);
    expect(sum(cp, "failed")).toBe(2);
  });

  it("survives a restart: restored open instances finish with their first events' times", () => {
    const first = new FlowTracker([flow]);
    first.ingest(ev("OrderPlaced", "h", 0));
    first.ingest(ev("PaymentSucceeded", "h", 100));
    const saved = first.checkpoint().instances;
    const second = new FlowTracker([flow]);
    second.restore(saved);
    second.ingest(ev("PaymentSucceeded", "h", 100));
    second.ingest(ev("StockReserved", "h", 300));
    second.ingest(ev("StockAllocated", "h", 400));
    const cp = second.checkpoint();
    expect(cp.instances[0]).toMatchObject({ state: "COMPLETED", startedAt: T0 });
    expect(sum(cp, "duplicates")).toBe(1);
    expect(sum(cp, "started")).toBe(0);
  });

  it("stores a bounded sample of the sagas that start and finish between two checkpoints, but always the end of one stored open", () => {
    const tracker = new FlowTracker([flow]);
    tracker.ingest(ev("OrderPlaced", "long", 0));
    expect(tracker.checkpoint().instances.map((i) => i.correlationId)).toEqual(["long"]);
    for (let i = 0; i < 100; i++) for (const [type, at] of [["OrderPlaced", 0], ["PaymentSucceeded", 1], ["StockReserved", 2], ["StockAllocated", 3]] as const) tracker.ingest(ev(type, `quick${i}`, at));
    for (const [type, at] of [["PaymentSucceeded", 1], ["StockReserved", 2], ["StockAllocated", 3]] as const) tracker.ingest(ev(type, "long", at));
    const cp = tracker.checkpoint();
    expect(sum(cp, "completed")).toBe(101);
    const stored = cp.instances.map((i) => i.correlationId);
    expect(stored).toContain("long");
    expect(stored.filter((c) => c.startsWith("quick"))).toHaveLength(20);
    expect(stored).toContain("quick99");
  });
});
