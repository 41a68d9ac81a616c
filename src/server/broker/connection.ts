// One kafkajs client per configured cluster, created lazily and reused by every caller.
// kafkajs is CommonJS; Node's ESM loader only sees its default export.
import "server-only";
import kafkajs, { type Admin, type Kafka, type LogEntry, type logLevel as LogLevel } from "kafkajs";
import { createLogger } from "~/lib/logger";
import { installProduceEncoder } from "./produce-encoder";
import { redactConnection } from "./redact";
import { tlsOptions } from "./tls";
import type { ClusterConnectionConfig } from "./types";

const { Kafka: KafkaClient, logLevel } = kafkajs;
const log = createLogger("broker");

interface ClusterClients {
  fingerprint: string;
  kafka: Kafka;
  admin?: Promise<Admin>;
}

const globalForBroker = globalThis as unknown as { __signalboxClusters?: Map<string, ClusterClients> };
const clusters = (globalForBroker.__signalboxClusters ??= new Map());

function fingerprint(config: ClusterConnectionConfig): string {
  return JSON.stringify([config.brokers, config.clientId, config.ssl, config.tls, config.sasl, config.connectionTimeoutMs]);
}

// kafkajs logs every failed reconnect at ERROR; while a broker is down that floods the logs, so
// its messages are kept at debug and the adapter reports failures itself, once per call.
function kafkaLogCreator() {
  return ({ namespace, log: entry }: { namespace: string; level: LogLevel; label: string; log: LogEntry["log"] }) => {
    const { message, ...rest } = entry;
    log.debug(`kafkajs ${namespace}: ${message}`, { broker: rest.broker, error: rest.error });
  };
}

export function getKafka(config: ClusterConnectionConfig): Kafka {
  const fp = fingerprint(config);
  const existing = clusters.get(config.name);
  if (existing && existing.fingerprint === fp) return existing.kafka;
  if (existing) void dropAdmin(config.name);

  log.info("creating Kafka client", { cluster: redactConnection(config) });
  const kafka = createKafkaClient(config, { retries: 2 });
  clusters.set(config.name, { fingerprint: fp, kafka });
  return kafka;
}

let warnedOldEncoder = false;
function warnOnceOldEncoder() {
  if (warnedOldEncoder) return;
  warnedOldEncoder = true;
  log.warn("kafkajs is not the version the fast produce encoder was written for; produce requests use kafkajs's own (slower) encoder");
}

/** A kafkajs client for `config`, not shared: getKafka's cache, and the connection test's throwaway one. */
export function createKafkaClient(config: ClusterConnectionConfig, options: { retries: number }): Kafka {
  // Every produce request of the process then encodes in one buffer with a native CRC32C
  // (produce-encoder.ts): kafkajs's own encoder was a quarter of a replay's CPU.
  if (!installProduceEncoder()) warnOnceOldEncoder();
  return new KafkaClient({
    clientId: config.clientId,
    brokers: config.brokers,
    ssl: config.ssl ? tlsOptions(config) : false,
    // kafkajs names mechanisms in lower case; Signalbox uses Kafka's names (SCRAM-SHA-512).
    sasl: config.sasl ? ({ mechanism: config.sasl.mechanism.toLowerCase(), username: config.sasl.username, password: config.sasl.password } as never) : undefined,
    connectionTimeout: config.connectionTimeoutMs,
    requestTimeout: Math.max(config.connectionTimeoutMs * 2, 5000),
    retry: { initialRetryTime: 200, retries: options.retries, maxRetryTime: 1000 },
    logLevel: logLevel.WARN,
    logCreator: kafkaLogCreator,
  });
}

/**
 * Runs `fn` with the cluster's shared admin client. A failed call discards the client, so the next
 * call reconnects from scratch: after a broker restart kafkajs' cached metadata can stay stale.
 */
export async function withAdmin<T>(config: ClusterConnectionConfig, fn: (admin: Admin) => Promise<T>): Promise<T> {
  const kafka = getKafka(config);
  const entry = clusters.get(config.name)!;
  entry.admin ??= (async () => {
    const admin = kafka.admin({ retry: { initialRetryTime: 200, retries: 1, maxRetryTime: 1000 } });
    await admin.connect();
    return admin;
  })();
  try {
    return await fn(await entry.admin);
  } catch (error) {
    await dropAdmin(config.name);
    throw error;
  }
}

async function dropAdmin(name: string): Promise<void> {
  const entry = clusters.get(name);
  if (!entry?.admin) return;
  const admin = entry.admin;
  entry.admin = undefined;
  try {
    await (await admin).disconnect();
  } catch {
    // The connection is already gone; nothing to release.
  }
}

/** Closes every admin client and forgets the kafkajs clients. */
export async function disconnectClients(): Promise<void> {
  await Promise.all([...clusters.keys()].map((name) => dropAdmin(name)));
  clusters.clear();
}
