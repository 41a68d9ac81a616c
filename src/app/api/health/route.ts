import { getEnv } from "~/env";
import { clusterFromEnv } from "~/server/services/clusters/active-cluster";
import { checkSystemHealth, httpStatusOf } from "~/server/services/health/health";

export const dynamic = "force-dynamic";

export async function GET() {
  const env = getEnv();
  const health = await checkSystemHealth({ cluster: clusterFromEnv(env), workerStaleAfterMs: env.WORKER_STALE_AFTER_MS });
  return Response.json(health, { status: httpStatusOf(health), headers: { "cache-control": "no-store" } });
}
