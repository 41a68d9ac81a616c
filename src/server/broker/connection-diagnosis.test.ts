import { describe, expect, it } from "vitest";
import { diagnoseAdvertised, diagnoseAuthorization, diagnoseDns, diagnoseSasl, diagnoseTcp, diagnoseTls, isAuthorizationError, isSecurityDisabled, type TlsContext } from "./connection-diagnosis";

const err = (code: string, message = code) => Object.assign(new Error(message), { code });
const tls: TlsContext = { target: "kafka-1.example.com:9093", host: "kafka-1.example.com", hasCa: true, hasClientCertificate: false, peer: { subject: "CN=kafka-1", issuer: "CN=Corp CA", validTo: "Jan  1 00:00:00 2024 GMT", subjectAltName: "DNS:kafka-1.internal" } };

describe("DNS and TCP", () => {
  it("says the host was not found, naming it", () => {
    expect(diagnoseDns("kafka.example", err("ENOTFOUND"))).toEqual({ category: "dns-not-found", message: expect.stringContaining("DNS: host not found: kafka.example") });
    expect(diagnoseDns("kafka.example", err("EAI_AGAIN")).category).toBe("dns-failed");
  });

  it("tells refused from timed out from unreachable, naming host:port", () => {
    expect(diagnoseTcp("10.0.0.1:9092", err("ECONNREFUSED"), 3000)).toMatchObject({ category: "tcp-refused", message: expect.stringContaining("connection refused by 10.0.0.1:9092") });
    expect(diagnoseTcp("10.0.0.1:9092", err("TIMEOUT"), 3000)).toMatchObject({ category: "tcp-timeout", message: expect.stringContaining("no answer from 10.0.0.1:9092 within 3000 ms") });
    expect(diagnoseTcp("10.0.0.1:9092", err("EHOSTUNREACH"), 3000).category).toBe("tcp-unreachable");
    // kafkajs wraps the socket's error
    expect(diagnoseTcp("h:1", Object.assign(new Error("Connection error"), { originalError: err("ECONNREFUSED") }), 1).category).toBe("tcp-refused");
  });
});

describe("TLS", () => {
  it("names an unknown CA, whichever way OpenSSL says it, and what was trusted", () => {
    for (const code of ["UNABLE_TO_VERIFY_LEAF_SIGNATURE", "UNABLE_TO_GET_ISSUER_CERT_LOCALLY", "SELF_SIGNED_CERT_IN_CHAIN"]) {
      const d = diagnoseTls(tls, err(code));
      expect(d.category).toBe("tls-unknown-ca");
      expect(d.message).toContain("unknown CA");
      expect(d.message).toContain("CN=kafka-1, issued by CN=Corp CA");
    }
    expect(diagnoseTls({ ...tls, hasCa: false }, err("UNABLE_TO_GET_ISSUER_CERT_LOCALLY")).message).toContain("no CA bundle is given");
  });

  it("names a self-signed, an expired and a not-yet-valid certificate", () => {
    expect(diagnoseTls(tls, err("DEPTH_ZERO_SELF_SIGNED_CERT")).category).toBe("tls-self-signed");
    expect(diagnoseTls(tls, err("CERT_HAS_EXPIRED"))).toMatchObject({ category: "tls-expired", message: expect.stringContaining("has expired (valid until Jan  1 00:00:00 2024 GMT)") });
    expect(diagnoseTls(tls, err("CERT_NOT_YET_VALID")).category).toBe("tls-not-yet-valid");
  });

  it("names a hostname mismatch with the names the certificate holds", () => {
    const d = diagnoseTls(tls, err("ERR_TLS_CERT_ALTNAME_INVALID", "Hostname/IP does not match certificate's altnames"));
    expect(d.category).toBe("tls-hostname-mismatch");
    expect(d.message).toContain("not valid for kafka-1.example.com. It names DNS:kafka-1.internal");
    expect(d.message).toContain("turn hostname verification off");
  });

  it("tells a rejected client certificate from a listener without TLS", () => {
    expect(diagnoseTls(tls, err("ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED")).message).toContain("requires a client certificate (mutual TLS) and none is configured");
    // What a Kafka (JVM) broker sends when no certificate came
    expect(diagnoseTls(tls, err("ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE")).message).toContain("requires a client certificate (mutual TLS) and none is configured");
    expect(diagnoseTls({ ...tls, hasClientCertificate: true }, err("ERR_SSL_TLSV1_ALERT_UNKNOWN_CA"))).toMatchObject({ category: "tls-client-certificate-rejected", message: expect.stringContaining("rejected the client certificate") });
    expect(diagnoseTls({ ...tls, hasClientCertificate: true }, err("ERR_SSL_SSLV3_ALERT_CERTIFICATE_EXPIRED")).message).toContain("the client certificate has expired");
    expect(diagnoseTls(tls, err("ERR_SSL_WRONG_VERSION_NUMBER")).category).toBe("not-tls");
    expect(diagnoseTls(tls, err("ECONNRESET", "Client network socket disconnected before secure TLS connection was established")).category).toBe("not-tls");
  });
});

describe("SASL", () => {
  const sasl = { mechanism: "SCRAM-SHA-512", username: "alice" };
  it("tells wrong credentials from a wrong mechanism", () => {
    const credentials = diagnoseSasl(
      Object.assign(new Error("SASL SCRAM SHA512 authentication failed: Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512"), { name: "KafkaJSSASLAuthenticationError" }),
      sasl,
    );
    expect(credentials.category).toBe("sasl-credentials");
    expect(credentials.message).toContain('refused user "alice" with SCRAM-SHA-512: wrong username or password');
    expect(credentials.message).toContain("the broker said: Authentication failed during authentication due to invalid credentials");
    expect(diagnoseSasl(new Error("SASL SCRAM-SHA-256 mechanism is not supported by the server"), { ...sasl, mechanism: "SCRAM-SHA-256" })).toMatchObject({ category: "sasl-mechanism", message: expect.stringContaining("does not offer SCRAM-SHA-256") });
    expect(diagnoseSasl(Object.assign(new Error("x"), { type: "UNSUPPORTED_SASL_MECHANISM" }), sasl).category).toBe("sasl-mechanism");
    expect(diagnoseSasl(new Error("Connection error: Client network socket disconnected"), sasl).category).toBe("sasl-failed");
  });
});

describe("authorization and metadata", () => {
  it("names each operation and resource denied, and the principal", () => {
    const d = diagnoseAuthorization("User:bob", [{ operation: "DESCRIBE", resource: "CLUSTER", request: "DescribeAcls", neededFor: "needed to list every consumer group" }])!;
    expect(d).toMatchObject({ category: "authorization-denied" });
    expect(d.message).toBe("Authorization: User:bob may connect, but the broker's ACLs denied DESCRIBE on CLUSTER (DescribeAcls: needed to list every consumer group). Grant these to User:bob.");
    expect(diagnoseAuthorization("User:bob", [])).toBeNull();
  });

  it("recognises kafkajs' authorization and no-authorizer errors", () => {
    expect(isAuthorizationError(Object.assign(new Error("Cluster authorization failed"), { type: "CLUSTER_AUTHORIZATION_FAILED" }))).toBe(true);
    expect(isAuthorizationError(Object.assign(new Error("Not authorized to access topics"), { type: "TOPIC_AUTHORIZATION_FAILED" }))).toBe(true);
    expect(isAuthorizationError(new Error("Connection error"))).toBe(false);
    expect(isSecurityDisabled(Object.assign(new Error("Security features are disabled"), { type: "SECURITY_DISABLED" }))).toBe(true);
  });

  it("says which advertised brokers cannot be reached", () => {
    const d = diagnoseAdvertised([{ broker: "10.1.2.3:9092", diagnosis: { category: "tcp-timeout", message: "" } }])!;
    expect(d.category).toBe("advertised-unreachable");
    expect(d.message).toContain("10.1.2.3:9092 (timeout)");
    expect(d.message).toContain("advertised.listeners");
  });
});
