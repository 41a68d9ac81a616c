// Integration: producing one record from the console on a real broker, read back with kcat. A
// schema-invalid event and a masked copy are refused and write nothing; a valid one lands where
// the result says, with its key and headers, once even when submitted twice, and is audited.
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { closeConnectionsAfterAll } from "../../../../scripts/lib/test-support";
import { kcatConsume, kcatHeader } from "../../../../scripts/lib/kcat";
import { getEnv } from "~/env";
import { ensureTopics } from "~/server/broker";
import { listAudit } from "~/server/catalog";
import { clusterFromEnv } from "~/server/services/clusters/active-cluster";
import { MASK_MARKER } from "~/server/services/masking/masking";
import { parseConfluentFrame } from "~/lib/wire-format";
import { registerEventType } from "~/server/services/schemas/event-types";
import { decodeWith, parseSchema } from "~/server/services/schemas/formats";
import { produceMessage } from "./produce";
import { produceRequestSchema } from "./produce.types";

const env = getEnv();
const cluster = clusterFromEnv(env);
const bootstrap = cluster.brokers[0]!;
const run = `it-produce-${Date.now()}`;
const topic = `${run}-orders`;
const eventType = `ProducedOrder${Date.now()}`;
const support = { email: "support@signalbox.local", name: "Support", role: "support" as const };
const event = (amount: unknown) => JSON.stringify({ eventId: `${run}-1`, eventType, timestamp: new Date().toISOString(), source: "it", data: { amount } });

beforeAll(async () => {
  await ensureTopics(cluster, [{ topic, numPartitions: 3 }]);
  const schema = { type: "object", required: ["data"], properties: { data: { type: "object", required: ["amount"], properties: { amount: { type: "number" } } } } };
  await registerEventType({ ...support, role: "architect" as const }, cluster.name, { name: eventType, domain: "it", owner: "it", description: "", topics: [], compatibility: null, schema: JSON.stringify(schema) });
});

closeConnectionsAfterAll();

describe("produceMessage", () => {
  it("refuses a schema-invalid event, a masked copy and a missing partition, writing nothing", async () => {
    await expect(produceMessage(support, cluster, produceRequestSchema.parse({ topic, value: event("12.50") }))).rejects.toThrow(/Nothing was written: \/data\/amount: .*must be number/);
    await expect(produceMessage(support, cluster, produceRequestSchema.parse({ topic, value: `{"card":"${MASK_MARKER}"}` }))).rejects.toThrow(/masked fields/);
    await expect(produceMessage(support, cluster, produceRequestSchema.parse({ topic, partition: 3, value: "x" }))).rejects.toThrow(/has partitions 0 to 2; there is no partition 3/);
    await expect(produceMessage(support, cluster, produceRequestSchema.parse({ topic: `${run}-missing`, value: "x" }))).rejects.toThrow(/does not exist/);
    expect(await kcatConsume(bootstrap, topic)).toEqual([]);
  });

  it("writes a valid event once, where it says, with its key and headers, and audits it", async () => {
    const request = produceRequestSchema.parse({ topic, partition: 2, key: "order-7", headers: [{ key: "x-fix", value: "ticket-42" }, { key: "x-fix", value: "again" }], value: event(12.5), idempotencyKey: randomUUID() });
    const [first, second] = await Promise.all([produceMessage(support, cluster, request), produceMessage(support, cluster, request)]);
    expect(second).toEqual(first);
    expect(first).toMatchObject({ partition: 2, offset: "0", check: { ok: true, eventType, eventId: `${run}-1`, validation: { status: "valid" } } });

    const records = await kcatConsume(bootstrap, topic);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ partition: 2, offset: 0 });
    expect(records[0]!.key?.toString()).toBe("order-7");
    expect(JSON.parse(records[0]!.value!.toString()).data.amount).toBe(12.5);
    expect(kcatHeader(records[0]!, "x-fix")).toEqual(["ticket-42", "again"]);

    const [entry] = (await listAudit({ limit: 20 })).filter((e) => e.action === "topic.produce" && e.targetId === topic);
    expect(entry?.details).toMatchObject({ partition: 2, offset: "0", key: "order-7", headers: ["x-fix", "x-fix"], eventType });
    expect(JSON.stringify(entry?.details)).not.toContain("12.5");
  });

  it("encodes a JSON value with an Avro schema id in Confluent's wire format; a value the schema cannot hold, or an unknown id, writes nothing", async () => {
    const avroTopic = `${run}-avro`;
    await ensureTopics(cluster, [{ topic: avroTopic, numPartitions: 1 }]);
    const name = `ProducedRefund${Date.now()}`;
    const schemaText = JSON.stringify({ type: "record", name, namespace: "it.produce", fields: [{ name: "refundId", type: "string" }, { name: "amount", type: "int" }] });
    const registered = await registerEventType({ ...support, role: "architect" as const }, cluster.name, { name, domain: "it", owner: "it", description: "", topics: [], compatibility: null, schema: schemaText, schemaType: "AVRO" });
    if (registered.status !== "created") throw new Error(`not registered: ${JSON.stringify(registered)}`);

    const request = (value: unknown, schemaId = registered.schemaId) => produceRequestSchema.parse({ topic: avroTopic, key: "r-1", value: JSON.stringify(value), schemaId });
    await expect(produceMessage(support, cluster, request({ refundId: "r-1", amount: "five" }))).rejects.toThrow(new RegExp(`schema ${registered.schemaId} \\(AVRO\\)`));
    await expect(produceMessage(support, cluster, request({ refundId: "r-1", amount: 5 }, 2_000_000_000))).rejects.toThrow(/No schema with id 2000000000/);
    expect(await kcatConsume(bootstrap, avroTopic)).toEqual([]);

    await produceMessage(support, cluster, request({ refundId: "r-1", amount: 5 }));
    const [record] = await kcatConsume(bootstrap, avroTopic);
    const frame = parseConfluentFrame(record!.value!);
    expect(frame?.schemaId).toBe(registered.schemaId);
    const parsed = parseSchema("AVRO", schemaText);
    if (!parsed.ok) throw new Error(parsed.problems.join("; "));
    expect(decodeWith(parsed, frame!.payload)).toMatchObject({ ok: true, value: { refundId: "r-1", amount: 5 } });
    const [entry] = (await listAudit({ limit: 20 })).filter((e) => e.action === "topic.produce" && e.targetId === avroTopic);
    expect(entry?.details).toMatchObject({ schemaId: registered.schemaId, valueBytes: record!.value!.length });
  });
});
