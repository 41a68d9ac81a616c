// GET /metrics: Prometheus text in kafka_exporter's names and labels, from the sampler's latest
// snapshot, the brokers and replicas from the cluster's metadata (read at scrape time, as
// kafka_exporter does), plus the DLQ families from the DLQ index. Every series carries a `cluster`
// label, as kafka_exporter's --kafka.labels adds one, so several clusters share one Prometheus.
import { getEnv } from "~/env";
import { createLogger } from "~/lib/logger";
import { describeReplicas } from "~/server/broker";
import { describeError } from "~/server/errors";
import { clusterFromEnv } from "~/server/services/clusters/active-cluster";
import { authorizeRoute } from "~/server/http/route-auth";
import { dlqIndexSummaries } from "~/server/services/dlq/dlq";
import { latestSnapshot } from "~/server/services/lag/queries";
import { renderMetrics } from "~/server/services/metrics/prometheus";

export const dynamic = "force-dynamic";

const log = createLogger("metrics");

export async function GET(request: Request): Promise<Response> {
  const env = getEnv();
  const access = await authorizeRoute(request, "viewer", { isPublic: env.METRICS_PUBLIC });
  if (!access.ok) return access.response;
  try {
    const now = Date.now();
    const cluster = clusterFromEnv(env);
    // A broker that does not answer costs the replica families, never the scrape: the lag families
    // come from the stored snapshot.
    const replicas = describeReplicas(cluster).catch((error: unknown) => {
      log.warn("metrics: cluster metadata unavailable, replica families left out", { error: describeError(error) });
      return undefined;
    });
    const [snapshot, dlq] = await Promise.all([latestSnapshot(cluster.name), dlqIndexSummaries(cluster.name, now)]);
    const { contentType, body } = await renderMetrics(snapshot, { now, staleAfterMs: env.SAMPLER_INTERVAL_MS * 3, dlq, replicas: await replicas, constLabels: { cluster: cluster.name } });
    return new Response(body, { headers: { "content-type": contentType, "cache-control": "no-store" } });
  } catch (error) {
    // Prometheus records a failed scrape; the text says why for whoever curls it.
    const message = error instanceof Error ? error.message : String(error);
    return new Response(`# Signalbox could not render metrics: ${message.replace(/\s+/g, " ")}\n`, { status: 503, headers: { "content-type": "text/plain; charset=utf-8" } });
  }
}
