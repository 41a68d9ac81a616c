// Integration: ACLs on a broker with KRaft's StandardAuthorizer (scripts/lib/secured-kafka.ts; the
// plain listener's ANONYMOUS is a super user, so the admin client may manage ACLs), checked with
// kafka-acls and in the audit log; and on the suite's broker, which has no authorizer.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kafkaTool } from "../../../../scripts/lib/local-kafka";
import { startSecuredKafka, type SecuredKafka } from "../../../../scripts/lib/secured-kafka";
import { closeConnectionsAfterAll } from "../../../../scripts/lib/test-support";
import { INTEGRATION_STACK } from "../../../../scripts/lib/test-ports";
import { getEnv } from "~/env";
import { aclBindingSchema } from "~/lib/acls";
import type { ClusterConnectionConfig } from "~/server/broker";
import { listAudit } from "~/server/catalog";
import { clusterFromEnv } from "~/server/services/clusters/active-cluster";
import { createAclBinding, deleteAclBinding, listAcls } from "./acls";
import { aclFilterSchema } from "./acls.types";

let kafka: SecuredKafka;
let secured: ClusterConnectionConfig;
const admin = { email: "admin@signalbox.local", name: "Admin", role: "admin" as const };
const TOPIC = `acl-it-${Date.now()}`;
const binding = aclBindingSchema.parse({ principal: "User:bob", host: "*", operation: "READ", permission: "ALLOW", resourceType: "TOPIC", resourceName: TOPIC, patternType: "LITERAL" });
const prefixed = aclBindingSchema.parse({ principal: "User:carol", host: "*", operation: "WRITE", permission: "DENY", resourceType: "TOPIC", resourceName: `${TOPIC}.`, patternType: "PREFIXED" });

async function aclsByKafka(): Promise<string> {
  return kafkaTool(Number(kafka.plaintext.split(":")[1]), "kafka-acls", ["--list"]);
}

async function aclAudit() {
  return (await listAudit({ limit: 100 })).filter((e) => e.targetType === "acl" && e.targetId.includes(TOPIC)).map((e) => ({ action: e.action, targetId: e.targetId, details: e.details as Record<string, unknown> }));
}

beforeAll(async () => {
  kafka = await startSecuredKafka(INTEGRATION_STACK.securedKafkaPort);
  secured = { name: "acl-it", brokers: [kafka.plaintext], ssl: false, clientId: "signalbox-acl-it", connectionTimeoutMs: 3000 };
}, 180_000);
closeConnectionsAfterAll();
afterAll(async () => {
  await kafka?.stop();
});

describe("ACLs on a broker with an authorizer", () => {
  it("creates bindings that kafka-acls lists, finds them by principal and resource, and audits each", async () => {
    expect(await createAclBinding(admin, secured, binding)).toEqual({ created: true });
    expect(await createAclBinding(admin, secured, prefixed)).toEqual({ created: true });

    const listed = await aclsByKafka();
    expect(listed).toContain(`ResourcePattern(resourceType=TOPIC, name=${TOPIC}, patternType=LITERAL)`);
    expect(listed).toContain("(principal=User:bob, host=*, operation=READ, permissionType=ALLOW)");
    expect(listed).toContain("(principal=User:carol, host=*, operation=WRITE, permissionType=DENY)");

    const all = await listAcls(secured, aclFilterSchema.parse({ resourceName: TOPIC }));
    expect(all).toEqual({ enabled: true, total: expect.any(Number), bindings: [binding, prefixed] });
    const bob = await listAcls(secured, aclFilterSchema.parse({ principal: "BOB", resourceType: "TOPIC" }));
    expect(bob.enabled && bob.bindings).toEqual([binding]);
    const groups = await listAcls(secured, aclFilterSchema.parse({ resourceName: TOPIC, resourceType: "GROUP" }));
    expect(groups.enabled && groups.bindings).toEqual([]);

    const audit = await aclAudit();
    expect(audit.slice(0, 2).map((a) => [a.action, a.targetId])).toEqual([
      ["acl.create", `User:carol DENY WRITE on TOPIC ${TOPIC}. (PREFIXED) from *`],
      ["acl.create", `User:bob ALLOW READ on TOPIC ${TOPIC} (LITERAL) from *`],
    ]);
  });

  it("deletes exactly the binding named, and says so when it is gone already; both audited", async () => {
    expect(await deleteAclBinding(admin, secured, binding)).toEqual({ deleted: 1 });
    const after = await listAcls(secured, aclFilterSchema.parse({ resourceName: TOPIC }));
    expect(after.enabled && after.bindings).toEqual([prefixed]);
    expect(await aclsByKafka()).not.toContain("principal=User:bob");

    await expect(deleteAclBinding(admin, secured, binding)).rejects.toThrow(`No ACL User:bob ALLOW READ on TOPIC ${TOPIC} (LITERAL) from * exists`);
    const audit = await aclAudit();
    expect(audit.slice(0, 2).map((a) => a.action)).toEqual(["acl.delete-refused", "acl.delete"]);
    expect(audit[1]!.details).toMatchObject({ cluster: "acl-it", deleted: 1, binding });
    await deleteAclBinding(admin, secured, prefixed);
  });
});

describe("ACLs on a broker without an authorizer", () => {
  const plain = clusterFromEnv(getEnv());

  it("lists nothing and says the cluster has no authorizer, rather than failing", async () => {
    expect(await listAcls(plain, aclFilterSchema.parse({}))).toEqual({ enabled: false, total: 0, reason: expect.stringMatching(/no authorizer configured/) });
  });

  it("refuses to create one with the same words, audited", async () => {
    await expect(createAclBinding(admin, plain, binding)).rejects.toThrow("ACLs are not enabled on this cluster (no authorizer configured): Kafka stores no ACLs.");
    expect((await aclAudit())[0]).toMatchObject({ action: "acl.create-refused", details: { cluster: plain.name } });
  });
});
