// GET /api/health: open to load balancers and probes, which need only the status and 200/503.
// The details (broker addresses, cluster id, Kafka version) go only to a session or a token.
import { getEnv } from "~/env";
import { actorFromHeaders } from "~/server/http/request-actor";
import { grantsOf } from "~/server/services/auth/authorize";
import { clusterFromEnv } from "~/server/services/clusters/active-cluster";
import { checkSystemHealth, httpStatusOf } from "~/server/services/health/health";

export const dynamic = "force-dynamic";

export async function GET(request: Request) {
  const env = getEnv();
  const health = await checkSystemHealth({ cluster: clusterFromEnv(env), workerStaleAfterMs: env.WORKER_STALE_AFTER_MS });
  const actor = await actorFromHeaders(request.headers, env).catch(() => null);
  const body = actor && grantsOf(actor).length > 0 ? health : { status: health.status };
  return Response.json(body, { status: httpStatusOf(health), headers: { "cache-control": "no-store" } });
}
