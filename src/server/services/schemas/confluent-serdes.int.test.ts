// Integration: Confluent's own JavaScript serializers (@confluentinc/schemaregistry) against
// Signalbox's registry API (the real route handler over HTTP): for Avro, Protobuf and JSON Schema,
// each registers its schema, serializes a record, produces it to the real broker, consumes it,
// deserializes it with Confluent's deserializer, and Signalbox decodes the same bytes.
import { create, createFileRegistry, createMutableRegistry, fromBinary } from "@bufbuild/protobuf";
import { FileDescriptorProtoSchema } from "@bufbuild/protobuf/wkt";
import {
  AvroDeserializer,
  AvroSerializer,
  JsonDeserializer,
  JsonSerializer,
  ProtobufDeserializer,
  ProtobufSerializer,
  SchemaRegistryClient,
  SerdeType,
} from "@confluentinc/schemaregistry";
import { beforeAll, describe, expect, it } from "vitest";
import { closeConnectionsAfterAll } from "../../../../scripts/lib/test-support";
import { getEnv } from "~/env";
import { createProducer, ensureTopics, runGroupConsumer } from "~/server/broker";
import { createToken } from "~/server/services/auth/tokens";
import { clusterFromEnv } from "~/server/services/clusters/active-cluster";
import { decodeValue } from "./decode-value";
import { parseSchema } from "./formats";
import { fileDescriptorBytes } from "./protobuf";
import { serveRegistryRoute } from "./registry-test-server";
import { decodeFramedValue, schemaById } from "./schema-decoding";

const run = Date.now().toString(36);
let base = "";
let close = () => {};
let client: SchemaRegistryClient;
const admin = { email: "serdes-it@signalbox.local", name: "Serdes IT", role: "admin" as const };

beforeAll(async () => {
  ({ base, close } = await serveRegistryRoute());
  const token = await createToken(admin, { name: `confluent-serdes-${run}`, role: "architect" });
  client = new SchemaRegistryClient({ baseURLs: [base], basicAuthCredentials: { credentialsSource: "USER_INFO", userInfo: `${token.name}:${token.secret}` }, cacheCapacity: 100, maxRetries: 0 });
});

closeConnectionsAfterAll(async () => close());

/** Produces one value to a fresh topic, then consumes it back with a consumer group: the bytes as they came off the broker. */
async function roundTrip(topic: string, value: Buffer): Promise<Buffer> {
  const cluster = clusterFromEnv(getEnv());
  await ensureTopics(cluster, [{ topic, numPartitions: 1 }]);
  const producer = await createProducer(cluster);
  await producer.send(topic, [{ key: "k", value }]);
  await producer.disconnect();
  const stop: { stop(): Promise<void> }[] = [];
  const received = new Promise<Buffer>((resolve) => {
    void runGroupConsumer(cluster, { groupId: `it-confluent-serdes-${topic}`, topics: [topic], eachRecord: async (record) => resolve(record.value!) }).then((c) => stop.push(c));
  });
  const bytes = await received;
  await Promise.all(stop.map((c) => c.stop()));
  return bytes;
}

describe("Confluent's serializers (@confluentinc/schemaregistry) through Signalbox's registry", () => {
  it("Avro: registers, serializes, produces, consumes, deserializes; Signalbox decodes the same bytes", async () => {
    const topic = `it-serdes-avro-${run}`;
    const schema = { type: "record", name: `RefundIssued${run}`, namespace: "com.acme", fields: [{ name: "refundId", type: "string" }, { name: "cents", type: "long" }] };
    const id = await client.register(`${topic}-value`, { schemaType: "AVRO", schema: JSON.stringify(schema) });
    const serializer = new AvroSerializer(client, SerdeType.VALUE, { useLatestVersion: true });
    const value = { refundId: "r-1", cents: 450 };
    const bytes = await roundTrip(topic, await serializer.serialize(topic, value));
    expect(bytes.readInt32BE(1)).toBe(id);
    expect(await new AvroDeserializer(client, SerdeType.VALUE, {}).deserialize(topic, bytes)).toEqual(value);
    expect((await decodeFramedValue(bytes))?.json).toEqual(value);
  });

  it("Protobuf: registers a .proto, serializes a message (Signalbox serves format=serialized), deserializes; Signalbox decodes it", async () => {
    const topic = `it-serdes-proto-${run}`;
    const proto = `syntax = "proto3";\npackage acme.it${run};\nmessage CourierAssigned {\n  string courier_id = 1;\n  int32 zone = 2;\n}\n`;
    const id = await client.register(`${topic}-value`, { schemaType: "PROTOBUF", schema: proto });
    // The message type as Confluent's serializer takes it: a @bufbuild/protobuf descriptor, built here from the .proto.
    const parsed = parseSchema("PROTOBUF", proto);
    if (!parsed.ok || parsed.schemaType !== "PROTOBUF") throw new Error("the .proto does not parse");
    const files = createFileRegistry(fromBinary(FileDescriptorProtoSchema, fileDescriptorBytes(parsed, "courier.proto")), () => undefined);
    const desc = files.getMessage(`acme.it${run}.CourierAssigned`)!;
    const serializer = new ProtobufSerializer(client, SerdeType.VALUE, { useLatestVersion: true, registry: createMutableRegistry(files) });
    const bytes = await roundTrip(topic, await serializer.serialize(topic, create(desc, { courierId: "c-9", zone: 3 })));
    expect(bytes.readInt32BE(1)).toBe(id);
    expect(await new ProtobufDeserializer(client, SerdeType.VALUE, {}).deserialize(topic, bytes)).toMatchObject({ courierId: "c-9", zone: 3 });
    expect((await decodeFramedValue(bytes))?.json).toEqual({ courierId: "c-9", zone: 3 });
  });

  it("JSON Schema: registers, serializes (validating), deserializes; Signalbox reads the framed JSON and its schema id", async () => {
    const topic = `it-serdes-json-${run}`;
    const schema = { $schema: "http://json-schema.org/draft-07/schema#", title: `DriverRated${run}`, type: "object", additionalProperties: false, required: ["driverId"], properties: { driverId: { type: "string" }, stars: { type: "integer" } } };
    const id = await client.register(`${topic}-value`, { schemaType: "JSON", schema: JSON.stringify(schema) });
    const serializer = new JsonSerializer(client, SerdeType.VALUE, { useLatestVersion: true, validate: true });
    const value = { driverId: "d-3", stars: 5 };
    await expect(serializer.serialize(topic, { stars: "five" })).rejects.toThrow();
    const bytes = await roundTrip(topic, await serializer.serialize(topic, value));
    expect(bytes.readInt32BE(1)).toBe(id);
    expect(await new JsonDeserializer(client, SerdeType.VALUE, { validate: true }).deserialize(topic, bytes)).toEqual(value);
    expect(decodeValue(bytes, () => undefined)).toEqual({ kind: "json", value, schemaId: id });
    expect((await schemaById(id))?.schemaType).toBe("JSON");
  });
});
