// Pure helpers the Topology page uses on the graph it received: filtering by domain, team, topic
// name and search, and the upstream/downstream path through a node. Kept free of React so they are
// unit-tested and cheap to run on every live update.
import type { Topology, TopologyEdge, TopologyNode } from "~/server/services/topology/types";

export interface TopologyFilter {
  domain: string | null;
  team: string | null;
  /** Substring of a topic name. */
  topic: string;
  /** Substring of any node's label; narrows like the other filters. */
  search: string;
  /** A declared flow (saga): the topics its event types travel on, declared or observed, and their flows. */
  flow: { name: string; eventTypes: string[] } | null;
}

export const NO_FILTER: TopologyFilter = { domain: null, team: null, topic: "", search: "", flow: null };

export function isFiltered(filter: TopologyFilter): boolean {
  return filter.domain !== null || filter.team !== null || filter.topic.trim() !== "" || filter.search.trim() !== "" || filter.flow !== null;
}

interface Adjacency {
  out: Map<string, TopologyEdge[]>;
  in: Map<string, TopologyEdge[]>;
}

export function adjacency(edges: TopologyEdge[]): Adjacency {
  const out = new Map<string, TopologyEdge[]>();
  const inn = new Map<string, TopologyEdge[]>();
  for (const e of edges) {
    if (!out.has(e.from)) out.set(e.from, []);
    if (!inn.has(e.to)) inn.set(e.to, []);
    out.get(e.from)!.push(e);
    inn.get(e.to)!.push(e);
  }
  return { out, in: inn };
}

/**
 * The flows a node takes part in, one hop each way along the pipeline:
 * a topic brings its producers, the groups reading it and the services those groups run as;
 * a service brings the topics it produces to and the groups it runs as, with their topics;
 * a group brings its topics and its services;
 * dead letters follow the failure: a DLQ brings its source topics and writers, a topic its DLQs,
 * and a service or group the DLQs it writes.
 */
function flowNeighbourhood(node: TopologyNode, adj: Adjacency): string[] {
  const ids = [node.id];
  const from = (id: string, type: TopologyEdge["type"]) => (adj.in.get(id) ?? []).filter((e) => e.type === type).map((e) => e.from);
  const to = (id: string, type: TopologyEdge["type"]) => (adj.out.get(id) ?? []).filter((e) => e.type === type).map((e) => e.to);
  if (node.type === "topic") {
    const groups = to(node.id, "consumed-by");
    ids.push(...from(node.id, "produces"), ...groups, ...groups.flatMap((g) => to(g, "runs-as")));
    ids.push(...from(node.id, "dead-letters"), ...from(node.id, "dead-letters-from"), ...to(node.id, "dead-letters-from"));
  } else if (node.type === "service") {
    const groups = from(node.id, "runs-as");
    ids.push(...to(node.id, "produces"), ...groups, ...groups.flatMap((g) => from(g, "consumed-by")), ...to(node.id, "dead-letters"));
  } else {
    ids.push(...from(node.id, "consumed-by"), ...to(node.id, "runs-as"), ...to(node.id, "dead-letters"));
  }
  return ids;
}

function matchesSeed(node: TopologyNode, filter: TopologyFilter): boolean {
  const search = filter.search.trim().toLowerCase();
  if (search && !node.label.toLowerCase().includes(search)) return false;
  const topic = filter.topic.trim().toLowerCase();
  if (topic && !(node.type === "topic" && node.label.toLowerCase().includes(topic))) return false;
  if (filter.domain && !(node.type === "topic" && node.eventTypes.some((e) => e.domain === filter.domain))) return false;
  if (filter.team && !(node.type === "service" && node.team === filter.team)) return false;
  if (filter.flow && !(node.type === "topic" && carriesAny(node, filter.flow.eventTypes))) return false;
  return true;
}

function carriesAny(topic: Extract<TopologyNode, { type: "topic" }>, eventTypes: string[]): boolean {
  return eventTypes.some((t) => topic.observedEventTypes.includes(t) || topic.eventTypes.some((e) => e.name === t));
}

/**
 * Nodes and edges left after filtering: the nodes that match every active filter, together with
 * the flows they take part in, so a filtered graph still reads left to right.
 */
export function filterTopology(topology: Pick<Topology, "nodes" | "edges">, filter: TopologyFilter): { nodes: TopologyNode[]; edges: TopologyEdge[] } {
  if (!isFiltered(filter)) return { nodes: topology.nodes, edges: topology.edges };
  const adj = adjacency(topology.edges);
  const keep = new Set<string>();
  for (const node of topology.nodes) if (matchesSeed(node, filter)) for (const id of flowNeighbourhood(node, adj)) keep.add(id);
  return { nodes: topology.nodes.filter((n) => keep.has(n.id)), edges: topology.edges.filter((e) => keep.has(e.from) && keep.has(e.to)) };
}

/** Everything upstream and downstream of a node: the path its events take through the system. */
export function pathThrough(nodeId: string, edges: TopologyEdge[]): { nodes: Set<string>; edges: Set<string> } {
  const adj = adjacency(edges);
  const nodes = new Set([nodeId]);
  const onPath = new Set<string>();
  const walk = (start: string, direction: "out" | "in") => {
    const queue = [start];
    const seen = new Set([start]);
    while (queue.length) {
      const id = queue.shift()!;
      for (const e of adj[direction].get(id) ?? []) {
        onPath.add(e.id);
        const next = direction === "out" ? e.to : e.from;
        nodes.add(next);
        if (!seen.has(next)) {
          seen.add(next);
          queue.push(next);
        }
      }
    }
  };
  walk(nodeId, "out");
  walk(nodeId, "in");
  return { nodes, edges: onPath };
}

/** Hops followed each way when focusing a node: a group's topic and that topic's producer, its service and that service's topics. */
export const NEIGHBOURHOOD_HOPS = 2;

/**
 * A node's neighbourhood: the nodes up to `hops` edges upstream (following edges backwards) and
 * downstream (forwards), and the edges among them. Unlike pathThrough it stops, so focusing a node in
 * a large system shows its surroundings rather than half the graph.
 */
export function neighbourhood(nodeId: string, edges: TopologyEdge[], hops = NEIGHBOURHOOD_HOPS): { upstream: Set<string>; downstream: Set<string>; nodes: Set<string> } {
  const adj = adjacency(edges);
  const walk = (direction: "out" | "in") => {
    const reached = new Set<string>();
    let frontier = [nodeId];
    for (let hop = 0; hop < hops && frontier.length; hop += 1) {
      const next: string[] = [];
      for (const id of frontier) {
        for (const e of adj[direction].get(id) ?? []) {
          const other = direction === "out" ? e.to : e.from;
          if (other === nodeId || reached.has(other)) continue;
          reached.add(other);
          next.push(other);
        }
      }
      frontier = next;
    }
    return reached;
  };
  const downstream = walk("out");
  const upstream = walk("in");
  return { upstream, downstream, nodes: new Set([nodeId, ...upstream, ...downstream]) };
}

/** A key that changes only when nodes or edges come or go, not when rates or lag change. */
export function structureKey(nodes: { id: string }[], edges: { id: string }[]): string {
  return `${nodes.map((n) => n.id).sort().join("|")}#${edges.map((e) => e.id).sort().join("|")}`;
}
