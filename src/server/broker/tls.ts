// Node.js TLS options from a cluster's TLS settings: the one place that turns them into what
// tls.connect takes, for kafkajs, the ApiVersions probe and the connection test alike.
import "server-only";
import net from "node:net";
import type tls from "node:tls";
import type { ClusterConnectionConfig } from "./types";

/** `host` is set for a direct tls.connect (SNI); kafkajs sets it itself for each broker. */
export function tlsOptions(config: Pick<ClusterConnectionConfig, "tls">, host?: string): tls.ConnectionOptions {
  const material = config.tls;
  return {
    rejectUnauthorized: true,
    ...(material?.ca ? { ca: material.ca } : {}),
    ...(material?.cert ? { cert: material.cert } : {}),
    ...(material?.key ? { key: material.key } : {}),
    ...(material?.passphrase ? { passphrase: material.passphrase } : {}),
    // The chain is still verified (rejectUnauthorized); only the name check is skipped.
    ...(material && !material.verifyHostname ? { checkServerIdentity: () => undefined } : {}),
    ...(host && !net.isIP(host) ? { servername: host } : {}),
  };
}
