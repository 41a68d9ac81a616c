// Hostile and anonymous requests against the running stack. Each refusal must be a clear 4xx, the
// server must still answer /api/health right afterwards, and nothing may change.
import http from "node:http";
import { request as playwrightRequest, type APIRequestContext } from "@playwright/test";
import { E2E_STACK } from "../../scripts/lib/test-ports";
import { expect, test } from "../fixtures";

const base = `http://127.0.0.1:${E2E_STACK.webPort}`;
const run = Date.now().toString(36);

/** A tool's token, made by the admin (the spec's default session) through the API. */
async function token(api: APIRequestContext, role: string, purpose = role): Promise<string> {
  const response = await api.post("/api/trpc/tokens.create", { data: { json: { name: `e2e-${purpose}-${run}`, role } }, headers: { "content-type": "application/json" } });
  expect(response.status()).toBe(200);
  return ((await response.json()) as { result: { data: { json: { secret: string } } } }).result.data.json.secret;
}

async function anonymous(): Promise<APIRequestContext> {
  return playwrightRequest.newContext({ baseURL: base, storageState: { cookies: [], origins: [] } });
}

/** The server is not frozen: health answers (its status code is not the point, only that it answers). */
async function stillAnswers(api: APIRequestContext) {
  const response = await api.get("/api/health", { timeout: 5000 });
  expect([200, 503]).toContain(response.status());
}

/** A raw HTTP request, for what a browser or Playwright's client would not send (chunked bodies, a foreign Host). */
function raw(options: { method: string; path: string; headers?: Record<string, string>; chunks?: Buffer[] }): Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port: E2E_STACK.webPort, method: options.method, path: options.path, headers: options.headers }, (res) => {
      let body = "";
      res.on("data", (c) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on("error", reject);
    for (const chunk of options.chunks ?? []) req.write(chunk);
    req.end();
  });
}

test("anonymous callers get only what is public", async () => {
  const api = await anonymous();
  const health = await api.get("/api/health");
  expect(Object.keys(await health.json())).toEqual(["status"]);
  for (const path of ["/metrics", "/api/topology.json"]) {
    const response = await api.get(path);
    expect(response.status(), path).toBe(401);
    expect(response.headers()["www-authenticate"], path).toMatch(/^Bearer/);
  }
  const registry = await api.get("/api/schema-registry/subjects");
  expect(registry.status()).toBe(401);
  expect(registry.headers()["www-authenticate"]).toMatch(/^Basic/);
  expect((await api.get("/api/trpc/overview.get")).status()).toBe(401);
  const page = await api.get("/dlq", { maxRedirects: 0 });
  expect(page.status()).toBe(307);
  expect(page.headers().location).toContain("/sign-in?next=%2Fdlq");
  await api.dispose();
});

test("a viewer token reads /metrics and the topology and may not register a schema; an architect token may", async ({ request }) => {
  const viewer = await token(request, "viewer");
  const architect = await token(request, "architect");
  const api = await anonymous();
  const asViewer = { authorization: `Bearer ${viewer}` };
  expect((await api.get("/metrics", { headers: asViewer })).status()).toBe(200);
  expect((await api.get("/api/topology.json", { headers: asViewer })).status()).toBe(200);
  const detailed = await (await api.get("/api/health", { headers: asViewer })).json();
  expect(detailed).toHaveProperty("kafka");
  const schema = { schema: JSON.stringify({ type: "object", title: `E2eToken${run}` }) };
  const refused = await api.post(`/api/schema-registry/subjects/E2eToken${run}/versions`, { data: schema, headers: { ...asViewer, "content-type": "application/vnd.schemaregistry.v1+json" } });
  expect(refused.status()).toBe(403);
  const accepted = await api.post(`/api/schema-registry/subjects/E2eToken${run}/versions`, { data: schema, headers: { authorization: `Bearer ${architect}`, "content-type": "application/vnd.schemaregistry.v1+json" } });
  expect(accepted.status()).toBe(200);
  await api.dispose();
});

test("a catastrophic regex in a schema is answered at once, and the server stays up", async ({ request }) => {
  const architect = await token(request, "architect", "regex");
  const auth = { authorization: `Bearer ${architect}`, "content-type": "application/vnd.schemaregistry.v1+json" };
  const subject = `E2eRedos${run}`;
  const latest = { type: "object", title: subject, properties: { ["a".repeat(48) + "!"]: { type: "string" } } };
  expect((await request.post(`/api/schema-registry/subjects/${subject}/versions`, { data: { schema: JSON.stringify(latest) }, headers: auth })).status()).toBe(200);
  const hostile = { type: "object", title: subject, patternProperties: { "^(a+)+$": { type: "string" } } };
  const verdict = await request.post(`/api/schema-registry/compatibility/subjects/${subject}/versions/latest`, { data: { schema: JSON.stringify(hostile) }, headers: auth, timeout: 15_000 });
  expect(verdict.status()).toBe(200);
  await stillAnswers(request);
});

test("oversized, chunked, deeply nested and batched bodies are refused with the limit named", async ({ request }) => {
  const tenMb = Buffer.alloc(10 * 1024 * 1024, 0x61);
  const big = await raw({ method: "POST", path: "/api/trpc/schemas.check", headers: { "content-type": "application/json", "content-length": String(tenMb.length) }, chunks: [tenMb] });
  expect(big.status).toBe(413);
  expect(big.body).toContain("API_MAX_BODY_BYTES");
  // Chunked: no Content-Length to trust; the limit is counted while reading.
  const chunked = await raw({ method: "POST", path: "/api/schema-registry/subjects/x/versions", headers: { "content-type": "application/json", "transfer-encoding": "chunked" }, chunks: Array.from({ length: 10 }, () => Buffer.alloc(1024 * 1024, 0x61)) });
  expect([401, 413]).toContain(chunked.status);
  const nested = "[".repeat(10_000) + "]".repeat(10_000);
  const deep = await request.post("/api/schema-registry/subjects/deep/versions", { data: nested, headers: { "content-type": "application/json" } });
  expect(deep.status()).toBe(400);
  expect(await deep.text()).toContain("nested more than");
  const batch = await request.get(`/api/trpc/${Array.from({ length: 300 }, () => "users.me").join(",")}?batch=1&input={}`);
  expect(batch.status()).toBe(400);
  expect(await batch.text()).toContain("TRPC_MAX_BATCH");
  await stillAnswers(request);
});

test("cross-site writes, a foreign Host and malformed registry paths are refused; pages carry the security headers", async ({ request }) => {
  const form = await raw({ method: "POST", path: "/api/schema-registry/subjects/evil/versions", headers: { "content-type": "text/plain", origin: "http://evil.example", "sec-fetch-site": "cross-site" }, chunks: [Buffer.from('{"schema":"{}"}')] });
  expect(form.status).toBe(403);
  expect(form.body).toContain("cross-site");
  const rebind = await raw({ method: "GET", path: "/api/health", headers: { host: "rebind.attacker.example" } });
  expect(rebind.status).toBe(421);
  expect(rebind.body).toContain("ALLOWED_HOSTS");
  const malformed = await request.get("/api/schema-registry/subjects/%E0%A4%A");
  expect(malformed.status()).toBe(400);
  expect(await malformed.text()).toContain("not validly URL-encoded");
  expect((await request.get("/api/schema-registry/no/such/path")).status()).toBe(404);
  const page = await request.get("/");
  const headers = page.headers();
  expect(headers["content-security-policy"]).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'/);
  expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");
  expect(headers["content-security-policy"]).not.toMatch(/script-src[^;]*unsafe-inline/);
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["x-frame-options"]).toBe("DENY");
  expect(headers["referrer-policy"]).toBe("same-origin");
  await stillAnswers(request);
});
