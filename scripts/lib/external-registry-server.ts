// A second Signalbox acting as some cluster's external schema registry, for the tests: the real
// registry route handler over HTTPS (a test CA's certificate), on its own catalog database, so a
// schema registered here exists nowhere in the Signalbox under test. It makes an architect API token
// and prints one line, EXTERNAL_REGISTRY_READY {"port","tokenName","token"}, for its parent to read.
// Started by scripts/lib/external-registry.ts; run with tsx under the react-server condition.
import fs from "node:fs";
import https from "node:https";
import type { AddressInfo } from "node:net";
import * as route from "~/app/api/schema-registry/[[...path]]/route";
import { createToken } from "~/server/services/auth/tokens";

const port = Number(process.env.EXTERNAL_REGISTRY_PORT ?? 0);
const cert = fs.readFileSync(process.env.EXTERNAL_REGISTRY_CERT_FILE!, "utf8");
const key = fs.readFileSync(process.env.EXTERNAL_REGISTRY_KEY_FILE!, "utf8");
const SYSTEM = { email: "external-registry@signalbox.local", name: "External registry (test)", role: "admin" as const, kind: "system" as const, method: "system" as const };

const server = https.createServer({ cert, key }, async (req, res) => {
  try {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const method = req.method ?? "GET";
    const request = new Request(`http://127.0.0.1${req.url}`, {
      method,
      headers: Object.entries(req.headers).flatMap(([k, v]) => (typeof v === "string" ? [[k, v] as [string, string]] : [])),
      body: method === "GET" || method === "HEAD" ? undefined : Buffer.concat(chunks),
    });
    const handler = route[method as "GET" | "POST" | "PUT" | "DELETE"];
    const response = handler ? await handler(request) : new Response("{}", { status: 405 });
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  } catch (error) {
    res.writeHead(500, { "content-type": "application/json" });
    res.end(JSON.stringify({ error_code: 50001, message: error instanceof Error ? error.message : String(error) }));
  }
});

const token = await createToken(SYSTEM, { name: process.env.EXTERNAL_REGISTRY_TOKEN_NAME || `external-registry-${Date.now().toString(36)}`, role: "architect" });
server.listen(port, "127.0.0.1", () => {
  const address = server.address() as AddressInfo;
  console.log(`EXTERNAL_REGISTRY_READY ${JSON.stringify({ port: address.port, tokenName: token.name, token: token.secret })}`);
});
for (const signal of ["SIGTERM", "SIGINT"] as const) process.on(signal, () => server.close(() => process.exit(0)));
