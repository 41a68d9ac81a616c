import { describe, expect, it } from "vitest";
import type { AclBinding } from "~/server/broker";
import { filterAcls } from "./acls";

const b = (principal: string, resourceType: AclBinding["resourceType"], resourceName: string, operation: AclBinding["operation"] = "READ"): AclBinding => ({ principal, host: "*", operation, permission: "ALLOW", resourceType, resourceName, patternType: "LITERAL" });

describe("filtering ACLs", () => {
  const all = [b("User:bob", "TOPIC", "orders"), b("User:alice", "GROUP", "billing"), b("User:bob", "TOPIC", "Orders.DLQ", "WRITE"), b("User:bob", "GROUP", "orders-app")];

  it("matches part of the principal and of the resource name in any case, and the resource type exactly", () => {
    expect(filterAcls(all, { principal: "BOB", resourceName: "orders" }).map((x) => x.resourceName)).toEqual(["orders-app", "orders", "Orders.DLQ"]);
    expect(filterAcls(all, { resourceType: "GROUP" }).map((x) => x.principal)).toEqual(["User:alice", "User:bob"]);
    expect(filterAcls(all, {})).toHaveLength(4);
    expect(filterAcls(all, { principal: "carol" })).toEqual([]);
  });
});
