import { describe, expect, it } from "vitest";
import { buildTopology } from "./build";
import type { BuildOptions, DeclaredSystem, ObservedSystem } from "./types";

const NOW = Date.parse("2026-11-23T10:00:00Z");

const options: BuildOptions = {
  cluster: "local",
  now: NOW,
  producerRecentMs: 15 * 60_000,
  isDlqTopic: (t) => t.endsWith(".DLQ"),
  dlqPatterns: ["*.DLQ"],
  isInternalGroup: (g) => g.startsWith("signalbox-internal-"),
};

// The demo's order flow, as the catalog declares it.
const declared: DeclaredSystem = {
  services: [
    { name: "order-service", team: "checkout", description: "Takes orders" },
    { name: "payment-service", team: "payments", description: null },
    { name: "notification-service", team: "customer-comms", description: null },
  ],
  eventTypes: [
    { name: "OrderPlaced", domain: "orders", owner: "checkout" },
    { name: "PaymentSucceeded", domain: "payments", owner: "payments" },
  ],
  bindings: [
    { eventType: "OrderPlaced", topic: "orders" },
    { eventType: "PaymentSucceeded", topic: "payments" },
  ],
  producers: [
    { service: "order-service", eventType: "OrderPlaced" },
    { service: "payment-service", eventType: "PaymentSucceeded" },
  ],
  subscriptions: [
    { service: "payment-service", eventType: "OrderPlaced", topic: "orders", consumerGroupId: "payment-service" },
    { service: "notification-service", eventType: "PaymentSucceeded", topic: "payments", consumerGroupId: "notification-service" },
  ],
};

function group(groupId: string, topics: string[], extra: Partial<ObservedSystem["groups"][number]> = {}): ObservedSystem["groups"][number] {
  return {
    groupId,
    state: "Stable",
    status: "OK",
    totalLag: 0,
    maxLagSeconds: 0,
    consumeRate: 5,
    consumeRateByTopic: Object.fromEntries(topics.map((t) => [t, 5])),
    topics,
    memberClientIds: [groupId],
    members: 1,
    ...extra,
  };
}

const observed: ObservedSystem = {
  sampledAt: NOW - 2_000,
  topics: [
    { topic: "orders", partitions: 3, produceRate: 5 },
    { topic: "payments", partitions: 3, produceRate: 4 },
    { topic: "payments.DLQ", partitions: 1, produceRate: 0.4 },
    { topic: "__consumer_offsets", partitions: 50, produceRate: 1 },
  ],
  groups: [group("payment-service", ["orders"]), group("notification-service", ["payments"], { status: "ERR", totalLag: 240 })],
  producersSampledAt: NOW - 30_000,
  producers: [
    { topic: "orders", service: "order-service", eventType: "OrderPlaced", messages: 20, lastSeen: NOW - 40_000 },
    { topic: "payments", service: "payment-service", eventType: "PaymentSucceeded", messages: 20, lastSeen: NOW - 40_000 },
  ],
};

const find = <T extends { id: string }>(list: T[], id: string) => list.find((x) => x.id === id);

describe("buildTopology: merging declared with observed", () => {
  const topology = buildTopology(declared, observed, options);

  it("draws service → topic → group → service for each declared flow that the broker confirms", () => {
    expect(find(topology.edges, "produces:service:order-service->topic:orders")).toMatchObject({ source: "both", rate: 5, eventTypes: ["OrderPlaced"] });
    expect(find(topology.edges, "consumed-by:topic:orders->group:payment-service")).toMatchObject({ source: "both", rate: 5 });
    expect(find(topology.edges, "runs-as:group:payment-service->service:payment-service")).toMatchObject({ source: "both" });
    expect(find(topology.nodes, "topic:orders")).toMatchObject({ source: "both", partitions: 3, produceRate: 5, eventTypes: [{ name: "OrderPlaced", domain: "orders" }] });
  });

  it("leaves Kafka's internal topics out", () => {
    expect(topology.nodes.some((n) => n.label === "__consumer_offsets")).toBe(false);
  });

  it("marks DLQ topics and carries group lag and status", () => {
    expect(find(topology.nodes, "topic:payments.DLQ")).toMatchObject({ isDlq: true, source: "observed" });
    expect(find(topology.nodes, "group:notification-service")).toMatchObject({ status: "ERR", totalLag: 240, source: "both" });
  });

  it("marks a DLQ the index finds growing, and only DLQs", () => {
    expect(find(topology.nodes, "topic:payments.DLQ")).toMatchObject({ dlqGrowing: false });
    const growing = buildTopology(declared, { ...observed, growingDlqs: ["payments.DLQ", "orders"] }, options);
    expect(find(growing.nodes, "topic:payments.DLQ")).toMatchObject({ dlqGrowing: true });
    expect(find(growing.nodes, "topic:orders")).toMatchObject({ dlqGrowing: false });
  });

  it("collects filter vocabularies from the catalog", () => {
    expect(topology.domains).toEqual(["orders", "payments"]);
    expect(topology.teams).toEqual(["checkout", "customer-comms", "payments"]);
  });

  it("reports only real drift for an agreeing system: the undeclared DLQ topic", () => {
    expect(topology.drift.map((d) => d.id)).toEqual(["undeclared-topic:payments.DLQ"]);
  });
});

describe("buildTopology: drift", () => {
  it("a consumer group the catalog does not declare is observed drift, with a subscription to declare", () => {
    const t = buildTopology(declared, { ...observed, groups: [...observed.groups, group("fraud-check", ["orders", "payments"], { memberClientIds: ["rdkafka"] })] }, options);
    expect(find(t.nodes, "group:fraud-check")).toMatchObject({ source: "observed" });
    expect(find(t.edges, "consumed-by:topic:orders->group:fraud-check")).toMatchObject({ source: "observed" });
    const item = t.drift.find((d) => d.kind === "undeclared-group");
    expect(item).toMatchObject({
      nodeId: "group:fraud-check",
      fix: { action: "declare-subscription", groupId: "fraud-check", topics: ["orders", "payments"], serviceGuess: null, eventTypes: ["OrderPlaced", "PaymentSucceeded"] },
    });
  });

  it("guesses the service of an undeclared group from a member's client id", () => {
    const t = buildTopology(declared, { ...observed, groups: [...observed.groups, group("payment-service-v2", ["orders"], { memberClientIds: ["payment-service"] })] }, options);
    expect(t.drift.find((d) => d.kind === "undeclared-group")?.fix).toMatchObject({ serviceGuess: "payment-service" });
    expect(find(t.edges, "runs-as:group:payment-service-v2->service:payment-service")).toMatchObject({ source: "observed" });
  });

  it("a declared subscription with no live group is drift, once the broker has been sampled", () => {
    const noNotifier = { ...observed, groups: observed.groups.filter((g) => g.groupId !== "notification-service") };
    const t = buildTopology(declared, noNotifier, options);
    expect(find(t.nodes, "group:notification-service")).toMatchObject({ source: "declared", status: null });
    expect(t.drift.map((d) => d.kind)).toContain("subscription-without-group");
    // Before the first sample nothing is known to be missing.
    const early = buildTopology(declared, { ...noNotifier, sampledAt: null, topics: [], groups: [] }, options);
    expect(early.drift.filter((d) => d.kind === "subscription-without-group" || d.kind === "missing-topic")).toEqual([]);
  });

  it("a producer seen in messages but not declared is drift, with the event types seen", () => {
    const t = buildTopology(declared, { ...observed, producers: [...observed.producers, { topic: "orders", service: "legacy-shop", eventType: "OrderPlaced", messages: 5, lastSeen: NOW - 1000 }] }, options);
    expect(find(t.nodes, "service:legacy-shop")).toMatchObject({ source: "observed" });
    expect(t.drift.find((d) => d.kind === "undeclared-producer")).toMatchObject({
      nodeId: "service:legacy-shop",
      fix: { action: "declare-producer", service: "legacy-shop", topic: "orders", eventTypes: ["OrderPlaced"] },
    });
  });

  it("a declared producer with no recent messages is silent drift; an old sighting does not count", () => {
    const stale = observed.producers.map((p) => (p.service === "payment-service" ? { ...p, lastSeen: NOW - 60 * 60_000 } : p));
    const t = buildTopology(declared, { ...observed, producers: stale }, options);
    expect(t.drift.find((d) => d.kind === "silent-producer")).toMatchObject({ id: "silent-producer:payment-service:payments", nodeId: "service:payment-service" });
    expect(find(t.edges, "produces:service:payment-service->topic:payments")).toMatchObject({ source: "declared" });
  });

  it("says nothing about silence before producers were ever sampled", () => {
    const t = buildTopology(declared, { ...observed, producers: [], producersSampledAt: null }, options);
    expect(t.drift.filter((d) => d.kind === "silent-producer")).toEqual([]);
  });

  it("a declared topic the broker lacks is drift", () => {
    const t = buildTopology(declared, { ...observed, topics: observed.topics.filter((x) => x.topic !== "payments") }, options);
    expect(t.drift.find((d) => d.kind === "missing-topic")).toMatchObject({ nodeId: "topic:payments" });
    expect(find(t.nodes, "topic:payments")).toMatchObject({ source: "declared", partitions: null });
  });

  it("never draws Signalbox's own reader groups", () => {
    const t = buildTopology(declared, { ...observed, groups: [...observed.groups, group("signalbox-internal-sampler", ["orders"])] }, options);
    expect(t.nodes.some((n) => n.label.startsWith("signalbox-internal"))).toBe(false);
    expect(t.drift.some((d) => d.nodeId.includes("signalbox-internal"))).toBe(false);
  });
});

describe("buildTopology: producer inference and edge rates", () => {
  it("splits a topic's produce rate between producers by their share of sampled messages", () => {
    const t = buildTopology(declared, { ...observed, producers: [...observed.producers, { topic: "orders", service: "legacy-shop", eventType: null, messages: 5, lastSeen: NOW }] }, options);
    expect(find(t.edges, "produces:service:order-service->topic:orders")?.rate).toBeCloseTo(4);
    expect(find(t.edges, "produces:service:legacy-shop->topic:orders")?.rate).toBeCloseTo(1);
  });

  it("gives a sole declared producer the topic's whole rate when nothing was sampled", () => {
    const t = buildTopology(declared, { ...observed, producers: [], producersSampledAt: null }, options);
    expect(find(t.edges, "produces:service:order-service->topic:orders")).toMatchObject({ source: "declared", rate: 5 });
  });

  it("an observed-only system (empty catalog) still draws producers, topics and groups", () => {
    const empty: DeclaredSystem = { services: [], eventTypes: [], bindings: [], producers: [], subscriptions: [] };
    const t = buildTopology(empty, observed, options);
    expect(t.nodes.every((n) => n.source === "observed")).toBe(true);
    expect(find(t.edges, "produces:service:order-service->topic:orders")).toMatchObject({ source: "observed", rate: 5 });
    // The group's client id names a service seen producing, so runs-as is drawn too.
    expect(find(t.edges, "runs-as:group:payment-service->service:payment-service")).toMatchObject({ source: "observed" });
    expect(t.drift.filter((d) => d.kind === "undeclared-group").map((d) => d.nodeId)).toEqual(["group:notification-service", "group:payment-service"]);
  });

  it("uses the group's per-topic consume rate on consumed-by edges", () => {
    const t = buildTopology(declared, { ...observed, groups: [group("notification-service", ["orders", "payments"], { consumeRate: 3, consumeRateByTopic: { orders: 1, payments: 2 } })] }, options);
    expect(find(t.edges, "consumed-by:topic:orders->group:notification-service")?.rate).toBe(1);
    expect(find(t.edges, "consumed-by:topic:payments->group:notification-service")?.rate).toBe(2);
    expect(find(t.edges, "runs-as:group:notification-service->service:notification-service")?.rate).toBe(3);
  });
});

describe("buildTopology: dead-letter topics", () => {
  const fromOrders: ObservedSystem = { ...observed, deadLetterOrigins: [{ topic: "payments.DLQ", originTopic: "orders", records: 7 }] };

  it("links payments.DLQ back to the topic its records' headers name, and from the service that writes it", () => {
    const t = buildTopology(declared, fromOrders, options);
    expect(find(t.edges, "dead-letters-from:topic:orders->topic:payments.DLQ")).toMatchObject({ type: "dead-letters-from", source: "observed", evidence: ["record-headers"], rate: null });
    // orders has one reader here, payment-service, so it is the one that dead-letters.
    expect(find(t.edges, "dead-letters:service:payment-service->topic:payments.DLQ")).toMatchObject({ source: "observed", evidence: ["only-reader", "record-headers"], rate: 0.4 });
    expect(t.edges.filter((e) => e.to === "topic:payments.DLQ").map((e) => e.type).sort()).toEqual(["dead-letters", "dead-letters-from"]);
  });

  it("a DLQ the catalog declares with its source topic is a declared link", () => {
    const t = buildTopology({ ...declared, dlqDeclarations: [{ topic: "payments.DLQ", sourceTopic: "orders" }] }, observed, options);
    expect(find(t.edges, "dead-letters-from:topic:orders->topic:payments.DLQ")).toMatchObject({ source: "declared", evidence: ["catalog"] });
    expect(find(t.edges, "dead-letters:service:payment-service->topic:payments.DLQ")).toMatchObject({ source: "declared" });
  });

  it("a writer seen in the DLQ's records is a dead-letters edge, not an undeclared producer", () => {
    const sighting = { topic: "payments.DLQ", service: "payment-service", eventType: "OrderPlaced", messages: 3, lastSeen: NOW - 1000 };
    const t = buildTopology(declared, { ...fromOrders, producers: [...observed.producers, sighting] }, options);
    expect(find(t.edges, "produces:service:payment-service->topic:payments.DLQ")).toBeUndefined();
    expect(find(t.edges, "dead-letters:service:payment-service->topic:payments.DLQ")).toMatchObject({ source: "observed", evidence: ["sampled-writer"] });
    expect(find(t.edges, "dead-letters:service:payment-service->topic:payments.DLQ")?.rate).toBeCloseTo(0.4);
    expect(t.drift.filter((d) => d.kind === "undeclared-producer")).toEqual([]);
  });

  it("names the possible writers on the node when several groups read the source and none is singled out", () => {
    const t = buildTopology(declared, { ...fromOrders, groups: [...observed.groups, group("payment-audit", ["orders"], { memberClientIds: [] })] }, options);
    expect(t.edges.some((e) => e.type === "dead-letters")).toBe(false);
    expect(find(t.nodes, "topic:payments.DLQ")).toMatchObject({ deadLetterCandidates: ["group:payment-audit", "group:payment-service"] });
    expect(find(t.nodes, "topic:orders")).toMatchObject({ deadLetterCandidates: [] });
  });
});
