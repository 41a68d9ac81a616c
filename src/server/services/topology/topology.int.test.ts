// Integration: the topology of the demo system, running on the real broker with the demo catalog
// declared, as GET /api/topology.json serves it; and a consumer group started outside the catalog,
// which must show up as observed drift.
import { beforeAll, describe, expect, it } from "vitest";
import { closeConnectionsAfterAll } from "../../../../scripts/lib/test-support";
import { DEMO_EVENT_TYPES } from "~/demo/event-schemas";
import { DEMO_SERVICES } from "~/demo/order-flow";
import { startDemoSystem } from "~/demo/system";
import { getEnv } from "~/env";
import { sleep } from "~/lib/time";
import { fetchRecords, runGroupConsumer, type GroupConsumer } from "~/server/broker";
import { recordProducerObservations } from "~/server/catalog";
import { clusterFromEnv } from "~/server/services/clusters/active-cluster";
import { Sampler } from "~/server/services/lag/sampler";
import { catchUpDlqIndex } from "~/server/services/dlq/indexer";
import { applyDeclaredCatalog } from "~/server/services/schemas/declared-catalog";
import { ProducerSampler } from "./producer-sampler";
import { declareSubscription, getTopology } from "./topology";
import type { Topology } from "./types";

const env = getEnv();
const cluster = clusterFromEnv(env);
const architect = { email: "architect@signalbox.local", name: "Ari Architect", role: "architect" as const };
const outsider = `it-topology-fraud-check-${Date.now()}`;

let demo: Awaited<ReturnType<typeof startDemoSystem>> | null = null;
let outsiderConsumer: GroupConsumer | null = null;
let topology: Topology;

const edge = (type: string, from: string, to: string) => topology.edges.find((e) => e.id === `${type}:${from}->${to}`);

/** Two lag samples (rates need two), then a producer pass over what they saw. */
async function observe(): Promise<void> {
  const sampler = new Sampler(cluster, { metadataIntervalMs: 60_000, statusWindow: 3, concurrency: 4 });
  await sampler.persist(await sampler.cycle());
  await sleep(1500);
  const snapshot = await sampler.cycle();
  await sampler.persist(snapshot);
  const producers = new ProducerSampler(
    async (topic, positions) => (await fetchRecords(cluster, topic, positions)).map((f) => ({ partition: f.partition, records: f.records })),
    { sampleSize: 20, producerHeader: null, concurrency: 4 },
  );
  const pass = await producers.pass(snapshot);
  expect(pass.failures).toEqual([]);
  await recordProducerObservations(cluster.name, pass.observations, { sampledAt: new Date(), topics: pass.topicsRead, records: pass.records });
  // The worker indexes every DLQ on an interval; here the test does it once, so the records' headers are read.
  await catchUpDlqIndex(cluster, "payments.DLQ");
}

beforeAll(async () => {
  await applyDeclaredCatalog(architect, cluster.name, { services: DEMO_SERVICES, eventTypes: DEMO_EVENT_TYPES });
  demo = await startDemoSystem(cluster, { ordersPerSec: 20, paymentFailureRate: 0.1, paymentDeclineRate: 0.1, notificationDelayMs: 5 });
  // A team started this consumer without telling the catalog.
  outsiderConsumer = await runGroupConsumer({ ...cluster, name: `${cluster.name}:outsider` }, { groupId: outsider, topics: ["orders"], eachRecord: async () => undefined });
  // Let every service consume and produce, so each flow has traffic and commits.
  const deadline = Date.now() + 60_000;
  while ((demo.stats.notificationsSent < 10 || demo.stats.stockReserved < 10 || demo.stats.deadLettered < 3) && Date.now() < deadline) await sleep(250);
  await sleep(2000);
  await observe();
  topology = await getTopology(env, cluster.name);
});

closeConnectionsAfterAll(async () => {
  await outsiderConsumer?.stop();
  await demo?.stop();
});

describe("the demo system's topology on a real broker", () => {
  it("shows order-service → orders → payment-service (group) → payment-service, declared and observed", () => {
    expect(edge("produces", "service:order-service", "topic:orders")).toMatchObject({ source: "both", eventTypes: ["OrderCancelled", "OrderPlaced"] });
    expect(edge("consumed-by", "topic:orders", "group:payment-service")).toMatchObject({ source: "both" });
    expect(edge("runs-as", "group:payment-service", "service:payment-service")).toMatchObject({ source: "both" });
    expect(edge("produces", "service:order-service", "topic:orders")?.rate).toBeGreaterThan(0);
  });

  it("shows the other flows: payments, inventory and notifications", () => {
    expect(edge("produces", "service:payment-service", "topic:payments")).toMatchObject({ source: "both" });
    expect(edge("consumed-by", "topic:orders", "group:inventory-service")).toMatchObject({ source: "both" });
    // The saga's way back: inventory reserves paid orders, payment refunds what it cannot reserve,
    // and order-service cancels what was declined or refunded.
    expect(edge("consumed-by", "topic:payments", "group:inventory-service")).toMatchObject({ source: "both" });
    expect(edge("consumed-by", "topic:inventory", "group:payment-service")).toMatchObject({ source: "both" });
    expect(edge("consumed-by", "topic:payments", "group:order-service")).toMatchObject({ source: "both" });
    expect(edge("produces", "service:inventory-service", "topic:inventory")).toMatchObject({ source: "both" });
    expect(edge("consumed-by", "topic:orders", "group:notification-service")).toMatchObject({ source: "both" });
    expect(edge("consumed-by", "topic:payments", "group:notification-service")).toMatchObject({ source: "both" });
    expect(edge("produces", "service:notification-service", "topic:notifications")).toMatchObject({ source: "both" });
  });

  it("marks the dead-letter topic and carries live group status", () => {
    expect(topology.nodes.find((n) => n.id === "topic:payments.DLQ")).toMatchObject({ type: "topic", isDlq: true });
    const group = topology.nodes.find((n) => n.id === "group:payment-service");
    expect(group).toMatchObject({ type: "group", source: "both", members: 1 });
    expect(group && "status" in group ? group.status : null).not.toBeNull();
  });

  it("draws payments.DLQ where it belongs: written by payment-service, linked back to orders, whose records it holds", () => {
    // The demo names its DLQ after the service, and its records' headers (x-original-topic) say orders:
    // the headers win over the name, and of the groups reading orders the name picks payment-service.
    const from = edge("dead-letters-from", "topic:orders", "topic:payments.DLQ");
    expect(from).toMatchObject({ type: "dead-letters-from", source: "observed" });
    expect(from?.evidence).toContain("record-headers");
    expect(edge("dead-letters-from", "topic:payments", "topic:payments.DLQ")).toBeUndefined();
    expect(edge("dead-letters", "service:payment-service", "topic:payments.DLQ")).toMatchObject({ type: "dead-letters", evidence: ["name-match", "record-headers"] });
    // Writing a DLQ is not producing events: no produce edge and no producer drift for it.
    expect(topology.edges.filter((e) => e.type === "produces" && e.to === "topic:payments.DLQ")).toEqual([]);
  });

  it("shows a consumer group started outside the catalog as observed drift, and declaring it clears the drift", async () => {
    expect(topology.nodes.find((n) => n.id === `group:${outsider}`)).toMatchObject({ source: "observed" });
    expect(edge("consumed-by", "topic:orders", `group:${outsider}`)).toMatchObject({ source: "observed" });
    const drift = topology.drift.find((d) => d.id === `undeclared-group:${outsider}`);
    expect(drift).toMatchObject({ kind: "undeclared-group", fix: { action: "declare-subscription", groupId: outsider, topics: ["orders"], eventTypes: ["OrderCancelled", "OrderPlaced"] } });

    await declareSubscription(architect, cluster.name, { service: { name: "fraud-check", team: "risk" }, consumerGroupId: outsider, topics: ["orders"], eventTypes: ["OrderPlaced"] });
    const after = await getTopology(env, cluster.name);
    expect(after.drift.some((d) => d.id === `undeclared-group:${outsider}`)).toBe(false);
    expect(after.edges.find((e) => e.id === `runs-as:group:${outsider}->service:fraud-check`)).toMatchObject({ source: "declared" });
    expect(after.nodes.find((n) => n.id === "service:fraud-check")).toMatchObject({ team: "risk" });
  });
});
