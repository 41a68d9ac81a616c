import { describe, expect, it } from "vitest";
import type { AclBinding } from "~/server/broker";
import { explainAccess, parseSuperUsers, type AclQuestion } from "./explain";

const acl = (principal: string, permission: "ALLOW" | "DENY", operation: AclBinding["operation"], resourceName: string, patternType: "LITERAL" | "PREFIXED" = "LITERAL", host = "*"): AclBinding => ({
  principal,
  host,
  operation,
  permission,
  resourceType: "TOPIC",
  resourceName,
  patternType,
});
const bobReads: AclQuestion = { principal: "User:bob", host: "10.0.0.5", operation: "READ", resourceType: "TOPIC", resourceName: "orders" };
const strict = { superUsers: [], allowEveryoneIfNoAclFound: false };

describe("explaining an ACL decision as Kafka's authorizer makes it", () => {
  it("allows with a matching ALLOW, and names it", () => {
    const result = explainAccess([acl("User:bob", "ALLOW", "READ", "orders")], bobReads, strict);
    expect(result.decision).toBe("ALLOWED");
    expect(result.rules.map((r) => r.effect)).toEqual(["allows"]);
  });

  it("lets a DENY win over an ALLOW, by prefix and for User:*, and lists the deciding DENY first", () => {
    const result = explainAccess([acl("User:bob", "ALLOW", "ALL", "orders"), acl("User:*", "DENY", "READ", "ord", "PREFIXED")], bobReads, strict);
    expect(result.decision).toBe("DENIED");
    expect(result.rules.map((r) => r.effect)).toEqual(["denies", "allows"]);
    expect(result.reason).toMatch(/DENY/);
  });

  it("implies DESCRIBE from an ALLOW of READ, but a DENY READ does not deny DESCRIBE", () => {
    const describeQ = { ...bobReads, operation: "DESCRIBE" as const };
    expect(explainAccess([acl("User:bob", "ALLOW", "READ", "orders")], describeQ, strict)).toMatchObject({ decision: "ALLOWED", rules: [{ effect: "allows", why: expect.stringContaining("READ implies DESCRIBE") }] });
    expect(explainAccess([acl("User:bob", "ALLOW", "DESCRIBE", "orders"), acl("User:bob", "DENY", "READ", "orders")], describeQ, strict).decision).toBe("ALLOWED");
    expect(explainAccess([acl("User:bob", "ALLOW", "ALTER_CONFIGS", "orders")], { ...bobReads, operation: "DESCRIBE_CONFIGS" }, strict).decision).toBe("ALLOWED");
  });

  it("says why the bindings on the resource do not apply: principal, host, operation", () => {
    const result = explainAccess(
      [acl("User:alice", "ALLOW", "READ", "orders"), acl("User:bob", "ALLOW", "READ", "orders", "LITERAL", "10.0.0.9"), acl("User:bob", "ALLOW", "WRITE", "orders"), acl("User:bob", "ALLOW", "READ", "payments")],
      bobReads,
      strict,
    );
    expect(result.decision).toBe("DENIED");
    expect(result.rules.map((r) => r.effect)).toEqual(["other-operation", "other-principal", "other-host"]);
    expect(result.reason).toMatch(/3 bindings on TOPIC orders, but none allows READ to User:bob from 10.0.0.5/);
  });

  it("matches a LITERAL * for every name, and a PREFIXED pattern only as a prefix", () => {
    expect(explainAccess([acl("User:bob", "ALLOW", "READ", "*")], bobReads, strict).decision).toBe("ALLOWED");
    expect(explainAccess([acl("User:bob", "ALLOW", "READ", "rders", "PREFIXED")], bobReads, strict)).toMatchObject({ decision: "DENIED", rules: [] });
  });

  it("when the broker does not report super.users, a denial says a super user would be allowed anyway", () => {
    const unknown = { superUsers: null, allowEveryoneIfNoAclFound: null };
    expect(explainAccess([], bobReads, unknown)).toMatchObject({ decision: "DENIED", reason: expect.stringMatching(/unless the brokers set it.*Unless User:bob is listed in the brokers' super.users/) });
    expect(explainAccess([acl("User:bob", "ALLOW", "READ", "orders")], bobReads, unknown).reason).not.toMatch(/super/);
  });

  it("with no ACL on the resource, follows allow.everyone.if.no.acl.found; a super user is always allowed", () => {
    expect(explainAccess([], bobReads, strict).reason).toMatch(/No ACL names TOPIC orders at all/);
    expect(explainAccess([], bobReads, { superUsers: [], allowEveryoneIfNoAclFound: true }).decision).toBe("ALLOWED");
    expect(explainAccess([acl("User:bob", "DENY", "ALL", "orders")], bobReads, { superUsers: parseSuperUsers("User:ANONYMOUS; User:bob"), allowEveryoneIfNoAclFound: false })).toMatchObject({ decision: "ALLOWED", reason: expect.stringMatching(/super user/) });
  });
});
