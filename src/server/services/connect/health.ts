// The worker's look at Kafka Connect: after each sampler cycle of a Kafka cluster, the states of the
// connectors of its Connect clusters, for the CONNECTOR_FAILED alert rules (alerts/evaluate.ts).
// One light call per Connect cluster (statuses only, no configurations).
import type { Env } from "~/env";
import { listConnectors } from "~/server/connect/client";
import { createLogger } from "~/lib/logger";
import { describeError } from "~/server/errors";
import type { ConnectSnapshot } from "~/server/services/alerts/engine";
import { connectEndpoints } from "./connect";

const log = createLogger("connect");

/** Null when the cluster has no Connect cluster configured (nothing to evaluate). */
export async function readConnectSnapshot(env: Env, clusterName: string, now = Date.now()): Promise<ConnectSnapshot | null> {
  const endpoints = await connectEndpoints(env, clusterName);
  if (endpoints.length === 0) return null;
  const snapshot: ConnectSnapshot = { cluster: clusterName, takenAt: now, connectors: [], unreachable: [] };
  await Promise.all(
    endpoints.map(async (endpoint) => {
      try {
        for (const c of await listConnectors(endpoint, env.CONNECT_REQUEST_TIMEOUT_MS, { withConfig: false })) {
          snapshot.connectors.push({ connect: endpoint.name, name: c.name, state: c.state, failedTasks: c.tasks.filter((t) => t.state === "FAILED").map((t) => t.id) });
        }
      } catch (error) {
        snapshot.unreachable.push(endpoint.name);
        log.warn("Kafka Connect did not answer the worker's check", { cluster: clusterName, connect: endpoint.name, error: describeError(error) });
      }
    }),
  );
  return snapshot;
}
