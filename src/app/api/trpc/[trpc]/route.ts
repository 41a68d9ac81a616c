import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { getEnv } from "~/env";
import { createLogger } from "~/lib/logger";
import { appRouter } from "~/server/api/root";
import { createTRPCContext } from "~/server/api/trpc";
import { BodyTooLargeError, readBodyLimited } from "~/server/http/limits";

export const dynamic = "force-dynamic";

const log = createLogger("api");

const refuse = (status: number, message: string) => Response.json({ error: { message, code: status === 413 ? "PAYLOAD_TOO_LARGE" : "BAD_REQUEST" } }, { status, headers: { "cache-control": "no-store" } });

async function handler(req: Request): Promise<Response> {
  const env = getEnv();
  const url = new URL(req.url);
  // Checked here, before any procedure runs, so the message can name the limit and its setting.
  const procedures = url.pathname.slice(url.pathname.lastIndexOf("/") + 1).split(",").length;
  if (procedures > env.TRPC_MAX_BATCH) return refuse(400, `A batch of ${procedures} calls is more than the limit of ${env.TRPC_MAX_BATCH} (TRPC_MAX_BATCH changes it).`);
  let request = req;
  if (req.method === "POST") {
    // The body is read here, counted as it arrives, and handed on: tRPC itself would read any size.
    try {
      const body = await readBodyLimited(req, env.API_MAX_BODY_BYTES);
      request = new Request(req.url, { method: req.method, headers: req.headers, body: new Uint8Array(body), signal: req.signal });
    } catch (error) {
      if (error instanceof BodyTooLargeError) return refuse(413, error.message);
      throw error;
    }
  }
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req: request,
    router: appRouter,
    maxBatchSize: env.TRPC_MAX_BATCH,
    // Subscriptions (server-sent events, no headers) name their cluster in their connection parameters.
    createContext: ({ info }) => createTRPCContext({ headers: request.headers, connectionParams: info.connectionParams as Record<string, string> | null }),
    onError: ({ path, error }) => {
      if (error.code === "INTERNAL_SERVER_ERROR") log.error("tRPC request failed", { path, error: error.message });
    },
  });
}

export { handler as GET, handler as POST };
