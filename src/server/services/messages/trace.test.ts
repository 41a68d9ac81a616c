import { describe, expect, it } from "vitest";
import { buildTrace, type TraceEvent } from "./trace";

const event = (topic: string, offset: number, timestamp: number, eventId: string, causationId: string | null): TraceEvent => ({
  topic,
  partition: 0,
  offset,
  timestamp,
  eventId,
  eventType: "E",
  source: null,
  correlationId: "c",
  causationId,
  latencyMs: null,
  latencyFrom: null,
});

describe("buildTrace", () => {
  it("links causes, and hangs a dead-lettered copy under its original instead of making it a second root", () => {
    const placed = event("orders", 0, 1000, "e1", null);
    const dlqCopy = event("payments.DLQ", 0, 1091, "e1", null);
    const reserved = event("inventory", 0, 1092, "e2", "e1");
    const { tree } = buildTrace([reserved, dlqCopy, placed]);
    expect(tree).toHaveLength(1);
    expect(tree[0]!.event.topic).toBe("orders");
    expect(tree[0]!.children.map((c) => [c.event.topic, c.event.latencyFrom, c.event.latencyMs])).toEqual([
      ["payments.DLQ", "copy", 91],
      ["inventory", "cause", 92],
    ]);
  });
});
