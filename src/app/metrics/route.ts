// GET /metrics: Prometheus text in kafka_exporter's names and labels, from the sampler's latest
// snapshot (its lag families rendered when it arrived), the brokers and replicas from the cluster's
// metadata (kafka_exporter reads them at each scrape; here at most 15 s old, scrape-cache.ts), plus
// the DLQ families from the DLQ index, the outbox families from the outbox monitor's last readings,
// and the flow families from the flow monitor. Every series carries a `cluster` label, as
// kafka_exporter's --kafka.labels adds one, so one scrape serves every cluster Signalbox knows;
// `?cluster=<name>` limits it to one.
import { getEnv } from "~/env";
import { describeReplicas, type ClusterConnectionConfig } from "~/server/broker";
import { authorizeRoute } from "~/server/http/route-auth";
import { allClusterConnections, clusterConnectionByName } from "~/server/services/clusters/clusters";
import { dlqIndexSummaries } from "~/server/services/dlq/dlq";
import { renderClustersMetrics } from "~/server/services/metrics/prometheus";
import { prerenderArrivingSnapshots, ReplicaCache, scrapeSnapshots } from "~/server/services/metrics/scrape-cache";
import { latestOutboxReadings } from "~/server/services/outbox/outbox";
import { flowMetrics } from "~/server/services/flows/flows";

export const dynamic = "force-dynamic";

const replicaCache = new ReplicaCache(describeReplicas);

export async function GET(request: Request): Promise<Response> {
  const started = performance.now();
  const env = getEnv();
  const access = await authorizeRoute(request, "viewer", { isPublic: env.METRICS_PUBLIC });
  if (!access.ok) return access.response;
  const authorized = performance.now();
  try {
    prerenderArrivingSnapshots();
    const now = Date.now();
    const named = new URL(request.url).searchParams.get("cluster");
    let clusters: ClusterConnectionConfig[];
    if (named) {
      const one = await clusterConnectionByName(env, named);
      if (!one) return new Response(`# No cluster named "${named.slice(0, 100)}".\n`, { status: 404, headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" } });
      clusters = [one];
    } else {
      clusters = await allClusterConnections(env);
    }
    const parts = await Promise.all(
      clusters.map(async (cluster) => {
        // A broker that does not answer costs the replica families, never the scrape: the lag families
        // come from the stored snapshot.
        const replicas = replicaCache.get(cluster);
        const [snapshot, dlq, outboxes, flows] = await Promise.all([scrapeSnapshots.get(cluster.name), dlqIndexSummaries(cluster.name, now), latestOutboxReadings(env, cluster.name, now), flowMetrics(cluster.name)]);
        return { snapshot, options: { now, staleAfterMs: env.SAMPLER_INTERVAL_MS * 3, dlq, outboxes, flows, replicas: await replicas, constLabels: { cluster: cluster.name } } };
      }),
    );
    const read = performance.now();
    const { contentType, body } = await renderClustersMetrics(parts);
    const rendered = performance.now();
    for (const { snapshot, options } of parts) if (snapshot) scrapeSnapshots.renderedNow(options.constLabels.cluster, snapshot);
    // Where a scrape's time went on the server (DevTools and `curl -v` show it): the rest of what the
    // scraper waits for is sending the body (encoding, gzip, the network).
    const timing = `auth;dur=${(authorized - started).toFixed(1)}, read;dur=${(read - authorized).toFixed(1)}, render;dur=${(rendered - read).toFixed(1)}`;
    return new Response(body, { headers: { "content-type": contentType, "cache-control": "no-store", "server-timing": timing } });
  } catch (error) {
    // Prometheus records a failed scrape; the text says why for whoever curls it.
    const message = error instanceof Error ? error.message : String(error);
    return new Response(`# Signalbox could not render metrics: ${message.replace(/\s+/g, " ")}\n`, { status: 503, headers: { "content-type": "text/plain; charset=utf-8" } });
  }
}
