// The Protobuf conformance table: a change from one .proto (before, the registered version) to the
// next (after, the candidate) and what each compatibility level says of it. BACKWARD: the new
// schema reads the old one's data; FORWARD: the old reads the new one's; FULL: both. The test
// checks every row with the registry's own check; docs/schemas-protobuf.md prints the table.
import type { ProtobufIncompatibilityType } from "./protobuf-compatibility";

export type ProtobufExpected = "compatible" | ProtobufIncompatibilityType;

export interface ProtobufCase {
  change: string;
  /** Declarations after `syntax = "proto3"; package shop;`, unless they start with their own syntax or package. */
  before: string;
  after: string;
  backward: ProtobufExpected;
  forward: ProtobufExpected;
  why: string;
}

const ORDER = "message Order { string id = 1; int64 amount = 2; }";
const order = (fields: string) => `message Order { string id = 1;${fields ? ` ${fields}` : ""} }`;

export const PROTOBUF_CASES: ProtobufCase[] = [
  { change: "same schema", before: ORDER, after: ORDER, backward: "compatible", forward: "compatible", why: "nothing changes" },
  { change: "field added", before: ORDER, after: order("int64 amount = 2; string note = 3;"), backward: "compatible", forward: "compatible", why: "a missing field reads as its default; an unknown one is skipped" },
  { change: "field removed", before: ORDER, after: order(""), backward: "compatible", forward: "compatible", why: "skipped by the new reader, default for the old" },
  { change: "field renamed, same number", before: ORDER, after: order("int64 total = 2;"), backward: "compatible", forward: "compatible", why: "the wire carries numbers, not names" },
  { change: "field number reused with another type", before: ORDER, after: order("string note = 2;"), backward: "FIELD_SCALAR_KIND_CHANGED", forward: "FIELD_SCALAR_KIND_CHANGED", why: "number 2 was int64 (varint), is string (length-delimited)" },
  { change: "int32 -> int64", before: order("int32 amount = 2;"), after: ORDER, backward: "compatible", forward: "FIELD_SCALAR_KIND_CHANGED", why: "int64 reads every int32; int32 truncates int64" },
  { change: "uint32 -> int64", before: order("uint32 amount = 2;"), after: ORDER, backward: "compatible", forward: "FIELD_SCALAR_KIND_CHANGED", why: "int64 holds every uint32; not the other way" },
  { change: "int64 -> string", before: ORDER, after: order("string amount = 2;"), backward: "FIELD_SCALAR_KIND_CHANGED", forward: "FIELD_SCALAR_KIND_CHANGED", why: "incompatible wire types" },
  { change: "int32 -> sint32", before: order("int32 amount = 2;"), after: order("sint32 amount = 2;"), backward: "FIELD_SCALAR_KIND_CHANGED", forward: "FIELD_SCALAR_KIND_CHANGED", why: "both varints, but zigzag encoding reads other values" },
  { change: "bool -> int32", before: order("bool paid = 2;"), after: order("int32 paid = 2;"), backward: "FIELD_SCALAR_KIND_CHANGED", forward: "FIELD_SCALAR_KIND_CHANGED", why: "same wire type, but a number is not a flag (Protobuf's guide allows it; this check is strict)" },
  { change: "fixed32 -> fixed64", before: order("fixed32 amount = 2;"), after: order("fixed64 amount = 2;"), backward: "FIELD_SCALAR_KIND_CHANGED", forward: "FIELD_SCALAR_KIND_CHANGED", why: "32-bit and 64-bit wire types" },
  { change: "string -> bytes", before: order("string note = 2;"), after: order("bytes note = 2;"), backward: "compatible", forward: "FIELD_SCALAR_KIND_CHANGED", why: "text reads as bytes; bytes need not be UTF-8" },
  { change: "scalar -> message", before: ORDER, after: `${order("Money amount = 2;")} message Money { int64 cents = 1; }`, backward: "FIELD_KIND_CHANGED", forward: "FIELD_KIND_CHANGED", why: "a number is not a message" },
  { change: "enum -> int32", before: `${order("Status status = 2;")} enum Status { UNKNOWN = 0; OK = 1; }`, after: `${order("int32 status = 2;")} enum Status { UNKNOWN = 0; OK = 1; }`, backward: "FIELD_KIND_CHANGED", forward: "FIELD_KIND_CHANGED", why: "an enum field is not a number field" },
  {
    change: "field's message type changed",
    before: `${order("Money amount = 2;")} message Money { int64 cents = 1; } message Price { int64 cents = 1; }`,
    after: `${order("Price amount = 2;")} message Money { int64 cents = 1; } message Price { int64 cents = 1; }`,
    backward: "FIELD_NAMED_TYPE_CHANGED",
    forward: "FIELD_NAMED_TYPE_CHANGED",
    why: "another message type",
  },
  {
    change: "field's enum type changed",
    before: `${order("Status status = 2;")} enum Status { UNKNOWN = 0; } enum State { NONE = 0; }`,
    after: `${order("State status = 2;")} enum Status { UNKNOWN = 0; } enum State { NONE = 0; }`,
    backward: "FIELD_NAMED_TYPE_CHANGED",
    forward: "FIELD_NAMED_TYPE_CHANGED",
    why: "another enum type",
  },
  {
    change: "nested message's field type changed",
    before: order("Line line = 2; message Line { int32 qty = 1; }"),
    after: order("Line line = 2; message Line { string qty = 1; }"),
    backward: "FIELD_SCALAR_KIND_CHANGED",
    forward: "FIELD_SCALAR_KIND_CHANGED",
    why: "nested messages are compared too",
  },
  { change: "singular -> repeated", before: order("string tag = 2;"), after: order("repeated string tag = 2;"), backward: "compatible", forward: "FIELD_MADE_SINGULAR", why: "one value reads as a list of one; a list read as one keeps the last" },
  { change: "repeated int64 -> int64", before: order("repeated int64 amount = 2;"), after: ORDER, backward: "FIELD_MADE_SINGULAR", forward: "compatible", why: "a packed list is not one value" },
  { change: "map value int32 -> int64", before: order("map<string, int32> stock = 2;"), after: order("map<string, int64> stock = 2;"), backward: "compatible", forward: "FIELD_SCALAR_KIND_CHANGED", why: "map values follow the scalar rules" },
  { change: "map -> repeated message", before: order("map<string, int32> stock = 2;"), after: order("repeated Stock stock = 2; message Stock { string key = 1; int32 value = 2; }"), backward: "FIELD_KIND_CHANGED", forward: "FIELD_KIND_CHANGED", why: "a map is compared as a map" },
  { change: "message renamed", before: ORDER, after: "message OrderPlaced { string id = 1; int64 amount = 2; }", backward: "MESSAGE_REMOVED", forward: "MESSAGE_REMOVED", why: "messages are matched by name: a rename is a removal and an addition" },
  { change: "message removed", before: `${ORDER} message Refund { string id = 1; }`, after: ORDER, backward: "MESSAGE_REMOVED", forward: "compatible", why: "data written as Refund cannot be read" },
  { change: "message added", before: ORDER, after: `${ORDER} message Refund { string id = 1; }`, backward: "compatible", forward: "MESSAGE_REMOVED", why: "the old schema cannot read Refund data (Confluent: adding messages is not forward compatible)" },
  { change: "one field moved into a new oneof", before: ORDER, after: order("oneof value { int64 amount = 2; }"), backward: "compatible", forward: "compatible", why: "at most one field was set anyway" },
  { change: "two fields moved into a new oneof", before: order("int64 amount = 2; string note = 3;"), after: order("oneof value { int64 amount = 2; string note = 3; }"), backward: "MULTIPLE_FIELDS_MOVED_TO_ONEOF", forward: "compatible", why: "the old writer may set both; the oneof keeps one" },
  { change: "field moved into an existing oneof", before: order("oneof pay { string card = 2; } string iban = 3;"), after: order("oneof pay { string card = 2; string iban = 3; }"), backward: "FIELD_MOVED_TO_EXISTING_ONEOF", forward: "compatible", why: "card and iban could both be set" },
  { change: "field moved out of a oneof", before: order("oneof value { int64 amount = 2; }"), after: ORDER, backward: "compatible", forward: "compatible", why: "a oneof of one field is an ordinary field on the wire" },
  { change: "proto3 optional added", before: order("string note = 2;"), after: order("optional string note = 2;"), backward: "compatible", forward: "compatible", why: "presence tracking only; the same wire format" },
  { change: "package changed", before: ORDER, after: `package shop.v2; ${ORDER}`, backward: "compatible", forward: "compatible", why: "the wire does not carry the package (Confluent: compatible)" },
  {
    change: "syntax proto2 -> proto3",
    before: 'syntax = "proto2"; package shop; message Order { optional string id = 1; optional int64 amount = 2; }',
    after: ORDER,
    backward: "compatible",
    forward: "compatible",
    why: "the same wire format",
  },
  {
    change: "proto2 required field added",
    before: 'syntax = "proto2"; package shop; message Order { optional string id = 1; }',
    after: 'syntax = "proto2"; package shop; message Order { optional string id = 1; required int64 amount = 2; }',
    backward: "REQUIRED_FIELD_ADDED",
    forward: "compatible",
    why: "old data has no amount",
  },
  {
    change: "proto2 optional made required",
    before: 'syntax = "proto2"; package shop; message Order { optional string id = 1; optional int64 amount = 2; }',
    after: 'syntax = "proto2"; package shop; message Order { optional string id = 1; required int64 amount = 2; }',
    backward: "REQUIRED_FIELD_ADDED",
    forward: "compatible",
    why: "old data may lack amount",
  },
  { change: "enum value added", before: `${order("Status status = 2;")} enum Status { UNKNOWN = 0; OK = 1; }`, after: `${order("Status status = 2;")} enum Status { UNKNOWN = 0; OK = 1; LATE = 2; }`, backward: "compatible", forward: "compatible", why: "an unknown enum value is kept as a number" },
];

/** The .proto text of a case's side: the declarations with proto3 and package shop unless they say otherwise. */
export function caseProto(declarations: string): string {
  const syntax = /^\s*syntax\s*=/.test(declarations) ? "" : 'syntax = "proto3";\n';
  const pkg = /(^|;\s*)package\s/.test(declarations) ? "" : "package shop;\n";
  return `${syntax}${pkg}${declarations}\n`;
}

/** FULL is both directions; the first problem found is the backward one. */
export const fullOf = (c: ProtobufCase): ProtobufExpected => (c.backward !== "compatible" ? c.backward : c.forward);

const cell = (text: string) => `\`${text.replace(/\|/g, "\\|")}\``;
const verdict = (e: ProtobufExpected) => (e === "compatible" ? "compatible" : `**${e}**`);

/** The table as docs/schemas-protobuf.md prints it. */
export function protobufCasesTable(cases: ProtobufCase[] = PROTOBUF_CASES): string {
  return [
    "| Change | Before | After | BACKWARD | FORWARD | FULL | Why |",
    "|---|---|---|---|---|---|---|",
    ...cases.map((c) => `| ${c.change} | ${cell(c.before)} | ${cell(c.after)} | ${verdict(c.backward)} | ${verdict(c.forward)} | ${verdict(fullOf(c))} | ${c.why} |`),
  ].join("\n");
}
