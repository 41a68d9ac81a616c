import "server-only";
import type { ClusterConnectionConfig } from "./types";

/** The connection config as it may appear in logs or the browser: the SASL password never does. */
export function redactConnection(config: ClusterConnectionConfig) {
  return {
    name: config.name,
    brokers: config.brokers,
    clientId: config.clientId,
    ssl: config.ssl,
    tls: config.tls ? { ca: Boolean(config.tls.ca), cert: Boolean(config.tls.cert), key: config.tls.key ? "[redacted]" : null, verifyHostname: config.tls.verifyHostname } : null,
    sasl: config.sasl ? { mechanism: config.sasl.mechanism, username: config.sasl.username, password: "[redacted]" } : null,
  };
}
