import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { ExternalRegistry } from "~/server/registry/client";
import { clearExternalCache, externalCacheSize, externalSchemaById } from "./external-registry";

// A stand-in Confluent-compatible registry on loopback, counting what it is asked.
let server: http.Server;
let base = "";
const asked: string[] = [];
const MONEY = JSON.stringify({ type: "record", name: "Money", namespace: "acme", fields: [{ name: "cents", type: "long" }] });
const ORDER = JSON.stringify({ type: "record", name: "Order", namespace: "acme", fields: [{ name: "total", type: "acme.Money" }] });
beforeAll(async () => {
  server = http.createServer((req, res) => {
    asked.push(req.url!);
    const json = (status: number, body: unknown) => res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
    if (req.url === "/schemas/ids/7") return json(200, { schema: ORDER, references: [{ name: "acme.Money", subject: "money", version: 2 }] });
    if (req.url === "/subjects/money/versions/2") return json(200, { subject: "money", version: 2, id: 3, schema: MONEY });
    if (req.url === "/schemas/ids/8") return json(200, { schemaType: "XML", schema: "<x/>" });
    json(404, { error_code: 40403, message: "Schema not found" });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => server.close());
beforeEach(() => {
  clearExternalCache();
  asked.length = 0;
});

const registry = (): ExternalRegistry => ({ cluster: "c1", url: base, auth: null, ca: null });

describe("schemas from an external registry", () => {
  it("resolves references through the same registry, then serves the id from the cache", async () => {
    const first = await externalSchemaById(registry(), 7);
    expect(first.ok && first.schema.schemaType).toBe("AVRO");
    expect(asked).toEqual(["/schemas/ids/7", "/subjects/money/versions/2"]);
    await externalSchemaById(registry(), 7);
    expect(asked).toHaveLength(2);
    expect(externalCacheSize()).toBe(1);
    // Another cluster on the same registry asks for itself (its credentials may be refused).
    await externalSchemaById({ ...registry(), cluster: "c2" }, 7);
    expect(asked).toHaveLength(4);
  });

  it("keeps a failure for a while, so a page of records costs one request, and says what failed", async () => {
    const now = Date.now();
    const missing = await externalSchemaById(registry(), 9, now);
    expect(missing).toEqual({ ok: false, problem: `Schema id 9 could not be read: The schema registry of cluster c1 (${base}) refused GET /schemas/ids/9 (HTTP 404, error 40403): Schema not found.` });
    await externalSchemaById(registry(), 9, now + 1000);
    expect(asked).toEqual(["/schemas/ids/9"]);
    await externalSchemaById(registry(), 9, now + 11_000);
    expect(asked).toEqual(["/schemas/ids/9", "/schemas/ids/9"]);
    expect(await externalSchemaById(registry(), 8)).toEqual({ ok: false, problem: "Schema id 8 of the schema registry of cluster c1 is of type XML, which Signalbox does not decode (it reads AVRO, PROTOBUF and JSON)" });
  });
});
