import { describe, expect, it } from "vitest";
import { encodeConfluentFrame } from "~/lib/wire-format";
import type { ConsumedRecord } from "~/server/broker";
import { judgeRecord, summarise } from "./conformance";
import { encodeWith, parseSchema, type AnyParsedSchema } from "./formats";
import type { SchemaSet } from "./schema-sets";

function parsed(schema: object, schemaType: "JSON" | "AVRO" = "JSON"): AnyParsedSchema {
  const result = parseSchema(schemaType, JSON.stringify(schema));
  if (!result.ok) throw new Error(result.problems.join("; "));
  return result;
}

const v1 = parsed({ type: "object", required: ["eventType", "data"], properties: { eventType: { const: "OrderPlaced" }, data: { type: "object", required: ["total"], properties: { total: { type: "number" } } } } });
const v2 = parsed({ type: "object", required: ["eventType", "data"], properties: { eventType: { const: "OrderPlaced" }, data: { type: "object", required: ["total", "customerId"], properties: { total: { type: "number" }, customerId: { type: "string" } } } } });
const set: SchemaSet = { eventType: "OrderPlaced", eventTypeId: "et1", versions: [{ version: 1, schemaId: 11, parsed: v1 }, { version: 2, schemaId: 12, parsed: v2 }] };
const owners = new Map([[11, ["OrderPlaced"]], [12, ["OrderPlaced"]], [21, ["PaymentFailed"]]]);

const record = (value: Buffer | null, offset = "0", headers: ConsumedRecord["headers"] = {}): ConsumedRecord => ({ topic: "orders", partition: 0, offset, timestamp: "1", key: null, value, headers });
const json = (v: unknown) => Buffer.from(JSON.stringify(v));
const framed = (id: number, v: unknown) => Buffer.from(encodeConfluentFrame(id, json(v)));

describe("judging one record", () => {
  it("validates plain JSON against the latest version", () => {
    expect(judgeRecord(record(json({ eventType: "OrderPlaced", data: { total: 1, customerId: "c" } })), set, owners)).toEqual({ kind: "conforming", version: 2 });
    const verdict = judgeRecord(record(json({ eventType: "OrderPlaced", data: { total: "12.50" } })), set, owners);
    expect(verdict).toMatchObject({ kind: "violation", version: 2, reason: "2 schema errors against v2" });
    expect(verdict.kind === "violation" && verdict.errors).toEqual(
      expect.arrayContaining([
        { path: "/data/customerId", message: "is required but missing" },
        { path: "/data/total", message: "must be number" },
      ]),
    );
  });

  it("validates a Confluent-framed value against the version its schema id names", () => {
    // Valid under v1 (no customerId needed), although the latest would refuse it.
    expect(judgeRecord(record(framed(11, { eventType: "OrderPlaced", data: { total: 3 } })), set, owners)).toEqual({ kind: "conforming", version: 1 });
    expect(judgeRecord(record(framed(99, { eventType: "OrderPlaced" })), set, owners)).toMatchObject({ kind: "violation", reason: "names schema id 99, which is not registered" });
  });

  it("leaves out messages of other event types on a shared topic", () => {
    expect(judgeRecord(record(json({ eventType: "PaymentFailed", data: {} })), set, owners)).toEqual({ kind: "other-type" });
    expect(judgeRecord(record(json({ data: {} }), "0", { eventType: Buffer.from("PaymentFailed") }), set, owners)).toEqual({ kind: "other-type" });
    expect(judgeRecord(record(framed(21, {})), set, owners)).toEqual({ kind: "other-type" });
  });

  it("counts binary, non-JSON and empty values as violations with a reason, never throwing", () => {
    expect(judgeRecord(record(Buffer.from([0xff, 0xfe, 0x00, 0x01])), set, owners)).toMatchObject({ kind: "violation", reason: "binary data (4 bytes, not UTF-8 text)" });
    expect(judgeRecord(record(Buffer.from("hello <b>world</b>")), set, owners)).toMatchObject({ kind: "violation", reason: expect.stringMatching(/^not JSON/) });
    expect(judgeRecord(record(null), set, owners)).toMatchObject({ kind: "violation", reason: "no value (a tombstone)" });
    expect(judgeRecord(record(Buffer.from([0, 0, 0, 0, 11, 0xc3, 0x28])), set, owners)).toMatchObject({ kind: "violation", reason: expect.stringContaining("Confluent-framed (schema id 11)") });
  });
});

describe("summarising a sample", () => {
  it("counts per topic, keeps example violations with paths and a text preview, and reports unreadable topics", () => {
    const good = record(json({ eventType: "OrderPlaced", data: { total: 1, customerId: "c" } }), "1");
    const bad = record(json({ eventType: "OrderPlaced", data: { total: 1 } }), "2");
    const binary = record(Buffer.from([0xff, 0x00]), "3");
    const other = record(json({ eventType: "PaymentFailed" }), "4");
    const result = summarise(set, new Map<string, ConsumedRecord[] | Error>([["orders", [good, bad, binary, other]], ["orders.v2", new Error("Topic not found")]]), owners);
    expect(result).toMatchObject({ sampled: 3, conforming: 1 });
    expect(result.topics).toEqual([
      { topic: "orders", sampled: 3, conforming: 1, error: null },
      { topic: "orders.v2", sampled: 0, conforming: 0, error: "Topic not found" },
    ]);
    expect(result.violations.map((v) => [v.offset, v.errors.map((e) => e.path)])).toEqual([
      ["2", ["/data/customerId"]],
      ["3", []],
    ]);
    expect(result.violations[1]!.preview).toBe("hex: ff 00");
  });

  it("shows control characters as escapes, so a NUL byte can be stored and read", () => {
    const result = summarise(set, new Map([["orders", [record(Buffer.from("bad\u0000value\u001b[31m"), "9")]]]), owners);
    expect(result.violations[0]!.preview).toBe("bad\\u0000value\\u001b[31m");
    expect(result.violations[0]!.preview.includes("\u0000")).toBe(false);
  });
});

describe("judging Avro records", () => {
  const avroSchema = { type: "record", name: "PaymentSucceeded", fields: [{ name: "eventType", type: "string" }, { name: "amount", type: "int" }, { name: "note", type: ["null", "string"], default: null }] };
  const avroParsed = parsed(avroSchema, "AVRO");
  const avroSet: SchemaSet = { eventType: "PaymentSucceeded", eventTypeId: "et2", versions: [{ version: 1, schemaId: 31, parsed: avroParsed }] };
  const avroOwners = new Map([[31, ["PaymentSucceeded"]], [11, ["OrderPlaced"]]]);
  const avroFramed = (id: number, value: unknown) => {
    if (avroParsed.schemaType !== "AVRO") throw new Error("not Avro");
    return Buffer.from(encodeConfluentFrame(id, avroParsed.type.toBuffer(value)));
  };

  it("decodes a framed Avro record with the schema its id names and checks it", () => {
    expect(judgeRecord(record(avroFramed(31, { eventType: "PaymentSucceeded", amount: 5, note: "late" })), avroSet, avroOwners)).toEqual({ kind: "conforming", version: 1 });
  });

  it("says why bytes that are not Avro for the schema are a violation", () => {
    const truncated = avroFramed(31, { eventType: "PaymentSucceeded", amount: 5, note: "late" }).subarray(0, 9);
    expect(judgeRecord(record(Buffer.from(truncated)), avroSet, avroOwners)).toMatchObject({ kind: "violation", reason: expect.stringContaining("AVRO-framed (schema id 31) but truncated Avro data") });
  });

  it("leaves a framed record of another event type on a shared topic to that type", () => {
    expect(judgeRecord(record(framed(11, { eventType: "OrderPlaced", data: { total: 3 } })), avroSet, avroOwners)).toEqual({ kind: "other-type" });
  });
});

describe("judging Protobuf records", () => {
  const proto = parseSchema("PROTOBUF", 'syntax = "proto3";\npackage shop;\nmessage StockReserved { string event_type = 1; int32 quantity = 2; }\n');
  if (!proto.ok) throw new Error(proto.problems.join("; "));
  const protoSet: SchemaSet = { eventType: "StockReserved", eventTypeId: "et3", versions: [{ version: 1, schemaId: 41, parsed: proto }] };
  const protoOwners = new Map([[41, ["StockReserved"]]]);
  const protoFramed = (value: unknown) => Buffer.from(encodeConfluentFrame(41, encodeWith(proto, value)));

  it("decodes a framed Protobuf record (message indexes, then the message) and checks it", () => {
    expect(judgeRecord(record(protoFramed({ eventType: "StockReserved", quantity: 3 })), protoSet, protoOwners)).toEqual({ kind: "conforming", version: 1 });
  });

  it("says why bytes that are not this message are a violation", () => {
    // Field 1 declared as 10 bytes long, with 2 there.
    const broken = Buffer.from(encodeConfluentFrame(41, Uint8Array.of(0, 0x0a, 0x0a, 0x41, 0x42)));
    expect(judgeRecord(record(broken), protoSet, protoOwners)).toMatchObject({ kind: "violation", reason: expect.stringContaining("PROTOBUF-framed (schema id 41) but not Protobuf data for shop.StockReserved") });
  });
});
