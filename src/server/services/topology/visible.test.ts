import { describe, expect, it } from "vitest";
import type { Topology, TopologyNode } from "./types";
import { visibleTopology } from "./visible";

const topic = (id: string, deadLetterCandidates: string[] = []): TopologyNode => ({
  id,
  type: "topic",
  label: id,
  source: "both",
  eventTypes: [],
  observedEventTypes: [],
  isDlq: deadLetterCandidates.length > 0,
  partitions: 1,
  produceRate: null,
  deadLetterCandidates,
  dlqGrowing: false,
});
const group = (id: string): TopologyNode => ({ id, type: "group", label: id, source: "both", status: null, state: null, members: 0, totalLag: null, maxLagSeconds: null, consumeRate: null });
const service = (id: string): TopologyNode => ({ id, type: "service", label: id, source: "declared", team: null, description: null });
const edge = (from: string, to: string) => ({ id: `${from}>${to}`, from, to, type: "produces" as const, source: "declared" as const, rate: null, eventTypes: [] });

const graph: Topology = {
  generatedAt: "",
  cluster: "c",
  observedAt: null,
  producersObservedAt: null,
  nodes: [service("s:pay"), service("s:ord"), topic("t:payments"), topic("t:orders"), group("g:billing")],
  edges: [edge("s:pay", "t:payments"), edge("s:ord", "t:orders"), edge("t:payments", "g:billing")],
  drift: [{ id: "d1", kind: "undeclared-topic", nodeId: "t:orders", message: "", fix: { action: "open", label: "", href: "" } }],
  domains: [],
  teams: [],
};

describe("visibleTopology", () => {
  it("keeps the topics and groups the reader may see, the services touching them, and the edges between what is left", () => {
    const seen = visibleTopology(graph, (n) => n.id !== "t:orders");
    expect(seen.nodes.map((n) => n.id)).toEqual(["s:pay", "t:payments", "g:billing"]);
    expect(seen.edges.map((e) => e.id)).toEqual(["s:pay>t:payments", "t:payments>g:billing"]);
    expect(seen.drift).toEqual([]);
  });

  it("names only the possible DLQ writers the reader may see", () => {
    const withDlq: Topology = { ...graph, nodes: [...graph.nodes, group("g:audit"), topic("t:payments.DLQ", ["g:billing", "g:audit"])] };
    const seen = visibleTopology(withDlq, (n) => n.id !== "g:audit");
    expect(seen.nodes.find((n) => n.id === "t:payments.DLQ")).toMatchObject({ deadLetterCandidates: ["g:billing"] });
  });

  it("keeps everything for a reader who may see everything", () => {
    expect(visibleTopology(graph, () => true)).toEqual(graph);
  });
});
