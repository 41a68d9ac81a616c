import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { FIXTURE_CA, FIXTURE_CLIENT_CERT, FIXTURE_CLIENT_KEY_ENCRYPTED, FIXTURE_CLIENT_KEY_PASSPHRASE, FIXTURE_OTHER_KEY } from "./__fixtures__/tls.fixtures";
import { parseClustersDocument, redactDefinition } from "./definition";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "signalbox-clusters-"));
fs.writeFileSync(path.join(dir, "ca.pem"), FIXTURE_CA);
fs.writeFileSync(path.join(dir, "client.pem"), FIXTURE_CLIENT_CERT);
fs.writeFileSync(path.join(dir, "client.key"), FIXTURE_CLIENT_KEY_ENCRYPTED);
fs.writeFileSync(path.join(dir, "password.txt"), "scram-from-file\n");
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function parse(text: string, env: Record<string, string> = {}) {
  const problems: string[] = [];
  const clusters = parseClustersDocument(text, { baseDir: dir, env }, (p, m) => problems.push(`${p.join(".")}: ${m}`));
  return { clusters, problems };
}

const YAML_DOCUMENT = `
clusters:
  - name: prod-eu
    bootstrapServers: [kafka-1.prod:9093, kafka-2.prod:9093]
    securityProtocol: SASL_SSL
    sasl:
      mechanism: scram-sha-512
      username: signalbox
      passwordFile: password.txt
    tls:
      caFile: ca.pem
    label: prod
    color: "#d9480f"
    default: true
  - name: payments-mtls
    bootstrapServers: kafka.payments:9094
    securityProtocol: SSL
    tls:
      caFile: ca.pem
      certFile: client.pem
      keyFile: client.key
      keyPasswordEnv: PAYMENTS_KEY_PASSWORD
      verifyHostname: false
    schemaRegistry: { url: "https://registry.payments.example" }
  - name: dev
    bootstrapServers: 127.0.0.1:19092
`;

describe("the clusters document", () => {
  it("reads a YAML document: SCRAM over SASL_SSL, mutual TLS, files and variables resolved", () => {
    const { clusters, problems } = parse(YAML_DOCUMENT, { PAYMENTS_KEY_PASSWORD: FIXTURE_CLIENT_KEY_PASSPHRASE });
    expect(problems).toEqual([]);
    expect(clusters).toHaveLength(3);
    expect(clusters[0]).toMatchObject({
      name: "prod-eu",
      bootstrapServers: ["kafka-1.prod:9093", "kafka-2.prod:9093"],
      securityProtocol: "SASL_SSL",
      sasl: { mechanism: "SCRAM-SHA-512", username: "signalbox", password: "scram-from-file" },
      tls: { ca: FIXTURE_CA, cert: null, key: null, verifyHostname: true },
      label: "prod",
      color: "#d9480f",
      isDefault: true,
    });
    expect(clusters[1]).toMatchObject({ securityProtocol: "SSL", tls: { cert: FIXTURE_CLIENT_CERT, key: FIXTURE_CLIENT_KEY_ENCRYPTED, keyPassphrase: "fixture-pass", verifyHostname: false }, schemaRegistryUrl: "https://registry.payments.example" });
    expect(clusters[2]).toMatchObject({ securityProtocol: "PLAINTEXT", sasl: null, tls: null, isDefault: false });
  });

  it("reads JSON, and a bare list", () => {
    const { clusters, problems } = parse(JSON.stringify([{ name: "a", bootstrapServers: "a:9092,b:9092" }]));
    expect(problems).toEqual([]);
    expect(clusters[0]!.bootstrapServers).toEqual(["a:9092", "b:9092"]);
  });

  it("names every problem by its path", () => {
    // Entries whose shape parses but whose fields disagree: checked once the whole document's shape is right.
    const CROSS_FIELD_ENTRIES = `  - name: sasl-missing
    bootstrapServers: b:9093
    securityProtocol: SASL_SSL
  - name: two-sources
    bootstrapServers: b:9093
    securityProtocol: SASL_PLAINTEXT
    sasl: { mechanism: PLAIN, username: u, password: p, passwordEnv: NOT_SET }
  - name: files
    bootstrapServers: b:9093
    securityProtocol: SSL
    tls: { caFile: missing.pem, certFile: client.pem }
  - name: plain-with-tls
    bootstrapServers: b:9092
    tls: { caFile: ca.pem }
  - name: wrong-passphrase
    bootstrapServers: b:9093
    securityProtocol: SSL
    tls: { certFile: client.pem, keyFile: client.key, keyPassword: nope }
  - name: key-of-another
    bootstrapServers: b:9093
    securityProtocol: SSL
    tls: { certFile: client.pem, key: ${JSON.stringify(FIXTURE_OTHER_KEY)} }
`;
    const { problems } = parse(`
clusters:
  - name: "bad name!"
    bootstrapServers: [no-port]
    securityProtocol: TLS
${CROSS_FIELD_ENTRIES}  - name: files
    bootstrapServers: b:9092
    typo: 1
`);
    const text = problems.join("\n");
    expect(text).toContain("clusters.0.name: must be 1-63 letters");
    expect(text).toContain('clusters.0.bootstrapServers.0: "no-port" is not host:port');
    expect(text).toContain("clusters.0.securityProtocol: must be one of PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL");
    expect(text).toContain('clusters.7: Unrecognized key: "typo"');
    // The entries that parse are checked across fields once the shape is right.
    const fixed = parse(`
clusters:
${CROSS_FIELD_ENTRIES}  - name: files
    bootstrapServers: b:9092
`).problems.join("\n");
    expect(fixed).toContain("clusters.0.sasl: required: SASL_SSL needs a SASL mechanism, username and password");
    expect(fixed).toContain("clusters.1.sasl.passwordEnv: give only one of password, passwordEnv");
    expect(fixed).toMatch(/clusters\.2\.tls\.caFile: cannot read .*missing\.pem: ENOENT/);
    expect(fixed).toContain("clusters.2.tls.key: required with a client certificate");
    expect(fixed).toContain("clusters.3.tls: given, but PLAINTEXT does not use TLS");
    expect(fixed).toContain("clusters.4.tls.key: does not open with the key passphrase given");
    expect(fixed).toContain("clusters.5.tls.key: does not belong to the client certificate");
    expect(fixed).toContain('clusters.6.name: "files" is defined twice');
  });

  it("says when the text is not YAML at all", () => {
    expect(parse("clusters: [unclosed").problems[0]).toMatch(/^: is not valid YAML or JSON/);
  });

  it("redacts a definition for the logs: which secrets are set, never what they are", () => {
    const { clusters } = parse(YAML_DOCUMENT, { PAYMENTS_KEY_PASSWORD: FIXTURE_CLIENT_KEY_PASSPHRASE });
    const printed = JSON.stringify(clusters.map(redactDefinition));
    expect(printed).not.toContain("scram-from-file");
    expect(printed).not.toContain("PRIVATE KEY");
    expect(printed).not.toContain("fixture-pass");
    expect(printed).toContain('"password":"[redacted]"');
  });
});

describe("Kafka Connect clusters in the document", () => {
  it("reads each by name and URL, with Basic auth from a file, and never prints its password", () => {
    const { clusters, problems } = parse(`
clusters:
  - name: prod
    bootstrapServers: kafka:9092
    connect:
      - name: main
        url: http://connect-1:8083/
      - name: cdc
        url: https://connect-cdc.example
        username: signalbox
        passwordFile: password.txt
`);
    expect(problems).toEqual([]);
    expect(clusters[0]!.connect).toEqual([
      { name: "main", url: "http://connect-1:8083", basicAuth: null },
      { name: "cdc", url: "https://connect-cdc.example", basicAuth: { username: "signalbox", password: "scram-from-file" } },
    ]);
    const printed = JSON.stringify(redactDefinition(clusters[0]!));
    expect(printed).not.toContain("scram-from-file");
    expect(printed).toContain('"password":"[redacted]"');
  });

  it("names what is wrong: a URL with credentials, a name used twice, a password without a user, a user without one", () => {
    const { problems } = parse(`
clusters:
  - name: prod
    bootstrapServers: kafka:9092
    connect:
      - { name: a, url: "http://user:pw@connect:8083" }
      - { name: b, url: "ftp://connect" }
`);
    expect(problems).toEqual(["clusters.0.connect.0.url: must not hold credentials: give username and password instead", "clusters.0.connect.1.url: must be an http:// or https:// URL, e.g. http://connect-1:8083"]);
    const second = parse(`
clusters:
  - name: prod
    bootstrapServers: kafka:9092
    connect:
      - { name: a, url: "http://c1:8083", password: x }
      - { name: a, url: "http://c2:8083", username: u }
`).problems;
    expect(second).toEqual([
      "clusters.0.connect.0.username: required with a password (HTTP Basic authentication)",
      "clusters.0.connect.1.password: required with a username: give password, passwordFile or passwordEnv",
      'clusters.0.connect: the Connect cluster "a" is named twice',
    ]);
  });
});

describe("an external schema registry in the document", () => {
  const doc = (registry: string) => `clusters:\n  - name: ext\n    bootstrapServers: k:9092\n    schemaRegistry: ${registry}\n`;

  it("reads the URL (trailing slash dropped), Basic auth from a variable, a Bearer token from a file, and a CA; never prints a secret", () => {
    const basic = parse(doc("{ url: 'https://registry.example/apis/ccompat/v7/', username: signalbox, passwordEnv: REG_PASSWORD, caFile: ca.pem }"), { REG_PASSWORD: "basic-secret-1" });
    expect(basic.problems).toEqual([]);
    expect(basic.clusters[0]).toMatchObject({ schemaRegistryUrl: "https://registry.example/apis/ccompat/v7", schemaRegistryAuth: { kind: "basic", username: "signalbox", password: "basic-secret-1" }, schemaRegistryCa: FIXTURE_CA });
    const bearer = parse(doc("{ url: 'http://apicurio:8080/apis/ccompat/v7', tokenFile: password.txt }"));
    expect(bearer.problems).toEqual([]);
    expect(bearer.clusters[0]).toMatchObject({ schemaRegistryAuth: { kind: "bearer", token: "scram-from-file" }, schemaRegistryCa: null });
    const printed = JSON.stringify([...basic.clusters, ...bearer.clusters].map(redactDefinition));
    expect(printed).not.toContain("basic-secret-1");
    expect(printed).not.toContain("scram-from-file");
    expect(printed).toContain('"url":"https://registry.example/apis/ccompat/v7"');
    expect(parse(doc("signalbox")).clusters[0]).toMatchObject({ schemaRegistryUrl: null, schemaRegistryAuth: null });
  });

  it("names what is wrong: credentials in the URL, both kinds of auth, a password without a user, a CA that is not one", () => {
    expect(parse(doc("{ url: 'https://u:p@registry.example' }")).problems.join("\n")).toMatch(/schemaRegistry.*must not hold credentials/);
    expect(parse(doc("{ url: 'https://registry.example', username: a, password: b, token: c }")).problems).toEqual(["clusters.0.schemaRegistry.token: give either username and password (HTTP Basic) or a token (Bearer), not both"]);
    expect(parse(doc("{ url: 'https://registry.example', password: b }")).problems).toEqual(["clusters.0.schemaRegistry.username: required with a password (HTTP Basic authentication)"]);
    expect(parse(doc("{ url: 'https://registry.example', username: a }")).problems).toEqual(["clusters.0.schemaRegistry.password: required with a username: give password, passwordFile or passwordEnv"]);
    expect(parse(doc("{ url: 'https://registry.example', ca: 'not a pem' }")).problems).toEqual(["clusters.0.schemaRegistry.ca: is not a PEM certificate (-----BEGIN CERTIFICATE-----)"]);
    expect(parse(doc("{ url: 'ftp://registry.example' }")).problems.join("\n")).toMatch(/must be an http:\/\/ or https:\/\/ URL/);
  });
});
