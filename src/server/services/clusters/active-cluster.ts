// The cluster Signalbox watches, from configuration. Until clusters can be added in Settings,
// KAFKA_BROKERS (and the KAFKA_SASL_* / KAFKA_SSL variables) define it, and boot mirrors it into
// the catalog so Settings can show it without its secret.
import type { Env } from "~/env";
import type { ClusterConnectionConfig } from "~/server/broker";
import { upsertCluster } from "~/server/catalog";

export function clusterFromEnv(env: Env): ClusterConnectionConfig {
  return {
    name: env.KAFKA_CLUSTER_NAME,
    brokers: env.KAFKA_BROKERS,
    clientId: env.KAFKA_CLIENT_ID,
    ssl: env.KAFKA_SSL,
    sasl:
      env.KAFKA_SASL_MECHANISM && env.KAFKA_SASL_USERNAME && env.KAFKA_SASL_PASSWORD
        ? { mechanism: env.KAFKA_SASL_MECHANISM, username: env.KAFKA_SASL_USERNAME, password: env.KAFKA_SASL_PASSWORD }
        : undefined,
    connectionTimeoutMs: env.KAFKA_CONNECTION_TIMEOUT_MS,
  };
}

export async function syncConfiguredCluster(env: Env): Promise<{ id: string; changed: boolean }> {
  const cluster = clusterFromEnv(env);
  return upsertCluster({
    name: cluster.name,
    bootstrapServers: cluster.brokers,
    ssl: cluster.ssl,
    saslMechanism: cluster.sasl?.mechanism,
    saslUsername: cluster.sasl?.username,
    saslPassword: cluster.sasl?.password,
    isDefault: true,
  });
}
