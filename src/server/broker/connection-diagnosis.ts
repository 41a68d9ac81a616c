// What a failed connection attempt means, in words an operator can act on. Pure: the probes in
// connection-test.ts catch the errors, these functions read them (Node.js error codes, OpenSSL's
// alert names, kafkajs' error types and messages).
import "server-only";

export type ConnectionStep = "dns" | "tcp" | "tls" | "sasl" | "metadata" | "authorization";

/** What kind of fault it is, for people and for tests: the words of "Test connection". */
export type FailureCategory =
  | "dns-not-found"
  | "dns-failed"
  | "tcp-refused"
  | "tcp-timeout"
  | "tcp-unreachable"
  | "tcp-closed"
  | "not-tls"
  | "tls-unknown-ca"
  | "tls-self-signed"
  | "tls-expired"
  | "tls-not-yet-valid"
  | "tls-hostname-mismatch"
  | "tls-client-certificate-rejected"
  | "tls-client-key"
  | "tls-failed"
  | "sasl-mechanism"
  | "sasl-credentials"
  | "sasl-failed"
  | "advertised-unreachable"
  | "authorization-denied"
  | "kafka-failed";

export interface Diagnosis {
  category: FailureCategory;
  message: string;
}

interface ErrorLike {
  code?: string;
  message?: string;
  reason?: string;
  type?: string;
  name?: string;
}

function parts(error: unknown): ErrorLike {
  if (error && typeof error === "object") return error as ErrorLike;
  return { message: String(error) };
}

/** Every message along the error's causes (kafkajs wraps the socket's error in originalError). */
function chain(error: unknown, depth = 0): string {
  if (!error || depth > 5) return "";
  const { message = "" } = parts(error);
  const next = (error as { originalError?: unknown; cause?: unknown }).originalError ?? (error as { cause?: unknown }).cause;
  return [message, chain(next, depth + 1)].filter(Boolean).join(" | ");
}

function codeOf(error: unknown, depth = 0): string | undefined {
  if (!error || depth > 5) return undefined;
  const { code } = parts(error);
  if (code) return code;
  const next = (error as { originalError?: unknown; cause?: unknown }).originalError ?? (error as { cause?: unknown }).cause;
  return codeOf(next, depth + 1);
}

export function diagnoseDns(host: string, error: unknown): Diagnosis {
  const code = codeOf(error) ?? "";
  if (code === "ENOTFOUND" || code === "ENODATA" || code === "EAI_NONAME") {
    return { category: "dns-not-found", message: `DNS: host not found: ${host} does not resolve to an address (${code}). Check the bootstrap server's spelling, and that this server uses the DNS that knows it.` };
  }
  return { category: "dns-failed", message: `DNS: looking up ${host} failed (${code || chain(error)}): the resolver did not answer; try again, or check this server's DNS.` };
}

export function diagnoseTcp(target: string, error: unknown, timeoutMs: number): Diagnosis {
  const code = codeOf(error) ?? "";
  if (code === "ECONNREFUSED") {
    return { category: "tcp-refused", message: `TCP: connection refused by ${target}: the host answered, but nothing listens on that port (ECONNREFUSED). Check the port and that the broker runs.` };
  }
  if (code === "ETIMEDOUT" || code === "TIMEOUT") {
    return { category: "tcp-timeout", message: `TCP: no answer from ${target} within ${timeoutMs} ms: a firewall drops the packets, or the address is wrong.` };
  }
  if (code === "EHOSTUNREACH" || code === "ENETUNREACH" || code === "EADDRNOTAVAIL") {
    return { category: "tcp-unreachable", message: `TCP: ${target} is unreachable from this server (${code}): no route to it.` };
  }
  if (code === "ECONNRESET" || code === "EPIPE" || code === "CLOSED") {
    return { category: "tcp-closed", message: `TCP: ${target} accepted the connection, then closed it without a Kafka answer: is this a TLS listener (use SSL or SASL_SSL), or not Kafka at all?` };
  }
  return { category: "tcp-closed", message: `TCP: connecting to ${target} failed: ${code || chain(error)}.` };
}

export interface TlsContext {
  target: string;
  host: string;
  hasCa: boolean;
  hasClientCertificate: boolean;
  /** From the broker's certificate when the handshake got that far. */
  peer?: { subject?: string; issuer?: string; validFrom?: string; validTo?: string; subjectAltName?: string } | null;
}

const UNKNOWN_CA = new Set(["UNABLE_TO_VERIFY_LEAF_SIGNATURE", "UNABLE_TO_GET_ISSUER_CERT_LOCALLY", "UNABLE_TO_GET_ISSUER_CERT", "SELF_SIGNED_CERT_IN_CHAIN", "CERT_UNTRUSTED"]);

export function diagnoseTls(context: TlsContext, error: unknown): Diagnosis {
  const code = codeOf(error) ?? "";
  const text = chain(error);
  const { target } = context;
  const trust = context.hasCa ? "the CA bundle given for this cluster does not include it" : "no CA bundle is given for this cluster, so only public CAs are trusted";
  const who = context.peer?.subject ? ` (${context.peer.subject}${context.peer.issuer ? `, issued by ${context.peer.issuer}` : ""})` : "";

  if (UNKNOWN_CA.has(code)) {
    return { category: "tls-unknown-ca", message: `TLS handshake with ${target} failed: unknown CA. The broker's certificate${who} is signed by a CA this server does not trust: ${trust} (${code}).` };
  }
  if (code === "DEPTH_ZERO_SELF_SIGNED_CERT") {
    return { category: "tls-self-signed", message: `TLS handshake with ${target} failed: the broker's certificate${who} is self-signed and not trusted; add it to the CA bundle (${code}).` };
  }
  if (code === "CERT_HAS_EXPIRED") {
    return { category: "tls-expired", message: `TLS handshake with ${target} failed: the broker's certificate${who} has expired${context.peer?.validTo ? ` (valid until ${context.peer.validTo})` : ""}; the broker needs a new one (${code}).` };
  }
  if (code === "CERT_NOT_YET_VALID") {
    return { category: "tls-not-yet-valid", message: `TLS handshake with ${target} failed: the broker's certificate${who} is not valid yet${context.peer?.validFrom ? ` (valid from ${context.peer.validFrom})` : ""}; check the clocks (${code}).` };
  }
  if (code === "ERR_TLS_CERT_ALTNAME_INVALID") {
    const names = context.peer?.subjectAltName ? ` It names ${context.peer.subjectAltName}.` : "";
    return {
      category: "tls-hostname-mismatch",
      message: `TLS handshake with ${target} failed: hostname mismatch. The broker's certificate is not valid for ${context.host}.${names} Connect by a name the certificate holds, or turn hostname verification off for this cluster (${code}).`,
    };
  }
  // A JVM broker answers a missing client certificate with bad_certificate (TLS 1.3), not certificate_required.
  const certificateAlert = /ALERT_BAD_CERTIFICATE|ALERT_CERTIFICATE_UNKNOWN|ALERT_HANDSHAKE_FAILURE/i.test(`${code} ${text}`);
  if (/CERTIFICATE_REQUIRED|certificate required/i.test(`${code} ${text}`) || (certificateAlert && !context.hasClientCertificate)) {
    return { category: "tls-client-certificate-rejected", message: `TLS handshake with ${target} failed: the broker requires a client certificate (mutual TLS) and ${context.hasClientCertificate ? "did not get one it accepts" : "none is configured for this cluster"}.` };
  }
  if (/ALERT_UNKNOWN_CA|ALERT_BAD_CERTIFICATE|ALERT_CERTIFICATE_UNKNOWN|ALERT_CERTIFICATE_EXPIRED|ALERT_CERTIFICATE_REVOKED|ALERT_UNSUPPORTED_CERTIFICATE|ALERT_HANDSHAKE_FAILURE|ALERT_DECRYPT_ERROR/i.test(`${code} ${text}`)) {
    const why = /EXPIRED/i.test(`${code} ${text}`) ? "the client certificate has expired" : /REVOKED/i.test(`${code} ${text}`) ? "the client certificate is revoked" : /UNKNOWN_CA|BAD_CERTIFICATE|CERTIFICATE_UNKNOWN/i.test(`${code} ${text}`) ? "it does not trust the client certificate (signed by a CA outside the broker's truststore, expired, or not for client use)" : "the handshake parameters do not match";
    return {
      category: "tls-client-certificate-rejected",
      message: `TLS handshake with ${target} failed: the broker rejected ${context.hasClientCertificate ? "the client certificate" : "the connection (no client certificate was sent)"}: ${why} (${code || "TLS alert"}).`,
    };
  }
  if (code === "ERR_SSL_WRONG_VERSION_NUMBER" || code === "ERR_SSL_PACKET_LENGTH_TOO_LONG" || /wrong version number|packet length too long/i.test(text)) {
    return { category: "not-tls", message: `TLS handshake with ${target} failed: the listener does not speak TLS. Use PLAINTEXT or SASL_PLAINTEXT for it, or the broker's TLS port (${code || "wrong version number"}).` };
  }
  if (/KEY_VALUES_MISMATCH|BAD_DECRYPT|bad decrypt|PEM|NO_START_LINE|private key/i.test(`${code} ${text}`)) {
    return { category: "tls-client-key", message: `TLS with ${target} could not start: the client key cannot be used (${code || text}): wrong passphrase, or it does not belong to the client certificate.` };
  }
  if (code === "ECONNRESET" || /socket disconnected before secure TLS connection|socket hang up/i.test(text)) {
    return {
      category: "not-tls",
      message: `TLS handshake with ${target} failed: the broker closed the connection during the handshake. This is what a PLAINTEXT or SASL_PLAINTEXT listener does when spoken to in TLS; ${context.hasClientCertificate ? "or the broker refused the client certificate." : "or it requires a client certificate."}`,
    };
  }
  return { category: "tls-failed", message: `TLS handshake with ${target} failed: ${code ? `${code}: ` : ""}${text}` };
}

export function diagnoseSasl(error: unknown, sasl: { mechanism: string; username: string }): Diagnosis {
  const text = chain(error);
  const type = parts(error).type ?? "";
  const mechanismRefused = /mechanism is not supported by the server/i.exec(text);
  if (mechanismRefused || type === "UNSUPPORTED_SASL_MECHANISM") {
    return { category: "sasl-mechanism", message: `SASL authentication failed: wrong mechanism. The broker does not offer ${sasl.mechanism} on this listener; ask which of PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512 it enables (sasl.enabled.mechanisms).` };
  }
  if (type === "SASL_AUTHENTICATION_FAILED" || /authentication failed|invalid credentials|Authentication failed/i.test(text)) {
    // kafkajs prefixes the broker's words ("SASL SCRAM SHA512 authentication failed: "); a capital A starts them.
    const said = text.match(/(Authentication failed[^|]*)/)?.[1]?.trim();
    return {
      category: "sasl-credentials",
      message: `SASL authentication failed: the broker refused user "${sasl.username}" with ${sasl.mechanism}: wrong username or password, or no ${sasl.mechanism} credentials exist for the user${said ? ` (the broker said: ${said})` : ""}.`,
    };
  }
  if (/Connection error|Closed connection|ECONNRESET|timed out|Request timed out/i.test(text)) {
    return { category: "sasl-failed", message: `SASL authentication did not complete: the broker closed the connection or did not answer (${text.split(" | ")[0]}). Is this listener SASL_PLAINTEXT or SASL_SSL, as the cluster's security protocol says?` };
  }
  return { category: "sasl-failed", message: `SASL authentication failed: ${text}` };
}

export interface AuthorizationDenial {
  operation: string;
  resource: string;
  /** The Kafka request that was refused, and what Signalbox needs it for. */
  request: string;
  neededFor: string;
}

export function diagnoseAuthorization(principal: string, denials: AuthorizationDenial[]): Diagnosis | null {
  if (denials.length === 0) return null;
  const list = denials.map((d) => `${d.operation} on ${d.resource} (${d.request}: ${d.neededFor})`).join("; ");
  return { category: "authorization-denied", message: `Authorization: ${principal} may connect, but the broker's ACLs denied ${list}. Grant these to ${principal}.` };
}

/** Whether a kafkajs error is an authorization refusal (so the probe records a denial, not a fault). */
export function isAuthorizationError(error: unknown): boolean {
  const type = parts(error).type ?? "";
  return /AUTHORIZATION_FAILED/.test(type) || /Authorization failed|not authorized/i.test(chain(error));
}

/** Whether the broker has no authorizer at all (DescribeAcls answers SECURITY_DISABLED): then nothing is denied. */
export function isSecurityDisabled(error: unknown): boolean {
  return parts(error).type === "SECURITY_DISABLED" || /Security features are disabled/i.test(chain(error));
}

export function diagnoseAdvertised(unreachable: { broker: string; diagnosis: Diagnosis }[]): Diagnosis | null {
  if (unreachable.length === 0) return null;
  const list = unreachable.map((u) => `${u.broker} (${u.diagnosis.category.replace(/^tcp-/, "")})`).join(", ");
  return {
    category: "advertised-unreachable",
    message: `Metadata: the bootstrap server answered, but the brokers it advertises cannot be reached from here: ${list}. Their advertised.listeners name addresses this server cannot connect to.`,
  };
}

export function diagnoseKafka(error: unknown): Diagnosis {
  return { category: "kafka-failed", message: `Kafka: the connection worked, but reading the cluster's metadata failed: ${chain(error)}` };
}
