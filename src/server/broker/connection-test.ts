// "Test connection": connects to a cluster one layer at a time, so the report says which layer
// failed and why. Per bootstrap server: DNS (node:dns), TCP (node:net), TLS (node:tls, then a Kafka
// ApiVersions request over it, because a broker rejects a client certificate only after the
// handshake in TLS 1.3). Then, with a throwaway kafkajs client: SASL, the cluster's metadata and
// whether its advertised brokers answer, and the ACLs Signalbox needs.
import "server-only";
import { X509Certificate } from "node:crypto";
import dns from "node:dns/promises";
import net from "node:net";
import tls from "node:tls";
import kafkajs from "kafkajs";
import { encodeApiVersionsRequest } from "./api-versions";
import { createKafkaClient } from "./connection";
import {
  diagnoseAdvertised,
  diagnoseAuthorization,
  diagnoseDns,
  diagnoseKafka,
  diagnoseSasl,
  diagnoseTcp,
  diagnoseTls,
  isAuthorizationError,
  isSecurityDisabled,
  type AuthorizationDenial,
  type ConnectionStep,
  type Diagnosis,
  type FailureCategory,
} from "./connection-diagnosis";
import { tlsOptions } from "./tls";
import type { ClusterConnectionConfig } from "./types";

export type { ConnectionStep, FailureCategory };

export interface ConnectionStepResult {
  step: ConnectionStep;
  /** host:port, a host, or the cluster. */
  target: string;
  ok: boolean;
  message: string;
  category?: FailureCategory;
}

export interface ConnectionTestReport {
  ok: boolean;
  steps: ConnectionStepResult[];
  /** The failure that decided the outcome (the first one that stopped the test). */
  failure: { step: ConnectionStep; category: FailureCategory; message: string } | null;
  cluster: { clusterId: string; brokers: string[]; topics: number } | null;
}

interface Probe {
  steps: ConnectionStepResult[];
  failure: ConnectionTestReport["failure"];
}

function splitHostPort(server: string): { host: string; port: number } {
  const at = server.lastIndexOf(":");
  return { host: server.slice(0, at).replace(/^\[(.*)\]$/, "$1"), port: Number(server.slice(at + 1)) };
}

export async function testConnection(config: ClusterConnectionConfig): Promise<ConnectionTestReport> {
  const timeoutMs = config.connectionTimeoutMs;
  // Every bootstrap server at once: a dead one must not hide a live one, nor add its timeout.
  const probes = await Promise.all(config.brokers.map((server) => probeServer(config, server, timeoutMs)));
  const steps = probes.flatMap((p) => p.steps);
  const reachable = config.brokers.filter((_, i) => !probes[i]!.failure);
  if (reachable.length === 0) return { ok: false, steps, failure: probes[0]!.failure, cluster: null };

  const kafka = await probeKafka({ ...config, brokers: reachable }, timeoutMs);
  steps.push(...kafka.steps);
  return { ok: !kafka.failure, steps, failure: kafka.failure, cluster: kafka.cluster };
}

async function probeServer(config: ClusterConnectionConfig, server: string, timeoutMs: number): Promise<Probe> {
  const steps: ConnectionStepResult[] = [];
  const fail = (step: ConnectionStep, target: string, d: Diagnosis): Probe => {
    steps.push({ step, target, ok: false, message: d.message, category: d.category });
    return { steps, failure: { step, category: d.category, message: d.message } };
  };
  const { host, port } = splitHostPort(server);

  let address = host;
  if (!net.isIP(host)) {
    try {
      const addresses = await withDeadline(dns.lookup(host, { all: true }), timeoutMs, "ETIMEDOUT");
      address = addresses[0]!.address;
      steps.push({ step: "dns", target: host, ok: true, message: `${host} resolves to ${addresses.map((a) => a.address).join(", ")}` });
    } catch (error) {
      return fail("dns", host, diagnoseDns(host, error));
    }
  }

  try {
    await tcpConnect(address, port, timeoutMs);
    steps.push({ step: "tcp", target: server, ok: true, message: `${server} accepts connections${address !== host ? ` (at ${address})` : ""}` });
  } catch (error) {
    return fail("tcp", server, diagnoseTcp(server, error, timeoutMs));
  }

  if (config.ssl) {
    const outcome = await tlsHandshake(config, host, address, port, config.clientId, timeoutMs);
    if (outcome.error) {
      return fail("tls", server, diagnoseTls({ target: server, host, hasCa: Boolean(config.tls?.ca), hasClientCertificate: Boolean(config.tls?.cert), peer: outcome.peer }, outcome.error));
    }
    const peer = outcome.peer;
    steps.push({ step: "tls", target: server, ok: true, message: `TLS with ${server}: the broker's certificate ${peer?.subject ?? ""}${peer?.issuer ? `, issued by ${peer.issuer}` : ""}${peer?.validTo ? `, valid until ${peer.validTo}` : ""}, is trusted${config.tls?.cert ? "; the broker accepted the client certificate" : ""}` });
  } else {
    // A Kafka request in the clear: a TLS listener answers it with a TLS alert or hangs up.
    const answered = await kafkaRequest(net.connect({ host: address, port }), "connect", config.clientId, timeoutMs);
    if (answered.error) return fail("tcp", server, diagnoseTcp(server, answered.error, timeoutMs));
    if (!answered.frame) {
      return fail("tcp", server, { category: "tcp-closed", message: `TCP: ${server} does not answer Kafka requests in the clear: it is probably a TLS listener (use SSL or SASL_SSL), or not Kafka.` });
    }
  }
  return { steps, failure: null };
}

function withDeadline<T>(promise: Promise<T>, ms: number, code: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([promise, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(Object.assign(new Error(code), { code })), ms)))]).finally(() => clearTimeout(timer));
}

function tcpConnect(host: string, port: number, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(Object.assign(new Error("timeout"), { code: "TIMEOUT" }));
    }, timeoutMs);
    socket.once("connect", () => {
      clearTimeout(timer);
      socket.destroy();
      resolve();
    });
    socket.once("error", (error) => {
      clearTimeout(timer);
      socket.destroy();
      reject(error);
    });
  });
}

/** Sends ApiVersions and waits for the frame. `frame` null: the peer closed or sent no Kafka frame in time. */
function kafkaRequest(socket: net.Socket, ready: "connect" | "secureConnect", clientId: string, timeoutMs: number, refuse: () => unknown = () => null): Promise<{ frame: Buffer | null; error?: unknown }> {
  return new Promise((resolve) => {
    let received = Buffer.alloc(0);
    let done = false;
    const finish = (result: { frame: Buffer | null; error?: unknown }) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => finish({ frame: null }), timeoutMs);
    socket.once(ready, () => {
      const refusal = refuse();
      if (refusal) finish({ frame: null, error: refusal });
      else socket.write(encodeApiVersionsRequest(1, clientId));
    });
    socket.on("data", (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (received.length >= 4) {
        const size = received.readInt32BE(0);
        // A TLS record (0x15 alert, 0x16 handshake) read as a Kafka size is huge: not Kafka in the clear.
        if (size < 0 || size > 10 * 1024 * 1024) finish({ frame: null });
        else if (received.length >= 4 + size) finish({ frame: received.subarray(4, 4 + size) });
      }
    });
    socket.on("error", (error) => finish({ frame: null, error }));
    socket.on("close", () => finish({ frame: null }));
  });
}

interface PeerSummary {
  subject?: string;
  issuer?: string;
  validFrom?: string;
  validTo?: string;
  subjectAltName?: string;
}

async function tlsHandshake(config: ClusterConnectionConfig, host: string, address: string, port: number, clientId: string, timeoutMs: number): Promise<{ error?: unknown; peer: PeerSummary | null }> {
  let peer: PeerSummary | null = null;
  let socket: tls.TLSSocket;
  try {
    // The chain and the name are checked below, once the handshake is over, rather than by
    // rejectUnauthorized, so the report can name the broker's certificate (its issuer, its expiry).
    // Nothing is sent to a broker that fails the check.
    socket = tls.connect({ ...tlsOptions(config, host), rejectUnauthorized: false, host: address, port });
  } catch (error) {
    // Bad client material (a key that does not open) fails before any packet is sent.
    return { error, peer };
  }
  const answered = await kafkaRequest(socket, "secureConnect", clientId, timeoutMs, () => {
    const cert = socket.getPeerCertificate();
    if (cert && Object.keys(cert).length > 0) {
      peer = { subject: dn(cert.subject), issuer: dn(cert.issuer), validFrom: cert.valid_from, validTo: cert.valid_to, subjectAltName: cert.subjectaltname };
    }
    if (socket.authorized) return null;
    const code = String(socket.authorizationError ?? "UNTRUSTED");
    // Node.js gives OpenSSL's verify code (CERT_HAS_EXPIRED…) or ERR_TLS_CERT_ALTNAME_INVALID for the name.
    return Object.assign(new Error(code), { code });
  });
  if (answered.error) return { error: answered.error, peer };
  if (!answered.frame) {
    // The handshake completed, but the broker hung up on the first request: in TLS 1.3 that is how a
    // rejected client certificate shows when the alert itself is lost.
    return { error: Object.assign(new Error("socket disconnected before secure TLS connection was established"), { code: "ECONNRESET" }), peer };
  }
  return { peer };
}

function dn(name: tls.Certificate | undefined): string | undefined {
  if (!name) return undefined;
  return Object.entries(name)
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join("+") : v}`)
    .join(", ");
}

/** Kafka's principal for this connection, as its ACLs name it. */
export function principalOf(config: ClusterConnectionConfig): string {
  if (config.sasl) return `User:${config.sasl.username}`;
  if (config.tls?.cert) {
    try {
      // Kafka's default SSL principal is the certificate's distinguished name (RFC 2253 order).
      return `User:${new X509Certificate(config.tls.cert).subject.split("\n").reverse().join(",")}`;
    } catch {
      return "the client certificate's principal";
    }
  }
  return "User:ANONYMOUS";
}

async function probeKafka(config: ClusterConnectionConfig, timeoutMs: number): Promise<Probe & { cluster: ConnectionTestReport["cluster"] }> {
  const steps: ConnectionStepResult[] = [];
  const target = config.brokers.join(", ");
  const fail = (step: ConnectionStep, d: Diagnosis) => {
    steps.push({ step, target, ok: false, message: d.message, category: d.category });
    return { steps, failure: { step, category: d.category, message: d.message }, cluster: null };
  };
  // Its own client, not the shared one: a test must not disturb the live connections, nor leave a
  // half-authenticated client in the cache. No retries: the first answer is the one to report.
  const kafka = createKafkaClient({ ...config, name: `${config.name}#test` }, { retries: 0 });
  const admin = kafka.admin({ retry: { retries: 0 } });
  const deadline = timeoutMs * 3 + 2000;
  try {
    try {
      await withDeadline(admin.connect(), deadline, "ETIMEDOUT");
    } catch (error) {
      if (config.sasl) return fail("sasl", diagnoseSasl(error, config.sasl));
      return fail("metadata", diagnoseKafka(error));
    }
    // kafkajs authenticates on connect: getting here means SASL (if any) succeeded.
    if (config.sasl) steps.push({ step: "sasl", target, ok: true, message: `SASL ${config.sasl.mechanism}: the broker accepted user "${config.sasl.username}"` });

    let description: Awaited<ReturnType<typeof admin.describeCluster>>;
    let topics: string[];
    try {
      description = await withDeadline(admin.describeCluster(), deadline, "ETIMEDOUT");
      topics = await withDeadline(admin.listTopics(), deadline, "ETIMEDOUT");
    } catch (error) {
      if (isAuthorizationError(error)) return fail("authorization", diagnoseAuthorization(principalOf(config), [{ operation: "DESCRIBE", resource: "TOPIC", request: "Metadata", neededFor: "listing topics" }])!);
      return fail("metadata", diagnoseKafka(error));
    }
    const brokers = description.brokers.map((b) => `${b.host}:${b.port}`);
    const unreachable: { broker: string; diagnosis: Diagnosis }[] = [];
    await Promise.all(
      brokers.map(async (broker) => {
        const { host, port } = splitHostPort(broker);
        try {
          await tcpConnect(host, port, timeoutMs);
        } catch (error) {
          unreachable.push({ broker, diagnosis: diagnoseTcp(broker, error, timeoutMs) });
        }
      }),
    );
    const advertised = diagnoseAdvertised(unreachable);
    if (advertised) return fail("metadata", advertised);
    const cluster = { clusterId: description.clusterId, brokers, topics: topics.length };
    steps.push({ step: "metadata", target, ok: true, message: `Cluster ${description.clusterId}: ${brokers.length} broker(s) (${brokers.join(", ")}), ${topics.length} topic(s) visible` });

    const denials = await probeAcls(admin, description.brokers[0]?.nodeId);
    const denied = diagnoseAuthorization(principalOf(config), denials);
    if (denied) return { ...fail("authorization", denied), cluster };
    steps.push({ step: "authorization", target, ok: true, message: `${principalOf(config)} may describe the cluster and its configuration` });
    return { steps, failure: null, cluster };
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

type KafkaAdmin = ReturnType<ReturnType<typeof createKafkaClient>["admin"]>;

/** The cluster-level reads Signalbox makes beyond metadata, each tried once; a refusal is a denial. */
async function probeAcls(admin: KafkaAdmin, nodeId: number | undefined): Promise<AuthorizationDenial[]> {
  const denials: AuthorizationDenial[] = [];
  try {
    await admin.describeAcls({
      resourceType: kafkajs.AclResourceTypes.ANY,
      resourcePatternType: kafkajs.ResourcePatternTypes.ANY,
      operation: kafkajs.AclOperationTypes.ANY,
      permissionType: kafkajs.AclPermissionTypes.ANY,
    });
  } catch (error) {
    if (isAuthorizationError(error)) denials.push({ operation: "DESCRIBE", resource: "CLUSTER", request: "DescribeAcls", neededFor: "needed to list every consumer group" });
    else if (!isSecurityDisabled(error)) throw error;
  }
  if (nodeId !== undefined) {
    try {
      const result = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: kafkajs.ConfigResourceTypes.BROKER, name: String(nodeId), configNames: ["log.retention.ms"] }] });
      const resource = result.resources[0] as { errorCode?: number } | undefined;
      if (resource?.errorCode === 31) throw Object.assign(new Error("Cluster authorization failed"), { type: "CLUSTER_AUTHORIZATION_FAILED" });
    } catch (error) {
      if (isAuthorizationError(error)) denials.push({ operation: "DESCRIBE_CONFIGS", resource: "CLUSTER", request: `DescribeConfigs of broker ${nodeId}`, neededFor: "needed to show the Kafka version" });
      else throw error;
    }
  }
  return denials;
}
