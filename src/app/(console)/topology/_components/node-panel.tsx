"use client";

// The side panel for the selected node: what it is, where that knowledge comes from, its live
// numbers, its neighbours, and links to the pages that hold the rest.
import Link from "next/link";
import { StatusBadge } from "~/components/lag/status-badge";
import { PROVENANCE_LABEL } from "~/components/topology/nodes";
import { formatCount, formatDuration, formatRate } from "~/lib/format";
import type { Topology, TopologyEdge, TopologyNode } from "~/server/services/topology/types";

const topicHref = (name: string) => `/topics/${encodeURIComponent(name)}`;
const groupHref = (id: string) => `/groups/${encodeURIComponent(id)}`;
const eventTypeHref = (name: string) => `/schemas/${encodeURIComponent(name)}`;
const labelOf = (id: string) => id.slice(id.indexOf(":") + 1);

export function NodePanel({ topology, nodeId, pathActive, onShowPath, onClose }: { topology: Topology; nodeId: string; pathActive: boolean; onShowPath: () => void; onClose: () => void }) {
  const node = topology.nodes.find((n) => n.id === nodeId);
  if (!node) {
    return (
      <div className="tp-panel" data-testid="node-panel">
        <p className="muted">This node is no longer in the graph.</p>
        <button className="link-button" onClick={onClose}>
          Back to drift
        </button>
      </div>
    );
  }
  const incoming = topology.edges.filter((e) => e.to === node.id);
  const outgoing = topology.edges.filter((e) => e.from === node.id);
  const drift = topology.drift.filter((d) => d.nodeId === node.id);

  return (
    <div className="tp-panel" data-testid="node-panel" data-node-id={node.id}>
      <div className="tp-panel-head">
        <span className="tp-kind">{node.type === "group" ? "consumer group" : node.type}</span>
        <button className="link-button" onClick={onClose} aria-label="Close details">
          ✕
        </button>
      </div>
      <h2 className="tp-panel-title mono" data-testid="node-panel-title">
        {node.label}
      </h2>
      <p className={`tp-prov-line tp-src-${node.source}`} data-testid="node-panel-source">
        {node.source === "both" ? "Declared in the catalog and observed on the broker." : `Only ${PROVENANCE_LABEL[node.source]}.`}
      </p>
      <button className={pathActive ? "primary" : undefined} onClick={onShowPath} data-testid="show-path">
        {pathActive ? "Hide upstream and downstream" : "Show upstream and downstream"}
      </button>
      <NodeFacts node={node} />
      <Neighbours title="Upstream" edges={incoming} end="from" />
      <Neighbours title="Downstream" edges={outgoing} end="to" />
      {drift.length > 0 && (
        <section className="tp-panel-section">
          <h3>Drift</h3>
          <ul className="tp-plain">
            {drift.map((d) => (
              <li key={d.id} className="warn-text small">
                {d.message}
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}

function NodeFacts({ node }: { node: TopologyNode }) {
  if (node.type === "topic") {
    const types = node.eventTypes.map((e) => e.name);
    const undeclared = node.observedEventTypes.filter((t) => !types.includes(t));
    return (
      <section className="tp-panel-section">
        <dl className="tp-facts">
          <dt>Produce rate</dt>
          <dd>{formatRate(node.produceRate)} msg/s</dd>
          <dt>Partitions</dt>
          <dd>{node.partitions ?? "— (not on the broker)"}</dd>
          {node.isDlq && (
            <>
              <dt>Kind</dt>
              <dd className="error-text">Dead-letter topic</dd>
            </>
          )}
        </dl>
        <h3>Event types</h3>
        {types.length === 0 && undeclared.length === 0 && <p className="muted small">None bound in the catalog, none seen in recent messages.</p>}
        <ul className="tp-plain">
          {node.eventTypes.map((e) => (
            <li key={e.name}>
              <Link href={eventTypeHref(e.name)}>{e.name}</Link> {e.domain && <span className="muted small">· {e.domain}</span>}
            </li>
          ))}
          {undeclared.map((t) => (
            <li key={t}>
              <span className="mono">{t}</span> <span className="warn-text small">seen, not bound</span>
            </li>
          ))}
        </ul>
        {node.partitions !== null && (
          <Link href={topicHref(node.label)} className="tp-panel-link" data-testid="panel-link">
            Open topic →
          </Link>
        )}
      </section>
    );
  }
  if (node.type === "group") {
    return (
      <section className="tp-panel-section">
        <dl className="tp-facts">
          <dt>Status</dt>
          <dd>{node.status ? <StatusBadge status={node.status} /> : <span className="muted">not on the broker</span>}</dd>
          <dt>State</dt>
          <dd>{node.state ?? "—"}</dd>
          <dt>Members</dt>
          <dd>{formatCount(node.members)}</dd>
          <dt>Total lag</dt>
          <dd>{node.totalLag === null ? "—" : `${formatCount(node.totalLag)} messages`}</dd>
          <dt>Max lag (time)</dt>
          <dd>{formatDuration(node.maxLagSeconds)}</dd>
          <dt>Consume rate</dt>
          <dd>{formatRate(node.consumeRate)} msg/s</dd>
        </dl>
        {node.status && (
          <Link href={groupHref(node.label)} className="tp-panel-link" data-testid="panel-link">
            Open consumer group →
          </Link>
        )}
      </section>
    );
  }
  return (
    <section className="tp-panel-section">
      <dl className="tp-facts">
        <dt>Team</dt>
        <dd>{node.team ?? "—"}</dd>
        {node.description && (
          <>
            <dt>About</dt>
            <dd>{node.description}</dd>
          </>
        )}
      </dl>
    </section>
  );
}

function Neighbours({ title, edges, end }: { title: string; edges: TopologyEdge[]; end: "from" | "to" }) {
  if (edges.length === 0) return null;
  return (
    <section className="tp-panel-section">
      <h3>{title}</h3>
      <ul className="tp-plain tp-neighbours">
        {edges.map((e) => {
          const other = e[end];
          const name = labelOf(other);
          const href = other.startsWith("topic:") ? topicHref(name) : other.startsWith("group:") ? groupHref(name) : null;
          return (
            <li key={e.id}>
              <span className="muted small">{e.type}</span>{" "}
              {href ? (
                <Link href={href} className="mono">
                  {name}
                </Link>
              ) : (
                <span className="mono">{name}</span>
              )}
              {e.rate !== null && e.type !== "runs-as" && <span className="muted small"> · {formatRate(e.rate)} msg/s</span>}
              {e.source !== "both" && <span className={`tp-prov tp-prov-${e.source}`}>{e.source}</span>}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
