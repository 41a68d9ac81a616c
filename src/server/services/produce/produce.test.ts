import { describe, expect, it } from "vitest";
import { MASK_MARKER } from "~/server/services/masking/masking";
import { headerRecord, inspectValue } from "./produce";
import { PRODUCE_MAX_VALUE_BYTES, produceRequestSchema } from "./produce.types";

describe("inspectValue", () => {
  it("refuses a value that still holds masked fields, and tells JSON from text", () => {
    expect(inspectValue({ value: `{"card":"${MASK_MARKER}"}`, headers: [] }).problems).toEqual([{ path: "value", message: expect.stringContaining("masked fields") }]);
    expect(inspectValue({ value: '{"a":1}', headers: [] })).toMatchObject({ problems: [], json: true, parsed: { ok: true, value: { a: 1 } } });
    expect(inspectValue({ value: "plain text", headers: [] })).toMatchObject({ problems: [], json: false });
    expect(inspectValue({ value: null, headers: [] })).toMatchObject({ problems: [], json: false });
  });
});

describe("headerRecord", () => {
  it("keeps a repeated header key's values, in order", () => {
    expect(headerRecord([{ key: "a", value: "1" }, { key: "b", value: "2" }, { key: "a", value: "3" }])).toEqual({ a: ["1", "3"], b: ["2"] });
  });
});

describe("produceRequestSchema", () => {
  it("bounds the value, the headers and their names, and defaults to Kafka's partitioner", () => {
    expect(produceRequestSchema.parse({ topic: "orders", value: "x" })).toMatchObject({ partition: null, key: null, headers: [] });
    expect(produceRequestSchema.safeParse({ topic: "orders", value: "x".repeat(PRODUCE_MAX_VALUE_BYTES + 1) }).error?.issues[0]?.message).toBe("The value is larger than 1024 KiB.");
    expect(produceRequestSchema.safeParse({ topic: "orders", value: "x", headers: [{ key: "", value: "v" }] }).error?.issues[0]?.message).toBe("A header needs a name.");
    expect(produceRequestSchema.safeParse({ topic: "orders", value: "x", partition: -1 }).success).toBe(false);
  });
});
