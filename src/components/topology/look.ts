// What a node or an edge looks like on screen, as a string to compare: a live update redraws only
// the nodes and edges whose look changed. Kept free of React so it is unit-tested.
import type { ViewNode } from "./domains";

/** Node fields drawn only at the detail zoom and above (the page hides them below it, .tp-overview). */
const HIDDEN_AT_OVERVIEW = new Set(["produceRate", "consumeRate", "totalLag", "maxLagSeconds", "partitions"]);

/**
 * A node's look: below the detail zoom its numbers are hidden, so a live update that changed only
 * numbers keeps the node as it is (with every node drawn, a live update re-rendered all 428 nodes
 * for nothing). Its status, provenance and name stay in: an ERR shows at once. Zooming in brings the
 * numbers up to date.
 */
export function nodeLook(node: ViewNode, detailed: boolean): string {
  return detailed ? JSON.stringify(node) : JSON.stringify(node, (key, value: unknown) => (HIDDEN_AT_OVERVIEW.has(key) ? undefined : value));
}

/**
 * An edge's stroke width for its rate: a log scale, so 5 msg/s and 5,000 msg/s both stay readable,
 * in half-pixel steps, so an edge is drawn again only when its rate crosses one, not at every sample.
 */
export function edgeWidth(rate: number | null): number {
  return rate && rate > 0 ? Math.round(2 * Math.min(5, 1.2 + Math.log10(1 + rate))) / 2 : 1.2;
}
