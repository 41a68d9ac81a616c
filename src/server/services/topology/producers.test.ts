import { describe, expect, it } from "vitest";
import { createEnvelope } from "~/lib/envelope";
import { inferProducers, producerOf } from "./producers";

const envelope = (source: string, eventType = "OrderPlaced") => Buffer.from(JSON.stringify(createEnvelope({ eventType, source, data: {} })));
const record = (topic: string, value: Buffer | null, headers: Record<string, Buffer | Buffer[]> = {}, timestamp = 1000) => ({
  topic,
  value,
  timestamp,
  headers: Object.entries(headers).flatMap(([key, v]) => (Array.isArray(v) ? v : [v]).map((value) => ({ key, value }))),
});

describe("producerOf", () => {
  it("reads the envelope's source and event type from the value", () => {
    expect(producerOf(record("orders", envelope("order-service")), null)).toEqual({ service: "order-service", eventType: "OrderPlaced" });
  });

  it("prefers the configured header, then the source header, over the value", () => {
    const headers = { "x-producer": Buffer.from("billing-gateway"), source: Buffer.from("from-header") };
    expect(producerOf(record("orders", envelope("from-value"), headers), "x-producer")?.service).toBe("billing-gateway");
    expect(producerOf(record("orders", envelope("from-value"), headers), null)?.service).toBe("from-header");
  });

  it("takes the last value of a repeated header", () => {
    expect(producerOf(record("t", null, { source: [Buffer.from("first"), Buffer.from("second")] }), null)?.service).toBe("second");
  });

  it("finds no producer in binary, plain-text or non-envelope JSON records", () => {
    expect(producerOf(record("t", Buffer.from([0, 0, 0, 0, 1, 0xff])), null)).toBeNull();
    expect(producerOf(record("t", Buffer.from("hello")), null)).toBeNull();
    expect(producerOf(record("t", Buffer.from('{"source":"x"}')), null)).toBeNull();
    expect(producerOf(record("t", null), null)).toBeNull();
  });

  it("does not credit a dead-lettered record to the original event's producer", () => {
    const dead = { "x-original-topic": Buffer.from("orders"), source: Buffer.from("order-service") };
    expect(producerOf(record("orders.DLQ", envelope("order-service"), dead), null)).toBeNull();
    expect(producerOf(record("orders.DLQ", envelope("order-service"), { ...dead, "x-producer": Buffer.from("payment-service") }), "x-producer")?.service).toBe("payment-service");
    const connect = { "__connect.errors.topic": Buffer.from("orders"), "__connect.errors.connector.name": Buffer.from("jdbc-sink") };
    expect(producerOf(record("dlq.orders", envelope("order-service"), connect), null)?.service).toBe("jdbc-sink");
  });

  it("ignores a header that is not a printable name", () => {
    expect(producerOf(record("t", null, { source: Buffer.from([0xff, 0xfe, 0x00]) }), null)).toBeNull();
    expect(producerOf(record("t", null, { source: Buffer.from("x".repeat(500)) }), null)).toBeNull();
  });
});

describe("inferProducers", () => {
  it("counts each producer and event type per topic and keeps the newest timestamp", () => {
    const observed = inferProducers(
      [
        record("orders", envelope("order-service"), {}, 1000),
        record("orders", envelope("order-service"), {}, 3000),
        record("orders", envelope("legacy-shop"), {}, 2000),
        record("payments", envelope("payment-service", "PaymentSucceeded"), {}, 2500),
        record("payments", Buffer.from("not json"), {}, 2600),
      ],
      null,
    );
    expect(observed).toEqual([
      { topic: "orders", service: "order-service", eventType: "OrderPlaced", messages: 2, lastSeen: new Date(3000) },
      { topic: "orders", service: "legacy-shop", eventType: "OrderPlaced", messages: 1, lastSeen: new Date(2000) },
      { topic: "payments", service: "payment-service", eventType: "PaymentSucceeded", messages: 1, lastSeen: new Date(2500) },
    ]);
  });
});
