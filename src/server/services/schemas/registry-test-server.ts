// For integration tests: serves the registry's real route handler (a fetch-style function) over
// real HTTP, so clients not written here talk to it as to a Confluent Schema Registry.
import http from "node:http";
import type { AddressInfo } from "node:net";
import * as route from "~/app/api/schema-registry/[[...path]]/route";

export async function serveRegistryRoute(): Promise<{ base: string; close: () => void }> {
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const method = req.method ?? "GET";
    const request = new Request(`http://127.0.0.1${req.url}`, {
      method,
      headers: Object.entries(req.headers).flatMap(([k, v]) => (typeof v === "string" ? [[k, v] as [string, string]] : [])),
      body: method === "GET" || method === "HEAD" ? undefined : Buffer.concat(chunks),
    });
    const handler = route[method as "GET" | "POST" | "PUT" | "DELETE"];
    const response = await handler(request);
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/schema-registry`, close: () => server.close() };
}
