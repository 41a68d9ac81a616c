import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseProtobufSchema, type ProtoFile } from "../protobuf";
import { checkCompatibility, formatReason, protobufReadCheck } from "./compatibility";
import { PROTOBUF_CASES, caseProto, fullOf, protobufCasesTable } from "./protobuf-cases";
import { protobufResolution } from "./protobuf-compatibility";

function fileOf(text: string): ProtoFile {
  const parsed = parseProtobufSchema(text);
  if (!parsed.ok) throw new Error(`${text}: ${parsed.problems.join("; ")}`);
  return parsed.file;
}

const firstProblem = (candidate: ProtoFile, earlier: ProtoFile, mode: "BACKWARD" | "FORWARD" | "FULL") =>
  checkCompatibility<ProtoFile>(candidate, [{ version: 1, schema: earlier }], mode, protobufReadCheck)[0]?.type ?? "compatible";

describe("Protobuf conformance table", () => {
  it.each(PROTOBUF_CASES.map((c, i) => [i + 1, c.change, c] as const))("row %i: %s", (_row, _change, c) => {
    const before = fileOf(caseProto(c.before));
    const after = fileOf(caseProto(c.after));
    expect(firstProblem(after, before, "BACKWARD")).toBe(c.backward);
    expect(firstProblem(after, before, "FORWARD")).toBe(c.forward);
    expect(firstProblem(after, before, "FULL")).toBe(fullOf(c));
  });

  it("is printed in docs/schemas-protobuf.md exactly as the cases say", () => {
    const doc = readFileSync("docs/schemas-protobuf.md", "utf8");
    const table = doc.split("<!-- protobuf-cases:start -->")[1]?.split("<!-- protobuf-cases:end -->")[0]?.trim();
    // On a change to the cases: print protobufCasesTable() and paste it between the markers.
    expect(table).toBe(protobufCasesTable());
  });
});

const payment = (fields: string) => fileOf(`syntax = "proto3";\npackage shop;\nmessage PaymentSucceeded {\n  string order_id = 1;\n  ${fields}\n}\n`);

describe("readable Protobuf breaking changes", () => {
  it("names the message, the field, its number and why the types do not fit", () => {
    expect(protobufResolution(payment("string amount = 2;"), payment("int64 amount = 2;"))).toEqual([
      {
        type: "FIELD_SCALAR_KIND_CHANGED",
        compatible: false,
        location: "#/PaymentSucceeded/2",
        message: "field `PaymentSucceeded.amount` (number 2): int64 -> string; the wire types differ (varint vs length-delimited), so the reader drops the writer's value",
      },
    ]);
  });

  it("says when a field number is reused by another field", () => {
    const [finding] = protobufResolution(payment("Money note = 2; message Money { int64 cents = 1; }"), payment("int64 amount = 2;")).filter((f) => !f.compatible);
    expect(finding?.message).toBe("field `PaymentSucceeded.note` (number 2) was int64 `amount` and is PaymentSucceeded.Money; its data cannot be read");
  });

  it("hints that a rename is a removal and an addition", () => {
    const renamed = fileOf('syntax = "proto3";\npackage shop;\nmessage PaymentSettled { string order_id = 1; }');
    expect(protobufResolution(renamed, payment("")).map((f) => [f.type, f.message])).toEqual([
      ["MESSAGE_REMOVED", "message `PaymentSucceeded` is not in the reader's schema; data written as it cannot be read (`PaymentSettled` added: a rename is a removal and an addition)"],
      ["MESSAGE_ADDED", "message `PaymentSettled` is added"],
    ]);
  });

  it("lists the compatible changes for the diff", () => {
    const before = payment("int32 amount = 2; string note = 3;");
    const after = payment("int64 total = 2; repeated string tags = 4;");
    expect(protobufResolution(after, before).map((f) => [f.type, f.compatible])).toEqual([
      ["FIELD_NAME_CHANGED", true],
      ["FIELD_SCALAR_KIND_PROMOTED", true],
      ["FIELD_REMOVED", true],
      ["FIELD_ADDED", true],
    ]);
  });
});

describe("the seven compatibility levels with Protobuf", () => {
  const v1 = payment("int32 amount = 2;");
  const v2 = payment("int32 amount = 2; string currency = 3;");
  const earlier = [
    { version: 1, schema: v1 },
    { version: 2, schema: v2 },
  ];
  const check = (candidate: ProtoFile, mode: Parameters<typeof checkCompatibility>[2]) =>
    checkCompatibility<ProtoFile>(candidate, earlier, mode, protobufReadCheck).map((r) => [r.version, r.direction, r.type]);

  it("BACKWARD: the new schema reads the latest's data; a widened field is fine, a narrowed one is not", () => {
    expect(check(payment("int64 amount = 2; string currency = 3;"), "BACKWARD")).toEqual([]);
    expect(check(payment("int32 amount = 2; bytes currency = 3;"), "BACKWARD")).toEqual([]);
    expect(check(payment("int32 amount = 2; int64 currency = 3;"), "BACKWARD")).toEqual([[2, "backward", "FIELD_SCALAR_KIND_CHANGED"]]);
  });

  it("BACKWARD_TRANSITIVE checks every version: v1 never had field 3, so only v2 objects to reusing it", () => {
    const reused = payment("int32 amount = 2; int64 currency = 3;");
    expect(check(reused, "BACKWARD_TRANSITIVE")).toEqual([[2, "backward", "FIELD_SCALAR_KIND_CHANGED"]]);
    const narrowed = payment("sint32 amount = 2; string currency = 3;");
    expect(check(narrowed, "BACKWARD_TRANSITIVE").map(([v]) => v)).toEqual([2, 1]);
  });

  it("FORWARD: the latest reads the new schema's data; a widened field breaks it", () => {
    expect(check(payment("int32 amount = 2;"), "FORWARD")).toEqual([]);
    expect(check(payment("int64 amount = 2; string currency = 3;"), "FORWARD")).toEqual([[2, "forward", "FIELD_SCALAR_KIND_CHANGED"]]);
  });

  it("FORWARD_TRANSITIVE checks every version", () => {
    expect(check(payment("int64 amount = 2; string currency = 3;"), "FORWARD_TRANSITIVE").map(([v, d]) => [v, d])).toEqual([
      [2, "forward"],
      [1, "forward"],
    ]);
  });

  it("FULL needs both; FULL_TRANSITIVE against every version; NONE checks nothing", () => {
    const widened = payment("int64 amount = 2; string currency = 3;");
    expect(check(widened, "BACKWARD")).toEqual([]);
    expect(check(widened, "FULL")).toEqual([[2, "forward", "FIELD_SCALAR_KIND_CHANGED"]]);
    expect(check(payment("int32 amount = 2; string currency = 3; string channel = 4;"), "FULL")).toEqual([]);
    expect(check(payment("int32 amount = 2; string currency = 3; message Extra { string x = 1; }"), "FULL_TRANSITIVE").map(([v, d, t]) => [v, d, t])).toEqual([
      [2, "forward", "MESSAGE_REMOVED"],
      [1, "forward", "MESSAGE_REMOVED"],
    ]);
    expect(check(fileOf('syntax = "proto3"; message Other { bool x = 1; }'), "NONE")).toEqual([]);
  });

  it("formats a reason for the registry's 409", () => {
    const [reason] = checkCompatibility<ProtoFile>(payment("string amount = 2; string currency = 3;"), earlier, "BACKWARD", protobufReadCheck);
    expect(formatReason(reason!)).toBe(
      "field `PaymentSucceeded.amount` (number 2): int32 -> string; the wire types differ (varint vs length-delimited), so the reader drops the writer's value (FIELD_SCALAR_KIND_CHANGED at #/PaymentSucceeded/2; reading v2 data)",
    );
  });
});
