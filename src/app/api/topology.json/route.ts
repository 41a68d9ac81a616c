// GET /api/topology.json: the merged topology graph (nodes, edges, drift) for other tools; the
// shape is documented in docs/topology.md. `?cluster=<name>` picks the cluster; the default otherwise.
import { getEnv } from "~/env";
import { authorizeRoute } from "~/server/http/route-auth";
import { describeError, isAppError } from "~/server/errors";
import { defaultClusterDefinition } from "~/server/services/clusters/active-cluster";
import { clusterConnectionByName } from "~/server/services/clusters/clusters";
import { getTopology } from "~/server/services/topology/topology";

export const dynamic = "force-dynamic";

export async function GET(request: Request): Promise<Response> {
  const env = getEnv();
  const access = await authorizeRoute(request, "viewer", { isPublic: env.METRICS_PUBLIC });
  if (!access.ok) return access.response;
  try {
    const named = new URL(request.url).searchParams.get("cluster");
    if (named && !(await clusterConnectionByName(env, named))) return Response.json({ error: `No cluster named "${named.slice(0, 100)}".` }, { status: 404, headers: { "cache-control": "no-store" } });
    const topology = await getTopology(env, named ?? defaultClusterDefinition(env).name);
    return Response.json(topology, { headers: { "cache-control": "no-store" } });
  } catch (error) {
    const status = isAppError(error) ? error.httpStatus : 500;
    return Response.json({ error: describeError(error) }, { status, headers: { "cache-control": "no-store" } });
  }
}
