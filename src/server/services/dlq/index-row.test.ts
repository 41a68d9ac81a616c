import { describe, expect, it } from "vitest";
import type { FetchedRecord } from "~/server/broker";
import { int32, storableText, toIndexRow } from "./index-row";

const h = (key: string, value: string | Buffer) => ({ key, value: Buffer.isBuffer(value) ? value : Buffer.from(value) });
const record = (over: Partial<FetchedRecord>): FetchedRecord => ({ topic: "p.DLQ", partition: 1, offset: 7, timestamp: 1_700_000_000_000, key: null, value: null, headers: [], ...over });

describe("toIndexRow", () => {
  it("keeps what the lists need: envelope ids, origin, reason, attempts and a preview", () => {
    const value = JSON.stringify({ eventId: "e-1", eventType: "OrderPlaced", data: { note: "x".repeat(500) }, metadata: { correlationId: "c-1" } });
    const row = toIndexRow(
      record({
        key: Buffer.from("order-1"),
        value: Buffer.from(value),
        headers: [h("x-original-topic", "orders"), h("x-original-partition", "2"), h("x-original-offset", "99"), h("x-error-class", "Boom"), h("x-error-message", "failed after 3000 ms"), h("x-attempts", "3"), h("x-redrive-attempt", "1")],
      }),
    );
    expect(row).toMatchObject({
      partition: 1,
      offset: 7,
      key: "order-1",
      eventId: "e-1",
      eventType: "OrderPlaced",
      correlationId: "c-1",
      convention: "signalbox",
      errorClass: "Boom",
      reason: "Boom: failed after <n> ms",
      originTopic: "orders",
      originPartition: 2,
      originOffset: "99",
      attempts: 3,
      redriveAttempts: 1,
      valueBytes: value.length,
    });
    expect(row.preview).toHaveLength(240);
    expect(row.preview.endsWith("…")).toBe(true);
  });

  it("stores binary keys as hex, binary values as a note, and no NUL characters (PostgreSQL refuses them)", () => {
    const row = toIndexRow(record({ key: Buffer.from([0, 1, 255]), value: Buffer.from([0, 159, 146, 150]), headers: [h("x-error-class", "Nul\u0000Class"), h("x-error-message", "a\u0000b")] }));
    expect(row.key).toBe("0001ff");
    expect(row.preview).toBe("<4 bytes of binary>");
    expect(row.errorClass).toBe("Nul\ufffdClass");
    expect(row.errorMessage).toBe("a\ufffdb");
    expect(JSON.stringify(row)).not.toContain("\\u0000");
  });

  it("reads a record with no DLQ headers and no value", () => {
    expect(toIndexRow(record({}))).toMatchObject({ convention: "none", reason: "Unknown error", originTopic: null, preview: "", valueBytes: 0, redriveAttempts: 0 });
  });

  it("drops integers a PostgreSQL int cannot hold instead of failing the whole batch", () => {
    const big = Buffer.alloc(8);
    big.writeBigInt64BE(1n << 40n);
    expect(toIndexRow(record({ headers: [h("x-original-topic", "orders"), h("x-original-partition", big), h("x-attempts", "99999999999")] }))).toMatchObject({ originPartition: null, attempts: null });
    expect(int32(2_147_483_647)).toBe(2_147_483_647);
    expect(int32(2_147_483_648)).toBeNull();
  });
});

describe("storableText", () => {
  it("cuts long text with an ellipsis", () => {
    expect(storableText("abcdef", 4)).toBe("abc…");
    expect(storableText("abc", 4)).toBe("abc");
    expect(storableText(null, 4)).toBeNull();
  });
});
