import { describe, expect, it } from "vitest";
import { ConfigError, parseEnv, redactEnv } from "./env";

const valid = { DATABASE_URL: "postgresql://app:hunter2@db:5432/signalbox", KAFKA_BROKERS: "a:9092, b:9093" };

describe("parseEnv", () => {
  it("applies defaults and splits the broker list", () => {
    const env = parseEnv(valid);
    expect(env.KAFKA_BROKERS).toEqual(["a:9092", "b:9093"]);
    expect(env.SIGNALBOX_AUTH).toBe("required");
    expect(env.PORT).toBe(3000);
  });

  it("names every missing or invalid variable", () => {
    try {
      parseEnv({ KAFKA_BROKERS: "no-port", SIGNALBOX_AUTH: "off", PORT: "abc" });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const message = (error as ConfigError).message;
      expect(message).toContain("DATABASE_URL: required");
      expect(message).toContain("KAFKA_BROKERS");
      expect(message).toContain("host:port");
      expect(message).toContain("SIGNALBOX_AUTH");
      expect(message).toContain("PORT");
    }
  });

  it("requires credentials with a SASL mechanism", () => {
    expect(() => parseEnv({ ...valid, KAFKA_SASL_MECHANISM: "plain" })).toThrow(/KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD are required/);
  });

  it("reads the webhook allowlist as a list and names a bad entry", () => {
    expect(parseEnv(valid).WEBHOOK_ALLOWED_HOSTS).toEqual([]);
    expect(parseEnv({ ...valid, WEBHOOK_ALLOWED_HOSTS: "hooks.internal, 10.0.0.0/8,,127.0.0.1" }).WEBHOOK_ALLOWED_HOSTS).toEqual(["hooks.internal", "10.0.0.0/8", "127.0.0.1"]);
    expect(() => parseEnv({ ...valid, WEBHOOK_ALLOWED_HOSTS: "10.0.0.0/40" })).toThrow(/WEBHOOK_ALLOWED_HOSTS\.0: each entry must be a host name, an IP address or a CIDR range/);
  });

  it("treats empty values as unset", () => {
    expect(parseEnv({ ...valid, PORT: "" }).PORT).toBe(3000);
  });
});

describe("redactEnv", () => {
  it("never prints the SASL password or the database password", () => {
    const env = parseEnv({ ...valid, KAFKA_SASL_MECHANISM: "scram-sha-512", KAFKA_SASL_USERNAME: "svc", KAFKA_SASL_PASSWORD: "topsecret" });
    const printed = JSON.stringify(redactEnv(env));
    expect(printed).not.toContain("topsecret");
    expect(printed).not.toContain("hunter2");
    expect(printed).toContain("svc");
    expect(printed).toContain("postgresql://app:[redacted]@db:5432/signalbox");
  });
});

describe("clusters from configuration", () => {
  it("makes the KAFKA_BROKERS cluster the default, with its protocol from KAFKA_SSL and KAFKA_SASL_*", () => {
    const env = parseEnv({ ...valid, KAFKA_CLUSTER_NAME: "main", KAFKA_SSL: "true", KAFKA_SASL_MECHANISM: "scram-sha-512", KAFKA_SASL_USERNAME: "svc", KAFKA_SASL_PASSWORD: "topsecret" });
    expect(env.clusters).toEqual([expect.objectContaining({ name: "main", securityProtocol: "SASL_SSL", sasl: { mechanism: "SCRAM-SHA-512", username: "svc", password: "topsecret" }, isDefault: true })]);
  });

  it("takes the clusters of SIGNALBOX_CLUSTERS beside it, and needs no KAFKA_BROKERS when they are given", () => {
    const document = JSON.stringify({ clusters: [{ name: "eu", bootstrapServers: "eu:9092" }, { name: "us", bootstrapServers: "us:9092", default: true }] });
    expect(parseEnv({ ...valid, SIGNALBOX_CLUSTERS: JSON.stringify([{ name: "eu", bootstrapServers: "eu:9092" }]) }).clusters.map((c) => [c.name, c.isDefault])).toEqual([
      ["local", true],
      ["eu", false],
    ]);
    const env = parseEnv({ DATABASE_URL: valid.DATABASE_URL, SIGNALBOX_CLUSTERS: document });
    expect(env.clusters.map((c) => [c.name, c.isDefault])).toEqual([
      ["eu", false],
      ["us", true],
    ]);
    expect(parseEnv({ DATABASE_URL: valid.DATABASE_URL, SIGNALBOX_CLUSTERS: JSON.stringify([{ name: "only", bootstrapServers: "o:9092" }]) }).clusters[0]!.isDefault).toBe(true);
  });

  it("names the variable and the field of a bad document, a clash with KAFKA_BROKERS, and no cluster at all", () => {
    expect(() => parseEnv({ ...valid, SIGNALBOX_CLUSTERS: JSON.stringify([{ name: "x", bootstrapServers: "x:9092", securityProtocol: "SASL_SSL" }]) })).toThrow(/SIGNALBOX_CLUSTERS\.0\.sasl: required/);
    expect(() => parseEnv({ ...valid, SIGNALBOX_CLUSTERS: JSON.stringify([{ name: "local", bootstrapServers: "x:9092" }]) })).toThrow(/the cluster "local" is defined twice \(KAFKA_BROKERS defines it/);
    expect(() => parseEnv({ ...valid, SIGNALBOX_CLUSTERS: JSON.stringify([{ name: "x", bootstrapServers: "x:9092", default: true }]) })).toThrow(/KAFKA_BROKERS already defines the default cluster/);
    expect(() => parseEnv({ ...valid, KAFKA_BROKERS: undefined, SIGNALBOX_CLUSTERS_FILE: "/nonexistent/clusters.yaml" })).toThrow(/SIGNALBOX_CLUSTERS_FILE: cannot read \/nonexistent\/clusters\.yaml: ENOENT/);
    expect(() => parseEnv({ DATABASE_URL: valid.DATABASE_URL })).toThrow(/KAFKA_BROKERS: required/);
  });

  it("checks the secret keys, and never prints them or the document", () => {
    expect(() => parseEnv({ ...valid, SIGNALBOX_SECRET_KEY: "too-short" })).toThrow(/SIGNALBOX_SECRET_KEY: must be 32 bytes in base64/);
    expect(() => parseEnv({ ...valid, SIGNALBOX_SECRET_KEYS_PREVIOUS: `${"A".repeat(43)}=,short` })).toThrow(/SIGNALBOX_SECRET_KEYS_PREVIOUS\.1: each key must be 32 bytes/);
    const key = Buffer.alloc(32, 7).toString("base64");
    const env = parseEnv({ ...valid, SIGNALBOX_SECRET_KEY: key, SIGNALBOX_SECRET_KEYS_PREVIOUS: key, SIGNALBOX_CLUSTERS: JSON.stringify([{ name: "x", bootstrapServers: "x:9093", securityProtocol: "SASL_SSL", sasl: { mechanism: "PLAIN", username: "u", password: "doc-secret" } }]) });
    const printed = JSON.stringify(redactEnv(env));
    expect(printed).not.toContain(key);
    expect(printed).not.toContain("doc-secret");
    expect(printed).toContain('"name":"x"');
  });
});

describe("KAFKA_CONNECT_URLS", () => {
  it("gives the KAFKA_BROKERS cluster its Connect clusters: name=url pairs, a bare URL named connect", () => {
    const env = parseEnv({ ...valid, KAFKA_CONNECT_URLS: "main=http://127.0.0.1:8083, http://c2:8083/" });
    expect(env.clusters[0]!.connect).toEqual([
      { name: "main", url: "http://127.0.0.1:8083", basicAuth: null },
      { name: "connect", url: "http://c2:8083", basicAuth: null },
    ]);
  });

  it("refuses a bad URL, a name used twice, and Connect URLs without KAFKA_BROKERS", () => {
    expect(() => parseEnv({ ...valid, KAFKA_CONNECT_URLS: "main=not-a-url" })).toThrow(/KAFKA_CONNECT_URLS: "not-a-url": must be an http/);
    expect(() => parseEnv({ ...valid, KAFKA_CONNECT_URLS: "http://a:1,http://b:2" })).toThrow(/the Connect cluster "connect" is named twice/);
    expect(() => parseEnv({ DATABASE_URL: valid.DATABASE_URL, SIGNALBOX_CLUSTERS: "[{name: x, bootstrapServers: 'k:1'}]", KAFKA_CONNECT_URLS: "http://a:1" })).toThrow(/KAFKA_CONNECT_URLS: given, but KAFKA_BROKERS is not/);
  });
});
