// The clusters configuration defines (src/env.ts: KAFKA_BROKERS and the clusters document) and how
// Signalbox connects to them. The worker serves every cluster (its loops per cluster, each job
// against its own job's cluster: src/worker/cluster-supervisor.ts); pages that are not per cluster
// yet use the default one. Boot mirrors the configured clusters into the catalog, without
// their secrets, so Settings can list them beside the ones added there.
import type { Env } from "~/env";
import type { ClusterConnectionConfig } from "~/server/broker";
import { syncConfiguredClusters as syncRows, type Actor, type ConfiguredClusterWrite } from "~/server/catalog";
import type { ClusterDefinition } from "./definition";

/** How the broker adapter reaches a cluster. */
export function connectionOf(def: ClusterDefinition, env: Pick<Env, "KAFKA_CLIENT_ID" | "KAFKA_CONNECTION_TIMEOUT_MS">): ClusterConnectionConfig {
  return {
    name: def.name,
    brokers: def.bootstrapServers,
    clientId: env.KAFKA_CLIENT_ID,
    ssl: def.securityProtocol === "SSL" || def.securityProtocol === "SASL_SSL",
    tls: def.tls
      ? {
          ...(def.tls.ca ? { ca: def.tls.ca } : {}),
          ...(def.tls.cert ? { cert: def.tls.cert } : {}),
          ...(def.tls.key ? { key: def.tls.key } : {}),
          ...(def.tls.keyPassphrase ? { passphrase: def.tls.keyPassphrase } : {}),
          verifyHostname: def.tls.verifyHostname,
        }
      : undefined,
    sasl: def.sasl ?? undefined,
    connectionTimeoutMs: env.KAFKA_CONNECTION_TIMEOUT_MS,
  };
}

export function defaultClusterDefinition(env: Env): ClusterDefinition {
  // src/env.ts guarantees exactly one default.
  return env.clusters.find((c) => c.isDefault)!;
}

/** The default cluster's connection: what pages that are not per cluster yet use (the worker serves every cluster). */
export function clusterFromEnv(env: Env): ClusterConnectionConfig {
  return connectionOf(defaultClusterDefinition(env), env);
}

const CONFIGURATION: Actor = { email: "configuration@signalbox.local", name: "Configuration", role: "admin", kind: "system", method: "system" };

function configuredRow(def: ClusterDefinition): ConfiguredClusterWrite {
  return {
    name: def.name,
    bootstrapServers: def.bootstrapServers,
    securityProtocol: def.securityProtocol,
    saslMechanism: def.sasl?.mechanism ?? null,
    saslUsername: def.sasl?.username ?? null,
    tlsCa: def.tls?.ca ?? null,
    tlsCert: def.tls?.cert ?? null,
    tlsVerifyHostname: def.tls?.verifyHostname ?? true,
    label: def.label,
    color: def.color,
    schemaRegistryUrl: def.schemaRegistryUrl,
    schemaRegistryAuthKind: def.schemaRegistryUrl ? (def.schemaRegistryAuth?.kind ?? null) : null,
    schemaRegistryUsername: def.schemaRegistryAuth?.kind === "basic" ? def.schemaRegistryAuth.username : null,
    schemaRegistryCa: def.schemaRegistryCa,
    // Without credentials: those stay in the configuration.
    connect: def.connect.map((c) => ({ name: c.name, url: c.url })),
    isDefault: def.isDefault,
  };
}

/** Records the configured clusters in the catalog (audited); returns the names it changed. */
export async function syncConfiguredClusters(env: Env): Promise<{ changed: string[] }> {
  return syncRows(env.clusters.map(configuredRow), (action, row, before) => ({
    actor: CONFIGURATION,
    action,
    targetType: "cluster",
    targetId: row.name,
    details: before ? { before, after: row } : { ...row },
  }));
}
