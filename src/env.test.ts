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
