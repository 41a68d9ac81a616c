import { describe, expect, it } from "vitest";
import { DEFAULT_DLQ_TOPIC_PATTERNS } from "~/server/services/dlq/patterns";
import { deadLetterLinks, globCaptures, nameWords, type DeadLetterInput } from "./dead-letters";

// The demo's shape: orders is read by three groups, each running as its own service; payment-service
// dead-letters the orders it cannot charge into payments.DLQ (named after the service, not the topic).
const base: DeadLetterInput = {
  dlqTopics: ["payments.DLQ"],
  topics: new Set(["orders", "payments", "inventory", "payments.DLQ"]),
  groups: [
    { groupId: "payment-service", topics: ["orders"], services: ["payment-service"] },
    { groupId: "inventory-service", topics: ["orders"], services: ["inventory-service"] },
    { groupId: "notification-service", topics: ["orders", "payments"], services: ["notification-service"] },
  ],
  services: new Set(["order-service", "payment-service", "inventory-service", "notification-service"]),
  patterns: DEFAULT_DLQ_TOPIC_PATTERNS,
  declarations: [],
  origins: [],
  knownWriters: [],
};

const only = (input: Partial<DeadLetterInput>) => {
  const links = deadLetterLinks({ ...base, ...input });
  expect(links).toHaveLength(1);
  return links[0]!;
};

describe("globCaptures", () => {
  it("reads the name parts a DLQ pattern stands for", () => {
    expect(globCaptures("orders.DLQ", "*.DLQ")).toEqual([["orders"]]);
    expect(globCaptures("orders-dlt", "*-dlt")).toEqual([["orders"]]);
    expect(globCaptures("dlq.orders", "dlq.*")).toEqual([["orders"]]);
    expect(globCaptures("orders.DLQ", "*.dlq")).toEqual([]);
  });

  it("gives every split of a two-part name (Spring Cloud Stream's error.<topic>.<group>)", () => {
    expect(globCaptures("error.orders.billing", "error.*.*")).toEqual([["orders", "billing"]]);
    expect(globCaptures("error.shop.orders.billing", "error.*.*")).toEqual([
      ["shop", "orders.billing"],
      ["shop.orders", "billing"],
    ]);
  });

  it("reads nothing from globs with other wildcards, and stays bounded on many stars", () => {
    expect(globCaptures("orders.DLQ", "orders.DL?")).toEqual([]);
    expect(globCaptures("orders.DLQ", "!*.DLQ")).toEqual([]);
    expect(globCaptures("a".repeat(249), "*a*a*a*")).toEqual([]);
    expect(globCaptures("a".repeat(249), "*a*a*").length).toBeLessThanOrEqual(32);
  });
});

describe("nameWords", () => {
  it("keeps the telling words, singular, and drops the generic ones", () => {
    expect([...nameWords("payments.DLQ")]).toEqual(["payment"]);
    expect([...nameWords("payment-service")]).toEqual(["payment"]);
    expect([...nameWords("error.orders.billing")]).toEqual(["order", "billing"]);
  });
});

describe("deadLetterLinks: the source topic", () => {
  it("takes the origin topic from the records' headers, over the DLQ's name", () => {
    const link = only({ origins: [{ topic: "payments.DLQ", originTopic: "orders", records: 12 }] });
    expect(link.sources).toEqual([{ topic: "orders", evidence: ["record-headers"], records: 12 }]);
  });

  it("takes the catalog's declared source topic, and merges it with the headers' when they agree", () => {
    expect(only({ declarations: [{ topic: "payments.DLQ", sourceTopic: "orders" }] }).sources).toEqual([{ topic: "orders", evidence: ["catalog"], records: null }]);
    const both = only({ declarations: [{ topic: "payments.DLQ", sourceTopic: "orders" }], origins: [{ topic: "payments.DLQ", originTopic: "orders", records: 3 }] });
    expect(both.sources).toEqual([{ topic: "orders", evidence: ["record-headers", "catalog"], records: 3 }]);
  });

  it("falls back to the name (payments.DLQ → payments) only when the records and the catalog say nothing", () => {
    expect(only({}).sources).toEqual([{ topic: "payments", evidence: ["topic-name"], records: null }]);
  });

  it("links every origin the headers name, and skips ones no longer in the graph or the DLQ itself", () => {
    const link = only({
      origins: [
        { topic: "payments.DLQ", originTopic: "orders", records: 5 },
        { topic: "payments.DLQ", originTopic: "payments", records: 1 },
        { topic: "payments.DLQ", originTopic: "deleted-topic", records: 9 },
        { topic: "payments.DLQ", originTopic: "payments.DLQ", records: 2 },
        { topic: "other.DLQ", originTopic: "inventory", records: 4 },
      ],
    });
    expect(link.sources.map((s) => s.topic)).toEqual(["orders", "payments"]);
  });

  it("draws no source when nothing names one", () => {
    const link = deadLetterLinks({ ...base, dlqTopics: ["dlq.misc"], topics: new Set([...base.topics, "dlq.misc"]) })[0]!;
    expect(link.sources).toEqual([]);
    expect(link.writers).toEqual([]);
    expect(link.candidates).toEqual([]);
  });
});

describe("deadLetterLinks: the writer", () => {
  const fromOrders = { origins: [{ topic: "payments.DLQ", originTopic: "orders", records: 12 }] };

  it("singles out the reader of the source topic whose name matches the DLQ's (payments.DLQ ← payment-service)", () => {
    expect(only(fromOrders).writers).toEqual([{ nodeId: "service:payment-service", evidence: ["name-match"] }]);
  });

  it("takes the only reader of the source topic, as its service", () => {
    const link = only({ origins: [{ topic: "payments.DLQ", originTopic: "inventory", records: 1 }], groups: [...base.groups, { groupId: "stock-audit", topics: ["inventory"], services: ["audit-service"] }] });
    expect(link.writers).toEqual([{ nodeId: "service:audit-service", evidence: ["only-reader"] }]);
  });

  it("names the group itself when its service is not known", () => {
    const link = only({ origins: [{ topic: "payments.DLQ", originTopic: "inventory", records: 1 }], groups: [...base.groups, { groupId: "stock-audit", topics: ["inventory"], services: [] }] });
    expect(link.writers).toEqual([{ nodeId: "group:stock-audit", evidence: ["only-reader"] }]);
  });

  it("lists the readers as candidates instead of guessing when the name does not tell them apart", () => {
    const link = deadLetterLinks({ ...base, dlqTopics: ["orders.DLQ"], topics: new Set([...base.topics, "orders.DLQ"]) })[0]!;
    expect(link.sources).toEqual([{ topic: "orders", evidence: ["topic-name"], records: null }]);
    expect(link.writers).toEqual([]);
    expect(link.candidates).toEqual(["group:inventory-service", "group:notification-service", "group:payment-service"]);
  });

  it("trusts a writer seen in the records (or declared) over any inference", () => {
    const link = only({ ...fromOrders, knownWriters: [{ topic: "payments.DLQ", nodeId: "service:billing-connector", evidence: ["sampled-writer"] }] });
    expect(link.writers).toEqual([{ nodeId: "service:billing-connector", evidence: ["sampled-writer"] }]);
    expect(link.candidates).toEqual([]);
  });

  it("reads both the source topic and the group from Spring Cloud Stream's error.<topic>.<group>", () => {
    const link = deadLetterLinks({ ...base, dlqTopics: ["error.orders.inventory-service"], topics: new Set([...base.topics, "error.orders.inventory-service"]) })[0]!;
    expect(link.sources).toEqual([{ topic: "orders", evidence: ["topic-name"], records: null }]);
    expect(link.writers).toEqual([{ nodeId: "service:inventory-service", evidence: ["topic-name"] }]);
  });
});
