import { describe, expect, it } from "vitest";
import type { FetchedRecord } from "~/server/broker";
import { compareJson, compileFilter, messageFilterSchema, parseJsonPath, RecordView, type MessageFilter } from "./filters";

function record(value: unknown, extra: Partial<FetchedRecord> = {}): FetchedRecord {
  return { topic: "orders", partition: 0, offset: 0, timestamp: 1000, key: Buffer.from("k-42"), value: Buffer.from(typeof value === "string" ? value : JSON.stringify(value)), headers: [], ...extra };
}
const order = { eventId: "e1", eventType: "OrderPlaced", source: "order-service", data: { customerId: "cust-42", total: 99.5, items: [{ sku: "mug" }], tags: ["vip", "eu"] }, metadata: { correlationId: "c1", causationId: null } };
const matches = (filter: MessageFilter, r = record(order)) => compileFilter(messageFilterSchema.parse(filter))(new RecordView(r));

describe("parseJsonPath", () => {
  it("reads dotted paths, indexes and quoted keys", () => {
    expect(parseJsonPath("data.items[0].sku")).toEqual(["data", "items", 0, "sku"]);
    expect(parseJsonPath("$.data.customerId")).toEqual(["data", "customerId"]);
    expect(parseJsonPath('data["odd key"]')).toEqual(["data", "odd key"]);
    expect(parseJsonPath("data..x")).toBeNull();
    expect(parseJsonPath("")).toBeNull();
  });
});

describe("compareJson", () => {
  it("compares numbers numerically and the rest as text", () => {
    expect(compareJson(42, "=", "42.0")).toBe(true);
    expect(compareJson("42", "=", "42")).toBe(true);
    expect(compareJson(true, "=", "true")).toBe(true);
    expect(compareJson(10, ">", "9")).toBe(true);
    expect(compareJson("10", ">", "9")).toBe(false);
    expect(compareJson(["a", "b"], "contains", "b")).toBe(true);
    expect(compareJson("hello", "contains", "ell")).toBe(true);
    expect(compareJson(1, "!=", "2")).toBe(true);
  });
});

describe("compileFilter", () => {
  it("matches each kind of filter, and all of them together", () => {
    expect(matches({ key: "k-42" })).toBe(true);
    expect(matches({ key: "k-4" })).toBe(false);
    expect(matches({ key: "k-4", keyMatch: "contains" })).toBe(true);
    expect(matches({ eventType: "OrderPlaced" })).toBe(true);
    expect(matches({ eventType: "PaymentFailed" })).toBe(false);
    expect(matches({ jsonPath: "data.customerId", jsonOperator: "=", jsonValue: "cust-42" })).toBe(true);
    expect(matches({ jsonPath: "data.total", jsonOperator: ">", jsonValue: "100" })).toBe(false);
    expect(matches({ jsonPath: "data.tags", jsonOperator: "contains", jsonValue: "vip" })).toBe(true);
    expect(matches({ jsonPath: "data.missing", jsonOperator: "!=", jsonValue: "x" })).toBe(false);
    expect(matches({ from: 1000, to: 1001 })).toBe(true);
    expect(matches({ from: 1001 })).toBe(false);
    expect(matches({ text: "MUG" })).toBe(true);
    expect(matches({ correlationId: "c1" })).toBe(true);
    expect(matches({ eventType: "OrderPlaced", key: "k-42", jsonPath: "data.total", jsonOperator: "<", jsonValue: "100", text: "cust-42" })).toBe(true);
  });

  it("matches headers by name, and by value when one is given", () => {
    const r = record(order, { headers: [{ key: "tenant", value: Buffer.from("acme") }, { key: "tenant", value: Buffer.from("globex") }] });
    expect(matches({ headerName: "tenant" }, r)).toBe(true);
    expect(matches({ headerName: "tenant", headerValue: "globex" }, r)).toBe(true);
    expect(matches({ headerName: "tenant", headerValue: "initech" }, r)).toBe(false);
  });

  it("never matches a JSON filter on binary or a null value, and never throws", () => {
    expect(matches({ jsonPath: "a", jsonValue: "1" }, record("", { value: Buffer.from([0, 1, 2]) }))).toBe(false);
    expect(matches({ jsonPath: "a", jsonValue: "1" }, record("", { value: null }))).toBe(false);
    expect(matches({ text: "x" }, record("", { value: null, key: null }))).toBe(false);
  });

  it("rejects filters that cannot work, naming the problem", () => {
    expect(messageFilterSchema.safeParse({ from: 5, to: 1 }).error?.issues[0]?.message).toMatch(/ends before it starts/);
    expect(messageFilterSchema.safeParse({ jsonPath: "a..b", jsonValue: "1" }).error?.issues[0]?.message).toMatch(/not a JSON path/);
    expect(messageFilterSchema.safeParse({ jsonPath: "a", jsonOperator: ">", jsonValue: "abc" }).error?.issues[0]?.message).toMatch(/not a number/);
  });
});

describe("pre-checks before parsing", () => {
  it("still match what parsing would match: escapes, headers and numbers", () => {
    const quoted = record({ eventId: "q1", eventType: 'Say "hi"', data: { name: "Zoë", n: 4.2e1, flag: true } });
    expect(matches({ eventType: 'Say "hi"' }, quoted)).toBe(true);
    expect(matches({ jsonPath: "data.name", jsonValue: "Zoë" }, quoted)).toBe(true);
    expect(matches({ jsonPath: "data.n", jsonValue: "42" }, quoted)).toBe(true);
    expect(matches({ jsonPath: "data.flag", jsonValue: "true" }, quoted)).toBe(true);
    // The one documented miss: plain ASCII that a writer spelled as \u escapes is not found.
    const escaped = record('{"data":{"c":"\\u0063ust"}}');
    expect(matches({ jsonPath: "data.c", jsonValue: "cust" }, escaped)).toBe(false);
    const fromHeader = record("binary", { value: Buffer.from([1, 2]), headers: [{ key: "eventType", value: Buffer.from("OrderPlaced") }] });
    expect(matches({ eventType: "OrderPlaced" }, fromHeader)).toBe(true);
  });
});
