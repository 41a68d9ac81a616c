// Automatic layered layout with ELK (elkjs): left to right by flow, services → topics → groups →
// services. Runs in the browser; the page calls it only when nodes or edges come or go.
import ELK from "elkjs/lib/elk.bundled.js";
import type { NodeKind } from "~/server/services/topology/types";

export const NODE_SIZE: Record<NodeKind, { width: number; height: number }> = {
  service: { width: 170, height: 52 },
  topic: { width: 190, height: 66 },
  group: { width: 180, height: 56 },
};

const elk = new ELK();

export interface LayoutInput {
  nodes: { id: string; type: NodeKind }[];
  edges: { id: string; from: string; to: string; type?: "produces" | "consumed-by" | "runs-as" }[];
}

/**
 * Up to this many nodes the layout follows every edge, so a flow reads as one chain
 * (service → topic → group → service → topic …). Beyond it, that chain grows dozens of layers
 * long and ELK's crossing minimisation over them takes tens of seconds (measured: 711 nodes,
 * 1,011 edges, 16 s); laying "runs as" edges out backwards instead keeps three columns
 * (services, topics, groups) and takes about a second.
 */
export const CHAIN_LAYOUT_MAX_NODES = 150;

export async function layoutGraph(input: LayoutInput): Promise<Map<string, { x: number; y: number }>> {
  const ids = new Set(input.nodes.map((n) => n.id));
  const columns = input.nodes.length > CHAIN_LAYOUT_MAX_NODES;
  const result = await elk.layout({
    id: "root",
    layoutOptions: {
      "elk.algorithm": "layered",
      "elk.direction": "RIGHT",
      "elk.layered.spacing.nodeNodeBetweenLayers": "56",
      "elk.spacing.nodeNode": "18",
      "elk.spacing.componentComponent": "48",
      "elk.layered.nodePlacement.strategy": "BRANDES_KOEPF",
      "elk.layered.crossingMinimization.strategy": "LAYER_SWEEP",
      // Cycles (a service that consumes what it produces) are broken instead of failing.
      "elk.layered.cycleBreaking.strategy": "GREEDY",
      "elk.separateConnectedComponents": columns ? "false" : "true",
      ...(columns ? { "elk.layered.thoroughness": "1" } : {}),
    },
    children: input.nodes.map((n) => ({ id: n.id, ...NODE_SIZE[n.type] })),
    edges: input.edges
      .filter((e) => ids.has(e.from) && ids.has(e.to) && e.from !== e.to)
      .map((e) => (columns && e.type === "runs-as" ? { id: e.id, sources: [e.to], targets: [e.from] } : { id: e.id, sources: [e.from], targets: [e.to] })),
  });
  const positions = new Map<string, { x: number; y: number }>();
  for (const child of result.children ?? []) positions.set(child.id, { x: child.x ?? 0, y: child.y ?? 0 });
  return positions;
}
