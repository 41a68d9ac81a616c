import { describe, expect, it } from "vitest";
import { buildTopology } from "~/server/services/topology/build";
import type { ObservedSystem } from "~/server/services/topology/types";
import { declaredOrderFlow } from "./__fixtures__/order-flow.fixtures";
import { filterTopology, NO_FILTER, pathThrough, structureKey } from "./graph-model";

const declared = declaredOrderFlow;
const observed: ObservedSystem = { sampledAt: null, topics: [], groups: [], producersSampledAt: null, producers: [] };
const topology = buildTopology(declared, observed, { cluster: "c", now: 0, producerRecentMs: 1, isDlqTopic: () => false, dlqPatterns: [], isInternalGroup: () => false });
const ids = (nodes: { id: string }[]) => nodes.map((n) => n.id).sort();

describe("filterTopology", () => {
  it("returns everything without a filter", () => {
    expect(filterTopology(topology, NO_FILTER).nodes).toHaveLength(topology.nodes.length);
  });

  it("narrows by domain to the topics of that domain and the flows through them", () => {
    const { nodes, edges } = filterTopology(topology, { ...NO_FILTER, domain: "payments" });
    expect(ids(nodes)).toEqual(["group:notification-service", "service:notification-service", "service:payment-service", "topic:payments"]);
    expect(edges.every((e) => nodes.some((n) => n.id === e.from) && nodes.some((n) => n.id === e.to))).toBe(true);
  });

  it("narrows by team to the team's services and their flows", () => {
    const { nodes } = filterTopology(topology, { ...NO_FILTER, team: "fulfilment" });
    expect(ids(nodes)).toEqual(["group:inventory-service", "service:inventory-service", "topic:inventory", "topic:orders"]);
  });

  it("narrows by topic name and by search, and combines filters", () => {
    expect(ids(filterTopology(topology, { ...NO_FILTER, topic: "INVENT" }).nodes)).toEqual(["service:inventory-service", "topic:inventory"]);
    expect(ids(filterTopology(topology, { ...NO_FILTER, search: "notification" }).nodes)).toContain("topic:payments");
    expect(filterTopology(topology, { ...NO_FILTER, domain: "payments", team: "checkout" }).nodes).toEqual([]);
  });

  it("narrows to a flow: the topics its event types travel on, with their producers and readers", () => {
    const flow = { name: "Pay", eventTypes: ["OrderPlaced", "PaymentSucceeded", "NeverBound"] };
    const { nodes } = filterTopology(topology, { ...NO_FILTER, flow });
    expect(ids(nodes).filter((id) => id.startsWith("topic:"))).toEqual(["topic:orders", "topic:payments"]);
    expect(ids(nodes)).toContain("service:order-service");
    expect(ids(nodes)).toContain("group:notification-service");
    expect(ids(nodes)).not.toContain("topic:inventory");
    expect(filterTopology(topology, { ...NO_FILTER, flow: { name: "None", eventTypes: ["NeverBound"] } }).nodes).toEqual([]);
  });
});

describe("pathThrough", () => {
  it("follows events downstream and upstream across services", () => {
    const path = pathThrough("topic:payments", topology.edges);
    expect([...path.nodes].sort()).toEqual([
      "group:notification-service",
      "group:payment-service",
      "service:notification-service",
      "service:order-service",
      "service:payment-service",
      "topic:orders",
      "topic:payments",
    ]);
    expect(path.edges.has("consumed-by:topic:orders->group:inventory-service")).toBe(false);
  });
});

describe("dead-letter topics in filters and paths", () => {
  // payment-service dead-letters the orders it cannot charge into payments.DLQ (as the DLQ's records say).
  const withDlq = buildTopology(
    declared,
    { ...observed, topics: [{ topic: "payments.DLQ", partitions: 1, produceRate: null }], deadLetterOrigins: [{ topic: "payments.DLQ", originTopic: "orders", records: 3 }] },
    { cluster: "c", now: 0, producerRecentMs: 1, isDlqTopic: (t) => t.endsWith(".DLQ"), dlqPatterns: ["*.DLQ"], isInternalGroup: () => false },
  );

  it("a search for the DLQ keeps its source topic and its writer", () => {
    expect(ids(filterTopology(withDlq, { ...NO_FILTER, search: "payments.DLQ" }).nodes)).toEqual(["service:payment-service", "topic:orders", "topic:payments.DLQ"]);
  });

  it("the team that writes a DLQ keeps it in view", () => {
    expect(ids(filterTopology(withDlq, { ...NO_FILTER, team: "payments" }).nodes)).toContain("topic:payments.DLQ");
  });

  it("an order's path reaches the DLQ it may end in", () => {
    expect(pathThrough("service:order-service", withDlq.edges).nodes.has("topic:payments.DLQ")).toBe(true);
    expect(pathThrough("topic:payments.DLQ", withDlq.edges).nodes.has("topic:inventory")).toBe(false);
  });
});

describe("structureKey", () => {
  it("ignores order and changes only when nodes or edges change", () => {
    expect(structureKey([{ id: "a" }, { id: "b" }], [])).toBe(structureKey([{ id: "b" }, { id: "a" }], []));
    expect(structureKey([{ id: "a" }], [])).not.toBe(structureKey([{ id: "a" }], [{ id: "e" }]));
  });
});
