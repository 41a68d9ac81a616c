// Integration: ACLs on a broker with KRaft's StandardAuthorizer (scripts/lib/secured-kafka.ts; the
// plain listener's ANONYMOUS is a super user, so the admin client may manage ACLs), checked with
// kafka-acls and in the audit log; and on the suite's broker, which has no authorizer.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kafkaTool } from "../../../../scripts/lib/local-kafka";
import { SCRAM_USERS, startSecuredKafka, type SecuredKafka } from "../../../../scripts/lib/secured-kafka";
import { closeConnectionsAfterAll } from "../../../../scripts/lib/test-support";
import { INTEGRATION_STACK } from "../../../../scripts/lib/test-ports";
import { getEnv } from "~/env";
import { aclBindingSchema } from "~/lib/acls";
import { ensureTopics, listTopicNames, type ClusterConnectionConfig } from "~/server/broker";
import { listAudit } from "~/server/catalog";
import { clusterFromEnv } from "~/server/services/clusters/active-cluster";
import { createAclBinding, deleteAclBinding, explainAcl, listAcls } from "./acls";
import { aclFilterSchema, aclQuestionSchema } from "./acls.types";

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

describe("why is this denied: the explanation agrees with the broker's own decision", () => {
  const EXPLAINED = `acl-why-${Date.now()}`;
  const asBob = () => ({ ...secured, name: "acl-it-bob", brokers: [kafka.saslSsl], ssl: true, tls: { ca: kafka.pki.ca.cert, verifyHostname: true }, sasl: { mechanism: "SCRAM-SHA-512" as const, ...SCRAM_USERS.bob } });
  const question = (principal: string) => aclQuestionSchema.parse({ principal, host: "*", operation: "DESCRIBE", resourceType: "TOPIC", resourceName: EXPLAINED });
  /** Whether Kafka shows bob the topic: metadata leaves out the topics a principal may not DESCRIBE. */
  const bobSees = async () => (await listTopicNames(asBob())).includes(EXPLAINED);
  const READ = aclBindingSchema.parse({ principal: "User:bob", host: "*", operation: "READ", permission: "ALLOW", resourceType: "TOPIC", resourceName: EXPLAINED, patternType: "LITERAL" });
  const DENY_ALL = aclBindingSchema.parse({ principal: "User:*", host: "*", operation: "DESCRIBE", permission: "DENY", resourceType: "TOPIC", resourceName: EXPLAINED.slice(0, 8), patternType: "PREFIXED" });

  it("denied with no ACL, allowed by READ (which implies DESCRIBE), denied again by a prefixed DENY for User:*", async () => {
    await ensureTopics(secured, [{ topic: EXPLAINED, numPartitions: 1 }]);
    expect(await explainAcl(secured, question("User:bob"))).toMatchObject({ decision: "DENIED", rules: [] });
    expect(await bobSees()).toBe(false);

    await createAclBinding(admin, secured, READ);
    expect(await explainAcl(secured, question("User:bob"))).toMatchObject({ decision: "ALLOWED", rules: [{ effect: "allows", binding: READ }] });
    await expect.poll(bobSees, { timeout: 15_000 }).toBe(true);

    await createAclBinding(admin, secured, DENY_ALL);
    const denied = await explainAcl(secured, question("User:bob"));
    expect(denied.decision).toBe("DENIED");
    expect(denied.rules.map((r) => [r.effect, r.binding.principal])).toEqual([
      ["denies", "User:*"],
      ["allows", "User:bob"],
    ]);
    await expect.poll(bobSees, { timeout: 15_000 }).toBe(false);

    // alice is in the broker's super.users, which Kafka does not report: the denial says it may not hold for her.
    expect(await explainAcl(secured, question("User:alice"))).toMatchObject({ decision: "DENIED", reason: expect.stringMatching(/Unless User:alice is listed in the brokers' super.users/) });
    await deleteAclBinding(admin, secured, READ);
    await deleteAclBinding(admin, secured, DENY_ALL);
  });
});

describe("ACLs on a broker without an authorizer", () => {
  const plain = clusterFromEnv(getEnv());

  it("lists nothing and says the cluster has no authorizer, rather than failing", async () => {
    expect(await listAcls(plain, aclFilterSchema.parse({}))).toEqual({ enabled: false, total: 0, reason: expect.stringMatching(/no authorizer configured/) });
  });

  it("has nothing to explain, and says why", async () => {
    await expect(explainAcl(plain, aclQuestionSchema.parse({ principal: "User:bob", host: "*", operation: "READ", resourceType: "TOPIC", resourceName: "orders" }))).rejects.toThrow(/Kafka allows every request/);
  });

  it("refuses to create one with the same words, audited", async () => {
    await expect(createAclBinding(admin, plain, binding)).rejects.toThrow("ACLs are not enabled on this cluster (no authorizer configured): Kafka stores no ACLs.");
    expect((await aclAudit())[0]).toMatchObject({ action: "acl.create-refused", details: { cluster: plain.name } });
  });
});
