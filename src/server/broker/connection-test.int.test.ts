// Integration: "Test connection" and the broker adapter against real listeners, the way production
// clusters are reached: plaintext (the suite's broker), SASL_SSL with SCRAM-SHA-512, and mutual TLS
// (scripts/lib/secured-kafka.ts, one broker with every listener, started once for this file). Each
// fault must be named: wrong password, unknown CA, expired certificate, and the others around them.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SCRAM_USERS, startSecuredKafka, type SecuredKafka } from "../../../scripts/lib/secured-kafka";
import { closeConnectionsAfterAll } from "../../../scripts/lib/test-support";
import { INTEGRATION_STACK } from "../../../scripts/lib/test-ports";
import { deleteTopics, ensureTopics, listTopicNames, testConnection, type ClusterConnectionConfig, type ConnectionTestReport } from "~/server/broker";

let kafka: SecuredKafka;
const TOPIC = `conn-it-${Date.now()}`;
const base = { clientId: "signalbox-conn-it", connectionTimeoutMs: 3000 };

function cluster(name: string, overrides: Partial<ClusterConnectionConfig>): ClusterConnectionConfig {
  return { name, brokers: [kafka.plaintext], ssl: false, ...base, ...overrides };
}
const scram = (password: string, mechanism: "SCRAM-SHA-512" | "SCRAM-SHA-256" = "SCRAM-SHA-512") => ({
  brokers: [kafka.saslSsl],
  ssl: true,
  tls: { ca: kafka.pki.ca.cert, verifyHostname: true },
  sasl: { mechanism, username: SCRAM_USERS.alice.username, password },
});

function failureOf(report: ConnectionTestReport) {
  expect(report.ok, JSON.stringify(report.steps, null, 2)).toBe(false);
  return report.failure!;
}

beforeAll(async () => {
  kafka = await startSecuredKafka(INTEGRATION_STACK.securedKafkaPort);
  await ensureTopics(cluster("conn-it-admin", {}), [{ topic: TOPIC, numPartitions: 1 }]);
}, 180_000);

closeConnectionsAfterAll(async () => {
  await deleteTopics(cluster("conn-it-admin", {}), [TOPIC]).catch(() => undefined);
});
afterAll(async () => {
  await kafka?.stop();
});

describe("connecting the ways production does", () => {
  it("plaintext: the test passes every step and the adapter lists topics", async () => {
    const plain: ClusterConnectionConfig = { name: "conn-it-plain", brokers: [`127.0.0.1:${INTEGRATION_STACK.kafkaPort}`], ssl: false, ...base };
    const report = await testConnection(plain);
    expect(report.ok, JSON.stringify(report.steps)).toBe(true);
    expect(report.steps.map((s) => s.step)).toEqual(["tcp", "metadata", "authorization"]);
    expect(report.cluster?.brokers).toEqual([`127.0.0.1:${INTEGRATION_STACK.kafkaPort}`]);
    expect(await listTopicNames(plain)).toEqual(expect.any(Array));
  });

  it("SASL_SSL with SCRAM-SHA-512: TLS, SASL, metadata and ACLs pass, and the adapter lists topics", async () => {
    const config = cluster("conn-it-scram", scram(SCRAM_USERS.alice.password));
    const report = await testConnection(config);
    expect(report.ok, JSON.stringify(report.steps)).toBe(true);
    expect(report.steps.map((s) => s.step)).toEqual(["tcp", "tls", "sasl", "metadata", "authorization"]);
    expect(report.steps.find((s) => s.step === "tls")!.message).toContain("CN=localhost");
    expect(report.steps.find((s) => s.step === "sasl")!.message).toContain('accepted user "alice"');
    expect(report.cluster?.brokers).toEqual([kafka.saslSsl]);
    expect(await listTopicNames(config)).toContain(TOPIC);
  });

  it("mutual TLS: the broker accepts the client certificate, and the adapter lists topics", async () => {
    const config = cluster("conn-it-mtls", { brokers: [kafka.mtls], ssl: true, tls: { ca: kafka.pki.ca.cert, cert: kafka.pki.client.cert, key: kafka.pki.client.key, verifyHostname: true } });
    const report = await testConnection(config);
    expect(report.ok, JSON.stringify(report.steps)).toBe(true);
    expect(report.steps.find((s) => s.step === "tls")!.message).toContain("accepted the client certificate");
    expect(report.steps.find((s) => s.step === "authorization")!.message).toContain("User:CN=signalbox-client");
    expect(await listTopicNames(config)).toContain(TOPIC);
  });
});

describe("Test connection names the fault", () => {
  it("wrong password: SASL authentication, with the user and the mechanism", async () => {
    const failure = failureOf(await testConnection(cluster("conn-it-wrong-password", scram("not-the-password"))));
    expect(failure).toMatchObject({ step: "sasl", category: "sasl-credentials" });
    expect(failure.message).toMatch(/SASL authentication failed: the broker refused user "alice" with SCRAM-SHA-512: wrong username or password/);
    expect(failure.message).not.toContain("not-the-password");
  });

  it("unknown CA: the TLS handshake, with the broker's certificate", async () => {
    const failure = failureOf(await testConnection(cluster("conn-it-unknown-ca", { ...scram(SCRAM_USERS.alice.password), tls: { ca: kafka.pki.otherCa.cert, verifyHostname: true } })));
    expect(failure).toMatchObject({ step: "tls", category: "tls-unknown-ca" });
    expect(failure.message).toMatch(/TLS handshake with 127\.0\.0\.1:\d+ failed: unknown CA/);
    expect(failure.message).toContain("the CA bundle given for this cluster does not include it");
  });

  it("expired certificate: the TLS handshake, with its end date", async () => {
    const failure = failureOf(await testConnection(cluster("conn-it-expired", { brokers: [kafka.expiredTls], ssl: true, tls: { ca: kafka.pki.ca.cert, verifyHostname: true } })));
    expect(failure).toMatchObject({ step: "tls", category: "tls-expired" });
    expect(failure.message).toMatch(/certificate .* has expired \(valid until Feb {1,2}1 00:00:00 2020 GMT\)/);
  });

  it("a mechanism the listener does not offer: SASL, wrong mechanism", async () => {
    const failure = failureOf(await testConnection(cluster("conn-it-mechanism", scram(SCRAM_USERS.alice.password, "SCRAM-SHA-256"))));
    expect(failure).toMatchObject({ step: "sasl", category: "sasl-mechanism" });
    expect(failure.message).toContain("does not offer SCRAM-SHA-256");
  });

  it("mutual TLS without a client certificate, and with one from a CA the broker does not trust", async () => {
    const none = failureOf(await testConnection(cluster("conn-it-no-cert", { brokers: [kafka.mtls], ssl: true, tls: { ca: kafka.pki.ca.cert, verifyHostname: true } })));
    expect(none.step).toBe("tls");
    expect(none.category).toBe("tls-client-certificate-rejected");
    expect(none.message).toContain("the broker requires a client certificate (mutual TLS) and none is configured for this cluster");
    const stranger = failureOf(
      await testConnection(cluster("conn-it-stranger", { brokers: [kafka.mtls], ssl: true, tls: { ca: kafka.pki.ca.cert, cert: kafka.pki.strangerClient.cert, key: kafka.pki.strangerClient.key, verifyHostname: true } })),
    );
    expect(stranger).toMatchObject({ step: "tls", category: "tls-client-certificate-rejected" });
    expect(stranger.message).toContain("the broker rejected the client certificate");
  });

  it("a user without ACLs: authorization, naming the operation and resource denied", async () => {
    const failure = failureOf(await testConnection(cluster("conn-it-bob", { ...scram(SCRAM_USERS.bob.password), sasl: { mechanism: "SCRAM-SHA-512", ...SCRAM_USERS.bob } })));
    expect(failure).toMatchObject({ step: "authorization", category: "authorization-denied" });
    expect(failure.message).toContain("User:bob may connect, but the broker's ACLs denied DESCRIBE on CLUSTER (DescribeAcls");
    expect(failure.message).toContain("DESCRIBE_CONFIGS on CLUSTER");
  });

  it("DNS, TCP, and a protocol that does not match the listener", async () => {
    const dns = failureOf(await testConnection(cluster("conn-it-dns", { brokers: ["no-such-broker.invalid:9092"] })));
    expect(dns).toMatchObject({ step: "dns", category: "dns-not-found" });
    expect(dns.message).toContain("DNS: host not found: no-such-broker.invalid");

    const refused = failureOf(await testConnection(cluster("conn-it-refused", { brokers: ["127.0.0.1:1"] })));
    expect(refused).toMatchObject({ step: "tcp", category: "tcp-refused" });
    expect(refused.message).toContain("TCP: connection refused by 127.0.0.1:1");

    const clearToTls = failureOf(await testConnection(cluster("conn-it-clear-to-tls", { brokers: [kafka.saslSsl] })));
    expect(clearToTls).toMatchObject({ step: "tcp", category: "tcp-closed" });
    expect(clearToTls.message).toContain("TLS listener");

    const tlsToClear = failureOf(await testConnection(cluster("conn-it-tls-to-clear", { ssl: true, tls: { ca: kafka.pki.ca.cert, verifyHostname: true } })));
    expect(tlsToClear).toMatchObject({ step: "tls", category: "not-tls" });
  });
});
