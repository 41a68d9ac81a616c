import { describe, expect, it } from "vitest";
import { createEnvelope, envelopeHeaders, lastHeader, parseEnvelope } from "./envelope";

describe("event envelope", () => {
  it("starts a correlation at the first event and carries it to consequences", () => {
    const placed = createEnvelope({ eventType: "OrderPlaced", source: "order-service", data: { orderId: "o-1" } });
    expect(placed.metadata).toEqual({ correlationId: placed.eventId, causationId: null });

    const paid = createEnvelope({ eventType: "PaymentSucceeded", source: "payment-service", data: {}, causedBy: placed });
    expect(paid.metadata).toEqual({ correlationId: placed.eventId, causationId: placed.eventId });
    expect(paid.eventId).not.toBe(placed.eventId);
  });

  it("mirrors the envelope into headers", () => {
    const placed = createEnvelope({ eventType: "OrderPlaced", source: "order-service", data: {} });
    expect(envelopeHeaders(placed)).toEqual({ eventId: placed.eventId, eventType: "OrderPlaced", source: "order-service", correlationId: placed.eventId });
  });

  it("round-trips through JSON and rejects what is not an envelope", () => {
    const placed = createEnvelope({ eventType: "OrderPlaced", source: "order-service", data: { total: 12.5 } });
    expect(parseEnvelope(Buffer.from(JSON.stringify(placed)))).toEqual(placed);
    expect(parseEnvelope(Buffer.from([0xff, 0x00, 0x12]))).toBeNull();
    expect(parseEnvelope("[1,2]")).toBeNull();
    expect(parseEnvelope('{"eventType":"X"}')).toBeNull();
    expect(parseEnvelope(null)).toBeNull();
  });

  it("reads the last header of a repeated key, skipping null values", () => {
    const headers = [
      { key: "eventType", value: Buffer.from("First") },
      { key: "source", value: Buffer.from("svc") },
      { key: "eventType", value: Buffer.from("Second") },
      { key: "eventType", value: null },
    ];
    expect(lastHeader(headers, "eventType")?.toString()).toBe("Second");
    expect(lastHeader(headers, "missing")).toBeNull();
  });
});
