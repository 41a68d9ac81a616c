import { describe, expect, it } from "vitest";
import { topicSubjectChanges, valueSubjectOf } from "./topic-subjects";

const on = (topic: string, eventType: string, clusterName = "local") => ({ clusterName, topic, eventType });

describe("the <topic>-value subjects when bindings are removed", () => {
  it("a topic bound to this event type alone loses its subject", () => {
    expect(topicSubjectChanges("OrderPlaced", [{ clusterName: "local", topic: "orders" }], [on("orders", "OrderPlaced")])).toEqual({ removed: ["orders-value"], reassigned: [] });
  });

  it("a topic left with one other event type passes the subject to it", () => {
    const before = [on("orders", "OrderPlaced"), on("orders", "OrderCancelled")];
    expect(topicSubjectChanges("OrderPlaced", [{ clusterName: "local", topic: "orders" }], before)).toEqual({ removed: [], reassigned: [{ subject: "orders-value", eventType: "OrderCancelled" }] });
  });

  it("a topic that still carries several event types has no subject before or after", () => {
    const before = [on("orders", "A"), on("orders", "B"), on("orders", "C")];
    expect(topicSubjectChanges("A", [{ clusterName: "local", topic: "orders" }], before)).toEqual({ removed: [], reassigned: [] });
  });

  it("bindings of the same topic name on another cluster do not count", () => {
    const before = [on("orders", "OrderPlaced", "local"), on("orders", "Other", "prod")];
    expect(topicSubjectChanges("OrderPlaced", [{ clusterName: "local", topic: "orders" }], before).removed).toEqual(["orders-value"]);
  });

  it("names the subject with the -value suffix", () => {
    expect(valueSubjectOf("payments.DLQ")).toBe("payments.DLQ-value");
  });
});
