import { describe, expect, it } from "vitest";
import { encodeConfluentFrame, parseConfluentFrame } from "./wire-format";

describe("Confluent wire format", () => {
  it("round-trips a schema id and payload, big-endian", () => {
    const payload = new TextEncoder().encode('{"a":1}');
    const frame = encodeConfluentFrame(258, payload);
    expect([...frame.subarray(0, 5)]).toEqual([0, 0, 0, 1, 2]);
    const parsed = parseConfluentFrame(frame);
    expect(parsed?.schemaId).toBe(258);
    expect(new TextDecoder().decode(parsed!.payload)).toBe('{"a":1}');
  });

  it("reads frames written by other clients (a Buffer slice with an offset)", () => {
    const backing = Buffer.concat([Buffer.from("xxxx"), Buffer.from([0, 0, 0, 0, 7]), Buffer.from("{}")]);
    const parsed = parseConfluentFrame(backing.subarray(4));
    expect(parsed).toMatchObject({ schemaId: 7 });
    expect(Buffer.from(parsed!.payload).toString()).toBe("{}");
  });

  it("is null for plain JSON, short input, another magic byte, or a non-positive id", () => {
    expect(parseConfluentFrame(new TextEncoder().encode('{"a":1}'))).toBeNull();
    expect(parseConfluentFrame(new Uint8Array([0, 0, 1]))).toBeNull();
    expect(parseConfluentFrame(new Uint8Array([1, 0, 0, 0, 1, 0x7b]))).toBeNull();
    expect(parseConfluentFrame(new Uint8Array([0, 0, 0, 0, 0, 0x7b]))).toBeNull();
    expect(parseConfluentFrame(new Uint8Array([0, 0xff, 0xff, 0xff, 0xff]))).toBeNull();
  });

  it("refuses an id that does not fit the frame", () => {
    expect(() => encodeConfluentFrame(0, new Uint8Array())).toThrow(/positive 32-bit/);
    expect(() => encodeConfluentFrame(2 ** 31, new Uint8Array())).toThrow(/positive 32-bit/);
  });
});
