import avro from "avsc";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { AVRO_CASES, avroCasesTable } from "./avro-cases";
import { avroIncompatibilities, avroResolution } from "./avro-compatibility";
import { avroReadCheck, checkCompatibility, formatReason } from "./compatibility";

const typeOf = (schema: unknown) => avro.Type.forSchema(schema as avro.Schema, { wrapUnions: "auto" });

describe("Avro conformance table (after Avro's TestSchemaCompatibility)", () => {
  it.each(AVRO_CASES.map((c, i) => [i + 1, JSON.stringify(c.reader), JSON.stringify(c.writer), c] as const))("row %i: reader %s, writer %s", (_row, _r, _w, c) => {
    const found = avroIncompatibilities(typeOf(c.reader), typeOf(c.writer));
    expect(found[0]?.type ?? "compatible").toBe(c.expected);
  });

  it("is printed in docs/schemas-avro.md exactly as the cases say", () => {
    const doc = readFileSync("docs/schemas-avro.md", "utf8");
    const table = doc.split("<!-- avro-cases:start -->")[1]?.split("<!-- avro-cases:end -->")[0]?.trim();
    // On a change to the cases: print avroCasesTable() and paste it between the markers.
    expect(table).toBe(avroCasesTable());
  });
});

const payment = (fields: unknown[]) => ({ type: "record", name: "PaymentSucceeded", namespace: "shop", fields: [{ name: "orderId", type: "string" }, ...fields] });
const v1 = payment([{ name: "amount", type: "int" }]);

describe("readable Avro breaking changes", () => {
  it("names the field and the types", () => {
    const found = avroIncompatibilities(typeOf(payment([{ name: "amount", type: "string" }])), typeOf(v1));
    expect(found).toEqual([{ type: "TYPE_MISMATCH", compatible: false, location: "/fields/1/type", message: "field `amount`: int -> string cannot be read" }]);
  });

  it("says a field added without a default has no value in old data, and nests field paths", () => {
    const nested = (fields: unknown[]) => payment([{ name: "customer", type: { type: "record", name: "Customer", fields } }]);
    const found = avroIncompatibilities(typeOf(nested([{ name: "id", type: "string" }, { name: "tier", type: "string" }])), typeOf(nested([{ name: "id", type: "string" }])));
    expect(found.map((f) => [f.type, f.location, f.message])).toEqual([
      ["READER_FIELD_MISSING_DEFAULT_VALUE", "/fields/1/type/fields/1", "field `customer.tier` has no default and is not in the writer's schema, so its data has no value for it"],
    ]);
  });

  it("lists every problem, and the compatible changes for the diff", () => {
    const reader = typeOf(payment([{ name: "amount", type: "long" }, { name: "currency", type: "string", default: "EUR" }, { name: "status", type: { type: "enum", name: "Status", symbols: ["OK"] } }]));
    const writer = typeOf(payment([{ name: "amount", type: "int" }, { name: "note", type: "string" }, { name: "status", type: { type: "enum", name: "Status", symbols: ["OK", "LATE"] } }]));
    expect(avroResolution(reader, writer).map((f) => [f.type, f.compatible])).toEqual([
      ["TYPE_PROMOTED", true],
      ["FIELD_ADDED_WITH_DEFAULT", true],
      ["MISSING_ENUM_SYMBOLS", false],
      ["FIELD_REMOVED", true],
    ]);
    expect(avroResolution(reader, writer).find((f) => f.type === "FIELD_ADDED_WITH_DEFAULT")?.message).toBe("field `currency` is not in the writer's schema; its default \"EUR\" is used");
  });
});

describe("the seven compatibility levels with Avro", () => {
  const v2 = payment([{ name: "amount", type: "int" }, { name: "currency", type: "string", default: "EUR" }]);
  const earlier = [
    { version: 1, schema: typeOf(v1) },
    { version: 2, schema: typeOf(v2) },
  ];
  const check = (candidate: unknown, mode: Parameters<typeof checkCompatibility>[2], against = earlier) =>
    checkCompatibility<avro.Type>(typeOf(candidate), against, mode, avroReadCheck).map((r) => [r.version, r.direction, r.type]);

  it("BACKWARD: the new schema reads the latest's data; a field added without a default breaks it", () => {
    expect(check(payment([{ name: "amount", type: "int" }, { name: "currency", type: "string", default: "EUR" }, { name: "channel", type: "string", default: "web" }]), "BACKWARD")).toEqual([]);
    expect(check(payment([{ name: "amount", type: "int" }, { name: "currency", type: "string" }]), "BACKWARD")).toEqual([]);
    expect(check(payment([{ name: "amount", type: "int" }, { name: "currency", type: "string" }, { name: "channel", type: "string" }]), "BACKWARD")).toEqual([[2, "backward", "READER_FIELD_MISSING_DEFAULT_VALUE"]]);
  });

  it("BACKWARD_TRANSITIVE checks every version: v1 lacks currency, which has no default now", () => {
    expect(check(payment([{ name: "amount", type: "int" }, { name: "currency", type: "string" }]), "BACKWARD_TRANSITIVE")).toEqual([[1, "backward", "READER_FIELD_MISSING_DEFAULT_VALUE"]]);
  });

  it("FORWARD: the latest reads the new schema's data; removing a field without a default breaks it", () => {
    expect(check(payment([{ name: "amount", type: "int" }]), "FORWARD")).toEqual([]);
    expect(check(payment([{ name: "currency", type: "string", default: "EUR" }]), "FORWARD")).toEqual([[2, "forward", "READER_FIELD_MISSING_DEFAULT_VALUE"]]);
    expect(check(payment([{ name: "amount", type: "long" }, { name: "currency", type: "string", default: "EUR" }]), "FORWARD")).toEqual([[2, "forward", "TYPE_MISMATCH"]]);
  });

  it("FORWARD_TRANSITIVE checks every version", () => {
    expect(check(payment([{ name: "amount", type: "int" }, { name: "currency", type: "string" }]), "FORWARD_TRANSITIVE")).toEqual([]);
    expect(check(payment([{ name: "amount", type: "long" }, { name: "currency", type: "string" }]), "FORWARD_TRANSITIVE").map(([v]) => v)).toEqual([2, 1]);
  });

  it("FULL needs both; FULL_TRANSITIVE against every version; NONE checks nothing", () => {
    const promoted = payment([{ name: "amount", type: "long" }, { name: "currency", type: "string", default: "EUR" }]);
    expect(check(promoted, "BACKWARD")).toEqual([]);
    expect(check(promoted, "FULL")).toEqual([[2, "forward", "TYPE_MISMATCH"]]);
    expect(check(payment([{ name: "amount", type: "int" }, { name: "currency", type: "string", default: "EUR" }, { name: "channel", type: "string", default: "web" }]), "FULL")).toEqual([]);
    expect(check(payment([{ name: "amount", type: "int" }, { name: "currency", type: "string" }]), "FULL_TRANSITIVE")).toEqual([[1, "backward", "READER_FIELD_MISSING_DEFAULT_VALUE"]]);
    expect(check({ type: "string" }, "NONE")).toEqual([]);
  });

  it("formats a reason for the registry's 409", () => {
    const [reason] = checkCompatibility<avro.Type>(typeOf(payment([{ name: "amount", type: "string" }])), earlier, "BACKWARD", avroReadCheck);
    expect(formatReason(reason!)).toBe("field `amount`: int -> string cannot be read (TYPE_MISMATCH at /fields/1/type; reading v2 data)");
  });
});
