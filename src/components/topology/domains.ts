// The readable first view of a large system: every node is placed in a domain (the catalog's
// domain of the events it carries), and a domain that is not expanded is drawn as one node with
// its aggregate rates and its worst status, with the edges between domains added up. Pure, so it is
// unit-tested and cheap enough to run on every live update (linear in nodes and edges).
import type { GroupStatus } from "~/server/services/lag/types";
import type { TopologyEdge, TopologyNode } from "~/server/services/topology/types";

/**
 * Above this many nodes the page opens grouped by domain. At 150 the whole graph still reads at
 * fit-all zoom (and still gets ELK's chain layout, see layout.ts); beyond it one node is a few
 * pixels high and every frame repaints hundreds of nodes.
 */
export const GROUP_ABOVE_NODES = 150;

/** How the page groups: by size (auto), or as the user picked with the toolbar's switch. */
export type Grouping = "auto" | "domains" | "nodes";

/** Whether a graph of `nodeCount` nodes is drawn grouped by domain. */
export function groupsByDomain(grouping: Grouping, nodeCount: number): boolean {
  return grouping === "domains" || (grouping === "auto" && nodeCount > GROUP_ABOVE_NODES);
}

/** The domain of nodes nothing places in one (no event type with a domain anywhere near them). */
export const NO_DOMAIN = "no domain";

export const domainNodeId = (domain: string) => `domain:${domain}`;

export interface DomainNode {
  id: string;
  type: "domain";
  label: string;
  /** Ids of the services, topics and groups inside. */
  members: string[];
  services: number;
  topics: number;
  groups: number;
  /** Messages per second produced to its topics, DLQs left out; null before the sampler has rates. */
  produceRate: number | null;
  totalLag: number;
  /** The worst status of its consumer groups; null when none is on the broker. */
  worstStatus: GroupStatus | null;
  /** Labels of its consumer groups in ERR, and of its growing DLQs: the problems a collapsed domain must not hide. */
  errGroups: string[];
  growingDlqs: string[];
}

export type ViewNode = TopologyNode | DomainNode;
/** An edge as drawn; `count` > 1 when it stands for several edges between collapsed domains. */
export type ViewEdge = TopologyEdge & { count?: number };

const STATUS_RANK: Record<GroupStatus, number> = { PENDING: 0, OK: 1, WARN: 2, ERR: 3 };

/** The most frequent values, alphabetically (several on a tie; none for no values). */
function mostCommonAll(values: (string | null | undefined)[]): string[] {
  const counts = new Map<string, number>();
  for (const v of values) if (v) counts.set(v, (counts.get(v) ?? 0) + 1);
  const top = Math.max(0, ...counts.values());
  return [...counts].filter(([, n]) => n === top).map(([v]) => v).sort();
}

/** The most frequent value (ties: alphabetical first), or null for none. */
function mostCommon(values: (string | null | undefined)[]): string | null {
  return mostCommonAll(values)[0] ?? null;
}

/**
 * Each node's domain:
 * - a topic: the domain most of its event types belong to; a DLQ without one, its source topic's;
 * - a service: the domain of most topics it produces to, else of the topics its groups read;
 * - a consumer group: the domain of most topics it reads; when it reads as many topics of one
 *   domain as of another (a saga's service reading the order and the compensation that concern it),
 *   or reads nothing, its service's: then it stays with the service it runs as, where the alphabet
 *   would move it whenever a domain is renamed;
 * - a topic still without one (undeclared), its producers'; anything left, NO_DOMAIN.
 * So a domain holds its topics, the services writing them and the groups reading them.
 */
export function domainOf(nodes: TopologyNode[], edges: TopologyEdge[]): Map<string, string> {
  const domain = new Map<string, string>();
  const byType = (type: TopologyEdge["type"]) => edges.filter((e) => e.type === type);
  const neighbours = (list: TopologyEdge[], end: "from" | "to") => {
    const map = new Map<string, string[]>();
    for (const e of list) {
      const [key, other] = end === "from" ? [e.from, e.to] : [e.to, e.from];
      map.set(key, [...(map.get(key) ?? []), other]);
    }
    return map;
  };
  const produces = byType("produces");
  const producedBy = neighbours(produces, "to"); // topic → services
  const producesTo = neighbours(produces, "from"); // service → topics
  const reads = neighbours(byType("consumed-by"), "to"); // group → topics
  const runsAs = neighbours(byType("runs-as"), "from"); // group → services
  const groupsOf = neighbours(byType("runs-as"), "to"); // service → groups
  const dlqSources = neighbours(byType("dead-letters-from"), "to"); // DLQ → source topics
  const assign = (id: string, d: string | null) => {
    if (d !== null && !domain.has(id)) domain.set(id, d);
  };
  const of = (ids: string[] | undefined) => mostCommon((ids ?? []).map((id) => domain.get(id)));

  for (const n of nodes) if (n.type === "topic") assign(n.id, mostCommon(n.eventTypes.map((e) => e.domain)));
  for (const n of nodes) if (n.type === "topic" && n.isDlq) assign(n.id, of(dlqSources.get(n.id)));
  for (const n of nodes) if (n.type === "service") assign(n.id, of(producesTo.get(n.id)));
  for (const n of nodes) {
    if (n.type !== "group") continue;
    const read = mostCommonAll((reads.get(n.id) ?? []).map((id) => domain.get(id)));
    assign(n.id, read.length === 1 ? read[0]! : (of(runsAs.get(n.id)) ?? read[0] ?? null));
  }
  for (const n of nodes) if (n.type === "service") assign(n.id, of(groupsOf.get(n.id)) ?? of((groupsOf.get(n.id) ?? []).flatMap((g) => reads.get(g) ?? [])));
  for (const n of nodes) if (n.type === "topic") assign(n.id, of(producedBy.get(n.id)));
  for (const n of nodes) assign(n.id, NO_DOMAIN);
  return domain;
}

/** The id of the edge an original edge is drawn as: itself between expanded nodes, else the sum edge between what its ends are drawn as. */
export function drawnEdgeId(edge: TopologyEdge, drawnAs: Map<string, string>): string {
  const from = drawnAs.get(edge.from) ?? edge.from;
  const to = drawnAs.get(edge.to) ?? edge.to;
  return from === edge.from && to === edge.to ? edge.id : `domain-edge:${edge.type}:${from}->${to}`;
}

export interface GroupedGraph {
  nodes: ViewNode[];
  edges: ViewEdge[];
  /** The node each original node is drawn as: itself, or its collapsed domain. */
  drawnAs: Map<string, string>;
}

function summarise(domain: string, members: TopologyNode[]): DomainNode {
  let produceRate: number | null = null;
  let totalLag = 0;
  let worstStatus: GroupStatus | null = null;
  const errGroups: string[] = [];
  const growingDlqs: string[] = [];
  for (const n of members) {
    if (n.type === "topic") {
      if (n.isDlq) {
        if (n.dlqGrowing) growingDlqs.push(n.label);
      } else if (n.produceRate !== null) produceRate = (produceRate ?? 0) + n.produceRate;
    } else if (n.type === "group") {
      totalLag += n.totalLag ?? 0;
      if (n.status && (worstStatus === null || STATUS_RANK[n.status] > STATUS_RANK[worstStatus])) worstStatus = n.status;
      if (n.status === "ERR") errGroups.push(n.label);
    }
  }
  return {
    id: domainNodeId(domain),
    type: "domain",
    label: domain,
    members: members.map((n) => n.id),
    services: members.filter((n) => n.type === "service").length,
    topics: members.filter((n) => n.type === "topic").length,
    groups: members.filter((n) => n.type === "group").length,
    produceRate,
    totalLag,
    worstStatus,
    errGroups,
    growingDlqs,
  };
}

/**
 * The graph with every domain not in `expanded` collapsed into one node. Edges inside a collapsed
 * domain disappear; edges that now join the same two drawn nodes with the same kind become one,
 * carrying the sum of their rates. Edges between expanded nodes are the original objects.
 */
export function groupByDomain(nodes: TopologyNode[], edges: TopologyEdge[], domains: Map<string, string>, expanded: ReadonlySet<string>): GroupedGraph {
  const drawnAs = new Map<string, string>();
  const membersOf = new Map<string, TopologyNode[]>();
  const out: ViewNode[] = [];
  for (const n of nodes) {
    const d = domains.get(n.id) ?? NO_DOMAIN;
    if (expanded.has(d)) {
      drawnAs.set(n.id, n.id);
      out.push(n);
    } else {
      drawnAs.set(n.id, domainNodeId(d));
      membersOf.set(d, [...(membersOf.get(d) ?? []), n]);
    }
  }
  for (const [d, members] of [...membersOf].sort(([a], [b]) => a.localeCompare(b))) out.push(summarise(d, members));

  const merged = new Map<string, ViewEdge>();
  const outEdges: ViewEdge[] = [];
  for (const e of edges) {
    const from = drawnAs.get(e.from);
    const to = drawnAs.get(e.to);
    if (!from || !to || from === to) continue;
    if (from === e.from && to === e.to) {
      outEdges.push(e);
      continue;
    }
    const id = drawnEdgeId(e, drawnAs);
    const seen = merged.get(id);
    if (seen) {
      seen.count = (seen.count ?? 1) + 1;
      seen.rate = e.rate === null ? seen.rate : (seen.rate ?? 0) + e.rate;
      // Solid when any of the edges it stands for is confirmed by both the catalog and the broker.
      if (e.source === "both") seen.source = "both";
    } else {
      merged.set(id, { id, from, to, type: e.type, source: e.source, rate: e.rate, eventTypes: [], count: 1 });
    }
  }
  return { nodes: out, edges: [...outEdges, ...merged.values()], drawnAs };
}
