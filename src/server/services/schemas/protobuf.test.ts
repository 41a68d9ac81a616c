import { createFileRegistry, fromBinary } from "@bufbuild/protobuf";
import { FileDescriptorProtoSchema, file_google_protobuf_timestamp } from "@bufbuild/protobuf/wkt";
import { describe, expect, it } from "vitest";
import { decodeProtobufPayload, encodeProtobufValue, fileDescriptorBytes, parseProtobufSchema, readMessageIndexes, validateProtobufValue, writeMessageIndexes, type ParsedProtobufSchema } from "./protobuf";

const STOCK = `syntax = "proto3";
package shop.inventory;

import "google/protobuf/timestamp.proto";

// Emitted when stock for an order is held.
message StockReserved {
  string event_id = 1;
  string order_id = 2;
  repeated Line lines = 3;
  google.protobuf.Timestamp reserved_at = 4;
  Status status = 5;
  map<string, int64> counts = 6;
  optional string note = 7;
  oneof hold { string warehouse = 8; int32 shelf = 9; }
  int64 total_grams = 10;
  bytes signature = 11;

  message Line {
    string sku = 1;
    int32 quantity = 2;
  }
}

enum Status {
  STATUS_UNKNOWN = 0;
  STATUS_HELD = 1;
}

message StockReleased {
  string order_id = 1;
  message Reason { string text = 1; }
}
`;

function parse(text = STOCK): ParsedProtobufSchema {
  const parsed = parseProtobufSchema(text);
  if (!parsed.ok) throw new Error(parsed.problems.join("; "));
  return parsed;
}

describe("parsing .proto files", () => {
  it("reads messages, fields and the first message's name; comments and layout do not change the fingerprint", () => {
    const parsed = parse();
    expect(parsed.name).toBe("shop.inventory.StockReserved");
    expect(parsed.file.syntax).toBe("proto3");
    expect(parsed.file.package).toBe("shop.inventory");
    expect(parsed.file.messages.map((m) => m.name)).toEqual(["StockReserved", "StockReserved.Line", "StockReleased", "StockReleased.Reason"]);
    const stock = parsed.file.messages[0]!;
    expect(stock.oneofs).toEqual(["hold"]);
    expect(stock.fields.find((f) => f.name === "lines")).toMatchObject({ kind: "message", type: "StockReserved.Line", label: "repeated" });
    expect(stock.fields.find((f) => f.name === "reserved_at")).toMatchObject({ kind: "message", type: ".google.protobuf.Timestamp" });
    expect(stock.fields.find((f) => f.name === "counts")).toMatchObject({ kind: "map", keyType: "string", type: "int64", valueKind: "scalar" });
    expect(stock.fields.find((f) => f.name === "note")).toMatchObject({ oneof: null });
    const reformatted = STOCK.replace("// Emitted when stock for an order is held.\n", "").replace(/\n\n/g, "\n").replace(/ {2}/g, "    ");
    expect(parse(reformatted).fingerprint).toBe(parsed.fingerprint);
    expect(parse(STOCK.replace("int32 quantity = 2", "int64 quantity = 2")).fingerprint).not.toBe(parsed.fingerprint);
    // Message order matters: message indexes point into it.
    const swapped = 'syntax = "proto3"; message B { int32 x = 1; } message A { int32 x = 1; }';
    expect(parse(swapped).fingerprint).not.toBe(parse('syntax = "proto3"; message A { int32 x = 1; } message B { int32 x = 1; }').fingerprint);
  });

  it("says what is wrong with a file it cannot use", () => {
    const problems = (text: string) => {
      const parsed = parseProtobufSchema(text);
      return parsed.ok ? [] : parsed.problems;
    };
    expect(problems("")).toEqual(["The schema is empty."]);
    expect(problems('syntax = "proto3"; message A { int32 x = ; }')[0]).toMatch(/^Not a valid \.proto file: illegal/);
    expect(problems('syntax = "proto3"; message A { Missing x = 1; }')[0]).toMatch(/^The \.proto file does not resolve: no such Type or Enum 'Missing'/);
    expect(problems('syntax = "proto3"; import "other/money.proto"; message A { int32 x = 1; }')).toEqual([
      'The file imports "other/money.proto", which no schema reference names: register that file as a subject and add a reference with name "other/money.proto" to it (only the well-known google/protobuf/*.proto files come without one).',
    ]);
    expect(problems('syntax = "proto3"; enum E { A = 0; }')).toEqual(["The .proto file defines no message."]);
    expect(problems('syntax = "proto4"; message A { int32 x = 1; }')).toEqual(['Unknown syntax "proto4"; a .proto file is proto2 or proto3.']);
    expect(problems('edition = "2023"; message A { int32 x = 1; }')[0]).toMatch(/editions are not supported/);
    expect(problems(`{"type": "record"}`)[0]).toMatch(/^Not a valid \.proto file/);
    const deep = `syntax = "proto3"; ${"message A { ".repeat(100)}int32 x = 1; ${"}".repeat(100)}`;
    expect(problems(deep)).toEqual(["Not a valid .proto file: max depth exceeded."]);
  });
});

describe("message indexes", () => {
  it("writes [0] as one 0 byte and others as zigzag varints, and reads both back", () => {
    expect([...writeMessageIndexes([0])]).toEqual([0]);
    expect([...writeMessageIndexes([1])]).toEqual([2, 2]);
    expect([...writeMessageIndexes([2, 0])]).toEqual([4, 4, 0]);
    expect(readMessageIndexes(Uint8Array.of(0, 9))).toEqual({ indexes: [0], offset: 1 });
    expect(readMessageIndexes(Uint8Array.of(4, 4, 0, 9))).toEqual({ indexes: [2, 0], offset: 3 });
    expect(readMessageIndexes(Uint8Array.of(1))).toBeNull(); // a negative count
    expect(readMessageIndexes(Uint8Array.of(4, 2))).toBeNull(); // truncated
  });
});

describe("values", () => {
  const value = {
    eventId: "e-1",
    orderId: "o-1",
    lines: [{ sku: "SKU-1", quantity: 2 }],
    reservedAt: { seconds: "1765000000", nanos: 0 },
    status: "STATUS_HELD",
    counts: { SKU_1: "2" },
    note: "gift",
    warehouse: "Leeds",
    totalGrams: "9007199254740993",
    signature: "AAEC",
  };

  it("encodes with message indexes [0] and decodes to Protobuf's JSON mapping, 64-bit integers exact", () => {
    const parsed = parse();
    const payload = encodeProtobufValue(parsed, value);
    expect(payload[0]).toBe(0);
    const decoded = decodeProtobufPayload(parsed, payload);
    expect(decoded).toEqual({ ok: true, value, json: JSON.stringify(value) });
    // protobufjs itself reads the bytes after the index as the message.
    const type = parsed.root.lookupType("shop.inventory.StockReserved");
    expect(type.toObject(type.decode(payload.subarray(1)), { longs: String })).toMatchObject({ order_id: "o-1", total_grams: "9007199254740993" });
    expect(validateProtobufValue(parsed, (decoded as { value: unknown }).value)).toEqual([]);
  });

  it("decodes a nested or second message named by its indexes", () => {
    const parsed = parse();
    const released = parsed.root.lookupType("shop.inventory.StockReleased");
    const reason = parsed.root.lookupType("shop.inventory.StockReleased.Reason");
    const frame = (indexes: number[], bytes: Uint8Array) => Uint8Array.from([...writeMessageIndexes(indexes), ...bytes]);
    expect(decodeProtobufPayload(parsed, frame([1], released.encode({ order_id: "o-9" }).finish()))).toMatchObject({ ok: true, value: { orderId: "o-9" } });
    expect(decodeProtobufPayload(parsed, frame([1, 0], reason.encode({ text: "cancelled" }).finish()))).toMatchObject({ ok: true, value: { text: "cancelled" } });
    expect(decodeProtobufPayload(parsed, frame([5], released.encode({ order_id: "o-9" }).finish()))).toEqual({ ok: false, reason: "the message indexes [5] name no message of the schema" });
  });

  it("reads a payload without message indexes (as @kafkajs/confluent-schema-registry writes it) as the first message", () => {
    const parsed = parse();
    const type = parsed.root.lookupType("shop.inventory.StockReserved");
    const bare = type.encode({ order_id: "o-2", event_id: "e-2" }).finish();
    expect(decodeProtobufPayload(parsed, bare)).toMatchObject({ ok: true, value: { eventId: "e-2", orderId: "o-2" } });
  });

  it("says why bytes are not a message of the schema", () => {
    const parsed = parse();
    const result = decodeProtobufPayload(parsed, Uint8Array.of(0, 0x0a, 0x20, 0x41));
    expect(result.ok).toBe(false);
    expect((result as { reason: string }).reason).toMatch(/^not Protobuf data for shop\.inventory\.StockReserved: /);
  });

  it("validates names (declared or lowerCamelCase), types, ranges, enums, oneofs and unknown fields", () => {
    const parsed = parse();
    expect(validateProtobufValue(parsed, { order_id: "o", total_grams: 5, status: 1 })).toEqual([]);
    expect(
      validateProtobufValue(parsed, { orderId: 7, totalGrams: "1.5", status: "NOPE", lines: [{ quantity: 2 ** 31 }], warehouse: "a", shelf: 1, colour: "red", counts: { a: true }, signature: "not base64!" }),
    ).toEqual([
      { path: "/orderId", message: "must be a string, got 7" },
      { path: "/totalGrams", message: 'must be an integer (int64), got "1.5"' },
      { path: "/status", message: 'must be one of STATUS_UNKNOWN, STATUS_HELD, got "NOPE"' },
      { path: "/lines/0/quantity", message: "is out of range for int32: 2147483648" },
      { path: "/shelf", message: "is in oneof hold with warehouse; only one may be set" },
      { path: "/colour", message: "is not a field of StockReserved" },
      { path: "/counts/a", message: "must be an integer (int64), got true" },
      { path: "/signature", message: 'must be base64 text (bytes), got "not base64!"' },
    ]);
    expect(() => encodeProtobufValue(parsed, { orderId: 7 })).toThrow("The value does not match the Protobuf schema: /orderId must be a string, got 7");
  });
});

describe("the FileDescriptorProto (format=serialized)", () => {
  it("is read by @bufbuild/protobuf (what Confluent's JavaScript client uses) as the same file", () => {
    const parsed = parse();
    const bytes = fileDescriptorBytes(parsed);
    const proto = fromBinary(FileDescriptorProtoSchema, bytes);
    expect(proto.package).toBe("shop.inventory");
    expect(proto.dependency).toEqual(["google/protobuf/timestamp.proto"]);
    expect(proto.messageType.map((m) => m.name)).toEqual(["StockReserved", "StockReleased"]);
    // A registry resolves every type name, map entry and oneof: the descriptor is complete.
    const registry = createFileRegistry(proto, (name) => (name === "google/protobuf/timestamp.proto" ? file_google_protobuf_timestamp : undefined));
    const message = registry.getMessage("shop.inventory.StockReserved")!;
    expect(message.fields.map((f) => [f.name, f.fieldKind])).toEqual([
      ["event_id", "scalar"],
      ["order_id", "scalar"],
      ["lines", "list"],
      ["reserved_at", "message"],
      ["status", "enum"],
      ["counts", "map"],
      ["note", "scalar"],
      ["warehouse", "scalar"],
      ["shelf", "scalar"],
      ["total_grams", "scalar"],
      ["signature", "scalar"],
    ]);
    expect(message.oneofs.map((o) => o.name)).toEqual(["hold"]);
    expect(message.field.note!.presence).toBe(1); // EXPLICIT: proto3 optional kept
    expect(registry.getMessage("shop.inventory.StockReserved.Line")?.fields.map((f) => f.name)).toEqual(["sku", "quantity"]);
  });
});

describe("imports through schema references", () => {
  const money = { name: "shop/money.proto", schemaType: "PROTOBUF" as const, schema: 'syntax = "proto3";\npackage shop;\nmessage Money { string currency = 1; int64 units = 2; }\nenum Channel { WEB = 0; STORE = 1; }\n' };
  const order = 'syntax = "proto3";\npackage shop;\nimport "shop/money.proto";\nimport "google/protobuf/timestamp.proto";\nmessage OrderPlaced { string order_id = 1; Money total = 2; Channel channel = 3; google.protobuf.Timestamp at = 4; }\n';

  it("resolves an imported file's types from the reference named by its import path, and keeps them out of the schema's own messages", () => {
    const parsed = parseProtobufSchema(order, [money]);
    if (!parsed.ok) throw new Error(parsed.problems.join("; "));
    expect(parsed.name).toBe("shop.OrderPlaced");
    expect(parsed.file.messages.map((m) => m.name)).toEqual(["OrderPlaced"]);
    expect(parsed.file.enums).toEqual([]);
    expect(parsed.file.messages[0]!.fields.map((f) => [f.name, f.kind, f.type])).toEqual([
      ["order_id", "scalar", "string"],
      ["total", "message", "Money"],
      ["channel", "enum", "Channel"],
      ["at", "message", ".google.protobuf.Timestamp"],
    ]);
    // Message index [0] is the schema's own first message, not the referenced file's.
    const value = { orderId: "ord-1", total: { currency: "EUR", units: "129" }, channel: "STORE", at: { seconds: "1796551200", nanos: 0 } };
    const bytes = encodeProtobufValue(parsed, value);
    expect(decodeProtobufPayload(parsed, bytes)).toMatchObject({ ok: true, value: { orderId: "ord-1", total: { currency: "EUR", units: "129" }, channel: "STORE" } });
  });

  it("refuses a reference that is not Protobuf, and a file that does not resolve with its references", () => {
    const asAvro = parseProtobufSchema(order, [{ ...money, schemaType: "AVRO" }]);
    expect(asAvro.ok ? [] : asAvro.problems).toEqual(['The referenced schema "shop/money.proto" is AVRO; a .proto file can only import Protobuf schemas.']);
    const wrong = parseProtobufSchema(order, [{ ...money, schema: 'syntax = "proto3";\npackage shop;\nmessage Cash { int64 units = 1; }\nenum Channel { WEB = 0; }\n' }]);
    expect(wrong.ok ? [] : wrong.problems[0]).toMatch(/^The \.proto file does not resolve with its references: no such Type or Enum 'Money'/);
  });
});
