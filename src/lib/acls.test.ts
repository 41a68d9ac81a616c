import { describe, expect, it } from "vitest";
import { aclBindingSchema, describeAcl, onResourceType } from "./acls";

const valid = { principal: "User:bob", host: "*", operation: "READ", permission: "ALLOW", resourceType: "TOPIC", resourceName: "orders", patternType: "LITERAL" };
const problems = (input: object) => {
  const result = aclBindingSchema.safeParse(input);
  return result.success ? [] : result.error.issues.map((i) => i.message);
};

describe("a new ACL binding", () => {
  it("accepts a complete binding", () => {
    expect(problems(valid)).toEqual([]);
    expect(problems({ ...valid, resourceType: "CLUSTER", resourceName: "kafka-cluster", operation: "IDEMPOTENT_WRITE" })).toEqual([]);
    expect(problems({ ...valid, principal: "User:CN=client,O=x", host: "10.0.0.1", patternType: "PREFIXED", resourceName: "orders." })).toEqual([]);
  });

  it("names each problem", () => {
    expect(problems({ ...valid, principal: "bob" })).toEqual([expect.stringMatching(/TYPE:NAME/)]);
    expect(problems({ ...valid, host: "broker.example.com" })).toEqual([expect.stringMatching(/IP address/)]);
    expect(problems({ ...valid, resourceType: "GROUP", operation: "WRITE" })).toEqual([expect.stringMatching(/WRITE does not apply to a GROUP; it takes ALL, READ, DELETE, DESCRIBE/)]);
    expect(problems({ ...valid, resourceType: "CLUSTER", operation: "ALTER", resourceName: "mine" })).toEqual(["A CLUSTER resource is always named kafka-cluster."]);
    expect(problems({ ...valid, resourceName: "*", patternType: "PREFIXED" })).toEqual([expect.stringMatching(/PREFIXED pattern needs a prefix/)]);
    expect(problems({ ...valid, operation: "ANY" })).toEqual([expect.stringMatching(/operation is one of/)]);
  });

  it("reads as one line", () => {
    expect(describeAcl(valid)).toBe("User:bob ALLOW READ on TOPIC orders (LITERAL) from *");
  });
});

describe("changing a form's resource type", () => {
  it("keeps an operation the new type takes, else picks its first (ALL skipped on request), and names the cluster", () => {
    expect(onResourceType({ resourceType: "TOPIC", operation: "READ", resourceName: "orders" }, "GROUP")).toEqual({ resourceType: "GROUP", operation: "READ", resourceName: "orders" });
    expect(onResourceType({ resourceType: "TOPIC", operation: "WRITE", resourceName: "orders" }, "GROUP")).toMatchObject({ operation: "ALL" });
    expect(onResourceType({ resourceType: "TOPIC", operation: "WRITE", resourceName: "orders" }, "GROUP", true)).toMatchObject({ operation: "READ" });
    expect(onResourceType({ resourceType: "TOPIC", operation: "READ", resourceName: "orders" }, "CLUSTER", true)).toEqual({ resourceType: "CLUSTER", operation: "CREATE", resourceName: "kafka-cluster" });
    expect(onResourceType({ resourceType: "CLUSTER", operation: "ALTER", resourceName: "kafka-cluster" }, "TOPIC")).toEqual({ resourceType: "TOPIC", operation: "ALTER", resourceName: "" });
  });
});
