// A local broker that listens the ways production clusters do, started by kafka.sh with extra
// listeners: SASL_SSL with SCRAM-SHA-512, SSL with client certificates required (mutual TLS), and
// SSL with an expired certificate, beside the plain listener the tools and kafka.sh's ready check
// use. An authorizer is on: alice and the client certificate may do everything, bob nothing.
import fs from "node:fs";
import path from "node:path";
import { run } from "./processes";
import { REPO_ROOT, localKafkaVersion, stopLocalKafka } from "./local-kafka";
import { createTestPki, type TestPki } from "./test-certificates";

const KAFKA_SH = path.join(REPO_ROOT, "scripts/kafka/kafka.sh");

export const SCRAM_USERS = {
  /** A super user. */
  alice: { username: "alice", password: "alice-scram-secret" },
  /** Authenticates, but no ACL allows it anything. */
  bob: { username: "bob", password: "bob-scram-secret" },
} as const;

export interface SecuredKafka {
  pki: TestPki;
  version: string;
  /** The plain listener (tools, kafka.sh). */
  plaintext: string;
  /** SASL_SSL, SCRAM-SHA-512 only. */
  saslSsl: string;
  /** SSL, a client certificate signed by the test CA required. */
  mtls: string;
  /** SSL with an expired broker certificate. */
  expiredTls: string;
  stop(): Promise<void>;
}

/** Starts the broker on basePort (plain) … basePort + 4, fresh every time. */
export async function startSecuredKafka(basePort: number): Promise<SecuredKafka> {
  const dir = path.join(REPO_ROOT, ".cache", "secured-kafka", String(basePort));
  const pki = await createTestPki(path.join(dir, "pki"));
  const [plain, controller, saslSsl, mtls, expired] = [basePort, basePort + 1, basePort + 2, basePort + 3, basePort + 4];
  const host = "127.0.0.1";
  const keystore = (listener: string, file: string) => [
    `listener.name.${listener}.ssl.keystore.type=PEM`,
    `listener.name.${listener}.ssl.keystore.location=${file}`,
    `listener.name.${listener}.ssl.truststore.type=PEM`,
    `listener.name.${listener}.ssl.truststore.location=${pki.ca.certFile}`,
  ];
  const config = [
    `listeners=PLAINTEXT://${host}:${plain},CONTROLLER://${host}:${controller},SASL_SSL://${host}:${saslSsl},MTLS://${host}:${mtls},EXPIRED://${host}:${expired}`,
    `advertised.listeners=PLAINTEXT://${host}:${plain},SASL_SSL://${host}:${saslSsl},MTLS://${host}:${mtls},EXPIRED://${host}:${expired}`,
    "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,SASL_SSL:SASL_SSL,MTLS:SSL,EXPIRED:SSL",
    "sasl.enabled.mechanisms=SCRAM-SHA-512",
    "listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;",
    ...keystore("sasl_ssl", pki.broker.keystoreFile),
    ...keystore("mtls", pki.broker.keystoreFile),
    "listener.name.mtls.ssl.client.auth=required",
    ...keystore("expired", pki.expiredBroker.keystoreFile),
    "authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer",
    // ANONYMOUS: the plain and controller listeners (the broker itself, the tools, kafka.sh).
    `super.users=User:ANONYMOUS;User:${SCRAM_USERS.alice.username};User:CN=signalbox-client`,
    "allow.everyone.if.no.acl.found=false",
  ];
  const configFile = path.join(dir, "extra.properties");
  fs.writeFileSync(configFile, `${config.join("\n")}\n`);
  const scram = Object.values(SCRAM_USERS).map((u) => `SCRAM-SHA-512=[name=${u.username},password=${u.password}]`);
  const version = localKafkaVersion();
  await run("bash", [KAFKA_SH, "start"], {
    env: { KAFKA_PORT: String(plain), KAFKA_CONTROLLER_PORT: String(controller), KAFKA_FRESH: "1", KAFKA_VERSION: version, KAFKA_EXTRA_CONFIG: configFile, KAFKA_SCRAM_USERS: scram.join(" ") },
  });
  return {
    pki,
    version,
    plaintext: `${host}:${plain}`,
    saslSsl: `${host}:${saslSsl}`,
    mtls: `${host}:${mtls}`,
    expiredTls: `${host}:${expired}`,
    stop: () => stopLocalKafka(plain),
  };
}
