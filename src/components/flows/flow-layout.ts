// A flow's diagram laid out with ELK, left to right from the start event. Compensation edges are
// given low priority, so the happy path sets the layers and the compensations run back below it.
import ELK from "elkjs/lib/elk.bundled.js";

export const FLOW_NODE = { width: 190, height: 58 };
const elk = new ELK();

export async function layoutFlow(nodes: string[], edges: { id: string; from: string; to: string; compensation: boolean }[]): Promise<Map<string, { x: number; y: number }>> {
  const result = await elk.layout({
    id: "flow",
    layoutOptions: {
      "elk.algorithm": "layered",
      "elk.direction": "RIGHT",
      "elk.layered.spacing.nodeNodeBetweenLayers": "120",
      "elk.spacing.nodeNode": "36",
      "elk.layered.cycleBreaking.strategy": "GREEDY",
      "elk.layered.nodePlacement.strategy": "BRANDES_KOEPF",
    },
    children: nodes.map((id) => ({ id, ...FLOW_NODE })),
    edges: edges.map((e) => ({ id: e.id, sources: [e.from], targets: [e.to], layoutOptions: { "elk.layered.priority.direction": e.compensation ? "0" : "10" } })),
  });
  return new Map((result.children ?? []).map((c) => [c.id, { x: c.x ?? 0, y: c.y ?? 0 }]));
}
