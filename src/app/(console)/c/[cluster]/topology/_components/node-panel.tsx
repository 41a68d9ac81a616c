"use client";

// The side panel for the selected node: what it is, where that knowledge comes from, its live
// numbers, its neighbours, and links to the pages that hold the rest.
import Link from "next/link";
import { ClusterLink } from "~/components/clusters/cluster-link";
import { StatusBadge } from "~/components/lag/status-badge";
import { PROVENANCE_LABEL } from "~/components/topology/nodes";
import { formatCount, formatDuration, formatRate } from "~/lib/format";
import type { DeadLetterEvidence, EdgeKind, Topology, TopologyEdge, TopologyNode, TopicNode } from "~/server/services/topology/types";
import { TopicFlows } from "./topic-flows";

const topicHref = (name: string) => `/topics/${encodeURIComponent(name)}`;
const groupHref = (id: string) => `/groups/${encodeURIComponent(id)}`;
const eventTypeHref = (name: string) => `/schemas/${encodeURIComponent(name)}`;
const dlqHref = (topic: string) => `/dlq?topic=${encodeURIComponent(topic)}`;
const labelOf = (id: string) => id.slice(id.indexOf(":") + 1);

/** How each edge reads from the selected node's side: upstream (the edge ends here) or downstream. */
const EDGE_WORDS: Record<EdgeKind, { upstream: string; downstream: string }> = {
  produces: { upstream: "produced by", downstream: "produces to" },
  "consumed-by": { upstream: "reads", downstream: "read by" },
  "runs-as": { upstream: "its group", downstream: "runs as" },
  "dead-letters": { upstream: "dead-lettered by", downstream: "dead-letters to" },
  "dead-letters-from": { upstream: "dead letters from", downstream: "its dead letters go to" },
};

const EVIDENCE_TEXT: Record<DeadLetterEvidence, string> = {
  "record-headers": "its records' headers name it",
  catalog: "the catalog declares it",
  "topic-name": "the DLQ's name says so",
  "sampled-writer": "seen writing its records",
  "only-reader": "the only group reading the source topic",
  "name-match": "the reader of the source topic whose name matches the DLQ's",
};

export function NodePanel({
  topology,
  nodeId,
  pathActive,
  onShowPath,
  focusActive,
  onFocus,
  onShowNode,
  onClose,
}: {
  topology: Topology;
  nodeId: string;
  pathActive: boolean;
  onShowPath: () => void;
  /** Whether only this node's neighbourhood is drawn; onFocus toggles it. */
  focusActive: boolean;
  onFocus: () => void;
  /** Selects another node and brings it into view. */
  onShowNode: (nodeId: string) => void;
  onClose: () => void;
}) {
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
      <div className="tp-panel-actions">
        <button className={focusActive ? "primary" : undefined} onClick={onFocus} data-testid="focus-node" title="Draw only what is upstream and downstream of it, two hops each way">
          {focusActive ? "Show the whole graph" : "Focus on its neighbourhood"}
        </button>
        {!focusActive && (
          <button className={pathActive ? "primary" : undefined} onClick={onShowPath} data-testid="show-path">
            {pathActive ? "Hide upstream and downstream" : "Show upstream and downstream"}
          </button>
        )}
      </div>
      <NodeFacts node={node} />
      {node.type === "topic" && node.isDlq && <DeadLetterFacts topology={topology} node={node} onShowNode={onShowNode} />}
      {node.type === "topic" && <TopicFlows eventTypes={[...node.eventTypes.map((e) => e.name), ...node.observedEventTypes]} />}
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
          <ClusterLink href={topicHref(node.label)} className="tp-panel-link" data-testid="panel-link">
            Open topic →
          </ClusterLink>
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
          <ClusterLink href={groupHref(node.label)} className="tp-panel-link" data-testid="panel-link">
            Open consumer group →
          </ClusterLink>
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
              <span className="muted small">{EDGE_WORDS[e.type][end === "from" ? "upstream" : "downstream"]}</span>{" "}
              {href ? (
                <ClusterLink href={href} className="mono">
                  {name}
                </ClusterLink>
              ) : (
                <span className="mono">{name}</span>
              )}
              {e.rate !== null && e.type !== "runs-as" && e.type !== "dead-letters-from" && <span className="muted small"> · {formatRate(e.rate)} msg/s</span>}
              {e.source !== "both" && <span className={`tp-prov tp-prov-${e.source}`}>{e.source}</span>}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

/** A DLQ's place in the flow: the topic its records failed on and who wrote them, with the evidence. */
function DeadLetterFacts({ topology, node, onShowNode }: { topology: Topology; node: TopicNode; onShowNode: (nodeId: string) => void }) {
  const sources = topology.edges.filter((e) => e.type === "dead-letters-from" && e.to === node.id);
  const writers = topology.edges.filter((e) => e.type === "dead-letters" && e.to === node.id);
  const why = (e: TopologyEdge) => (e.evidence ?? []).map((x) => EVIDENCE_TEXT[x]).join("; ");
  return (
    <section className="tp-panel-section" data-testid="dlq-facts">
      <h3>Dead letters</h3>
      <dl className="tp-facts">
        <dt>From topic</dt>
        <dd data-testid="dlq-source">
          {sources.length === 0 && <span className="muted">not known: no record names it, nor the catalog or the name</span>}
          {sources.map((e) => (
            <div key={e.id}>
              <button className="link-button mono" onClick={() => onShowNode(e.from)} data-testid="dlq-source-show">
                {labelOf(e.from)}
              </button>{" "}
              <ClusterLink href={topicHref(labelOf(e.from))} className="small" data-testid="dlq-source-link">
                open topic
              </ClusterLink>
              <div className="muted small">{why(e)}</div>
            </div>
          ))}
        </dd>
        <dt>Written by</dt>
        <dd data-testid="dlq-writer">
          {writers.map((e) => (
            <div key={e.id}>
              <button className="link-button mono" onClick={() => onShowNode(e.from)}>
                {labelOf(e.from)}
              </button>
              <div className="muted small">{why(e)}</div>
            </div>
          ))}
          {writers.length === 0 && node.deadLetterCandidates.length > 0 && (
            <span className="muted">one of {node.deadLetterCandidates.map(labelOf).join(", ")} (they all read the source topic)</span>
          )}
          {writers.length === 0 && node.deadLetterCandidates.length === 0 && <span className="muted">not known</span>}
        </dd>
      </dl>
      <ClusterLink href={dlqHref(node.label)} className="tp-panel-link" data-testid="dlq-page-link">
        Open in Dead-letter queues →
      </ClusterLink>
    </section>
  );
}
