// Automatic layered layout with ELK (elkjs): left to right by flow, services → topics → groups →
// services. Runs in the browser; the page calls it only when nodes or edges come or go.
import ELK, { type ELK as LayoutEngine } from "elkjs/lib/elk-api.js";
import type { NodeKind } from "~/server/services/topology/types";

/** What the layout places: the three kinds of node, and a collapsed domain (domains.ts). */
export type LayoutKind = NodeKind | "domain";

export const NODE_SIZE: Record<LayoutKind, { width: number; height: number }> = {
  service: { width: 170, height: 52 },
  topic: { width: 190, height: 66 },
  group: { width: 180, height: 56 },
  domain: { width: 240, height: 96 },
};

let engine: Promise<LayoutEngine> | null = null;

/**
 * ELK, started on first use. In the browser it runs in a Web Worker: its 1.6 MB of compiled Java
 * is no longer parsed and initialised as the page loads, and a layout (0.6–2 s for the 109 nodes of
 * an opened domain, measured in Node) no longer freezes the page. Where there are no Web Workers
 * (Node: tests, tools) the same engine runs in-process.
 */
function elk(): Promise<LayoutEngine> {
  engine ??=
    typeof Worker === "undefined"
      ? import("elkjs/lib/elk.bundled.js").then(({ default: Bundled }) => new Bundled())
      : Promise.resolve(new ELK({ workerFactory: () => new Worker(new URL("./elk.worker.ts", import.meta.url)) }));
  return engine;
}

// In the browser the worker starts loading with the page, beside hydration and the graph's request:
// a small graph's first layout would otherwise also wait for the worker's script.
if (typeof window !== "undefined" && typeof Worker !== "undefined") void elk();

export interface LayoutInput {
  nodes: { id: string; type: LayoutKind }[];
  edges: { id: string; from: string; to: string; type?: string }[];
}

/**
 * The "dead letters from" label, whose room ELK keeps between the layers (as a label dummy), so the
 * label is not hidden under the DLQ when the source topic sits in the layer just before it.
 */
const DEAD_LETTER_LABEL = { text: "dead letters from", width: 104, height: 14 };

/**
 * Up to this many nodes the layout follows every edge, so a flow reads as one chain
 * (service → topic → group → service → topic …). Beyond it, that chain grows dozens of layers
 * long and ELK's crossing minimisation over them takes tens of seconds (measured: 711 nodes,
 * 1,011 edges, 16 s); and even three ELK columns took 9 s in a loaded browser. Large graphs get
 * `columnLayout` instead: three columns (services, topics, groups) in milliseconds.
 */
export const CHAIN_LAYOUT_MAX_NODES = 150;

type Positions = Map<string, { x: number; y: number }>;

// A collapsed domain holds all three kinds; it stands with the topics, in the middle.
const COLUMN_OF: Record<LayoutKind, number> = { service: 0, topic: 1, group: 2, domain: 1 };
const COLUMN_GAP = 160;
const ROW_GAP = 18;
const SWEEPS = 4;

/**
 * Services, topics and groups in three columns, ordered to keep connected nodes level: a few
 * barycenter sweeps (the crossing reduction ELK's layered algorithm also uses), then the fullest
 * column is stacked and every node of the other two sits as close as it can to the mean height of
 * its neighbours there, without overlapping. Linear in the edges per sweep.
 */
export function columnLayout(input: LayoutInput): Positions {
  const kindOf = new Map(input.nodes.map((n) => [n.id, n.type]));
  const neighbours = new Map<string, string[]>(input.nodes.map((n) => [n.id, []]));
  for (const e of input.edges) {
    if (e.from === e.to || !kindOf.has(e.from) || !kindOf.has(e.to)) continue;
    neighbours.get(e.from)!.push(e.to);
    neighbours.get(e.to)!.push(e.from);
  }
  const columns: string[][] = [[], [], []];
  for (const n of [...input.nodes].sort((a, b) => a.id.localeCompare(b.id))) columns[COLUMN_OF[n.type]]!.push(n.id);

  // Each node's rank as a fraction of its column, so columns of different lengths compare.
  const rank = new Map<string, number>();
  const rerank = (column: string[]) => column.forEach((id, i) => rank.set(id, (i + 0.5) / column.length));
  columns.forEach(rerank);
  const barycenterOrder = (c: number) => {
    const column = columns[c]!;
    const key = new Map<string, number>();
    for (const id of column) {
      const ranks = neighbours.get(id)!.filter((o) => COLUMN_OF[kindOf.get(o)!] !== c).map((o) => rank.get(o)!);
      key.set(id, ranks.length ? ranks.reduce((a, b) => a + b, 0) / ranks.length : rank.get(id)!);
    }
    column.sort((a, b) => key.get(a)! - key.get(b)!);
    rerank(column);
  };
  for (let sweep = 0; sweep < SWEEPS; sweep += 1) for (const c of [1, 0, 2, 1]) barycenterOrder(c);

  const x = [0, NODE_SIZE.service.width + COLUMN_GAP];
  x.push(x[1]! + Math.max(NODE_SIZE.topic.width, columns[1]!.some((id) => kindOf.get(id) === "domain") ? NODE_SIZE.domain.width : 0) + COLUMN_GAP);
  const positions: Positions = new Map();
  const centre = (id: string) => positions.get(id)!.y + NODE_SIZE[kindOf.get(id)!].height / 2;
  const anchor = columns.reduce((best, col, c) => (col.length > columns[best]!.length ? c : best), 1);
  let y = 0;
  for (const id of columns[anchor]!) {
    positions.set(id, { x: x[anchor]!, y });
    y += NODE_SIZE[kindOf.get(id)!].height + ROW_GAP;
  }
  for (const c of [0, 1, 2].filter((c) => c !== anchor)) {
    let bottom = -Infinity;
    let previous = 0;
    const wanted = columns[c]!.map((id) => {
      const placed = neighbours.get(id)!.filter((o) => positions.has(o));
      const height = NODE_SIZE[kindOf.get(id)!].height;
      // Without placed neighbours a node keeps its order, just under the one before it.
      const target = placed.length ? placed.reduce((sum, o) => sum + centre(o), 0) / placed.length - height / 2 : previous;
      previous = target;
      return { id, target, height };
    });
    for (const w of wanted.sort((a, b) => a.target - b.target)) {
      const top = Math.max(w.target, bottom + ROW_GAP);
      positions.set(w.id, { x: x[c]!, y: top });
      bottom = top + w.height;
    }
  }
  return positions;
}

const GRID_GAP = { x: 60, y: 40 };

/**
 * Collapsed domains in rows, alphabetically, as many columns as rows or one more (the canvas beside
 * the side panel is about square), so the grouped first view is framed at a zoom where each domain's
 * numbers and problems are read (16 domains at 1440×900: zoom 0.6; six columns fell under 0.45,
 * where details are hidden). Domains of a real system are densely linked (the benchmark's 12: ELK's
 * layered layout strung them into one long, thin chain).
 */
export function gridLayout(input: LayoutInput): Positions {
  const ids = input.nodes.map((n) => n.id).sort((a, b) => a.localeCompare(b));
  const columns = Math.max(1, Math.ceil(Math.sqrt(ids.length)));
  const { width, height } = NODE_SIZE.domain;
  return new Map(ids.map((id, i) => [id, { x: (i % columns) * (width + GRID_GAP.x), y: Math.floor(i / columns) * (height + GRID_GAP.y) }]));
}

let warmedUp = false;

/**
 * Starts ELK and lays out a small chain, so the first real layout (a domain opened, a filter) finds
 * the engine loaded and its code compiled: cold, the first layout of an opened domain took 2.2 s in
 * the benchmark's Chromium, against 0.6–1 s warm. In a Web Worker, this costs the page nothing
 * (and in Node, where ELK would run in-process, it is not done).
 */
function warmUpLayout(): void {
  if (warmedUp || typeof Worker === "undefined") return;
  warmedUp = true;
  const services = Array.from({ length: 12 }, (_, i) => ({ id: `s${i}`, type: "service" as const }));
  const topics = Array.from({ length: 12 }, (_, i) => ({ id: `t${i}`, type: "topic" as const }));
  const groups = Array.from({ length: 12 }, (_, i) => ({ id: `g${i}`, type: "group" as const }));
  const edges = services.flatMap((_, i) => [
    { id: `p${i}`, from: `s${i}`, to: `t${i}` },
    { id: `c${i}`, from: `t${i}`, to: `g${i}` },
    { id: `r${i}`, from: `g${i}`, to: `s${(i + 1) % 12}` },
  ]);
  // Once the page is idle: loading the worker beside the first render slowed that render down.
  const start = () => void layoutGraph({ nodes: [...services, ...topics, ...groups], edges }).catch(() => undefined);
  if (typeof requestIdleCallback === "function") requestIdleCallback(start, { timeout: 5000 });
  else setTimeout(start, 1000);
}

export async function layoutGraph(input: LayoutInput): Promise<Positions> {
  // A big graph's first view needs no ELK, but the next question on it (a domain opened, a filter) may.
  if (input.nodes.length > 1 && input.nodes.every((n) => n.type === "domain")) {
    warmUpLayout();
    return gridLayout(input);
  }
  if (input.nodes.length > CHAIN_LAYOUT_MAX_NODES) {
    warmUpLayout();
    return columnLayout(input);
  }
  const ids = new Set(input.nodes.map((n) => n.id));
  const result = await (await elk()).layout({
    id: "root",
    layoutOptions: {
      "elk.algorithm": "layered",
      "elk.direction": "RIGHT",
      "elk.layered.spacing.nodeNodeBetweenLayers": "56",
      "elk.spacing.nodeNode": "18",
      "elk.spacing.componentComponent": "48",
      "elk.layered.nodePlacement.strategy": "BRANDES_KOEPF",
      "elk.layered.crossingMinimization.strategy": "LAYER_SWEEP",
      // Only node positions are used (React Flow draws its own edges), so ELK's default orthogonal
      // routing is wasted work: polyline routing is the cheapest (711 nodes cold in Node: 2.4 s → 1.6 s).
      "elk.edgeRouting": "POLYLINE",
      // Cycles (a service that consumes what it produces) are broken instead of failing.
      "elk.layered.cycleBreaking.strategy": "GREEDY",
      "elk.separateConnectedComponents": "true",
      // A system's pipeline is one long chain of layers (the demo's 12-node flow: 2,101 × 188 px),
      // framed so small that its labels cannot be read; wrapped into rows it is about the canvas's
      // shape (835 × 554 px).
      "elk.layered.wrapping.strategy": "MULTI_EDGE",
      "elk.aspectRatio": "1.4",
    },
    children: input.nodes.map((n) => ({ id: n.id, ...NODE_SIZE[n.type] })),
    edges: input.edges
      .filter((e) => ids.has(e.from) && ids.has(e.to) && e.from !== e.to)
      .map((e) => ({ id: e.id, sources: [e.from], targets: [e.to], ...(e.type === "dead-letters-from" ? { labels: [{ id: `${e.id}:label`, ...DEAD_LETTER_LABEL }] } : {}) })),
  });
  const positions: Positions = new Map();
  for (const child of result.children ?? []) positions.set(child.id, { x: child.x ?? 0, y: child.y ?? 0 });
  return positions;
}
