// Integration: the registry API's deletes (soft, then permanent), references, /referencedby and
// /mode, through the real route handler over HTTP against PostgreSQL, with Confluent's status and
// error codes; and @kafkajs/confluent-schema-registry (a client not written here) with references.
import { SchemaRegistry, SchemaType } from "@kafkajs/confluent-schema-registry";
import { beforeAll, describe, expect, it } from "vitest";
import { closeConnectionsAfterAll } from "../../../../scripts/lib/test-support";
import { listAudit } from "~/server/catalog";
import { createToken } from "~/server/services/auth/tokens";
import { serveRegistryRoute } from "./registry-test-server";
import { validateEventPayload } from "./validate-payload";

const run = Date.now().toString(36);
let base = "";
let close = () => {};
let architect = { username: "", password: "" };
let viewer = { username: "", password: "" };
const basic = (t: { username: string; password: string }) => `Basic ${Buffer.from(`${t.username}:${t.password}`).toString("base64")}`;
const admin = { email: "registry-lifecycle-it@signalbox.local", name: "Registry lifecycle IT", role: "admin" as const };

beforeAll(async () => {
  ({ base, close } = await serveRegistryRoute());
  const a = await createToken(admin, { name: `lifecycle-architect-${run}`, role: "architect" });
  architect = { username: a.name, password: a.secret };
  const v = await createToken(admin, { name: `lifecycle-viewer-${run}`, role: "viewer" });
  viewer = { username: v.name, password: v.secret };
});

closeConnectionsAfterAll(async () => close());

async function call(method: string, path: string, body?: unknown, as = architect) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { "content-type": "application/vnd.schemaregistry.v1+json", authorization: basic(as) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> & unknown[] };
}

const register = (subject: string, schema: unknown, extra: Record<string, unknown> = {}) => call("POST", `/subjects/${subject}/versions`, { schemaType: "JSON", schema: JSON.stringify(schema), ...extra });

/** A closed object: under BACKWARD it may gain optional properties. */
const shipment = (properties: Record<string, unknown> = {}) => ({ type: "object", additionalProperties: false, required: ["shipmentId"], properties: { shipmentId: { type: "string" }, ...properties } });

describe("deleting versions and subjects", () => {
  const subject = `it-lifecycle-${run}`;
  const ids: number[] = [];

  it("soft-deletes a version (hidden, ids still answer), permanently deletes it only after that, with Confluent's codes", async () => {
    for (const schema of [shipment(), shipment({ weightKg: { type: "number" } }), shipment({ weightKg: { type: "number" }, carrier: { type: "string" } })]) {
      const registered = await register(subject, schema);
      expect(registered.status).toBe(200);
      ids.push(registered.body.id as number);
    }
    expect((await call("GET", `/subjects/${subject}/versions`)).body).toEqual([1, 2, 3]);

    expect(await call("DELETE", `/subjects/${subject}/versions/2?permanent=true`)).toMatchObject({ status: 404, body: { error_code: 40407 } });
    expect(await call("DELETE", `/subjects/${subject}/versions/2`)).toEqual({ status: 200, body: 2 });
    expect(await call("DELETE", `/subjects/${subject}/versions/2`)).toMatchObject({ status: 404, body: { error_code: 40406 } });
    expect(await call("DELETE", `/subjects/${subject}/versions/99`)).toMatchObject({ status: 404, body: { error_code: 40402 } });
    expect(await call("DELETE", `/subjects/${subject}/versions/two`)).toMatchObject({ status: 422, body: { error_code: 42202 } });

    expect((await call("GET", `/subjects/${subject}/versions`)).body).toEqual([1, 3]);
    expect((await call("GET", `/subjects/${subject}/versions?deleted=true`)).body).toEqual([1, 2, 3]);
    expect(await call("GET", `/subjects/${subject}/versions/2`)).toMatchObject({ status: 404, body: { error_code: 40402 } });
    expect(await call("GET", `/subjects/${subject}/versions/2?deleted=true`)).toMatchObject({ status: 200, body: { version: 2, id: ids[1] } });
    // Records framed with a soft-deleted schema's id must stay readable.
    expect(await call("GET", `/schemas/ids/${ids[1]}`)).toMatchObject({ status: 200, body: { schemaType: "JSON" } });
    expect((await call("GET", `/schemas/ids/${ids[1]}/versions`)).body).toEqual([]);
    expect((await call("GET", `/schemas/ids/${ids[1]}/versions?deleted=true`)).body).toEqual([{ subject, version: 2 }]);

    expect(await call("DELETE", `/subjects/${subject}/versions/2?permanent=true`)).toEqual({ status: 200, body: 2 });
    expect(await call("GET", `/subjects/${subject}/versions/2?deleted=true`)).toMatchObject({ status: 404, body: { error_code: 40402 } });
    expect(await call("GET", `/schemas/ids/${ids[1]}`)).toMatchObject({ status: 404, body: { error_code: 40403 } });
  });

  it("leaves soft-deleted versions out of compatibility checks, continues the version numbers, and gives a re-registered schema a new version with its old id", async () => {
    // carrier as an integer cannot read v3's data (carrier a string): refused while v3 is live ...
    const carrierAsNumber = shipment({ carrier: { type: "integer" } });
    expect(await register(subject, carrierAsNumber)).toMatchObject({ status: 409, body: { error_code: 409 } });
    expect(await call("DELETE", `/subjects/${subject}/versions/latest`)).toEqual({ status: 200, body: 3 });
    // ... and accepted once v3 is soft-deleted: the latest live version is v1.
    expect(await register(subject, carrierAsNumber)).toMatchObject({ status: 200 });
    expect((await call("GET", `/subjects/${subject}/versions`)).body).toEqual([1, 4]);
    // v3's schema again (as a soft-deleted one) is a new version; the schema keeps its id.
    const v3Again = await call("POST", `/compatibility/subjects/${subject}/versions/latest`, { schemaType: "JSON", schema: JSON.stringify(shipment({ weightKg: { type: "number" }, carrier: { type: "string" } })) });
    expect(v3Again.body).toEqual({ is_compatible: false });
    expect((await call("PUT", `/config/${subject}`, { compatibility: "NONE" })).status).toBe(200);
    const again = await register(subject, shipment({ weightKg: { type: "number" }, carrier: { type: "string" } }));
    expect(again.body).toEqual({ id: ids[2] });
    expect((await call("GET", `/subjects/${subject}/versions`)).body).toEqual([1, 4, 5]);
    expect((await call("GET", `/schemas/ids/${ids[2]}/versions?deleted=true`)).body).toEqual([
      { subject, version: 3 },
      { subject, version: 5 },
    ]);
  });

  it("soft-deletes a subject (listed only with deleted=true), then deletes it permanently; schema ids are never given again", async () => {
    expect(await call("DELETE", `/subjects/${subject}?permanent=true`)).toMatchObject({ status: 404, body: { error_code: 40405 } });
    expect(await call("DELETE", `/subjects/${subject}`)).toEqual({ status: 200, body: [1, 4, 5] });
    expect(await call("DELETE", `/subjects/${subject}`)).toMatchObject({ status: 404, body: { error_code: 40404 } });
    expect((await call("GET", "/subjects")).body).not.toContain(subject);
    expect((await call("GET", "/subjects?deleted=true")).body).toContain(subject);
    expect(await call("GET", `/subjects/${subject}/versions`)).toMatchObject({ status: 404, body: { error_code: 40401 } });
    expect(await call("GET", `/subjects/${subject}/versions/latest`)).toMatchObject({ status: 404, body: { error_code: 40401 } });
    expect((await call("GET", `/subjects/${subject}/versions?deleted=true`)).body).toEqual([1, 3, 4, 5]);

    // v4 got the newest id of the whole registry; a permanent delete must not make it free again.
    const v4Id = (await call("GET", `/subjects/${subject}/versions/4?deleted=true`)).body.id as number;
    expect(await call("DELETE", `/subjects/${subject}?permanent=true`)).toEqual({ status: 200, body: [1, 3, 4, 5] });
    expect((await call("GET", "/subjects?deleted=true")).body).not.toContain(subject);
    expect(await call("GET", `/subjects/${subject}/versions?deleted=true`)).toMatchObject({ status: 404, body: { error_code: 40401 } });
    expect(await call("GET", `/schemas/ids/${ids[0]}`)).toMatchObject({ status: 404, body: { error_code: 40403 } });
    expect(await call("DELETE", `/subjects/no-such-subject-${run}`)).toMatchObject({ status: 404, body: { error_code: 40401 } });

    // Registered again, the subject starts over; its schema gets a new id, not a deleted one.
    const fresh = await register(subject, shipment());
    expect(fresh.status).toBe(200);
    expect(fresh.body.id as number).toBeGreaterThan(v4Id);
    expect((await call("GET", `/subjects/${subject}/versions`)).body).toEqual([1]);

    const audit = (await listAudit({ limit: 200 })).filter((a) => a.targetId === subject);
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(["schema-version.delete", "schema-subject.delete"]));
    expect(audit.find((a) => a.action === "schema-subject.delete" && (a.details as { permanent?: boolean }).permanent)?.details).toMatchObject({ versions: [1, 3, 4, 5], eventTypeRemoved: true, via: "registry" });
  });

  it("refuses to delete permanently a schema still bound to a topic, naming the topic", async () => {
    const bound = `it-bound-${run}-value`;
    expect((await register(bound, { title: `BoundThing${run}`, type: "object" })).status).toBe(200);
    expect(await call("DELETE", `/subjects/${bound}`)).toEqual({ status: 200, body: [1] });
    const refused = await call("DELETE", `/subjects/${bound}?permanent=true`);
    expect(refused).toMatchObject({ status: 422, body: { error_code: 422 } });
    expect(refused.body.message).toContain(`topic 'it-bound-${run}'`);
    expect((await call("GET", `/subjects/${bound}/versions?deleted=true`)).body).toEqual([1]);
  });

  it("needs the architect role to delete, and answers 405 nowhere it used to", async () => {
    const target = `it-lifecycle-other-${run}`;
    expect((await register(target, shipment())).status).toBe(200);
    expect(await call("DELETE", `/subjects/${target}`, undefined, viewer)).toMatchObject({ status: 403, body: { error_code: 40301 } });
    expect(await call("DELETE", `/subjects/${target}/versions/1`, undefined, viewer)).toMatchObject({ status: 403, body: { error_code: 40301 } });
    expect((await call("GET", `/subjects/${target}/versions`)).body).toEqual([1]);
  });
});

describe("schema references", () => {
  const address = `it-address-${run}`;
  const customer = `it-customer-${run}`;
  const addressName = `it.ref.Address${run}`;
  const addressSchema = { type: "record", name: `Address${run}`, namespace: "it.ref", fields: [{ name: "street", type: "string" }, { name: "city", type: "string" }] };
  const customerSchema = (extra: unknown[] = []) => ({ type: "record", name: `Customer${run}`, namespace: "it.ref", fields: [{ name: "name", type: "string" }, { name: "address", type: addressName }, ...extra] });
  const references = [{ name: addressName, subject: address, version: 1 }];
  let addressId = 0;
  let customerId = 0;

  it("registers an Avro schema whose named type lives in another subject, stores the references and returns them", async () => {
    addressId = (await call("POST", `/subjects/${address}/versions`, { schemaType: "AVRO", schema: JSON.stringify(addressSchema) })).body.id as number;
    const unresolved = await call("POST", `/subjects/${customer}/versions`, { schemaType: "AVRO", schema: JSON.stringify(customerSchema()) });
    expect(unresolved).toMatchObject({ status: 422, body: { error_code: 42201 } });
    expect(unresolved.body.message).toContain(addressName);
    const missing = await call("POST", `/subjects/${customer}/versions`, { schemaType: "AVRO", schema: JSON.stringify(customerSchema()), references: [{ name: addressName, subject: address, version: 7 }] });
    expect(missing).toMatchObject({ status: 422, body: { error_code: 42201 } });
    expect(missing.body.message).toContain(`subject '${address}' version 7, which is not registered`);
    expect(await call("POST", `/subjects/${customer}/versions`, { schemaType: "AVRO", schema: "{}", references: "all of them" })).toMatchObject({ status: 422, body: { error_code: 42201 } });

    const registered = await call("POST", `/subjects/${customer}/versions`, { schemaType: "AVRO", schema: JSON.stringify(customerSchema()), references });
    expect(registered.status).toBe(200);
    customerId = registered.body.id as number;
    expect((await call("GET", `/subjects/${customer}/versions/1`)).body).toMatchObject({ id: customerId, references });
    expect((await call("GET", `/schemas/ids/${customerId}`)).body).toEqual({ schema: JSON.stringify(customerSchema()), references });
    expect((await call("POST", `/subjects/${customer}`, { schema: JSON.stringify(customerSchema()), references })).body).toMatchObject({ version: 1, id: customerId });
    expect((await call("GET", `/subjects/${address}/versions/1/referencedby`)).body).toEqual([customerId]);
    expect((await call("GET", `/subjects/${customer}/versions/1/referencedby`)).body).toEqual([]);
  });

  it("checks a new version that uses the reference against the earlier ones (parsed with their references too)", async () => {
    const withDefault = customerSchema([{ name: "tier", type: "string", default: "basic" }]);
    expect((await call("POST", `/compatibility/subjects/${customer}/versions/latest`, { schema: JSON.stringify(withDefault), references })).body).toEqual({ is_compatible: true });
    expect((await call("POST", `/subjects/${customer}/versions`, { schema: JSON.stringify(withDefault), references })).status).toBe(200);
    const withoutDefault = customerSchema([{ name: "tier", type: "string" }, { name: "since", type: "long" }]);
    expect(await call("POST", `/subjects/${customer}/versions`, { schema: JSON.stringify(withoutDefault), references })).toMatchObject({ status: 409 });
    expect((await call("GET", `/subjects/${address}/versions/1/referencedby`)).body).toHaveLength(2);
  });

  it("refuses to delete a referenced version (42206), saying who references it, until the referrers are deleted permanently", async () => {
    const refused = await call("DELETE", `/subjects/${address}/versions/1`);
    expect(refused).toMatchObject({ status: 422, body: { error_code: 42206 } });
    expect(refused.body.message).toContain(`${customer} version 1 (schema id ${customerId})`);
    expect(await call("DELETE", `/subjects/${address}`)).toMatchObject({ status: 422, body: { error_code: 42206 } });

    expect((await call("DELETE", `/subjects/${customer}`)).status).toBe(200);
    // Soft-deleted referrers still hold the reference: a permanent delete of the referenced version would break them.
    const stillHeld = await call("DELETE", `/subjects/${address}/versions/1`);
    expect(stillHeld).toMatchObject({ status: 422, body: { error_code: 42206 } });
    expect(stillHeld.body.message).toContain("soft-deleted");
    expect((await call("GET", `/subjects/${address}/versions/1/referencedby`)).body).toEqual([]);
    expect((await call("DELETE", `/subjects/${customer}?permanent=true`)).status).toBe(200);
    expect(await call("DELETE", `/subjects/${address}/versions/1`)).toEqual({ status: 200, body: 1 });
    expect(await call("DELETE", `/subjects/${address}/versions/1?permanent=true`)).toEqual({ status: 200, body: 1 });
    expect(await call("GET", `/schemas/ids/${addressId}`)).toMatchObject({ status: 404, body: { error_code: 40403 } });
  });

  it("resolves a JSON Schema $ref to the reference's name, for registration and for validating values", async () => {
    const money = `it-money-${run}`;
    const invoice = `it-invoice-${run}`;
    const moneySchema = { type: "object", required: ["amount", "currency"], properties: { amount: { type: "number" }, currency: { type: "string", pattern: "^[A-Z]{3}$" } } };
    expect((await register(money, moneySchema)).status).toBe(200);
    const invoiceSchema = { type: "object", required: ["invoiceId", "total"], properties: { invoiceId: { type: "string" }, total: { $ref: "money.json" } } };
    const unresolved = await register(invoice, invoiceSchema);
    expect(unresolved).toMatchObject({ status: 422, body: { error_code: 42201 } });
    expect(unresolved.body.message).toContain("money.json");
    expect((await register(invoice, invoiceSchema, { references: [{ name: "money.json", subject: money, version: -1 }] })).status).toBe(200);
    // version -1 (latest) is stored as the number it resolved to.
    expect((await call("GET", `/subjects/${invoice}/versions/latest`)).body).toMatchObject({ references: [{ name: "money.json", subject: money, version: 1 }] });

    expect((await validateEventPayload("", invoice, JSON.stringify({ invoiceId: "i-1", total: { amount: 12.5, currency: "EUR" } }))).status).toBe("valid");
    const invalid = await validateEventPayload("", invoice, JSON.stringify({ invoiceId: "i-2", total: { amount: "12.5", currency: "euro" } }));
    expect(invalid.status).toBe("invalid");
    expect(invalid.errors.map((e) => e.path)).toEqual(expect.arrayContaining(["/total/amount", "/total/currency"]));
  });
});

describe("registry mode", () => {
  const subject = `it-mode-${run}`;

  it("keeps a subject's mode, refuses registrations and deletes in READONLY (42205), and goes back", async () => {
    expect((await register(subject, shipment())).status).toBe(200);
    expect((await call("GET", "/mode")).body).toEqual({ mode: "READWRITE" });
    expect(await call("GET", `/mode/${subject}`)).toMatchObject({ status: 404, body: { error_code: 40409 } });
    expect((await call("GET", `/mode/${subject}?defaultToGlobal=true`)).body).toEqual({ mode: "READWRITE" });

    expect(await call("PUT", `/mode/${subject}`, { mode: "READONLY" })).toEqual({ status: 200, body: { mode: "READONLY" } });
    expect((await call("GET", `/mode/${subject}`)).body).toEqual({ mode: "READONLY" });
    const refused = await register(subject, shipment({ note: { type: "string" } }));
    expect(refused).toMatchObject({ status: 422, body: { error_code: 42205 } });
    expect(refused.body.message).toContain(`Subject '${subject}' is in READONLY mode`);
    expect(await call("DELETE", `/subjects/${subject}/versions/1`)).toMatchObject({ status: 422, body: { error_code: 42205 } });
    expect(await call("DELETE", `/subjects/${subject}`)).toMatchObject({ status: 422, body: { error_code: 42205 } });
    // Reads and checks still work.
    expect((await call("GET", `/subjects/${subject}/versions`)).body).toEqual([1]);

    expect(await call("PUT", `/mode/${subject}`, { mode: "IMPORT" })).toMatchObject({ status: 422, body: { error_code: 42204 } });
    expect(await call("PUT", `/mode/${subject}`, { mode: "SIDEWAYS" })).toMatchObject({ status: 422, body: { error_code: 42204 } });
    expect(await call("PUT", `/mode/${subject}`, { mode: "READWRITE" }, viewer)).toMatchObject({ status: 403, body: { error_code: 40301 } });
    expect(await call("DELETE", `/mode/${subject}`, undefined, viewer)).toMatchObject({ status: 403 });
    expect(await call("PUT", "/mode", { mode: "READONLY" }, viewer)).toMatchObject({ status: 403 });

    expect(await call("DELETE", `/mode/${subject}`)).toEqual({ status: 200, body: { mode: "READONLY" } });
    expect(await call("DELETE", `/mode/${subject}`)).toMatchObject({ status: 404, body: { error_code: 40409 } });
    expect((await register(subject, shipment({ note: { type: "string" } }))).status).toBe(200);

    const audit = (await listAudit({ limit: 200 })).filter((a) => a.targetId === subject).map((a) => a.action);
    expect(audit).toEqual(expect.arrayContaining(["schema-registry.mode.set", "schema-registry.mode.delete"]));
  });

  it("refuses every registration while the registry is READONLY globally", async () => {
    expect(await call("PUT", "/mode", { mode: "readonly" })).toEqual({ status: 200, body: { mode: "READONLY" } });
    try {
      expect((await call("GET", "/mode")).body).toEqual({ mode: "READONLY" });
      expect((await call("GET", `/mode/${subject}?defaultToGlobal=true`)).body).toEqual({ mode: "READONLY" });
      const refused = await register(`it-mode-new-${run}`, shipment());
      expect(refused).toMatchObject({ status: 422, body: { error_code: 42205 } });
      expect(refused.body.message).toContain("set globally");
      // A subject's own READWRITE wins over the global mode, as in Confluent's registry.
      expect((await call("PUT", `/mode/${subject}`, { mode: "READWRITE" })).status).toBe(200);
      expect((await register(subject, shipment({ note: { type: "string" }, more: { type: "string" } }))).status).toBe(200);
    } finally {
      await call("DELETE", `/mode/${subject}`);
      expect(await call("PUT", "/mode", { mode: "READWRITE" })).toEqual({ status: 200, body: { mode: "READWRITE" } });
    }
    expect((await register(`it-mode-new-${run}`, shipment())).status).toBe(200);
  });
});

describe("@kafkajs/confluent-schema-registry with references, and after deletes", () => {
  it("registers a schema with a reference, encodes and decodes with it, and sees soft deletes as Confluent's registry shows them", async () => {
    const lineSubject = `it-client-line-${run}`;
    const orderSubject = `it-client-order-${run}`;
    const line = { type: "record", name: `Line${run}`, namespace: "it.client", fields: [{ name: "sku", type: "string" }, { name: "quantity", type: "int" }] };
    const order = { type: "record", name: `Order${run}`, namespace: "it.client", fields: [{ name: "orderId", type: "string" }, { name: "lines", type: { type: "array", items: `it.client.Line${run}` } }] };
    const registry = new SchemaRegistry({ host: base, auth: architect });
    const { id: lineId } = await registry.register({ type: SchemaType.AVRO, schema: JSON.stringify(line) }, { subject: lineSubject });
    const { id: orderId } = await registry.register(
      { type: SchemaType.AVRO, schema: JSON.stringify(order), references: [{ name: `it.client.Line${run}`, subject: lineSubject, version: 1 }] },
      { subject: orderSubject },
    );
    expect(orderId).not.toBe(lineId);

    // A fresh client (no cache) fetches the schema by id and its reference through /subjects/{s}/versions/{v}.
    const reader = new SchemaRegistry({ host: base, auth: architect });
    const payload = { orderId: "o-1", lines: [{ sku: "A-1", quantity: 2 }] };
    const encoded = await reader.encode(orderId, payload);
    expect(encoded.readInt32BE(1)).toBe(orderId);
    expect(await new SchemaRegistry({ host: base, auth: architect }).decode(encoded)).toEqual(payload);
    expect(await reader.getLatestSchemaId(orderSubject)).toBe(orderId);

    // The client cannot delete; deletes go over the API, and the client sees their effect.
    expect((await call("DELETE", `/subjects/${lineSubject}/versions/1`)).body).toMatchObject({ error_code: 42206 });
    expect((await call("DELETE", `/subjects/${orderSubject}/versions/1`)).status).toBe(200);
    const after = new SchemaRegistry({ host: base, auth: architect });
    await expect(after.getLatestSchemaId(orderSubject)).rejects.toMatchObject({ status: 404 });
    // Records written with the soft-deleted schema still decode.
    expect(await after.decode(encoded)).toEqual(payload);
  });
});
