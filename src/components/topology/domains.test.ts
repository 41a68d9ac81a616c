import { describe, expect, it } from "vitest";
import { buildTopology } from "~/server/services/topology/build";
import type { DeclaredSystem, ObservedSystem } from "~/server/services/topology/types";
import { domainOf, GROUP_ABOVE_NODES, groupByDomain, groupsByDomain, NO_DOMAIN, type DomainNode } from "./domains";
import { neighbourhood } from "./graph-model";
import { declaredOrderFlow, declaredSaga } from "./__fixtures__/order-flow.fixtures";

// order-service → orders → payment-service → payments → notification-service; inventory reads orders;
// payment-service dead-letters orders into payments.DLQ; legacy-audit reads payments, undeclared.
const declared: DeclaredSystem = { ...declaredOrderFlow, dlqDeclarations: [{ topic: "payments.DLQ", sourceTopic: "orders" }] };
const group = (groupId: string, status: "OK" | "WARN" | "ERR", topics: string[], totalLag: number) => ({
  groupId,
  state: "Stable",
  status,
  totalLag,
  maxLagSeconds: null,
  consumeRate: 1,
  consumeRateByTopic: {},
  topics,
  memberClientIds: [],
  members: 1,
});
const observed: ObservedSystem = {
  sampledAt: 1,
  topics: [
    { topic: "orders", partitions: 3, produceRate: 5 },
    { topic: "payments", partitions: 3, produceRate: 4 },
    { topic: "inventory", partitions: 1, produceRate: 2 },
    { topic: "payments.DLQ", partitions: 1, produceRate: 0.5 },
  ],
  groups: [
    group("payment-service", "OK", ["orders"], 0),
    group("inventory-service", "WARN", ["orders"], 7),
    group("notification-service", "ERR", ["payments"], 120),
    group("legacy-audit", "OK", ["payments"], 3),
  ],
  producersSampledAt: null,
  producers: [],
  growingDlqs: ["payments.DLQ"],
};
const topology = buildTopology(declared, observed, {
  cluster: "c",
  now: 0,
  producerRecentMs: 1,
  isDlqTopic: (t) => t.endsWith(".DLQ"),
  dlqPatterns: ["*.DLQ"],
  isInternalGroup: () => false,
});
const domains = domainOf(topology.nodes, topology.edges);
const domainNode = (nodes: { id: string }[], id: string) => nodes.find((n) => n.id === id) as DomainNode;

describe("domainOf", () => {
  it("puts topics in their event types' domain, services with what they produce and groups with what they read", () => {
    expect(domains.get("topic:orders")).toBe("orders");
    expect(domains.get("service:order-service")).toBe("orders");
    expect(domains.get("service:payment-service")).toBe("payments");
    // A group belongs where it reads, not where its service produces.
    expect(domains.get("group:payment-service")).toBe("orders");
    expect(domains.get("group:legacy-audit")).toBe("payments");
  });

  it("puts a DLQ with its source topic, and a service that produces nothing with the topics its groups read", () => {
    expect(domains.get("topic:payments.DLQ")).toBe("orders");
    expect(domains.get("service:notification-service")).toBe("payments");
  });

  it("gives every node a domain, NO_DOMAIN when nothing places it", () => {
    const lone = buildTopology({ services: [{ name: "lonely", team: null, description: null }], eventTypes: [], bindings: [], producers: [], subscriptions: [] }, { sampledAt: null, topics: [{ topic: "stray", partitions: 1, produceRate: null }], groups: [], producersSampledAt: null, producers: [] }, {
      cluster: "c",
      now: 0,
      producerRecentMs: 1,
      isDlqTopic: () => false,
      dlqPatterns: [],
      isInternalGroup: () => false,
    });
    const d = domainOf(lone.nodes, lone.edges);
    expect([...d.values()]).toEqual([NO_DOMAIN, NO_DOMAIN]);
    for (const n of topology.nodes) expect(domains.get(n.id), n.id).toBeTruthy();
  });
});

describe("groupsByDomain", () => {
  it("groups by itself only above the threshold, and always as the user picks", () => {
    expect(groupsByDomain("auto", GROUP_ABOVE_NODES)).toBe(false);
    expect(groupsByDomain("auto", GROUP_ABOVE_NODES + 1)).toBe(true);
    expect(groupsByDomain("domains", 3)).toBe(true);
    expect(groupsByDomain("nodes", 2000)).toBe(false);
  });
});

describe("groupByDomain", () => {
  it("collapses every domain into one node with its counts, rates, lag and worst status", () => {
    const g = groupByDomain(topology.nodes, topology.edges, domains, new Set());
    expect(g.nodes.map((n) => n.id).sort()).toEqual(["domain:inventory", "domain:orders", "domain:payments"]);
    const orders = domainNode(g.nodes, "domain:orders");
    expect(orders).toMatchObject({ services: 1, topics: 2, groups: 2, produceRate: 5, totalLag: 7, worstStatus: "WARN", errGroups: [], growingDlqs: ["payments.DLQ"] });
    const payments = domainNode(g.nodes, "domain:payments");
    expect(payments).toMatchObject({ worstStatus: "ERR", errGroups: ["notification-service"], totalLag: 123, produceRate: 4 });
    // Every member is accounted for once.
    expect(g.nodes.flatMap((n) => (n as DomainNode).members).sort()).toEqual(topology.nodes.map((n) => n.id).sort());
  });

  it("adds up the edges between two collapsed domains and drops those inside one", () => {
    const g = groupByDomain(topology.nodes, topology.edges, domains, new Set());
    for (const e of g.edges) expect(e.from).not.toBe(e.to);
    // payment-service (payments) runs as its group, which reads orders (orders): one runs-as edge across.
    const runsAs = g.edges.find((e) => e.id === "domain-edge:runs-as:domain:orders->domain:payments");
    expect(runsAs).toMatchObject({ from: "domain:orders", to: "domain:payments", count: 1 });
    const consumed = g.edges.filter((e) => e.type === "consumed-by");
    // orders → its two groups stays inside orders; payments → notification and legacy-audit stays inside payments.
    expect(consumed).toEqual([]);
  });

  it("draws an expanded domain's members as themselves, linked to the collapsed domains around them", () => {
    const g = groupByDomain(topology.nodes, topology.edges, domains, new Set(["orders"]));
    const ids = g.nodes.map((n) => n.id);
    expect(ids).toContain("topic:orders");
    expect(ids).toContain("group:payment-service");
    expect(ids).not.toContain("topic:payments");
    expect(g.drawnAs.get("topic:payments")).toBe("domain:payments");
    expect(g.drawnAs.get("topic:orders")).toBe("topic:orders");
    // Inside the expanded domain the original edges are kept as they are.
    const original = topology.edges.find((e) => e.id === "produces:service:order-service->topic:orders");
    expect(g.edges).toContain(original);
    expect(g.edges.find((e) => e.from === "group:payment-service" && e.to === "domain:payments")).toMatchObject({ type: "runs-as" });
  });

  it("with every domain expanded, is the graph itself", () => {
    const g = groupByDomain(topology.nodes, topology.edges, domains, new Set(["orders", "payments", "inventory"]));
    expect(g.nodes).toEqual(topology.nodes);
    expect(g.edges).toEqual(topology.edges);
  });
});

describe("neighbourhood", () => {
  it("follows edges two hops each way from the focused node", () => {
    const n = neighbourhood("group:payment-service", topology.edges);
    expect([...n.upstream].sort()).toEqual(["service:order-service", "topic:orders"]);
    // payment-service writes payments and dead-letters into payments.DLQ.
    expect([...n.downstream].sort()).toEqual(["service:payment-service", "topic:payments", "topic:payments.DLQ"]);
    expect(n.nodes.has("group:payment-service")).toBe(true);
    // Three hops away: not shown.
    expect(n.nodes.has("group:notification-service")).toBe(false);
  });

  it("goes further when asked", () => {
    expect(neighbourhood("group:payment-service", topology.edges, 3).nodes.has("group:notification-service")).toBe(true);
  });
});

describe("the demo's saga (a loop: orders → payment-service → payments → order-service → orders)", () => {
  const saga = buildTopology(
    declaredSaga,
    {
      sampledAt: 1,
      topics: [...["orders", "payments", "inventory", "notifications"].map((topic) => ({ topic, partitions: 3, produceRate: 5 })), { topic: "payments.DLQ", partitions: 1, produceRate: 0.1 }],
      groups: [
        group("order-service", "OK", ["payments"], 0),
        group("payment-service", "OK", ["orders", "inventory"], 0),
        group("inventory-service", "OK", ["orders", "payments"], 0),
        group("notification-service", "ERR", ["orders", "payments"], 900),
      ],
      producersSampledAt: null,
      producers: [],
      growingDlqs: ["payments.DLQ"],
    },
    { cluster: "c", now: 0, producerRecentMs: 1, isDlqTopic: (t) => t.endsWith(".DLQ"), dlqPatterns: ["*.DLQ"], isInternalGroup: () => false },
  );
  const sagaDomains = domainOf(saga.nodes, saga.edges);

  it("keeps a group that reads two domains equally with the service it runs as", () => {
    // payment-service reads orders and inventory, inventory- and notification-service orders and payments.
    expect(sagaDomains.get("group:payment-service")).toBe("payments");
    expect(sagaDomains.get("group:inventory-service")).toBe("fulfilment");
    expect(sagaDomains.get("group:notification-service")).toBe("customer-comms");
    // order-service's group reads payments only: it goes where it reads.
    expect(sagaDomains.get("group:order-service")).toBe("payments");
    expect(sagaDomains.get("topic:payments.DLQ")).toBe("orders");
  });

  it("draws the loop between collapsed domains both ways", () => {
    const g = groupByDomain(saga.nodes, saga.edges, sagaDomains, new Set());
    const ids = g.edges.map((e) => e.id);
    expect(ids).toContain("domain-edge:consumed-by:domain:orders->domain:payments");
    expect(ids).toContain("domain-edge:runs-as:domain:payments->domain:orders");
    expect(domainNode(g.nodes, "domain:customer-comms")).toMatchObject({ worstStatus: "ERR", errGroups: ["notification-service"] });
    expect(domainNode(g.nodes, "domain:payments")).toMatchObject({ groups: 2, errGroups: [] });
  });

  it("focuses a node on the loop: the walk ends, and a node both ways round is drawn once", () => {
    const near = neighbourhood("group:payment-service", saga.edges);
    expect([...near.upstream].sort()).toEqual(["service:inventory-service", "service:order-service", "topic:inventory", "topic:orders"]);
    expect([...near.downstream].sort()).toEqual(["service:payment-service", "topic:payments", "topic:payments.DLQ"]);
    // Far enough, the walk comes round the loop from both sides; it still stops, without the node itself.
    const all = neighbourhood("group:payment-service", saga.edges, 50);
    expect(all.upstream.has("group:payment-service")).toBe(false);
    expect(all.downstream.has("group:payment-service")).toBe(false);
    expect(all.upstream.has("group:order-service") && all.downstream.has("group:order-service")).toBe(true);
    expect(all.nodes.size).toBe(saga.nodes.length);
  });
});
