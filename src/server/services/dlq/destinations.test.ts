import { describe, expect, it } from "vitest";
import { redriveDestinations } from "./destinations";

describe("redriveDestinations", () => {
  it("is the chosen target alone when there is one", () => {
    expect(redriveDestinations({ targetTopic: "orders-retry", fallbackTopic: "x", declaredSource: "y", origins: ["orders", null] })).toEqual(["orders-retry"]);
  });

  it("is every original topic the records name, and the fallback (else the declared source) for records that name none", () => {
    expect(redriveDestinations({ targetTopic: null, fallbackTopic: undefined, declaredSource: "payments", origins: ["orders", null, "orders", "inventory"] })).toEqual(["inventory", "orders", "payments"]);
    expect(redriveDestinations({ targetTopic: null, fallbackTopic: "manual", declaredSource: "payments", origins: [null] })).toEqual(["manual"]);
    expect(redriveDestinations({ targetTopic: null, fallbackTopic: null, declaredSource: null, origins: [null] })).toEqual([]);
  });
});
