import { describe, expect, it } from "vitest";
import { encodeConfluentFrame } from "~/lib/wire-format";
import { decodeHeader, decodePayload, decodeRecord, envelopeColumns } from "./decode";

const buf = (s: string) => Buffer.from(s);

describe("decodePayload", () => {
  it("pretty-prints JSON objects, keeps text, and dumps binary as hex", () => {
    expect(decodePayload(buf('{"a":1,"b":[2]}'))).toMatchObject({ encoding: "json", text: '{\n  "a": 1,\n  "b": [\n    2\n  ]\n}', bytes: 15 });
    expect(decodePayload(buf("hello wörld"))).toMatchObject({ encoding: "text", text: "hello wörld" });
    expect(decodePayload(buf("42"))).toMatchObject({ encoding: "text", text: "42" });
    expect(decodePayload(Buffer.from([0xde, 0xad, 0xbe, 0xef, 0x01]))).toMatchObject({ encoding: "binary", text: "de ad be ef 01", schemaId: null });
    expect(decodePayload(null)).toMatchObject({ encoding: "null", bytes: 0 });
    expect(decodePayload(Buffer.alloc(0))).toMatchObject({ encoding: "empty" });
  });

  it("recognises the Confluent wire format and decodes what it frames", () => {
    const framed = Buffer.from(encodeConfluentFrame(12, buf('{"x":true}')));
    expect(decodePayload(framed)).toMatchObject({ encoding: "json", schemaId: 12, text: '{\n  "x": true\n}', bytes: 15 });
  });

  it("cuts large values and says so", () => {
    const big = decodePayload(buf("x".repeat(10_000)), 100);
    expect(big).toMatchObject({ encoding: "text", truncated: true, bytes: 10_000 });
    expect(big.text).toHaveLength(100);
    expect(decodePayload(Buffer.alloc(1000, 1), 300)).toMatchObject({ encoding: "binary", truncated: true });
  });

  it("keeps a hostile payload as the exact text", () => {
    expect(decodePayload(buf("<script>alert(1)</script>")).text).toBe("<script>alert(1)</script>");
  });
});

describe("decodeHeader", () => {
  it("shows text as text and reads binary 4- and 8-byte values as big-endian integers", () => {
    expect(decodeHeader({ key: "eventType", value: buf("OrderPlaced") })).toEqual({ key: "eventType", text: "OrderPlaced", encoding: "text", number: null });
    const int = Buffer.alloc(4);
    int.writeInt32BE(7);
    expect(decodeHeader({ key: "kafka_dlt-original-partition", value: int })).toMatchObject({ encoding: "binary", number: "7" });
    const long = Buffer.alloc(8);
    long.writeBigInt64BE(123456789012n);
    expect(decodeHeader({ key: "kafka_dlt-original-offset", value: long })).toMatchObject({ encoding: "binary", number: "123456789012" });
    expect(decodeHeader({ key: "n", value: null })).toMatchObject({ encoding: "null", text: null });
  });
});

describe("envelope columns", () => {
  it("come from the value, or from headers when the value is not an envelope", () => {
    const value = buf(JSON.stringify({ eventId: "e1", eventType: "OrderPlaced", source: "order-service", data: {}, metadata: { correlationId: "c1", causationId: null } }));
    expect(envelopeColumns({ value, headers: [] })).toEqual({ eventType: "OrderPlaced", eventId: "e1", correlationId: "c1", causationId: null, source: "order-service" });
    const fromHeaders = envelopeColumns({ value: Buffer.from([1, 2, 3]), headers: [{ key: "eventType", value: buf("Legacy") }, { key: "correlationId", value: buf("c9") }] });
    expect(fromHeaders).toMatchObject({ eventType: "Legacy", correlationId: "c9", eventId: null });
  });

  it("decodes a whole record without a key", () => {
    const m = decodeRecord({ topic: "t", partition: 0, offset: 5, timestamp: 1, key: null, value: buf("x"), headers: [{ key: "h", value: buf("1") }, { key: "h", value: buf("2") }] });
    expect(m.key.encoding).toBe("null");
    expect(m.headers.map((h) => h.text)).toEqual(["1", "2"]);
  });
});
