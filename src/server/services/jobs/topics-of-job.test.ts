import { describe, expect, it } from "vitest";
import { topicsOfJob } from "./jobs";

describe("topicsOfJob", () => {
  it("names a replay's source and target and a redrive's DLQ and chosen targets", () => {
    expect(topicsOfJob({ params: { request: { sourceTopic: "orders", targetTopic: "orders.replay" } } })).toEqual(["orders", "orders.replay"]);
    expect(topicsOfJob({ params: { dlqTopic: "payments.DLQ", targetTopic: null, fallbackTopic: "payments" } })).toEqual(["payments.DLQ", "payments"]);
    expect(topicsOfJob({ params: null })).toEqual([]);
  });
});
