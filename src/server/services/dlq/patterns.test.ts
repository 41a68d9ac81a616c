import { describe, expect, it } from "vitest";
import { DEFAULT_DLQ_TOPIC_PATTERNS, dlqTopicMatcher, parseDlqPatterns } from "./patterns";

describe("DLQ topic patterns", () => {
  const isDlq = dlqTopicMatcher(DEFAULT_DLQ_TOPIC_PATTERNS);

  it("recognises the default conventions", () => {
    for (const t of ["payments.DLQ", "orders.dlq", "orders-dlt", "orders.DLT", "dlq.orders", "error.orders.payment-service"]) expect(isDlq(t), t).toBe(true);
  });

  it("leaves ordinary topics alone", () => {
    for (const t of ["payments", "DLQ", "orders.DLQ.archive", "error.orders", "my-dlq-topic"]) expect(isDlq(t), t).toBe(false);
  });

  it("counts a topic whose name starts with a dot by its suffix", () => {
    expect(isDlq(".payments.DLQ")).toBe(true);
  });

  it("refuses a configured pattern it cannot use, naming it", () => {
    expect(() => dlqTopicMatcher(parseDlqPatterns("*.DLQ,+(a|b)"))).toThrow(/The glob "\+\(a\|b\)" uses "\("/);
  });

  it("parses a configured list and falls back to the defaults when empty", () => {
    expect(parseDlqPatterns(" failed.* , *.parking ")).toEqual(["failed.*", "*.parking"]);
    expect(parseDlqPatterns("")).toEqual([...DEFAULT_DLQ_TOPIC_PATTERNS]);
    expect(dlqTopicMatcher(parseDlqPatterns("failed.*"))("failed.orders")).toBe(true);
  });
});
