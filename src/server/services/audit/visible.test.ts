import { describe, expect, it } from "vitest";
import { auditResource } from "./visible";

describe("auditResource", () => {
  it("names the resource of entries about topics, DLQ records, groups and subjects, and none for the rest", () => {
    expect(auditResource({ targetType: "dlq-message", targetId: "payments.DLQ/0/42" }, "c")).toEqual({ cluster: "c", topics: ["payments.DLQ"] });
    expect(auditResource({ targetType: "consumer-group", targetId: "billing" }, "c")).toEqual({ cluster: "c", group: "billing" });
    expect(auditResource({ targetType: "event-type", targetId: "OrderPlaced" }, "c")).toEqual({ subject: "OrderPlaced" });
    expect(auditResource({ targetType: "user", targetId: "a@b.c" }, "c")).toBeNull();
  });
});
