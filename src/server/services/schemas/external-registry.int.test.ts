// Integration: clusters that name an external schema registry (docs/schemas.md, "External registries").
// The registry is a second Signalbox on its own database, over HTTPS with a test CA
// (scripts/lib/external-registry.ts; Apicurio Registry cannot run from Maven Central here, see the
// docs). Schemas are registered there by @kafkajs/confluent-schema-registry, a client not written
// here, which also frames the records; they exist nowhere in the Signalbox under test, whose own
// registry gives the same ids to other schemas. Signalbox decodes them through each cluster's registry.
import https from "node:https";
import path from "node:path";
import { SchemaRegistry, SchemaType } from "@kafkajs/confluent-schema-registry";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startExternalRegistry, type ExternalRegistryHandle } from "../../../../scripts/lib/external-registry";
import { closeConnectionsAfterAll } from "../../../../scripts/lib/test-support";
import { INTEGRATION_STACK } from "../../../../scripts/lib/test-ports";
import { getEnv } from "~/env";
import { createProducer, ensureTopics, type ClusterConnectionConfig } from "~/server/broker";
import { getEventTypeDetail, listAudit } from "~/server/catalog";
import { clusterConnectionByName } from "~/server/services/clusters/clusters";
import { getMessage } from "~/server/services/messages/scan";
import { EXTERNAL_CACHE_MAX, externalCacheSize } from "./external-registry";
import { listExternalSubjects, registerThroughSignalbox } from "./external-catalog";
import { lookupSchema } from "./schema-decoding";

// The clusters document is read when the configuration is first parsed, after beforeAll has started
// the registry (its CA file, its token in EXT_REGISTRY_SECRET).
const { dir, tokenName } = vi.hoisted(() => {
  const offset = Number(process.env.SIGNALBOX_TEST_PORT_OFFSET || 0);
  const dir = `${process.cwd()}/.cache/external-registry-it${offset ? `_${offset}` : ""}`;
  const tokenName = "ext-it";
  const url = `https://127.0.0.1:${18186 + offset}/api/schema-registry`;
  const bootstrapServers = process.env.KAFKA_BROKERS!;
  const same = { bootstrapServers };
  process.env.SIGNALBOX_CLUSTERS = JSON.stringify({
    clusters: [
      { name: "ext-basic", ...same, schemaRegistry: { url, username: tokenName, passwordEnv: "EXT_REGISTRY_SECRET", caFile: `${dir}/ca.pem` } },
      { name: "ext-bearer", ...same, schemaRegistry: { url, tokenEnv: "EXT_REGISTRY_SECRET", caFile: `${dir}/ca.pem` } },
      { name: "ext-no-ca", ...same, schemaRegistry: { url, tokenEnv: "EXT_REGISTRY_SECRET" } },
      { name: "ext-wrong-token", ...same, schemaRegistry: { url, token: "sbx_not_a_token", caFile: `${dir}/ca.pem` } },
      { name: "ext-down", ...same, schemaRegistry: { url: "http://127.0.0.1:1/apis/ccompat/v7" } },
    ],
  });
  return { dir, tokenName };
});

const run = Date.now().toString(36);
const topic = `it-external-registry-${run}`;
let external: ExternalRegistryHandle;
let client: SchemaRegistry;
let avroId = 0;
let protoId = 0;
/** The topic is new: the two records are its first. */
const offsets = { avro: 0, proto: 1 };

const avroSchema = {
  type: "record",
  name: "PaymentCaptured",
  namespace: "com.acme.payments",
  fields: [
    { name: "paymentId", type: "string" },
    { name: "amount", type: "com.acme.common.Money" },
  ],
};
const moneySchema = { type: "record", name: "Money", namespace: "com.acme.common", fields: [{ name: "cents", type: "long" }, { name: "currency", type: "string" }] };
const protoSchema = `syntax = "proto3";
package acme.shipping;
message ParcelScanned {
  string parcel_id = 1;
  int32 depot = 2;
}
`;

const connection = async (name: string): Promise<ClusterConnectionConfig> => (await clusterConnectionByName(getEnv(), name))!;

beforeAll(async () => {
  external = await startExternalRegistry({ port: INTEGRATION_STACK.externalRegistryPort, databaseUrl: INTEGRATION_STACK.externalRegistryDatabaseUrl, dir: path.resolve(dir), tokenName });
  process.env.EXT_REGISTRY_SECRET = external.token;
  client = new SchemaRegistry({ host: external.url, auth: { username: external.tokenName, password: external.token }, agent: new https.Agent({ ca: external.caPem }) });
  await client.register({ type: SchemaType.AVRO, schema: JSON.stringify(moneySchema) }, { subject: `money-${run}` });
  ({ id: avroId } = await client.register(
    { type: SchemaType.AVRO, schema: JSON.stringify(avroSchema), references: [{ name: "com.acme.common.Money", subject: `money-${run}`, version: 1 }] },
    { subject: `${topic}-value` },
  ));
  ({ id: protoId } = await client.register({ type: SchemaType.PROTOBUF, schema: protoSchema }, { subject: `parcels-${run}-value` }));

  const cluster = await connection("ext-basic");
  await ensureTopics(cluster, [{ topic, numPartitions: 1 }]);
  const producer = await createProducer(cluster);
  await producer.send(topic, [
    { key: "pay-1", value: await client.encode(avroId, { paymentId: "pay-1", amount: { cents: 1999, currency: "EUR" } }) },
    { key: "parcel-1", value: await client.encode(protoId, { parcelId: "P-77", depot: 4 }) },
  ]);
  await producer.disconnect();
}, 180_000);

afterAll(async () => {
  await external?.stop();
});

closeConnectionsAfterAll();

describe("a cluster with an external schema registry", () => {
  it("decodes Avro (with a reference) and Protobuf records whose schemas live only in that registry", async () => {
    for (const name of ["ext-basic", "ext-bearer"]) {
      const cluster = await connection(name);
      const avro = await getMessage(cluster, topic, 0, offsets.avro);
      expect(avro.value).toMatchObject({ schemaId: avroId, schemaType: "AVRO", encoding: "json" });
      expect(JSON.parse(avro.value.text)).toEqual({ paymentId: "pay-1", amount: { cents: 1999, currency: "EUR" } });
      const proto = await getMessage(cluster, topic, 0, offsets.proto);
      expect(proto.value).toMatchObject({ schemaId: protoId, schemaType: "PROTOBUF", encoding: "json" });
      expect(JSON.parse(proto.value.text)).toMatchObject({ parcelId: "P-77", depot: 4 });
    }
  });

  it("does not find those ids in Signalbox's own registry, where the same numbers name other schemas or none", async () => {
    const own = await lookupSchema(avroId);
    if (own.ok) expect(own.schema.schemaType === "AVRO" && JSON.stringify(own.schema).includes("PaymentCaptured")).toBe(false);
    // The default cluster uses Signalbox's own registry: the same record is not decoded as a PaymentCaptured.
    const onDefault = await getMessage(await connection(getEnv().clusters.find((c) => c.isDefault)!.name), topic, 0, offsets.avro);
    expect(onDefault.value.text).not.toContain('"paymentId": "pay-1"');
  });

  it("keeps what it read in a bounded cache by registry and id", async () => {
    expect(externalCacheSize()).toBeGreaterThanOrEqual(2);
    expect(externalCacheSize()).toBeLessThanOrEqual(EXTERNAL_CACHE_MAX);
  });

  it("says clearly why a record is not decoded when the registry cannot be reached, is not trusted or refuses the credentials", async () => {
    const problemOf = async (name: string) => (await getMessage(await connection(name), topic, 0, offsets.avro)).value;
    const down = await problemOf("ext-down");
    expect(down.schemaType).toBeUndefined();
    expect(down.schemaProblem).toMatch(/schema registry of cluster ext-down \(http:\/\/127\.0\.0\.1:1\/apis\/ccompat\/v7\) cannot be reached: connection refused/);
    expect((await problemOf("ext-no-ca")).schemaProblem).toMatch(/TLS: its certificate .*not trust.*caFile/);
    expect((await problemOf("ext-wrong-token")).schemaProblem).toMatch(/refused GET \/schemas\/ids\/\d+ \(HTTP 401.*Check the registry credentials/);
    for (const name of ["ext-down", "ext-no-ca", "ext-wrong-token"]) expect(JSON.stringify(await problemOf(name))).not.toContain(external.token);
  });

  it("lists the registry's subjects beside what Signalbox's catalog adds, and registers through Signalbox into that registry", async () => {
    const architect = { email: "architect-ext@signalbox.local", name: "Architect", role: "architect" as const };
    const eventType = `ParcelDelivered${run}`;
    const created = await registerThroughSignalbox(architect, getEnv(), "ext-bearer", {
      subject: `${eventType}`,
      schemaType: "AVRO",
      schema: JSON.stringify({ type: "record", name: eventType, fields: [{ name: "parcelId", type: "string" }] }),
      domain: "shipping",
      owner: "parcels-team",
      description: "A parcel reached its recipient.",
      topic,
    });
    expect(created.id).toBeGreaterThan(0);
    // It is in the external registry, read back by an independent client...
    const latest = await client.getLatestSchemaId(eventType);
    expect(latest).toBe(created.id);
    // ...and the catalog holds only what the registry lacks: domain, owner, description, the topic binding, no versions.
    const type = await getEventTypeDetail(eventType);
    expect(type).toMatchObject({ domain: "shipping", owner: "parcels-team", description: "A parcel reached its recipient." });
    expect(type?.versions).toHaveLength(0);
    const audit = await listAudit({ limit: 20 });
    const entry = audit.find((e) => e.action === "schema.register.external" && e.targetId === eventType);
    expect(entry?.details).toMatchObject({ cluster: "ext-bearer", schemaId: created.id });
    expect(JSON.stringify(audit)).not.toContain(external.token);

    const listing = (await listExternalSubjects(getEnv(), "ext-bearer"))!;
    expect(listing.registryUrl).toBe(external.url);
    const row = listing.subjects.find((s) => s.subject === eventType);
    expect(row).toMatchObject({ latest: { id: created.id, version: 1, schemaType: "AVRO" }, catalog: { domain: "shipping", owner: "parcels-team", topics: [topic] } });
    expect(listing.subjects.find((s) => s.subject === `${topic}-value`)).toMatchObject({ latest: { id: avroId, schemaType: "AVRO" }, catalog: null });
  });
});
