// Integration: conformance of real messages on a real broker, stored in PostgreSQL, and the
// validation service other features call.
import { describe, expect, it } from "vitest";
import { closeConnectionsAfterAll } from "../../../../scripts/lib/test-support";
import { encodeConfluentFrame } from "~/lib/wire-format";
import { getEnv } from "~/env";
import { createProducer, ensureTopics, listConsumerGroupIds } from "~/server/broker";
import { listAudit } from "~/server/catalog";
import { AppError } from "~/server/errors";
import { clusterFromEnv } from "~/server/services/clusters/active-cluster";
import { checkConformanceNow } from "./conformance";
import { getEventType, registerEventType } from "./event-types";
import { validateEventPayload } from "./validate-payload";

const run = Date.now().toString(36);
const architect = { email: "architect@signalbox.local", name: "Ari", role: "architect" as const };
const cluster = clusterFromEnv(getEnv());
const name = `ParcelWeighed${run}`;
const topic = `it-conformance-${run}`;
const schema = {
  type: "object",
  additionalProperties: false,
  required: ["eventType", "parcelId", "grams"],
  properties: { eventType: { const: name }, parcelId: { type: "string" }, grams: { type: "integer", minimum: 0 } },
};

closeConnectionsAfterAll();

describe("conformance of live traffic", () => {
  it("samples the bound topic, counts what validates, and keeps example violations with paths; binary never crashes it", async () => {
    const created = await registerEventType(architect, cluster.name, { name, domain: "parcels", owner: "logistics", description: "", topics: [topic], compatibility: null, schema: JSON.stringify(schema) });
    expect(created).toMatchObject({ status: "created", version: 1 });
    await ensureTopics(cluster, [{ topic, numPartitions: 2 }]);
    const producer = await createProducer(cluster);
    const good = (i: number) => ({ key: `p${i}`, value: JSON.stringify({ eventType: name, parcelId: `p${i}`, grams: 100 + i }) });
    await producer.send(topic, [
      ...Array.from({ length: 6 }, (_, i) => good(i)),
      { key: "bad-type", value: JSON.stringify({ eventType: name, parcelId: "p9", grams: "heavy" }) },
      { key: "missing", value: JSON.stringify({ eventType: name, grams: 5 }) },
      { key: "binary", value: Buffer.from([0xde, 0xad, 0xbe, 0xef, 0x00, 0xff]) },
      { key: "html", value: "<script>alert(1)</script>" },
      { key: "nul", value: Buffer.from("text with a \u0000 NUL byte") },
      { key: "framed", value: Buffer.from(encodeConfluentFrame(created.status === "created" ? created.schemaId : 1, Buffer.from(JSON.stringify({ eventType: name, parcelId: "pf", grams: 7 })))) },
      { key: "other", value: JSON.stringify({ eventType: "SomethingElse", anything: true }) },
    ]);
    await producer.disconnect();

    const groupsBefore = await listConsumerGroupIds(cluster);
    const row = await checkConformanceNow(architect, cluster, name, 100);
    expect(row).toMatchObject({ sampled: 12, conforming: 7 });
    // Sampling reads with plain fetches: no consumer group is left behind.
    expect(await listConsumerGroupIds(cluster)).toEqual(groupsBefore);

    const reasons = row!.violations.map((v) => v.reason).sort();
    expect(reasons).toEqual(["1 schema error against v1", "1 schema error against v1", "binary data (6 bytes, not UTF-8 text)", expect.stringMatching(/^not JSON/), expect.stringMatching(/^not JSON/)]);
    const paths = row!.violations.flatMap((v) => v.errors.map((e) => `${e.path} ${e.message}`));
    expect(paths).toEqual(expect.arrayContaining(["/grams must be integer", "/parcelId is required but missing"]));
    const previews = row!.violations.map((v) => v.preview);
    expect(previews).toContain("<script>alert(1)</script>");
    expect(previews).toContain("text with a \\u0000 NUL byte");

    const view = await getEventType(name);
    expect(view.conformance[0]).toMatchObject({ sampled: 12, conforming: 7, topics: [{ topic, sampled: 12, conforming: 7, error: null }] });
    expect((await listAudit({ limit: 20 })).some((a) => a.action === "conformance.check" && a.targetId === name)).toBe(true);
  });

  it("validateEventPayload answers valid / invalid with paths / unknown-type, for bytes, framed bytes, text or values", async () => {
    const version = (await getEventType(name)).versions[0]!;
    expect(await validateEventPayload(cluster.name, name, { eventType: name, parcelId: "x", grams: 1 })).toEqual({ status: "valid", errors: [], schemaVersion: 1 });
    expect(await validateEventPayload(cluster.name, name, Buffer.from(JSON.stringify({ eventType: name, grams: -1 })))).toEqual({
      status: "invalid",
      errors: expect.arrayContaining([{ path: "/parcelId", message: "is required but missing" }, { path: "/grams", message: "must be >= 0" }]),
      schemaVersion: 1,
    });
    const framed = encodeConfluentFrame(version.schemaId, new TextEncoder().encode(JSON.stringify({ eventType: name, parcelId: "x", grams: 2 })));
    expect(await validateEventPayload(cluster.name, name, framed)).toMatchObject({ status: "valid", schemaVersion: 1 });
    expect(await validateEventPayload(cluster.name, name, "not json")).toMatchObject({ status: "invalid", errors: [{ path: "/", message: expect.stringMatching(/^not JSON/) }] });
    expect(await validateEventPayload(cluster.name, "NoSuchType", "{}")).toEqual({ status: "unknown-type", errors: [], schemaVersion: null });
  });

  it("says so when a bound topic does not exist, instead of a broker error", async () => {
    const lonely = `Unpublished${run}`;
    await registerEventType(architect, cluster.name, { name: lonely, domain: "d", owner: "o", description: "", topics: [`it-missing-${run}`], compatibility: null, schema: "{}" });
    const row = await checkConformanceNow(architect, cluster, lonely, 10);
    expect(row).toMatchObject({ sampled: 0, topics: [{ topic: `it-missing-${run}`, error: `Topic "it-missing-${run}" does not exist in cluster "${cluster.name}".` }] });
  });

  it("refuses a duplicate event type name and changes nothing", async () => {
    const again = registerEventType(architect, cluster.name, { name, domain: "x", owner: "y", description: "", topics: [], compatibility: null, schema: "{}" });
    await expect(again).rejects.toThrow(AppError);
    await expect(again).rejects.toThrow(/already exists/);
    expect((await getEventType(name)).versions).toHaveLength(1);
  });
});
