import { describe, expect, it } from "vitest";
import type { TraceEvent } from "./trace";
import { traceFindings } from "./trace-findings";

const event = (topic: string, offset: number, eventId: string, eventType: string, source: string, causationId: string | null): TraceEvent => ({
  topic,
  partition: 0,
  offset,
  timestamp: 1000 + offset,
  eventId,
  eventType,
  source,
  correlationId: "c",
  causationId,
  latencyMs: null,
  latencyFrom: null,
});

describe("traceFindings", () => {
  const placed = event("orders", 0, "o1", "OrderPlaced", "order-service", null);
  const placedAgain = event("orders", 1, "o1", "OrderPlaced", "order-service", null);
  const paid = event("payments", 0, "p1", "PaymentSucceeded", "payment-service", "o1");
  const told = event("notifications", 0, "n1", "NotificationSent", "notification-service", "o1");
  const toldAgain = event("notifications", 1, "n2", "NotificationSent", "notification-service", "o1");

  it("finds an event delivered twice on its topic, and a consumer that answered one cause twice", () => {
    expect(traceFindings([placed, placedAgain, paid, told, toldAgain])).toEqual({
      redelivered: [{ eventId: "o1", eventType: "OrderPlaced", topic: "orders", copies: 2 }],
      repeatedResults: [{ causationId: "o1", causeType: "OrderPlaced", source: "notification-service", eventType: "NotificationSent", count: 2, eventIds: ["n1", "n2"] }],
    });
  });

  it("finds nothing in a clean saga, and takes a copy on another topic (a DLQ, a replay) for neither", () => {
    const dlqCopy = event("payments.DLQ", 0, "o1", "OrderPlaced", "order-service", null);
    // A copy of a result (its event id again, e.g. redriven) is the same result, not a second one.
    const paidRedriven = event("payments-replayed", 0, "p1", "PaymentSucceeded", "payment-service", "o1");
    expect(traceFindings([placed, dlqCopy, paid, paidRedriven, told])).toEqual({ redelivered: [], repeatedResults: [] });
  });
});
