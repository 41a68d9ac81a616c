// A Confluent Schema Registry compatible REST API under /api/schema-registry (see README,
// "Schema registry API"). Writes are role-checked like the UI's: until login exists, requests act
// as the configured user.
import { getEnv } from "~/env";
import { actorFromConfig } from "~/server/api/trpc";
import { SCHEMA_MAX_BYTES } from "~/server/services/schemas/json-schema";
import { badBody, handleRegistryRequest, REGISTRY_CONTENT_TYPE, type RegistryResponse } from "~/server/services/schemas/registry";

export const dynamic = "force-dynamic";

/** A registration body holds the schema as a JSON string; escaping can make it larger than the schema. */
const REQUEST_MAX_BYTES = 4 * SCHEMA_MAX_BYTES;

function respond(result: RegistryResponse): Response {
  return new Response(JSON.stringify(result.body), { status: result.status, headers: { "content-type": REGISTRY_CONTENT_TYPE, "cache-control": "no-store" } });
}

async function readBody(request: Request): Promise<{ body: unknown } | { error: RegistryResponse }> {
  if (request.method === "GET" || request.method === "HEAD" || request.method === "DELETE") return { body: undefined };
  const tooLarge = () => ({ error: badBody(`Invalid schema: the request body is larger than ${REQUEST_MAX_BYTES / 1024} KiB; schemas are limited to ${SCHEMA_MAX_BYTES / 1024} KiB.`, 422) });
  if (Number(request.headers.get("content-length") ?? 0) > REQUEST_MAX_BYTES) return tooLarge();
  const text = await request.text();
  if (Buffer.byteLength(text, "utf8") > REQUEST_MAX_BYTES) return tooLarge();
  if (text.trim() === "") return { body: undefined };
  try {
    return { body: JSON.parse(text) };
  } catch (error) {
    return { error: badBody(`The request body is not JSON: ${error instanceof Error ? error.message : String(error)}`) };
  }
}

const PREFIX = "/api/schema-registry";

/** Segments of the path after the prefix, each decoded once (subjects may contain encoded characters). */
function segmentsOf(url: URL): string[] | null {
  const rest = url.pathname.slice(url.pathname.indexOf(PREFIX) + PREFIX.length);
  try {
    return rest.split("/").filter(Boolean).map(decodeURIComponent);
  } catch {
    return null;
  }
}

async function handle(request: Request): Promise<Response> {
  const url = new URL(request.url);
  const path = segmentsOf(url);
  if (!path) return respond({ status: 404, body: { error_code: 404, message: "HTTP 404 Not Found: the path is not validly URL-encoded" } });
  const read = await readBody(request);
  if ("error" in read) return respond(read.error);
  return respond(
    await handleRegistryRequest({
      method: request.method,
      path,
      query: url.searchParams,
      body: read.body,
      actor: actorFromConfig(),
      clusterName: getEnv().KAFKA_CLUSTER_NAME,
    }),
  );
}

export { handle as GET, handle as POST, handle as PUT, handle as DELETE };
