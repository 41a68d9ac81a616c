import { describe, expect, it } from "vitest";
import type { FetchedRecord } from "~/server/broker";
import { encodeConfluentFrame } from "~/lib/wire-format";
import { decodeRecord } from "~/server/services/messages/decode";
import { hiddenPathsFor, maskerFor, maskJsonText, maskRecord, maskValue, MASK_MARKER, policiesFor, restoreMasked, type MaskingPolicy } from "./masking";
import { maskingPoliciesSchema, parseMaskPath, type MaskPath } from "./policies";

const CARD = "4111111111111111";
const paths = (...p: string[]): MaskPath[] => p.map((x) => parseMaskPath(x)!);
const policies: MaskingPolicy[] = maskingPoliciesSchema.parse(
  JSON.stringify([
    { name: "card numbers", topics: "payments*", paths: ["data.card.number", "data.items[*].cvv"], visibleTo: ["support"] },
    { name: "emails", topics: "{orders,payments}.*", paths: ["data.email"] },
  ]),
);

const payment = { eventType: "PaymentAuthorized", eventId: "e1", data: { amount: 12.5, email: "ann@example.com", card: { number: CARD, brand: "visa" }, items: [{ sku: "a", cvv: 123 }, { sku: "b" }, { sku: "c", cvv: 456 }] } };

function record(value: unknown, topic = "payments.v1", raw?: Buffer): FetchedRecord {
  return { topic, partition: 0, offset: 7, timestamp: 1, key: Buffer.from("k"), value: raw ?? Buffer.from(JSON.stringify(value)), headers: [{ key: "eventType", value: Buffer.from("PaymentAuthorized") }] };
}

describe("maskValue", () => {
  it("replaces nested fields and keeps the rest, types included", () => {
    const { value, count } = maskValue(payment, paths("data.card.number", "data.email"));
    expect(count).toBe(2);
    expect(value).toEqual({ ...payment, data: { ...payment.data, email: MASK_MARKER, card: { number: MASK_MARKER, brand: "visa" } } });
    // The input is left as it was.
    expect(payment.data.card.number).toBe(CARD);
  });

  it("masks every element of an array with [*], skipping elements without the field", () => {
    const { value } = maskValue(payment, paths("data.items[*].cvv"));
    expect((value as typeof payment).data.items).toEqual([{ sku: "a", cvv: MASK_MARKER }, { sku: "b" }, { sku: "c", cvv: MASK_MARKER }]);
  });

  it("masks a whole object or array a path names", () => {
    expect((maskValue(payment, paths("data.card")).value as { data: { card: unknown } }).data.card).toBe(MASK_MARKER);
  });

  it("skips missing paths and paths through the wrong type without an error", () => {
    for (const p of ["data.nothing.here", "data.amount.x", "data.card[*].number", "eventType.x", "data.items.cvv"]) {
      expect(maskValue(payment, paths(p))).toEqual({ value: payment, count: 0 });
    }
    expect(maskValue(null, paths("a.b"))).toEqual({ value: null, count: 0 });
    expect(maskValue("text", paths("a"))).toEqual({ value: "text", count: 0 });
  });

  it("does not give a __proto__ member a prototype", () => {
    const value = JSON.parse('{"__proto__":{"secret":"x"}}') as unknown;
    const masked = maskValue(value, paths('["__proto__"].secret')).value as Record<string, unknown>;
    expect(Object.getPrototypeOf(masked)).toBe(Object.prototype);
    expect(JSON.stringify(masked)).toBe(`{"__proto__":{"secret":"${MASK_MARKER}"}}`);
  });
});

describe("policies", () => {
  it("matches topics with RE2 globs", () => {
    expect(policiesFor("payments.v1", policies).map((p) => p.name)).toEqual(["card numbers", "emails"]);
    expect(policiesFor("orders.v2", policies).map((p) => p.name)).toEqual(["emails"]);
    expect(policiesFor("inventory", policies)).toEqual([]);
  });

  it("hides from roles outside visibleTo; admin sees everything; null hides every path", () => {
    expect(hiddenPathsFor("payments.v1", "admin", policies)).toEqual([]);
    expect(hiddenPathsFor("payments.v1", "support", policies)).toEqual(paths("data.email"));
    expect(hiddenPathsFor("payments.v1", "viewer", policies)).toEqual(paths("data.card.number", "data.items[*].cvv", "data.email"));
    expect(hiddenPathsFor("payments.v1", null, policies)).toHaveLength(3);
  });

  it("reads clear what any role the reader holds on the topic may see (a scoped binding counts on its topics only)", () => {
    // A viewer with support bound to payments* only.
    const reader = (topic: string) => (topic.startsWith("payments") ? (["viewer", "support"] as const) : (["viewer"] as const));
    expect(hiddenPathsFor("payments.v1", reader, policies)).toEqual(paths("data.email"));
    expect(hiddenPathsFor("orders.v2", reader, policies)).toEqual(paths("data.email"));
    expect(hiddenPathsFor("payments.v1", () => [], policies)).toHaveLength(3);
  });
});

describe("maskRecord and the decoded message", () => {
  it("masks the decoded value, its text and the envelope; the clear value appears nowhere", () => {
    const masked = decodeRecord(maskerFor("viewer", policies)(record(payment)));
    const serialized = JSON.stringify(masked);
    expect(serialized).not.toContain(CARD);
    expect(serialized).not.toContain("ann@example.com");
    expect(serialized).not.toContain("123");
    expect(JSON.parse(masked.value.text)).toMatchObject({ data: { amount: 12.5, card: { number: MASK_MARKER, brand: "visa" } } });
    expect(masked.envelope.eventType).toBe("PaymentAuthorized");
  });

  it("masks the envelope columns when a policy names them", () => {
    const masked = decodeRecord(maskRecord(record({ ...payment, metadata: { correlationId: "c-secret" } }), paths("metadata.correlationId")));
    expect(masked.envelope.correlationId).toBe(MASK_MARKER);
    expect(JSON.stringify(masked)).not.toContain("c-secret");
  });

  it("keeps a Confluent frame and its schema id", () => {
    const framed = Buffer.from(encodeConfluentFrame(42, Buffer.from(JSON.stringify(payment))));
    const masked = decodeRecord(maskRecord(record(null, "payments.v1", framed), paths("data.card.number")));
    expect(masked.value.schemaId).toBe(42);
    expect(masked.value.text).not.toContain(CARD);
  });

  it("a role in visibleTo, and admin, read the clear value", () => {
    const support = decodeRecord(maskerFor("support", policies)(record(payment)));
    expect(support.value.text).toContain(CARD);
    expect(support.value.text).not.toContain("ann@example.com");
    expect(decodeRecord(maskerFor("admin", policies)(record(payment))).value.text).toContain("ann@example.com");
  });

  it("adds the policies of a second topic (a dead-lettered record's original topic)", () => {
    const dlq = record(payment, "dlq.payments");
    expect(maskerFor("viewer", policies)(dlq)).toBe(dlq);
    expect(decodeRecord(maskerFor("viewer", policies)(dlq, "payments.v1")).value.text).not.toContain(CARD);
  });

  it("leaves values that are not JSON alone, as documented (paths mean nothing in them)", () => {
    const text = record(null, "payments.v1", Buffer.from(`card ${CARD}`));
    expect(maskerFor("viewer", policies)(text)).toBe(text);
    const unmaskedTopic = record(payment, "inventory");
    expect(maskerFor("viewer", policies)(unmaskedTopic)).toBe(unmaskedTopic);
  });
});

describe("edits made on a masked view", () => {
  it("masks JSON text and leaves other text as it is", () => {
    expect(maskJsonText(JSON.stringify(payment), paths("data.card.number"))).not.toContain(CARD);
    expect(maskJsonText("not json", paths("data.card.number"))).toBe("not json");
  });

  it("gives fields still showing the marker their value back, and keeps the ones the user replaced", () => {
    const shown = maskValue(payment, paths("data.card.number", "data.items[*].cvv")).value as typeof payment;
    const edited = { ...shown, data: { ...shown.data, amount: 13, items: [{ sku: "a", cvv: 999 }, { sku: "b" }, shown.data.items[2]] } };
    const restored = restoreMasked(edited, payment, paths("data.card.number", "data.items[*].cvv")) as typeof payment;
    expect(restored.data.card.number).toBe(CARD);
    expect(restored.data.amount).toBe(13);
    expect(restored.data.items).toEqual([{ sku: "a", cvv: 999 }, { sku: "b" }, { sku: "c", cvv: 456 }]);
  });
});

describe("MASKING_POLICIES", () => {
  const problems = (value: string) => {
    const result = maskingPoliciesSchema.safeParse(value);
    return result.success ? [] : result.error.issues.map((i) => i.message);
  };

  it("defaults to none and always lets admin see the clear value", () => {
    expect(maskingPoliciesSchema.parse(undefined)).toEqual([]);
    expect(policies[1]!.visibleTo).toEqual(["admin"]);
    expect(policies[0]!.visibleTo).toEqual(["admin", "support"]);
  });

  it("names the bad policy", () => {
    expect(problems("{")[0]).toMatch(/JSON array/);
    expect(problems('{"name":"x"}')[0]).toMatch(/JSON array/);
    expect(problems('[{"name":"cards","topics":"p*","paths":["a..b"]}]')).toEqual(['policy 1 ("cards"): "a..b" is not a JSON path; write it like data.card.number or data.items[*].cvv']);
    expect(problems('[{"name":"ok","topics":"a","paths":["a"]},{"name":"roles","topics":"p*","paths":["a"],"visibleTo":["root"]}]')[0]).toMatch(/^policy 2 \("roles"\): visibleTo\.0 each role must be one of/);
    expect(problems('[{"name":"globs","topics":"p(a|b)","paths":["a"]}]')[0]).toMatch(/^policy 1 \("globs"\): topics: .*\{a,b\}/);
    expect(problems('[{"topics":"p*","paths":["a"]}]')[0]).toMatch(/^policy 1: name/);
    expect(problems('[{"name":"a","topics":"p*","paths":["a"]},{"name":"a","topics":"q*","paths":["b"]}]')[0]).toMatch(/policy 2 \("a"\): another policy has the same name/);
  });

  it("reads the path syntax", () => {
    expect(parseMaskPath("$.data.items[*].cvv")).toEqual([{ kind: "member", name: "data" }, { kind: "member", name: "items" }, { kind: "every" }, { kind: "member", name: "cvv" }]);
    expect(parseMaskPath('data["card no"]')).toEqual([{ kind: "member", name: "data" }, { kind: "member", name: "card no" }]);
    for (const bad of ["", ".a", "a.", "a..b", "a[0]", "a b"]) expect(parseMaskPath(bad)).toBeNull();
  });
});
