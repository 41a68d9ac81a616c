// A Confluent Schema Registry compatible REST API under /api/schema-registry (see README,
// "Schema registry API"). Clients authenticate with an API token: HTTP Basic with the token's name
// and secret (Confluent's basic.auth.user.info), or Bearer. Writes need the architect role.
import { getEnv } from "~/env";
import { readJsonBody } from "~/server/http/json-body";
import { actorFromHeaders } from "~/server/http/request-actor";
import { grantsOf } from "~/server/services/auth/authorize";
import { defaultClusterDefinition } from "~/server/services/clusters/active-cluster";
import { SCHEMA_MAX_BYTES } from "~/server/services/schemas/json-schema";
import { badBody, handleRegistryRequest, REGISTRY_CONTENT_TYPE, type RegistryResponse } from "~/server/services/schemas/registry";

export const dynamic = "force-dynamic";

/** A registration body holds the schema as a JSON string; escaping can make it larger than the schema. */
const REQUEST_MAX_BYTES = 4 * SCHEMA_MAX_BYTES;

function respond(result: RegistryResponse, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(result.body), { status: result.status, headers: { "content-type": REGISTRY_CONTENT_TYPE, "cache-control": "no-store", ...headers } });
}

async function readBody(request: Request): Promise<{ body: unknown } | { error: RegistryResponse }> {
  if (request.method === "GET" || request.method === "HEAD" || request.method === "DELETE") return { body: undefined };
  const read = await readJsonBody(request, REQUEST_MAX_BYTES, { allowEmpty: true });
  if (read.ok) return { body: read.value };
  if (read.status === 413) return { error: badBody(`Invalid schema: the request body is larger than ${REQUEST_MAX_BYTES / 1024} KiB; schemas are limited to ${SCHEMA_MAX_BYTES / 1024} KiB.`, 413) };
  return { error: badBody(read.error, read.status) };
}

const PREFIX = "/api/schema-registry";

/** Segments of the path after the prefix, each decoded once (subjects may contain encoded characters). */
function segmentsOf(url: URL): string[] | null {
  const rest = url.pathname.slice(url.pathname.indexOf(PREFIX) + PREFIX.length);
  if (rest.length > 2048) return null;
  try {
    return rest.split("/").filter(Boolean).map(decodeURIComponent);
  } catch {
    return null;
  }
}

async function handle(request: Request): Promise<Response> {
  const env = getEnv();
  const actor = await actorFromHeaders(request.headers, env);
  if (!actor) {
    return respond({ status: 401, body: { error_code: 401, message: "Unauthorized: send an API token (HTTP Basic with the token's name and secret, or Bearer)." } }, { "www-authenticate": 'Basic realm="Signalbox schema registry", charset="UTF-8"' });
  }
  if (grantsOf(actor).length === 0) return respond({ status: 403, body: { error_code: 40301, message: `Forbidden: ${actor.email} has no role in Signalbox.` } });
  const url = new URL(request.url);
  const path = segmentsOf(url);
  if (!path) return respond({ status: 404, body: { error_code: 404, message: "HTTP 404 Not Found: the path is not validly URL-encoded" } });
  const read = await readBody(request);
  if ("error" in read) return respond(read.error);
  return respond(await handleRegistryRequest({ method: request.method, path, query: url.searchParams, body: read.body, actor, clusterName: defaultClusterDefinition(env).name }));
}

export { handle as GET, handle as POST, handle as PUT, handle as DELETE };
