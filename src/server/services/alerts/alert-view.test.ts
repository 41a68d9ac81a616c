import { describe, expect, it } from "vitest";
import type { AlertRow } from "~/server/catalog";
import { toAlertView } from "./alert-view";

const alert = (webhookState: AlertRow["webhookState"], webhookReason: string | null): AlertRow => ({
  id: "a1",
  ruleId: "r1",
  ruleName: "Billing lag",
  ruleKind: "LAG_MESSAGES",
  groupId: "billing",
  state: "FIRING",
  firedAt: new Date(0),
  resolvedAt: null,
  value: 5,
  message: "lag 5",
  webhookState,
  webhookReason,
});

describe("toAlertView", () => {
  it("shows viewers (and other non-operator roles) only the delivery state", () => {
    for (const role of ["viewer", "architect", "support", null] as const) {
      const view = toAlertView(role, alert("FAILED", "address 10.0.0.5 is private"));
      expect(view.webhook).toEqual({ state: "failed" });
      expect(JSON.stringify(view)).not.toContain("10.0.0.5");
    }
  });

  it("shows operators and admins the reason too", () => {
    expect(toAlertView("operator", alert("FAILED", "ECONNREFUSED")).webhook).toEqual({ state: "failed", reason: "ECONNREFUSED" });
    expect(toAlertView("admin", alert("DELIVERED", "HTTP 204")).webhook).toEqual({ state: "delivered", reason: "HTTP 204" });
    expect(toAlertView("operator", alert("PENDING", null)).webhook).toEqual({ state: "pending" });
  });

  it("has no webhook field value without a webhook", () => {
    expect(toAlertView("admin", alert(null, null)).webhook).toBeNull();
  });
});
