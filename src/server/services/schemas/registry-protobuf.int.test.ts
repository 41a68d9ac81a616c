// Integration: Protobuf through the Confluent-compatible registry API (the real route handler over
// HTTP, PostgreSQL), and a round trip with @kafkajs/confluent-schema-registry, a client not written
// here, through the real broker; Signalbox decodes what that client wrote and the other way round.
import { fromBinary } from "@bufbuild/protobuf";
import { FileDescriptorProtoSchema } from "@bufbuild/protobuf/wkt";
import { SchemaRegistry, SchemaType } from "@kafkajs/confluent-schema-registry";
import { beforeAll, describe, expect, it } from "vitest";
import { closeConnectionsAfterAll } from "../../../../scripts/lib/test-support";
import { getEnv } from "~/env";
import { encodeConfluentFrame } from "~/lib/wire-format";
import { createProducer, ensureTopics, runGroupConsumer } from "~/server/broker";
import { clusterFromEnv } from "~/server/services/clusters/active-cluster";
import { createToken } from "~/server/services/auth/tokens";
import { encodeWith, parseSchema } from "./formats";
import { serveRegistryRoute } from "./registry-test-server";
import { decodeFramedValues } from "./schema-decoding";
import { validateEventPayload } from "./validate-payload";

const run = Date.now().toString(36);
let base = "";
let architect = { username: "", password: "" };
const basic = (t: { username: string; password: string }) => `Basic ${Buffer.from(`${t.username}:${t.password}`).toString("base64")}`;
const admin = { email: "registry-protobuf-it@signalbox.local", name: "Registry Protobuf IT", role: "admin" as const };

let closeServer = () => undefined as void;

beforeAll(async () => {
  const served = await serveRegistryRoute();
  base = served.base;
  closeServer = served.close;
  const a = await createToken(admin, { name: `registry-protobuf-${run}`, role: "architect" });
  architect = { username: a.name, password: a.secret };
});

closeConnectionsAfterAll(async () => {
  closeServer();
});

async function call(method: string, path: string, body?: unknown) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { "content-type": "application/vnd.schemaregistry.v1+json", authorization: basic(architect) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> & unknown[] };
}

const refund = (fields = "") => `syntax = "proto3";
package it.shop;

// Emitted when a refund is issued.
message RefundIssued${run} {
  string refund_id = 1;
  int32 amount = 2;${fields}
}
`;

describe("Protobuf through the registry API", () => {
  const subject = `it-proto-refunds-${run}-value`;

  it("registers, looks up, fetches by id (as text or as a serialized FileDescriptorProto) and checks compatibility with Protobuf's rules", async () => {
    expect((await call("GET", "/schemas/types")).body).toEqual(["JSON", "AVRO", "PROTOBUF"]);
    const first = await call("POST", `/subjects/${subject}/versions`, { schemaType: "PROTOBUF", schema: refund() });
    expect(first.status).toBe(200);
    const id = first.body.id as number;
    // The event type is named after the first message and bound to the topic.
    expect((await call("GET", "/subjects")).body).toEqual(expect.arrayContaining([subject, `it.shop.RefundIssued${run}`]));
    // Comments and layout are not part of the schema: the same id.
    const relaid = refund().replace("// Emitted when a refund is issued.\n", "").replace(/\n {2}/g, "\n    ");
    expect((await call("POST", `/subjects/${subject}/versions`, { schemaType: "PROTOBUF", schema: relaid })).body).toEqual({ id });
    // Without schemaType an existing subject keeps its format.
    expect((await call("POST", `/subjects/${subject}`, { schema: refund() })).body).toMatchObject({ version: 1, id, schemaType: "PROTOBUF" });

    expect((await call("GET", `/schemas/ids/${id}`)).body).toEqual({ schemaType: "PROTOBUF", schema: refund() });
    expect((await call("GET", `/subjects/${subject}/versions/latest`)).body).toEqual({ subject, version: 1, id, schemaType: "PROTOBUF", schema: refund() });
    expect((await call("GET", `/subjects/${subject}/versions/1/schema`)).body).toBe(refund());
    const serialized = await call("GET", `/schemas/ids/${id}?format=serialized`);
    expect(serialized.body.schemaType).toBe("PROTOBUF");
    const descriptor = fromBinary(FileDescriptorProtoSchema, Buffer.from(serialized.body.schema as string, "base64"));
    expect(descriptor.package).toBe("it.shop");
    expect(descriptor.messageType.map((m) => [m.name, m.field.map((f) => [f.name, f.number])])).toEqual([
      [
        `RefundIssued${run}`,
        [
          ["refund_id", 1],
          ["amount", 2],
        ],
      ],
    ]);

    // BACKWARD: a new field is fine; reusing number 2 for a string is not.
    const withReason = refund("\n  string reason = 3;");
    expect((await call("POST", `/compatibility/subjects/${subject}/versions/latest`, { schemaType: "PROTOBUF", schema: withReason })).body).toEqual({ is_compatible: true });
    const reused = refund().replace("int32 amount = 2;", "string amount = 2;");
    const check = await call("POST", `/compatibility/subjects/${subject}/versions/latest?verbose=true`, { schemaType: "PROTOBUF", schema: reused });
    expect(check.body).toMatchObject({ is_compatible: false });
    expect(JSON.stringify(check.body.messages)).toContain("FIELD_SCALAR_KIND_CHANGED");
    const refused = await call("POST", `/subjects/${subject}/versions`, { schemaType: "PROTOBUF", schema: reused });
    expect(refused).toMatchObject({ status: 409, body: { error_code: 409 } });
    expect(refused.body.message).toContain("int32 -> string; the wire types differ (varint vs length-delimited)");
    // int32 -> int64 reads every old value: BACKWARD accepts it.
    expect((await call("POST", `/subjects/${subject}/versions`, { schemaType: "PROTOBUF", schema: withReason.replace("int32 amount", "int64 amount") })).status).toBe(200);
    expect((await call("GET", `/subjects/${subject}/versions`)).body).toEqual([1, 2]);

    const invalid = await call("POST", `/subjects/${subject}/versions`, { schemaType: "PROTOBUF", schema: "message { oops" });
    expect(invalid).toMatchObject({ status: 422, body: { error_code: 42201 } });
    expect(invalid.body.message).toContain("Not a valid .proto file");
  });
});

describe("Protobuf imports through schema references", () => {
  const moneyFile = "it/shop/money.proto";
  const money = `syntax = "proto3";
package it.shop;

message Money${run} { string currency = 1; int64 units = 2; }
`;
  const order = `syntax = "proto3";
package it.shop;
import "${moneyFile}";

message OrderTotalled${run} { string order_id = 1; Money${run} total = 2; }
`;

  it("registers a .proto that imports another subject's file, serves it (also serialized) with its reference, and decodes records with it", async () => {
    const moneySubject = `it-proto-money-${run}-value`;
    const orderSubject = `it-proto-orders-${run}-value`;
    expect((await call("POST", `/subjects/${moneySubject}/versions`, { schemaType: "PROTOBUF", schema: money })).status).toBe(200);
    // Without the reference, the import cannot be resolved, and the answer says how to give it.
    const missing = await call("POST", `/subjects/${orderSubject}/versions`, { schemaType: "PROTOBUF", schema: order });
    expect(missing).toMatchObject({ status: 422, body: { error_code: 42201 } });
    expect(missing.body.message).toContain(`add a reference with name "${moneyFile}"`);

    const references = [{ name: moneyFile, subject: moneySubject, version: 1 }];
    const registered = await call("POST", `/subjects/${orderSubject}/versions`, { schemaType: "PROTOBUF", schema: order, references });
    expect(registered.status).toBe(200);
    const id = registered.body.id as number;
    expect((await call("GET", `/schemas/ids/${id}`)).body).toEqual({ schemaType: "PROTOBUF", schema: order, references });
    const descriptor = fromBinary(FileDescriptorProtoSchema, Buffer.from((await call("GET", `/schemas/ids/${id}?format=serialized`)).body.schema as string, "base64"));
    expect(descriptor.dependency).toEqual([moneyFile]);
    // Only the file's own message: the imported one stays in its own file.
    expect(descriptor.messageType.map((m) => m.name)).toEqual([`OrderTotalled${run}`]);
    expect(descriptor.messageType[0]!.field.map((f) => [f.name, f.typeName ?? ""])).toEqual([
      ["order_id", ""],
      ["total", `.it.shop.Money${run}`],
    ]);

    // A record framed with the order's id decodes with the imported type's fields.
    const parsed = parseSchema("PROTOBUF", order, [{ name: moneyFile, schemaType: "PROTOBUF", schema: money }]);
    if (!parsed.ok) throw new Error(parsed.problems.join("; "));
    const framed = Buffer.from(encodeConfluentFrame(id, encodeWith(parsed, { orderId: "ord-9", total: { currency: "EUR", units: "129" } })));
    expect((await decodeFramedValues([framed]))[0]).toMatchObject({ schemaType: "PROTOBUF", schemaId: id, json: { orderId: "ord-9", total: { currency: "EUR", units: "129" } } });
  });
});

async function consumeOne(topic: string, groupId: string): Promise<Buffer> {
  const cluster = clusterFromEnv(getEnv());
  const stop: { stop(): Promise<void> }[] = [];
  const value = await new Promise<Buffer>((resolve) => {
    void runGroupConsumer(cluster, { groupId, topics: [topic], eachRecord: async (record) => resolve(record.value!) }).then((c) => stop.push(c));
  });
  await Promise.all(stop.map((c) => c.stop()));
  return value;
}

describe("@kafkajs/confluent-schema-registry with Protobuf against the running API", () => {
  const schema = `syntax = "proto3";
package it.depot;

message ParcelSorted${run} {
  string parcel_id = 1;
  int64 grams = 2;
  repeated string labels = 3;
  Lane lane = 4;
  enum Lane { LANE_UNKNOWN = 0; LANE_NORTH = 1; }
}
`;

  it("registers a .proto, encodes, produces to the broker, consumes and decodes; Signalbox decodes the same record, and the client decodes Signalbox's", async () => {
    const cluster = clusterFromEnv(getEnv());
    const topic = `it-registry-proto-${run}`;
    await ensureTopics(cluster, [{ topic, numPartitions: 1 }]);
    const registry = new SchemaRegistry({ host: base, auth: architect });
    const { id } = await registry.register({ type: SchemaType.PROTOBUF, schema }, { subject: `${topic}-value` });
    const payload = { parcelId: "p-7", grams: 1250, labels: ["fragile"], lane: 1 };
    const encoded = await registry.encode(id, payload);
    expect(encoded[0]).toBe(0);
    expect(encoded.readInt32BE(1)).toBe(id);
    // This client writes no message indexes after the schema id (Confluent's serializers write [0] as a 0 byte).
    expect(encoded[5]).toBe(0x0a);

    const producer = await createProducer(cluster);
    await producer.send(topic, [{ key: "p-7", value: encoded }]);
    await producer.disconnect();
    const value = await consumeOne(topic, `it-registry-proto-${run}`);
    const read = (await registry.decode(value)) as { toJSON(): unknown };
    expect(read.toJSON()).toEqual({ parcelId: "p-7", grams: "1250", labels: ["fragile"], lane: "LANE_NORTH" });

    // Signalbox reads the same bytes with the schema the id names: Protobuf's JSON mapping.
    const [decoded] = await decodeFramedValues([value]);
    expect(decoded).toMatchObject({ schemaType: "PROTOBUF", schemaId: id, json: { parcelId: "p-7", grams: "1250", labels: ["fragile"], lane: "LANE_NORTH" } });
    expect((await validateEventPayload("", `it.depot.ParcelSorted${run}`, value)).status).toBe("valid");

    // A record as Signalbox (and Confluent's serializers) frame it, with message indexes [0]: both read it.
    const parsed = parseSchema("PROTOBUF", schema);
    if (!parsed.ok) throw new Error(parsed.problems.join("; "));
    const ours = Buffer.from(encodeConfluentFrame(id, encodeWith(parsed, { parcelId: "p-8", grams: "9007199254740993", lane: "LANE_NORTH" })));
    expect(ours[5]).toBe(0);
    const ourTopic = `${topic}-framed`;
    await ensureTopics(cluster, [{ topic: ourTopic, numPartitions: 1 }]);
    const producer2 = await createProducer(cluster);
    await producer2.send(ourTopic, [{ key: "p-8", value: ours }]);
    await producer2.disconnect();
    const bytes = await consumeOne(ourTopic, `it-registry-proto-b-${run}`);
    expect(((await registry.decode(bytes)) as { toJSON(): unknown }).toJSON()).toEqual({ parcelId: "p-8", grams: "9007199254740993", lane: "LANE_NORTH" });
    expect((await decodeFramedValues([bytes]))[0]).toMatchObject({ json: { parcelId: "p-8", grams: "9007199254740993", labels: [], lane: "LANE_NORTH" } });

    const incompatible = schema.replace("int64 grams = 2;", "string grams = 2;");
    const refusal = await registry.register({ type: SchemaType.PROTOBUF, schema: incompatible }, { subject: `${topic}-value` }).catch((error: unknown) => error);
    expect(refusal).toMatchObject({ status: 409 });
    expect(String((refusal as Error).message)).toContain("FIELD_SCALAR_KIND_CHANGED");
  });
});
