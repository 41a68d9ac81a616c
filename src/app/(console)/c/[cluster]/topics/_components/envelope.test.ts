import { describe, expect, it } from "vitest";
import { fillEnvelope, syncEnvelopeHeaders } from "./envelope";

const now = new Date("2026-12-06T10:00:00Z");
let n = 0;
const uuid = () => `uuid-${++n}`;

describe("fillEnvelope", () => {
  it("gives the event a new identity, keeps its data and correlation, and makes the copied event its cause", () => {
    n = 0;
    const copied = JSON.stringify({ eventId: "old-1", eventType: "OrderPlaced", version: 2, source: "order-service", data: { orderId: "ord-1" }, metadata: { correlationId: "corr-9", causationId: null } });
    expect(JSON.parse(fillEnvelope(copied, now, uuid).value)).toEqual({
      eventId: "uuid-1",
      eventType: "OrderPlaced",
      timestamp: "2026-12-06T10:00:00.000Z",
      version: 2,
      source: "signalbox-console",
      data: { orderId: "ord-1" },
      metadata: { correlationId: "corr-9", causationId: "old-1" },
    });
  });

  it("starts a correlation for a new event, and says why it cannot fill text", () => {
    n = 0;
    expect(JSON.parse(fillEnvelope("", now, uuid).value).metadata).toEqual({ correlationId: "uuid-2", causationId: null });
    expect(fillEnvelope("not json", now, uuid)).toEqual({ value: "not json", error: "The value is not JSON, so it has no envelope to fill." });
    expect(fillEnvelope("[1]", now, uuid).error).toMatch(/not a JSON object/);
  });
});

describe("syncEnvelopeHeaders", () => {
  it("gives headers that repeat the envelope the filled values, and leaves the others", () => {
    const value = JSON.stringify({ eventId: "new-1", source: "signalbox-console", metadata: { correlationId: "corr-9", causationId: "old-1" } });
    const headers = [
      { key: "eventId", value: "old-1" },
      { key: "causationId", value: "" },
      { key: "x-tenant", value: "acme" },
    ];
    expect(syncEnvelopeHeaders(headers, value)).toEqual([
      { key: "eventId", value: "new-1" },
      { key: "causationId", value: "old-1" },
      { key: "x-tenant", value: "acme" },
    ]);
    expect(syncEnvelopeHeaders(headers, "not json")).toBe(headers);
  });
});
