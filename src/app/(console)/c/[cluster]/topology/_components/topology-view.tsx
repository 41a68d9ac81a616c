"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import {
  applyNodeChanges,
  Background,
  Controls,
  MarkerType,
  MiniMap,
  ReactFlow,
  ReactFlowProvider,
  useReactFlow,
  useStore,
  type Edge,
  type NodeChange,
} from "@xyflow/react";
import "@xyflow/react/dist/style.css";
import { useSearchParams } from "next/navigation";
import { useCallback, useDeferredValue, useEffect, useMemo, useRef, useState } from "react";
import { LiveIndicator, SamplerBanner } from "~/components/live/sampler-banner";
import { useLiveRefresh } from "~/components/live/use-live-refresh";
import { useNow } from "~/components/live/use-now";
import { domainOf, drawnEdgeId, GROUP_ABOVE_NODES, groupByDomain, groupsByDomain, type Grouping, type ViewEdge, type ViewNode } from "~/components/topology/domains";
import { filterTopology, isFiltered, neighbourhood, NEIGHBOURHOOD_HOPS, NO_FILTER, pathThrough, structureKey, type TopologyFilter } from "~/components/topology/graph-model";
import { layoutGraph, NODE_SIZE } from "~/components/topology/layout";
import { FLOW_TYPE, NODE_TYPES, type TopologyFlowNode } from "~/components/topology/nodes";
import { ClusterLink } from "~/components/clusters/cluster-link";
import { formatAge, formatCount, formatRate } from "~/lib/format";
import { flowEventTypes } from "~/server/services/flows/definition";
import type { Topology, TopologyEdge } from "~/server/services/topology/types";
import { useTRPC } from "~/trpc/react";
import { edgeWidth, nodeLook } from "~/components/topology/look";
import { DriftList } from "./drift-list";
import { ExportMenu } from "./export-menu";
import { NodePanel } from "./node-panel";
import { refetchSampledView } from "~/components/live/refetch";

type Position = { x: number; y: number };

/** Timings the topology benchmark reads from the page (npm run bench:topology). */
interface TopologyStats {
  layouts: number;
  lastLayoutMs: number | null;
  /** From navigation start to the first graph on screen. */
  firstRenderMs: number | null;
  /** Data in → next frame painted, for the latest live updates (newest last, at most 50). */
  updateMs: number[];
}

declare global {
  interface Window {
    __topologyStats?: TopologyStats;
  }
}

function stats(): TopologyStats {
  if (typeof window === "undefined") return { layouts: 0, lastLayoutMs: null, firstRenderMs: null, updateMs: [] };
  window.__topologyStats ??= { layouts: 0, lastLayoutMs: null, firstRenderMs: null, updateMs: [] };
  return window.__topologyStats;
}

/**
 * Zoom limits for framing the whole graph: never blow a small graph up past its natural size, and
 * go as far out as the canvas allows, so a large system is still seen whole at first (with names
 * only, below DETAIL_ZOOM); the user zooms in from there.
 */
const FIT_OPTIONS = { padding: 0.06, minZoom: 0.05, maxZoom: 1, duration: 0 } as const;
/**
 * Below this zoom nothing but names can be read, so edge labels and node details are not drawn:
 * a zoomed-out view of a large system stays light enough to pan smoothly.
 */
const DETAIL_ZOOM = 0.45;

const EDGE_COLOR: Record<TopologyEdge["type"], string> = {
  produces: "#4da3ff",
  "consumed-by": "#8b98a8",
  "runs-as": "#6e7b8b",
  "dead-letters": "#f85149",
  "dead-letters-from": "#f0883e",
};
const isDeadLetterEdge = (edge: TopologyEdge) => edge.type === "dead-letters" || edge.type === "dead-letters-from";

function edgeStyle(edge: TopologyEdge, dimmed: boolean, onPath: boolean) {
  // Dead-letter edges keep their red whatever their provenance (the panel tells it), so failure
  // paths stand out; the link back to the source topic is always dotted, being a link, not a flow.
  const base = isDeadLetterEdge(edge) ? EDGE_COLOR[edge.type] : edge.source === "observed" ? "#d29922" : edge.source === "declared" ? "#5b6675" : EDGE_COLOR[edge.type];
  const width = edgeWidth(edge.rate);
  return {
    stroke: onPath ? "#ffffff" : base,
    strokeWidth: onPath ? width + 1 : width,
    strokeDasharray: edge.type === "dead-letters-from" ? "2 5" : edge.source === "both" ? undefined : "6 4",
    opacity: dimmed ? 0.12 : 1,
  };
}

const sameElements = <T,>(a: readonly T[], b: readonly T[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/** The last array handed out, handed out again in place of an equal one (same elements, same order). */
class LastArray<T> {
  private last: T[] = [];
  keep(next: T[]): T[] {
    if (!sameElements(next, this.last)) this.last = next;
    return this.last;
  }
}

function edgeLabel(edge: TopologyEdge, detailed: boolean): string | undefined {
  if (!detailed || edge.type === "runs-as") return undefined;
  if (edge.type === "dead-letters-from") return "dead letters from";
  return edge.rate !== null ? `${formatRate(edge.rate)}/s` : undefined;
}

/** The sample a topology was built from. */
const sampleShown = (topology: Topology) => (topology.observedAt === null ? null : Date.parse(topology.observedAt));

export function TopologyView() {
  return (
    <ReactFlowProvider>
      <TopologyPage />
    </ReactFlowProvider>
  );
}

function TopologyPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  // Asked for alone, not in a batch: a batch answers with its slowest call (see src/trpc/react.tsx).
  const graphOptions = trpc.topology.graph.queryOptions(undefined, { placeholderData: (prev) => prev, trpc: { context: { skipBatch: true } } });
  const live = useLiveRefresh((event) => void refetchSampledView(queryClient, graphOptions.queryKey, event, sampleShown));
  const graph = useQuery(graphOptions);
  const [filter, setFilter] = useState<TopologyFilter>(NO_FILTER);
  const deferredFilter = useDeferredValue(filter);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  /** A node to bring into view (picked in the drift list); clicks in the graph do not move it. */
  const [focus, setFocus] = useState<{ id: string; at: number } | null>(null);
  const [pathFor, setPathFor] = useState<string | null>(null);
  const [panel, setPanel] = useState<"drift" | "node">("drift");
  /** auto: grouped by domain above GROUP_ABOVE_NODES nodes; the toolbar's switch picks one for good. */
  // ?view=domains or ?view=nodes opens the page that way (a link that shows what was seen; the benchmark).
  const searchParams = useSearchParams();
  const viewParam = searchParams.get("view");
  // ?flow=<name> opens the page on one declared flow (the Flows page links here).
  const [flowName, setFlowName] = useState<string | null>(searchParams.get("flow"));
  const flows = useQuery(trpc.flows.list.queryOptions({ range: "1h" }, { refetchInterval: 10_000 }));
  const chosenFlow = flowName ? flows.data?.find((f) => f.name === flowName) : undefined;
  const flowTypesKey = chosenFlow?.definition ? [...flowEventTypes(chosenFlow.definition)].sort().join("\u0000") : null;
  const flowFilter = useMemo(() => (chosenFlow && flowTypesKey !== null ? { name: chosenFlow.name, eventTypes: flowTypesKey.split("\u0000") } : null), [chosenFlow, flowTypesKey]);
  const shownFilter = useMemo(() => ({ ...deferredFilter, flow: flowFilter }), [deferredFilter, flowFilter]);
  const clearFilters = () => {
    setFilter(NO_FILTER);
    setFlowName(null);
  };
  const [grouping, setGrouping] = useState<Grouping>(viewParam === "domains" || viewParam === "nodes" ? viewParam : "auto");
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set<string>());
  /** The node whose neighbourhood alone is drawn, when one is focused. */
  const [focusedOn, setFocusedOn] = useState<string | null>(null);

  const topology = graph.data;
  const visible = useMemo(() => (topology ? filterTopology(topology, shownFilter) : { nodes: [], edges: [] }), [topology, shownFilter]);
  const domains = useMemo(() => (topology ? domainOf(topology.nodes, topology.edges) : new Map<string, string>()), [topology]);
  const focused = useMemo(() => {
    if (!topology || !focusedOn || !topology.nodes.some((n) => n.id === focusedOn)) return null;
    const near = neighbourhood(focusedOn, topology.edges);
    return { ...near, graph: { nodes: topology.nodes.filter((n) => near.nodes.has(n.id)), edges: topology.edges.filter((e) => near.nodes.has(e.from) && near.nodes.has(e.to)) } };
  }, [topology, focusedOn]);
  const shown = focused?.graph ?? visible;
  // A focused neighbourhood is small and drawn whole.
  const grouped = !focused && groupsByDomain(grouping, shown.nodes.length);
  const drawn = useMemo(() => (grouped ? groupByDomain(shown.nodes, shown.edges, domains, expanded) : { nodes: shown.nodes as ViewNode[], edges: shown.edges as ViewEdge[], drawnAs: null }), [grouped, shown, domains, expanded]);
  // The path through a node is walked on the real edges, then drawn on what stands for them.
  const path = useMemo(() => {
    if (!pathFor) return null;
    const through = pathThrough(pathFor, shown.edges);
    if (!drawn.drawnAs) return through;
    const as = drawn.drawnAs;
    return {
      nodes: new Set([...through.nodes].map((id) => as.get(id) ?? id)),
      edges: new Set(shown.edges.filter((e) => through.edges.has(e.id)).map((e) => drawnEdgeId(e, as))),
    };
  }, [pathFor, shown.edges, drawn.drawnAs]);
  const domainCount = useMemo(() => new Set(shown.nodes.map((n) => domains.get(n.id))).size, [shown.nodes, domains]);
  /** Brings a node into the drawing: its domain is expanded and a focus elsewhere is let go. */
  const reveal = useCallback(
    (nodeId: string) => {
      const domain = domains.get(nodeId);
      if (domain && !expanded.has(domain)) setExpanded(new Set([...expanded, domain]));
      if (focused && !focused.nodes.has(nodeId)) setFocusedOn(null);
    },
    [domains, expanded, focused],
  );

  if (graph.isError && !topology) {
    return (
      <div className="page">
        <TopologyHeader topology={undefined} live={live} />
        <div className="banner bad" role="alert" data-testid="topology-error">
          <strong>Could not build the topology</strong>
          <span>{graph.error.message}</span>
        </div>
      </div>
    );
  }

  return (
    <div className="page page-wide topology-page">
      <TopologyHeader topology={topology} live={live} />
      <SamplerBanner live={live} />
      <div className="tp-toolbar">
        <input
          className="search-input"
          placeholder="Search services, topics, groups…"
          value={filter.search}
          onChange={(e) => setFilter({ ...filter, search: e.target.value })}
          data-testid="topology-search"
          aria-label="Search the graph"
        />
        <select className="tp-select" value={filter.domain ?? ""} onChange={(e) => setFilter({ ...filter, domain: e.target.value || null })} data-testid="filter-domain" aria-label="Domain">
          <option value="">All domains</option>
          {topology?.domains.map((d) => (
            <option key={d} value={d}>
              {d}
            </option>
          ))}
        </select>
        <select className="tp-select" value={filter.team ?? ""} onChange={(e) => setFilter({ ...filter, team: e.target.value || null })} data-testid="filter-team" aria-label="Team">
          <option value="">All teams</option>
          {topology?.teams.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </select>
        <input
          className="search-input tp-topic-filter"
          placeholder="Topic name…"
          value={filter.topic}
          onChange={(e) => setFilter({ ...filter, topic: e.target.value })}
          data-testid="filter-topic"
          aria-label="Topic name filter"
        />
        {(flows.data?.length ?? 0) > 0 && (
          <select className="tp-select" value={flowName ?? ""} onChange={(e) => setFlowName(e.target.value || null)} data-testid="filter-flow" aria-label="Flow">
            <option value="">All flows</option>
            {flows.data!.map((f) => (
              <option key={f.name} value={f.name}>
                {f.name}
              </option>
            ))}
          </select>
        )}
        {(isFiltered(filter) || flowName !== null) && (
          <button onClick={clearFilters} data-testid="clear-filters">
            Clear filters
          </button>
        )}
        <span className="muted small" data-testid="visible-count">
          {topology ? `${visible.nodes.length} of ${topology.nodes.length}` : ""}
        </span>
        <div className="tp-segmented" role="group" aria-label="Draw">
          <button className={grouped ? "active" : undefined} aria-pressed={grouped} onClick={() => setGrouping("domains")} data-testid="view-domains" title="One node per domain; click a domain to open it">
            Domains
          </button>
          <button className={grouped ? undefined : "active"} aria-pressed={!grouped} onClick={() => setGrouping("nodes")} data-testid="view-nodes" title="Every service, topic and consumer group">
            Every node
          </button>
        </div>
        <span className="tp-toolbar-spacer" />
        <ExportMenu cluster={topology?.cluster ?? "topology"} />
      </div>
      {flowName !== null && flows.data && (
        <div className="tp-domain-bar" data-testid="flow-bar">
          {chosenFlow ? (
            <span>
              Flow <strong>{chosenFlow.name}</strong>: the topics its {flowFilter?.eventTypes.length ?? 0} event types travel on, with their producers and readers
              {" · "}
              {chosenFlow.stuck + chosenFlow.failed > 0 ? (
                <span className="warn-text">{formatCount(chosenFlow.stuck + chosenFlow.failed)} stuck or failed now</span>
              ) : (
                <span className="muted">{formatCount(chosenFlow.running)} running, none stuck</span>
              )}
              {" · "}
              <ClusterLink href={`/flows?flow=${encodeURIComponent(chosenFlow.name)}`}>Open on the Flows page</ClusterLink>
            </span>
          ) : (
            <span className="warn-text" role="status">
              No flow named <span className="mono">{flowName}</span> is declared on this cluster.
            </span>
          )}
          <button className="link-button" onClick={() => setFlowName(null)} data-testid="clear-flow">
            Show every flow
          </button>
        </div>
      )}
      {grouped && topology && (
        <div className="tp-domain-bar" data-testid="domain-bar">
          <span className="muted">
            {shown.nodes.length > GROUP_ABOVE_NODES && grouping === "auto" ? `${shown.nodes.length} nodes, grouped by domain (${domainCount}).` : `Grouped by domain (${domainCount}).`} Click a domain to open it.
          </span>
          {[...expanded].sort().map((d) => (
            <span key={d} className="tp-domain-chip" data-testid="expanded-domain" data-domain={d}>
              {d}
              <button
                className="link-button"
                aria-label={`Collapse ${d}`}
                onClick={() => {
                  const next = new Set(expanded);
                  next.delete(d);
                  setExpanded(next);
                }}
                data-testid="collapse-domain"
              >
                ✕
              </button>
            </span>
          ))}
          {expanded.size > 0 && (
            <button className="link-button" onClick={() => setExpanded(new Set())} data-testid="collapse-all">
              Collapse all
            </button>
          )}
        </div>
      )}
      <div className="tp-body">
        <div className="tp-canvas card" data-testid="topology-canvas">
          {!topology ? (
            <div className="tp-overlay">
              <div className="skeleton" style={{ width: 240, height: 18 }} />
              <span className="muted small">Loading the topology…</span>
            </div>
          ) : topology.nodes.length === 0 ? (
            <EmptyTopology />
          ) : visible.nodes.length === 0 ? (
            <div className="tp-overlay" data-testid="topology-no-match">
              <strong>Nothing matches these filters.</strong>
              <button className="link-button" onClick={clearFilters}>
                Clear filters
              </button>
            </div>
          ) : (
            <Graph
              nodes={drawn.nodes}
              edges={drawn.edges}
              viewKey={JSON.stringify([shownFilter, grouped, [...expanded].sort(), focusedOn])}
              search={deferredFilter.search}
              selectedId={selectedId}
              focus={focus}
              path={path}
              dataAt={graph.dataUpdatedAt}
              onSelect={(id) => {
                setSelectedId(id);
                setPanel(id ? "node" : "drift");
              }}
              onExpand={(domain) => setExpanded(new Set([...expanded, domain]))}
            />
          )}
          {focused && focusedOn && (
            <div className="tp-path-note" data-testid="focus-note">
              Neighbourhood of <span className="mono">{focusedOn.slice(focusedOn.indexOf(":") + 1)}</span>: {focused.upstream.size} upstream, {focused.downstream.size} downstream ({NEIGHBOURHOOD_HOPS} hops)
              <button className="link-button" onClick={() => setFocusedOn(null)} data-testid="clear-focus">
                Back to the whole graph
              </button>
            </div>
          )}
          {pathFor && topology && !focused && (
            <div className="tp-path-note" data-testid="path-note">
              Upstream and downstream of <span className="mono">{pathFor.slice(pathFor.indexOf(":") + 1)}</span>
              <button className="link-button" onClick={() => setPathFor(null)} data-testid="clear-path">
                Clear
              </button>
            </div>
          )}
          <Legend />
        </div>
        <aside className="tp-side">
          <div className="tabs" role="tablist">
            <button role="tab" aria-selected={panel === "drift"} className={panel === "drift" ? "tab active" : "tab"} onClick={() => setPanel("drift")} data-testid="tab-drift">
              Drift {topology ? <span className="tab-count">{topology.drift.length}</span> : null}
            </button>
            <button role="tab" aria-selected={panel === "node"} className={panel === "node" ? "tab active" : "tab"} onClick={() => setPanel("node")} disabled={!selectedId} data-testid="tab-node">
              Details
            </button>
          </div>
          {panel === "node" && selectedId && topology ? (
            <NodePanel
              topology={topology}
              nodeId={selectedId}
              onShowNode={(nodeId) => {
                reveal(nodeId);
                setSelectedId(nodeId);
                setFocus({ id: nodeId, at: Date.now() });
              }}
              pathActive={pathFor === selectedId}
              onShowPath={() => setPathFor(pathFor === selectedId ? null : selectedId)}
              focusActive={focusedOn === selectedId}
              onFocus={() => {
                setPathFor(null);
                setFocusedOn(focusedOn === selectedId ? null : selectedId);
              }}
              onClose={() => {
                setSelectedId(null);
                setPanel("drift");
              }}
            />
          ) : (
            <DriftList
              topology={topology}
              onShow={(nodeId) => {
                reveal(nodeId);
                setSelectedId(nodeId);
                setPanel("node");
                setFocus({ id: nodeId, at: Date.now() });
                setFilter(NO_FILTER);
              }}
            />
          )}
          {topology && <Sources topology={topology} />}
        </aside>
      </div>
    </div>
  );
}

function TopologyHeader({ topology, live }: { topology: Topology | undefined; live: ReturnType<typeof useLiveRefresh> }) {
  const counts = topology
    ? {
        services: topology.nodes.filter((n) => n.type === "service").length,
        topics: topology.nodes.filter((n) => n.type === "topic").length,
        groups: topology.nodes.filter((n) => n.type === "group").length,
      }
    : null;
  return (
    <header className="page-header">
      <h1>Topology</h1>
      <p className="muted">
        {counts ? (
          <span data-testid="topology-counts">
            {counts.services} services · {counts.topics} topics · {counts.groups} consumer groups
          </span>
        ) : (
          "Services, topics and consumer groups, declared and observed."
        )}
      </p>
      <LiveIndicator live={live} />
    </header>
  );
}

function EmptyTopology() {
  return (
    <div className="tp-overlay" data-testid="topology-empty">
      <strong>Nothing to draw yet.</strong>
      <span className="muted small">
        The graph shows the services, topics and consumer groups the catalog declares (Schemas) and the broker shows (after the worker&apos;s first sample).
      </span>
    </div>
  );
}

/** Where the picture comes from, and how fresh each part is. */
function Sources({ topology }: { topology: Topology }) {
  const now = useNow(5000);
  const age = (iso: string | null) => (iso ? `${formatAge(now - Date.parse(iso))} ago` : "not yet");
  return (
    <div className="tp-sources" data-testid="topology-sources">
      <span>Declared: the catalog (Schemas), as of now.</span>
      <span>Observed: broker offsets and groups, sampled {age(topology.observedAt)}.</span>
      <span>Producers: inferred from recent messages, read {age(topology.producersObservedAt)}.</span>
    </div>
  );
}

function Legend() {
  return (
    <div className="tp-legend" aria-label="Legend">
      <span>
        <i className="tp-line both" /> declared and observed
      </span>
      <span>
        <i className="tp-line declared" /> declared only
      </span>
      <span>
        <i className="tp-line observed" /> observed only
      </span>
      <span>
        <i className="tp-swatch dlq" /> DLQ
      </span>
      <span>
        <i className="tp-line dead-letters" /> dead-letters into a DLQ
      </span>
      <span>
        <i className="tp-line dead-letters-from" /> DLQ ← its source topic
      </span>
    </div>
  );
}

interface GraphProps {
  nodes: ViewNode[];
  edges: ViewEdge[];
  /** Changes when the user asks another question (a filter, grouping, an expanded domain, a focus): its answer is framed whole. */
  viewKey: string;
  search: string;
  selectedId: string | null;
  focus: { id: string; at: number } | null;
  /** The upstream and downstream path being highlighted, in drawn ids. */
  path: { nodes: Set<string>; edges: Set<string> } | null;
  /** When the data shown arrived (the query's dataUpdatedAt), to time live updates. */
  dataAt: number;
  onSelect: (id: string | null) => void;
  /** A collapsed domain was clicked. */
  onExpand: (domain: string) => void;
}

function Graph({ nodes, edges, viewKey, search, selectedId, focus, path, dataAt, onSelect, onExpand }: GraphProps) {
  const flow = useReactFlow();
  // Positions survive live updates: layout runs only when nodes or edges come or go, and a node
  // the user dragged keeps its place even then.
  const positions = useRef(new Map<string, Position>());
  const pinned = useRef(new Set<string>());
  const [layoutVersion, setLayoutVersion] = useState(0);
  const [laidOutKey, setLaidOutKey] = useState<string | null>(null);
  const [flowNodes, setFlowNodes] = useState<TopologyFlowNode[]>([]);
  const key = useMemo(() => structureKey(nodes, edges), [nodes, edges]);
  const recordedDataAt = useRef(0);
  /** The layout whose positions the nodes carry, and the last one the camera framed. */
  const appliedLayout = useRef(0);
  const framedLayout = useRef(0);
  /** Once the user pans or zooms, the camera is theirs: live updates and relayouts leave it alone. */
  const userMoved = useRef(false);

  useEffect(() => {
    if (key === laidOutKey) return;
    let cancelled = false;
    const started = performance.now();
    layoutGraph({ nodes, edges })
      .then((placed) => {
        if (cancelled) return;
        for (const [id, p] of placed) if (!pinned.current.has(id)) positions.current.set(id, p);
        const s = stats();
        s.layouts += 1;
        s.lastLayoutMs = performance.now() - started;
        setLaidOutKey(key);
        setLayoutVersion((v) => v + 1);
      })
      .catch(() => {
        // A layout failure must not blank the page: fall back to a grid.
        if (cancelled) return;
        nodes.forEach((n, i) => positions.current.set(n.id, { x: (i % 8) * 240, y: Math.floor(i / 8) * 110 }));
        setLaidOutKey(key);
        setLayoutVersion((v) => v + 1);
      });
    return () => {
      cancelled = true;
    };
    // nodes/edges are read for the layout only when their structure (key) changed.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, laidOutKey]);

  // A boolean selector re-renders only when the zoom crosses the threshold, not on every frame.
  const detailed = useStore((s) => s.transform[2] >= DETAIL_ZOOM);
  const needle = search.trim().toLowerCase();

  // Data (rates, lag, status) flows into the nodes on every update; positions come from the refs.
  // A node whose data, place and selection did not change keeps its object, so React Flow skips it
  // and its memoized view does not re-render: a live update costs what changed, not the whole graph.
  const nodeSignatures = useRef(new Map<string, string>());
  useEffect(() => {
    if (laidOutKey === null) return;
    appliedLayout.current = layoutVersion;
    setFlowNodes((previous) => {
      const prev = new Map(previous.map((n) => [n.id, n]));
      const signatures = new Map<string, string>();
      const next = nodes.map((n) => {
        const old = prev.get(n.id);
        const position = positions.current.get(n.id) ?? old?.position ?? { x: 0, y: 0 };
        const dimmed = path !== null && !path.nodes.has(n.id);
        const matched = needle !== "" && n.label.toLowerCase().includes(needle);
        const selected = n.id === selectedId;
        const signature = `${nodeLook(n, detailed)}|${dimmed}|${matched}|${selected}`;
        signatures.set(n.id, signature);
        if (old && old.position === position && nodeSignatures.current.get(n.id) === signature) return old;
        return {
          id: n.id,
          type: FLOW_TYPE[n.type],
          // The same size the layout reserved for it.
          width: NODE_SIZE[n.type].width,
          height: NODE_SIZE[n.type].height,
          position,
          selected,
          data: { ...n, dimmed, matched },
          ...(old?.measured ? { measured: old.measured } : {}),
        } as TopologyFlowNode;
      });
      nodeSignatures.current = signatures;
      // Nothing on screen changed (a sample at overview zoom, most often): React Flow is not told.
      return sameElements(next, previous) ? previous : next;
    });
  }, [nodes, layoutVersion, laidOutKey, selectedId, path, needle, detailed]);

  // As with nodes: an edge whose look did not change keeps its object (at overview zoom, where
  // labels are hidden, a new rate changes the edge only when its width crosses a step).
  // A cache that lives as long as the graph (not a ref: it is read while rendering, on purpose).
  const [edgeCache] = useState(() => new Map<string, Edge>());
  const [lastEdges] = useState(() => new LastArray<Edge>());
  const flowEdges: Edge[] = useMemo(() => {
    const result = edges.map((e) => {
        const onPath = path?.edges.has(e.id) ?? false;
        const dimmed = path !== null && !onPath;
        const style = edgeStyle(e, dimmed, onPath);
        const label = edgeLabel(e, detailed);
        const signature = `${e.from}|${e.to}|${e.type}|${label}|${style.stroke}|${style.strokeWidth}|${style.strokeDasharray}|${style.opacity}`;
        const old = edgeCache.get(e.id);
        if (old && old.data?.signature === signature) return old;
        const marker = { type: MarkerType.ArrowClosed, color: style.stroke, width: 16, height: 16 };
        const edge: Edge = {
          id: e.id,
          source: e.from,
          target: e.to,
          type: "default",
          label,
          labelStyle: { fill: isDeadLetterEdge(e) ? EDGE_COLOR[e.type] : "#b4c0cd", fontSize: 11, opacity: dimmed ? 0.2 : 1 },
          labelBgStyle: { fill: "#0f1419", opacity: dimmed ? 0.2 : 0.85 },
          style,
          // Drawn from the source topic to its DLQ (the flow's direction, so the layout keeps the DLQ
          // downstream) with the arrow at the source topic: the DLQ's records point back to it.
          ...(e.type === "dead-letters-from" ? { markerStart: marker } : { markerEnd: marker }),
          data: { kind: e.type, source: e.source, count: e.count ?? 1, signature },
        };
        edgeCache.set(e.id, edge);
        return edge;
    });
    // Edges that are gone leave the cache with the structure that dropped them.
    if (edgeCache.size > result.length) {
      const ids = new Set(result.map((e) => e.id));
      for (const id of [...edgeCache.keys()]) if (!ids.has(id)) edgeCache.delete(id);
    }
    // As with nodes: when no edge changed, React Flow gets the same array and does no work.
    return lastEdges.keep(result);
  }, [edges, path, detailed, edgeCache, lastEdges]);

  // Measure how long a live update takes to reach the screen (read by the benchmark).
  useEffect(() => {
    // Only new data counts; selection or hover changes re-render too.
    if (flowNodes.length === 0 || recordedDataAt.current === dataAt) return;
    recordedDataAt.current = dataAt;
    requestAnimationFrame(() => {
      const s = stats();
      // dataAt is when the query stored the new data (before any rendering), in wall-clock ms.
      s.updateMs.push(Date.now() - dataAt);
      if (s.updateMs.length > 50) s.updateMs.shift();
      // performance.now() counts from navigation start: this is load → graph on screen.
      if (s.firstRenderMs === null) s.firstRenderMs = performance.now();
    });
  }, [flowNodes, dataAt]);

  // Frame the whole graph when a layout's positions have reached React Flow (the layout is async,
  // so this waits for the nodes carrying them), and again when the canvas changes size, as long as
  // the user has not moved the view. Live updates that only change numbers never move the camera.
  const paneWidth = useStore((st) => st.width);
  const paneHeight = useStore((st) => st.height);
  const frame = useCallback(() => {
    if (userMoved.current || flowNodes.length === 0 || paneWidth === 0 || paneHeight === 0) return;
    framedLayout.current = appliedLayout.current;
    void flow.fitView(FIT_OPTIONS);
  }, [flow, flowNodes.length, paneWidth, paneHeight]);
  useEffect(() => {
    if (appliedLayout.current > framedLayout.current) frame();
  }, [flowNodes, frame]);
  useEffect(() => frame(), [paneWidth, paneHeight, frame]);
  // A new filter (or grouping, expanded domain, focus) is a new question: show its answer whole.
  const lastViewKey = useRef(viewKey);
  useEffect(() => {
    if (lastViewKey.current === viewKey) return;
    lastViewKey.current = viewKey;
    userMoved.current = false;
  }, [viewKey]);

  // Centre on a node picked in the drift list.
  // Once per request: re-centring on every later relayout would take the camera back from the user
  // (and from a new filter's framing). Until the node is laid out, the request waits.
  const focusedAt = useRef(0);
  useEffect(() => {
    if (!focus || focus.at === focusedAt.current) return;
    const p = positions.current.get(focus.id);
    if (!p) return;
    focusedAt.current = focus.at;
    userMoved.current = true;
    void flow.setCenter(p.x + 90, p.y + 30, { zoom: Math.max(flow.getZoom(), 0.9), duration: 300 });
  }, [focus, flow, layoutVersion]);

  const onNodesChange = useCallback((changes: NodeChange<TopologyFlowNode>[]) => {
    for (const c of changes) {
      if (c.type === "position" && c.position) {
        positions.current.set(c.id, c.position);
        pinned.current.add(c.id);
      }
    }
    setFlowNodes((nds) => applyNodeChanges(changes, nds));
  }, []);

  return (
    <ReactFlow
      nodes={flowNodes}
      edges={flowEdges}
      nodeTypes={NODE_TYPES}
      onNodesChange={onNodesChange}
      onNodeClick={(_, node) => (node.type === "tp-domain" ? onExpand(node.data.label) : onSelect(node.id))}
      onPaneClick={() => onSelect(null)}
      // Only a person's gesture (wheel, drag, pinch) carries an event; the camera's own moves do not.
      onMoveStart={(event) => {
        if (event) userMoved.current = true;
      }}
      // The minimap moves the camera without such an event; a gesture on it is the user's too.
      onPointerDownCapture={(event) => {
        if ((event.target as Element).closest(".react-flow__minimap")) userMoved.current = true;
      }}
      onWheelCapture={(event) => {
        if ((event.target as Element).closest(".react-flow__minimap")) userMoved.current = true;
      }}
      onlyRenderVisibleElements
      minZoom={0.05}
      maxZoom={2.5}
      nodesConnectable={false}
      edgesFocusable={false}
      proOptions={{ hideAttribution: true }}
      className={detailed ? undefined : "tp-overview"}
      colorMode="dark"
    >
      <Background gap={24} color="#1f2833" />
      <Controls
        showInteractive={false}
        onZoomIn={() => (userMoved.current = true)}
        onZoomOut={() => (userMoved.current = true)}
        // Asking for the whole graph hands the camera back: it follows resizes again.
        onFitView={() => (userMoved.current = false)}
        fitViewOptions={FIT_OPTIONS}
      />
      <MiniMap pannable zoomable nodeColor={(n) => miniMapColor(n as TopologyFlowNode)} maskColor="rgba(15,20,25,0.7)" />
    </ReactFlow>
  );
}

function miniMapColor(node: TopologyFlowNode): string {
  if (node.type === "tp-domain") return node.data.errGroups.length || node.data.growingDlqs.length || node.data.worstStatus === "ERR" ? "#f85149" : node.data.worstStatus === "WARN" ? "#d29922" : "#8b98a8";
  if (node.type === "tp-topic") return node.data.isDlq ? "#f85149" : "#4da3ff";
  if (node.type === "tp-group") return node.data.status === "ERR" ? "#f85149" : node.data.status === "WARN" ? "#d29922" : "#3fb950";
  return "#b4c0cd";
}
