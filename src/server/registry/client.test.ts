import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fetchSchemaById, registryReason, type ExternalRegistry } from "./client";

// A stand-in registry on loopback that answers what each test needs; the real ones are in the
// integration test (external-registry.int.test.ts).
let server: http.Server;
let base = "";
const seen: { authorization?: string; url?: string }[] = [];
beforeAll(async () => {
  server = http.createServer((req, res) => {
    seen.push({ authorization: req.headers.authorization, url: req.url });
    if (req.url === "/r/schemas/ids/1") return void res.writeHead(200, { "content-type": "application/json" }).end('{"schema":"\\"string\\""}');
    if (req.url === "/r/schemas/ids/2") return void res.writeHead(404, { "content-type": "application/json" }).end('{"error_code":40403,"message":"Schema 2 not found"}');
    if (req.url === "/r/schemas/ids/3") return void res.writeHead(401).end("<html><body>Unauthorized</body></html>");
    if (req.url === "/r/schemas/ids/4") return void res.writeHead(302, { location: "http://elsewhere/" }).end();
    res.writeHead(200).end("<html>not a registry</html>");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/r`;
});
afterAll(() => server.close());

const registry = (over: Partial<ExternalRegistry> = {}): ExternalRegistry => ({ cluster: "c1", url: base, auth: null, ca: null, ...over });

describe("the external registry client", () => {
  it("sends Basic or Bearer credentials in the Authorization header only", async () => {
    await fetchSchemaById(registry({ auth: { kind: "basic", username: "u", password: "p-secret" } }), 1);
    await fetchSchemaById(registry({ auth: { kind: "bearer", token: "t-secret" } }), 1);
    expect(seen.slice(-2)).toEqual([
      { authorization: `Basic ${Buffer.from("u:p-secret").toString("base64")}`, url: "/r/schemas/ids/1" },
      { authorization: "Bearer t-secret", url: "/r/schemas/ids/1" },
    ]);
  });

  it("names the registry, the call and the reason; never a secret", async () => {
    const secret = registry({ auth: { kind: "bearer", token: "t-secret" } });
    await expect(fetchSchemaById(secret, 2)).rejects.toThrow(`The schema registry of cluster c1 (${base}) refused GET /schemas/ids/2 (HTTP 404, error 40403): Schema 2 not found.`);
    await expect(fetchSchemaById(secret, 3)).rejects.toThrow(/refused GET \/schemas\/ids\/3 \(HTTP 401\): Unauthorized\. Check the registry credentials/);
    await expect(fetchSchemaById(secret, 4)).rejects.toThrow(/a redirect \(HTTP 302\); Signalbox does not follow redirects/);
    await expect(fetchSchemaById(secret, 5)).rejects.toThrow(/not JSON; is .* the registry's Confluent-compatible API \(for Apicurio: …\/apis\/ccompat\/v7\)/);
    await expect(fetchSchemaById(registry({ url: "http://127.0.0.1:1" }), 1)).rejects.toThrow("The schema registry of cluster c1 (http://127.0.0.1:1) cannot be reached: connection refused: nothing listens there (ECONNREFUSED).");
    for (const id of [2, 3, 4, 5]) await expect(fetchSchemaById(secret, id)).rejects.not.toThrow(/t-secret/);
  });

  it("reads a reason from Confluent's, Apicurio's or a proxy's error bodies", () => {
    expect(registryReason('{"error_code":40401,"message":"Subject not found"}')).toEqual({ code: 40401, message: "Subject not found" });
    expect(registryReason('{"title":"Not found","detail":"No artifact with ID x"}')).toEqual({ code: null, message: "No artifact with ID x" });
    expect(registryReason("<h1>502 Bad Gateway</h1>")).toEqual({ code: null, message: "502 Bad Gateway" });
  });
});
