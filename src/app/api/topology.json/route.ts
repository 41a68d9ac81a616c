// GET /api/topology.json: the merged topology graph (nodes, edges, drift) for other tools; the
// shape is documented in the README ("Topology").
import { getEnv } from "~/env";
import { authorizeRoute } from "~/server/http/route-auth";
import { describeError, isAppError } from "~/server/errors";
import { defaultClusterDefinition } from "~/server/services/clusters/active-cluster";
import { getTopology } from "~/server/services/topology/topology";

export const dynamic = "force-dynamic";

export async function GET(request: Request): Promise<Response> {
  const env = getEnv();
  const access = await authorizeRoute(request, "viewer", { isPublic: env.METRICS_PUBLIC });
  if (!access.ok) return access.response;
  try {
    const topology = await getTopology(env, defaultClusterDefinition(env).name);
    return Response.json(topology, { headers: { "cache-control": "no-store" } });
  } catch (error) {
    const status = isAppError(error) ? error.httpStatus : 500;
    return Response.json({ error: describeError(error) }, { status, headers: { "cache-control": "no-store" } });
  }
}
