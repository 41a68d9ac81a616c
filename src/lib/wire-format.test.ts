import { describe, expect, it } from "vitest";
import { encodeConfluentFrame, parseConfluentFrame } from "./wire-format";

describe("Confluent wire format", () => {
  it("round-trips a schema id and payload", () => {
    const payload = new TextEncoder().encode('{"a":1}');
    const framed = encodeConfluentFrame(4242, payload);
    expect(Array.from(framed.subarray(0, 5))).toEqual([0, 0, 0, 0x10, 0x92]);
    const parsed = parseConfluentFrame(framed);
    expect(parsed?.schemaId).toBe(4242);
    expect(new TextDecoder().decode(parsed!.payload)).toBe('{"a":1}');
  });

  it("rejects what is not a frame", () => {
    expect(parseConfluentFrame(new TextEncoder().encode('{"a":1}'))).toBeNull();
    expect(parseConfluentFrame(new Uint8Array([0, 0, 1]))).toBeNull();
    expect(parseConfluentFrame(new Uint8Array([0, 0xff, 0, 0, 1]))).toBeNull();
    expect(() => encodeConfluentFrame(-1, new Uint8Array())).toThrow(/Schema id/);
  });

  it("reads a frame inside a larger buffer (Node's pooled Buffers)", () => {
    const pool = Buffer.concat([Buffer.from("xxxx"), Buffer.from(encodeConfluentFrame(7, Buffer.from("hi")))]);
    expect(parseConfluentFrame(pool.subarray(4))?.schemaId).toBe(7);
  });
});
