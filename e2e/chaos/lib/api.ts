// Calls Signalbox's tRPC procedures over HTTP as the signed-in admin (the browser's session cookie),
// the way the pages do, for the steps a scenario does not click through.
import type { APIRequestContext } from "@playwright/test";

interface TrpcAnswer<T> {
  result?: { data?: { json?: T } };
  error?: { json?: { message?: string } };
}

async function unwrap<T>(procedure: string, response: Awaited<ReturnType<APIRequestContext["get"]>>): Promise<T> {
  const body = (await response.json().catch(() => ({}))) as TrpcAnswer<T>;
  if (!response.ok() || body.result?.data?.json === undefined) throw new Error(`${procedure} answered HTTP ${response.status()}: ${body.error?.json?.message ?? JSON.stringify(body)}`);
  return body.result.data.json;
}

export async function trpcMutation<T>(request: APIRequestContext, procedure: string, input: unknown): Promise<T> {
  return unwrap<T>(procedure, await request.post(`/api/trpc/${procedure}`, { data: { json: input }, headers: { "content-type": "application/json" } }));
}

export async function trpcQuery<T>(request: APIRequestContext, procedure: string, input: unknown): Promise<T> {
  return unwrap<T>(procedure, await request.get(`/api/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`));
}
