// Integration: the Confluent-compatible registry API (the real route handler over HTTP) against
// PostgreSQL, and a round trip with @kafkajs/confluent-schema-registry, a client not written here,
// through the real broker.
import { SchemaRegistry, SchemaType } from "@kafkajs/confluent-schema-registry";
import { beforeAll, describe, expect, it } from "vitest";
import { closeConnectionsAfterAll } from "../../../../scripts/lib/test-support";
import { getEnv } from "~/env";
import { createProducer, ensureTopics, runGroupConsumer } from "~/server/broker";
import { listAudit } from "~/server/catalog";
import { clusterFromEnv } from "~/server/services/clusters/active-cluster";
import { createToken } from "~/server/services/auth/tokens";
import { handleRegistryRequest } from "./registry";
import { serveRegistryRoute } from "./registry-test-server";
import { decodeFramedValues } from "./schema-decoding";
import { validateEventPayload } from "./validate-payload";

const run = Date.now().toString(36);
let base = "";
let close = () => {};
/** Tokens as Confluent clients send them: HTTP Basic with the token's name and secret. */
let architect = { username: "", password: "" };
let viewerToken = { username: "", password: "" };
const basic = (t: { username: string; password: string }) => `Basic ${Buffer.from(`${t.username}:${t.password}`).toString("base64")}`;
const admin = { email: "registry-it@signalbox.local", name: "Registry IT", role: "admin" as const };

beforeAll(async () => {
  ({ base, close } = await serveRegistryRoute());
  const a = await createToken(admin, { name: `registry-architect-${run}`, role: "architect" });
  architect = { username: a.name, password: a.secret };
  const v = await createToken(admin, { name: `registry-viewer-${run}`, role: "viewer" });
  viewerToken = { username: v.name, password: v.secret };
});

closeConnectionsAfterAll(async () => close());

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = { authorization: basic(architect) }) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { "content-type": "application/vnd.schemaregistry.v1+json", ...headers },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: response.status, contentType: response.headers.get("content-type"), body: (await response.json()) as Record<string, unknown> & unknown[] };
}

const closedShipment = (extra: Record<string, unknown> = {}, required: string[] = ["shipmentId"]) => ({
  $schema: "http://json-schema.org/draft-07/schema#",
  title: `ShipmentDispatched${run}`,
  type: "object",
  additionalProperties: false,
  required,
  properties: { shipmentId: { type: "string" }, weightKg: { type: "number" }, ...extra },
});

describe("schema registry REST API", () => {
  const subject = `it-shipments-${run}-value`;
  const eventType = `ShipmentDispatched${run}`;

  it("lists the demo catalog's subjects: event type names and <topic>-value for single-type topics", async () => {
    const { status, contentType, body } = await call("GET", "/subjects");
    expect(status).toBe(200);
    expect(contentType).toBe("application/vnd.schemaregistry.v1+json");
    expect(body).toEqual(expect.arrayContaining(["OrderPlaced", "OrderCancelled", "PaymentSucceeded", "PaymentFailed", "StockAllocated", "notifications-value"]));
    // payments and orders carry several event types (the saga's compensations among them), so
    // neither has a single <topic>-value subject; notifications carries one.
    expect(body).not.toContain("payments-value");
    expect(body).not.toContain("orders-value");
    const notifications = await call("GET", "/subjects/notifications-value/versions/latest");
    expect(notifications.body).toMatchObject({ subject: "notifications-value", schemaType: "JSON", version: 1 });
    const orderPlaced = await call("GET", "/subjects/OrderPlaced/versions/latest");
    expect(orderPlaced.body).toMatchObject({ subject: "OrderPlaced", schemaType: "JSON", version: 2 });
  });

  it("registers a new subject as an event type named after the schema title, and the same schema again returns the same id", async () => {
    const first = await call("POST", `/subjects/${subject}/versions`, { schemaType: "JSON", schema: JSON.stringify(closedShipment()) });
    expect(first.status).toBe(200);
    const id = first.body.id as number;
    expect(id).toBeGreaterThan(0);
    // Same schema, different formatting and key order: one schema, one id, no new version.
    const reversedKeys = (v: unknown): unknown =>
      Array.isArray(v) ? v.map(reversedKeys) : v && typeof v === "object" ? Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, reversedKeys(x)])) : v;
    const reformatted = JSON.stringify(reversedKeys(closedShipment()), null, 4);
    const again = await call("POST", `/subjects/${subject}/versions`, { schemaType: "JSON", schema: reformatted });
    expect(again.body).toEqual({ id });
    expect((await call("GET", `/subjects/${subject}/versions`)).body).toEqual([1]);
    expect((await call("GET", `/subjects/${eventType}/versions`)).body).toEqual([1]);
    expect((await call("GET", "/subjects")).body).toEqual(expect.arrayContaining([subject, eventType]));

    const byId = await call("GET", `/schemas/ids/${id}`);
    expect(byId.body).toMatchObject({ schemaType: "JSON" });
    expect(JSON.parse(byId.body.schema as string)).toEqual(closedShipment());
    expect((await call("GET", `/schemas/ids/${id}/versions`)).body).toEqual([{ subject: eventType, version: 1 }]);
    expect((await call("GET", `/schemas/ids/${id}/subjects`)).body).toEqual([eventType, subject].sort());

    const lookup = await call("POST", `/subjects/${subject}`, { schema: JSON.stringify(closedShipment()) });
    expect(lookup.body).toMatchObject({ subject, id, version: 1 });
    const notRegistered = await call("POST", `/subjects/${subject}`, { schema: JSON.stringify(closedShipment({ note: { type: "string" } })) });
    expect(notRegistered).toMatchObject({ status: 404, body: { error_code: 40403 } });
  });

  it("accepts a compatible version and refuses an incompatible one with 409 and the reasons, changing nothing", async () => {
    const v2 = await call("POST", `/subjects/${subject}/versions`, { schemaType: "JSON", schema: JSON.stringify(closedShipment({ carrier: { type: "string" } })) });
    expect(v2.status).toBe(200);

    const breaking = closedShipment({ carrier: { type: "string" }, weightKg: { type: "string" } }, ["shipmentId", "carrier"]);
    const refused = await call("POST", `/subjects/${subject}/versions`, { schemaType: "JSON", schema: JSON.stringify(breaking) });
    expect(refused.status).toBe(409);
    expect(refused.body.error_code).toBe(409);
    expect(refused.body.message).toContain("type of `weightKg` changed from number to string");
    expect(refused.body.message).toContain("property `carrier` became required");
    expect((await call("GET", `/subjects/${subject}/versions`)).body).toEqual([1, 2]);

    const verbose = await call("POST", `/compatibility/subjects/${subject}/versions/latest?verbose=true`, { schema: JSON.stringify(breaking) });
    expect(verbose.body.is_compatible).toBe(false);
    expect((verbose.body.messages as string[]).join("\n")).toMatch(/TYPE_CHANGED.*#\/properties\/weightKg/);
    const quiet = await call("POST", `/compatibility/subjects/${subject}/versions/1`, { schema: JSON.stringify(closedShipment({ carrier: { type: "string" } })) });
    expect(quiet.body).toEqual({ is_compatible: true });
  });

  it("answers a compatibility check whose pattern backtracks catastrophically in JavaScript (issue 14)", async () => {
    const hostileSubject = `it-hostile-${run}-value`;
    const key = `${"a".repeat(48)}!`;
    const latest = { title: `HostilePattern${run}`, type: "object", properties: { [key]: { type: "string" } } };
    expect((await call("POST", `/subjects/${hostileSubject}/versions`, { schemaType: "JSON", schema: JSON.stringify(latest) })).status).toBe(200);
    const candidate = { title: `HostilePattern${run}`, type: "object", additionalProperties: false, patternProperties: { "^(a+)+$": { type: "string" } } };
    const verdict = await call("POST", `/compatibility/subjects/${hostileSubject}/versions/latest?verbose=true`, { schema: JSON.stringify(candidate) });
    expect(verdict.body.is_compatible).toBe(false);
    expect((verdict.body.messages as string[]).join("\n")).toContain(`PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL at #/properties/${key}`);
  });

  it("keeps compatibility per subject and globally, with defaultToGlobal", async () => {
    expect((await call("GET", "/config")).body).toEqual({ compatibilityLevel: "BACKWARD" });
    expect(await call("GET", `/config/${subject}`)).toMatchObject({ status: 404, body: { error_code: 40408 } });
    expect((await call("GET", `/config/${subject}?defaultToGlobal=true`)).body).toEqual({ compatibilityLevel: "BACKWARD" });
    expect((await call("PUT", `/config/${subject}`, { compatibility: "FORWARD" })).body).toEqual({ compatibility: "FORWARD" });
    expect((await call("GET", `/config/${eventType}`)).body).toEqual({ compatibilityLevel: "FORWARD" });
    // Under FORWARD, v2 must read the new schema's data: a new optional property in a closed v2 is refused.
    const refused = await call("POST", `/subjects/${subject}/versions`, { schema: JSON.stringify(closedShipment({ carrier: { type: "string" }, note: { type: "string" } })) });
    expect(refused.status).toBe(409);
    expect((await call("DELETE", `/config/${subject}`)).body).toEqual({ compatibilityLevel: "FORWARD" });
    expect(await call("GET", `/config/${subject}`)).toMatchObject({ status: 404, body: { error_code: 40408 } });

    const audit = (await listAudit({ limit: 100 })).filter((a) => a.targetId === eventType).map((a) => a.action);
    expect(audit).toEqual(expect.arrayContaining(["event-type.create", "schema-version.create", "event-type.compatibility.set"]));
  });

  it("keeps a level set for a subject before its first schema, and applies it from the first registration", async () => {
    const early = `it-early-${run}-value`;
    expect(await call("GET", `/config/${early}`)).toMatchObject({ status: 404, body: { error_code: 40408 } });
    expect((await call("PUT", `/config/${early}`, { compatibility: "forward_transitive" })).body).toEqual({ compatibility: "FORWARD_TRANSITIVE" });
    expect((await call("GET", `/config/${early}`)).body).toEqual({ compatibilityLevel: "FORWARD_TRANSITIVE" });
    const v1 = { type: "object", additionalProperties: false, properties: { a: { type: "string" } } };
    expect((await call("POST", `/subjects/${early}/versions`, { schema: JSON.stringify(v1) })).status).toBe(200);
    expect((await call("GET", `/config/${early}`)).body).toEqual({ compatibilityLevel: "FORWARD_TRANSITIVE" });
    // BACKWARD would accept an optional property on a closed object; FORWARD_TRANSITIVE does not.
    const v2 = { ...v1, properties: { ...v1.properties, b: { type: "string" } } };
    expect((await call("POST", `/subjects/${early}/versions`, { schema: JSON.stringify(v2) })).status).toBe(409);
  });

  it("answers bad input with Confluent's error codes and changes nothing", async () => {
    const malformed = await call("POST", `/subjects/${subject}/versions`, { schema: '{"type": "object",\n "properties": {"a": {"type": "strin"}}}' });
    expect(malformed).toMatchObject({ status: 422, body: { error_code: 42201 } });
    expect(malformed.body.message).toContain("at /properties/a/type");
    const notJson = await call("POST", `/subjects/${subject}/versions`, { schema: '{"type": "object",' });
    expect(notJson.body.message).toMatch(/not valid JSON.*line 1/);
    const huge = { type: "object", description: "x".repeat(300 * 1024) };
    expect(await call("POST", `/subjects/${subject}/versions`, { schema: JSON.stringify(huge) })).toMatchObject({ status: 422, body: { error_code: 42201 } });
    const badAvro = await call("POST", `/subjects/${subject}/versions`, { schemaType: "AVRO", schema: '{"type": "record", "name": "R"}' });
    expect(badAvro).toMatchObject({ status: 422, body: { error_code: 42201 } });
    expect(badAvro.body.message).toContain("Not a valid Avro schema");
    expect(await call("POST", `/subjects/${subject}/versions`, { schemaType: "PROTOBUF", schema: "syntax = \"proto3\";" })).toMatchObject({ status: 422, body: { error_code: 42201 } });
    // A valid Avro schema under a JSON Schema subject: the format cannot change under a checked level.
    const otherFormat = await call("POST", `/subjects/${subject}/versions`, { schemaType: "AVRO", schema: '"string"' });
    expect(otherFormat).toMatchObject({ status: 409, body: { error_code: 409 } });
    expect(otherFormat.body.message).toContain("SCHEMA_TYPE_CHANGED");
    expect(await call("GET", "/subjects/no-such-subject/versions")).toMatchObject({ status: 404, body: { error_code: 40401 } });
    expect(await call("GET", `/subjects/${subject}/versions/99`)).toMatchObject({ status: 404, body: { error_code: 40402 } });
    expect(await call("GET", `/subjects/${subject}/versions/abc`)).toMatchObject({ status: 422, body: { error_code: 42202 } });
    expect(await call("GET", "/schemas/ids/999999")).toMatchObject({ status: 404, body: { error_code: 40403 } });
    expect(await call("PUT", "/config", { compatibility: "SIDEWAYS" })).toMatchObject({ status: 422, body: { error_code: 42203 } });
    expect(await call("POST", `/subjects/${subject}/versions`, "{not json")).toMatchObject({ status: 400, body: { error_code: 400 } });
    expect(await call("GET", "/subjects/payments-value/versions")).toMatchObject({ status: 404, body: { error_code: 40401 } });
    expect((await call("GET", `/subjects/${subject}/versions`)).body).toEqual([1, 2]);
    expect((await call("GET", "/config")).body).toEqual({ compatibilityLevel: "BACKWARD" });
  });

  it("refuses writes to a viewer (as the UI does) and still lets them read", async () => {
    const viewer = { email: "viewer@signalbox.local", name: "Vic", role: "viewer" as const };
    const write = await handleRegistryRequest({ method: "POST", path: ["subjects", `viewer-${run}`, "versions"], query: new URLSearchParams(), body: { schema: "{}" }, actor: viewer, clusterName: getEnv().KAFKA_CLUSTER_NAME });
    expect(write).toMatchObject({ status: 403, body: { error_code: 40301 } });
    const read = await handleRegistryRequest({ method: "GET", path: ["subjects"], query: new URLSearchParams(), body: undefined, actor: viewer, clusterName: getEnv().KAFKA_CLUSTER_NAME });
    expect(read.status).toBe(200);
    expect(read.body).not.toContain(`viewer-${run}`);
  });
});

describe("who may call the registry", () => {
  it("answers an anonymous call 401 with WWW-Authenticate: Basic, and registers nothing", async () => {
    const anonymous = await fetch(`${base}/subjects/anon-${run}/versions`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ schema: "{}" }) });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get("www-authenticate")).toMatch(/^Basic /);
    expect((await call("GET", "/subjects")).body).not.toContain(`anon-${run}`);
    const wrongSecret = await call("GET", "/subjects", undefined, { authorization: basic({ username: architect.username, password: "sbx_wrong" }) });
    expect(wrongSecret.status).toBe(401);
  });

  it("lets a viewer token read and check, and refuses it registering or changing configuration (403)", async () => {
    const asViewer = { authorization: basic(viewerToken) };
    expect((await call("GET", "/subjects", undefined, asViewer)).status).toBe(200);
    expect((await call("POST", `/compatibility/subjects/ShipmentDispatched${run}/versions/latest`, { schema: JSON.stringify(closedShipment()) }, asViewer)).status).toBe(200);
    expect(await call("POST", `/subjects/viewer-token-${run}/versions`, { schema: "{}" }, asViewer)).toMatchObject({ status: 403, body: { error_code: 40301 } });
    expect((await call("PUT", "/config", { compatibility: "NONE" }, asViewer)).status).toBe(403);
    expect((await call("GET", "/config")).body).toEqual({ compatibilityLevel: "BACKWARD" });
  });

  it("accepts a Bearer token too, and refuses a body that is not JSON (415)", async () => {
    const bearer = { authorization: `Bearer ${architect.password}` };
    expect((await call("GET", "/subjects", undefined, bearer)).status).toBe(200);
    const form = await fetch(`${base}/subjects/form-${run}/versions`, { method: "POST", headers: { "content-type": "text/plain", authorization: basic(architect) }, body: JSON.stringify({ schema: "{}" }) });
    expect(form.status).toBe(415);
    expect((await call("GET", "/subjects")).body).not.toContain(`form-${run}`);
  });
});

describe("@kafkajs/confluent-schema-registry against the running API", () => {
  it("registers a JSON schema, encodes, produces to the broker, consumes, decodes; an incompatible schema is refused with 409", async () => {
    const cluster = clusterFromEnv(getEnv());
    const topic = `it-registry-client-${run}`;
    await ensureTopics(cluster, [{ topic, numPartitions: 1 }]);
    const registry = new SchemaRegistry({ host: base, auth: architect });
    const schema = {
      $schema: "http://json-schema.org/draft-07/schema#",
      title: `ParcelScanned${run}`,
      type: "object",
      additionalProperties: false,
      required: ["parcelId", "depot"],
      properties: { parcelId: { type: "string" }, depot: { type: "string" }, scannedAt: { type: "string" } },
    };
    const { id } = await registry.register({ type: SchemaType.JSON, schema: JSON.stringify(schema) }, { subject: `${topic}-value` });
    const payload = { parcelId: "p-1", depot: "Leeds", scannedAt: "2026-11-23T10:00:00Z" };
    const encoded = await registry.encode(id, payload);
    expect(encoded[0]).toBe(0);
    expect(encoded.readInt32BE(1)).toBe(id);

    const producer = await createProducer(cluster);
    await producer.send(topic, [{ key: "p-1", value: encoded }]);
    await producer.disconnect();

    const received = new Promise<Buffer>((resolve) => {
      void runGroupConsumer(cluster, { groupId: `it-registry-client-${run}`, topics: [topic], eachRecord: async (record) => resolve(record.value!) }).then((c) => stop.push(c));
    });
    const stop: { stop(): Promise<void> }[] = [];
    const value = await received;
    await Promise.all(stop.map((c) => c.stop()));
    expect(await registry.decode(value)).toEqual(payload);

    const incompatible = { ...schema, properties: { ...schema.properties, depot: { type: "integer" } } };
    const refusal = await registry.register({ type: SchemaType.JSON, schema: JSON.stringify(incompatible) }, { subject: `${topic}-value` }).catch((error: unknown) => error);
    expect(refusal).toMatchObject({ status: 409 });
    expect(String((refusal as Error).message)).toContain("type of `depot` changed from string to integer");
  });
});

describe("Avro through the registry API", () => {
  const subject = `it-avro-refunds-${run}-value`;
  const refund = (fields: unknown[] = []) => ({ type: "record", name: `RefundIssued${run}`, namespace: "it.shop", fields: [{ name: "refundId", type: "string" }, { name: "amount", type: "int" }, ...fields] });

  it("registers, looks up, fetches by id and checks compatibility as Confluent's registry does, with Avro's rules", async () => {
    expect((await call("GET", "/schemas/types")).body).toEqual(["JSON", "AVRO", "PROTOBUF"]);
    const first = await call("POST", `/subjects/${subject}/versions`, { schemaType: "AVRO", schema: JSON.stringify(refund()) });
    expect(first.status).toBe(200);
    // The event type is named after the record, as with a JSON Schema's title, and bound to the topic.
    expect((await call("GET", `/subjects`)).body).toEqual(expect.arrayContaining([subject, `it.shop.RefundIssued${run}`]));
    // Without schemaType (how Confluent's clients send Avro) and reformatted: the same schema, the same id.
    const again = await call("POST", `/subjects/${subject}/versions`, { schema: JSON.stringify(refund(), null, 2) });
    expect(again.body).toEqual({ id: first.body.id });
    const byId = await call("GET", `/schemas/ids/${String(first.body.id)}`);
    expect(byId.body).toEqual({ schema: JSON.stringify(refund()) });
    const latest = await call("GET", `/subjects/${subject}/versions/latest`);
    expect(latest.body).toEqual({ subject, version: 1, id: first.body.id, schema: JSON.stringify(refund()) });
    expect((await call("POST", `/subjects/${subject}`, { schema: JSON.stringify(refund()) })).body).toMatchObject({ version: 1, id: first.body.id });

    // BACKWARD: a field added with a default is fine; without one, data written with v1 cannot be read.
    const withDefault = refund([{ name: "reason", type: "string", default: "unknown" }]);
    expect((await call("POST", `/compatibility/subjects/${subject}/versions/latest`, { schema: JSON.stringify(withDefault) })).body).toEqual({ is_compatible: true });
    const withoutDefault = refund([{ name: "reason", type: "string" }]);
    const check = await call("POST", `/compatibility/subjects/${subject}/versions/latest?verbose=true`, { schema: JSON.stringify(withoutDefault) });
    expect(check.body).toMatchObject({ is_compatible: false });
    expect(JSON.stringify(check.body.messages)).toContain("READER_FIELD_MISSING_DEFAULT_VALUE");
    const refused = await call("POST", `/subjects/${subject}/versions`, { schema: JSON.stringify(withoutDefault) });
    expect(refused).toMatchObject({ status: 409, body: { error_code: 409 } });
    expect(refused.body.message).toContain("field `reason` has no default and is not in the writer's schema");
    const promoted = { ...withDefault, fields: withDefault.fields.map((f) => ((f as { name: string }).name === "amount" ? { name: "amount", type: "long" } : f)) };
    expect((await call("POST", `/subjects/${subject}/versions`, { schema: JSON.stringify(promoted) })).status).toBe(200);
    const demoted = await call("POST", `/subjects/${subject}/versions`, { schemaType: "AVRO", schema: JSON.stringify(refund([{ name: "reason", type: "string", default: "unknown" }])) });
    expect(demoted).toMatchObject({ status: 409 });
    expect(demoted.body.message).toContain("field `amount`: long -> int cannot be read");
    expect((await call("GET", `/subjects/${subject}/versions`)).body).toEqual([1, 2]);
  });
});

describe("@kafkajs/confluent-schema-registry with Avro against the running API", () => {
  it("registers an Avro schema, encodes, produces to the broker, consumes, decodes; the message browser's decoding shows it as JSON", async () => {
    const cluster = clusterFromEnv(getEnv());
    const topic = `it-registry-avro-${run}`;
    await ensureTopics(cluster, [{ topic, numPartitions: 1 }]);
    const registry = new SchemaRegistry({ host: base, auth: architect });
    const schema = {
      type: "record",
      name: `ParcelWeighed${run}`,
      namespace: "it.depot",
      fields: [
        { name: "parcelId", type: "string" },
        { name: "grams", type: "long" },
        { name: "depot", type: ["null", "string"], default: null },
      ],
    };
    const { id } = await registry.register({ type: SchemaType.AVRO, schema: JSON.stringify(schema) }, { subject: `${topic}-value` });
    const payload = { parcelId: "p-7", grams: 1250, depot: "Leeds" };
    const encoded = await registry.encode(id, payload);
    expect(encoded[0]).toBe(0);
    expect(encoded.readInt32BE(1)).toBe(id);

    const producer = await createProducer(cluster);
    await producer.send(topic, [{ key: "p-7", value: encoded }]);
    await producer.disconnect();

    const received = new Promise<Buffer>((resolve) => {
      void runGroupConsumer(cluster, { groupId: `it-registry-avro-${run}`, topics: [topic], eachRecord: async (record) => resolve(record.value!) }).then((c) => stop.push(c));
    });
    const stop: { stop(): Promise<void> }[] = [];
    const value = await received;
    await Promise.all(stop.map((c) => c.stop()));
    expect(await registry.decode(value)).toEqual(payload);

    // Signalbox decodes the same bytes with the schema the id names: Avro's JSON encoding.
    const decoded = await decodeFramedValues([value]);
    expect(decoded[0]).toMatchObject({ schemaType: "AVRO", schemaId: id, json: { parcelId: "p-7", grams: 1250, depot: { string: "Leeds" } } });
    expect((await validateEventPayload("", `it.depot.ParcelWeighed${run}`, value)).status).toBe("valid");

    const incompatible = { ...schema, fields: [...schema.fields, { name: "weighedBy", type: "string" }] };
    const refusal = await registry.register({ type: SchemaType.AVRO, schema: JSON.stringify(incompatible) }, { subject: `${topic}-value` }).catch((error: unknown) => error);
    expect(refusal).toMatchObject({ status: 409 });
    expect(String((refusal as Error).message)).toContain("READER_FIELD_MISSING_DEFAULT_VALUE");
  });
});
