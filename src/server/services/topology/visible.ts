// The part of a topology a scoped reader may see: the topics and groups it may read, the services
// connected to them, and only the edges and drift between what is left.
import type { Topology, TopologyNode } from "./types";

export function visibleTopology(topology: Topology, mayRead: (node: TopologyNode) => boolean): Topology {
  const kept = new Set(topology.nodes.filter((n) => n.type !== "service" && mayRead(n)).map((n) => n.id));
  // A service stays when it touches something the reader may see; otherwise its name says nothing they may know.
  for (const edge of topology.edges) {
    const [from, to] = [topology.nodes.find((n) => n.id === edge.from), topology.nodes.find((n) => n.id === edge.to)];
    if (from?.type === "service" && kept.has(edge.to)) kept.add(from.id);
    if (to?.type === "service" && kept.has(edge.from)) kept.add(to.id);
  }
  return {
    ...topology,
    // A DLQ's possible writers are group names too.
    nodes: topology.nodes.filter((n) => kept.has(n.id)).map((n) => (n.type === "topic" && n.deadLetterCandidates.length ? { ...n, deadLetterCandidates: n.deadLetterCandidates.filter((id) => kept.has(id)) } : n)),
    edges: topology.edges.filter((e) => kept.has(e.from) && kept.has(e.to)),
    drift: topology.drift.filter((d) => kept.has(d.nodeId)),
  };
}
