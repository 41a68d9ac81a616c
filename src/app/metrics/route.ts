// GET /metrics: Prometheus text in kafka_exporter's names and labels, from the sampler's latest
// snapshot, plus the DLQ families from the DLQ index.
import { getEnv } from "~/env";
import { authorizeRoute } from "~/server/http/route-auth";
import { dlqIndexSummaries } from "~/server/services/dlq/dlq";
import { latestSnapshot } from "~/server/services/lag/queries";
import { renderMetrics } from "~/server/services/metrics/prometheus";

export const dynamic = "force-dynamic";

export async function GET(request: Request): Promise<Response> {
  const env = getEnv();
  const access = await authorizeRoute(request, "viewer", { isPublic: env.METRICS_PUBLIC });
  if (!access.ok) return access.response;
  try {
    const now = Date.now();
    const [snapshot, dlq] = await Promise.all([latestSnapshot(env.KAFKA_CLUSTER_NAME), dlqIndexSummaries(env.KAFKA_CLUSTER_NAME, now)]);
    const { contentType, body } = await renderMetrics(snapshot, { now, staleAfterMs: env.SAMPLER_INTERVAL_MS * 3, dlq });
    return new Response(body, { headers: { "content-type": contentType, "cache-control": "no-store" } });
  } catch (error) {
    // Prometheus records a failed scrape; the text says why for whoever curls it.
    const message = error instanceof Error ? error.message : String(error);
    return new Response(`# Signalbox could not render metrics: ${message.replace(/\s+/g, " ")}\n`, { status: 503, headers: { "content-type": "text/plain; charset=utf-8" } });
  }
}
