"use client";

// The three kinds of node on the topology graph. Everything shown is text (React escapes it), so a
// hostile topic or service name can never become markup.
import { Handle, Position, type Node, type NodeProps } from "@xyflow/react";
import { memo } from "react";
import { statusTone } from "~/components/lag/status-badge";
import { formatCount, formatDuration, formatRate } from "~/lib/format";
import type { GroupNode, Provenance, ServiceNode, TopicNode } from "~/server/services/topology/types";
import type { DomainNode } from "./domains";

export interface NodeView {
  /** Dimmed while another node's path is highlighted. */
  dimmed: boolean;
  /** Matches the search box. */
  matched: boolean;
}

// React Flow wants node data indexable by string.
type Data<T> = T & NodeView & Record<string, unknown>;
// React Flow has a built-in "group" node type (a container); ours are named apart from it.
export type ServiceFlowNode = Node<Data<ServiceNode>, "tp-service">;
export type TopicFlowNode = Node<Data<TopicNode>, "tp-topic">;
export type GroupFlowNode = Node<Data<GroupNode>, "tp-group">;
export type DomainFlowNode = Node<Data<DomainNode>, "tp-domain">;

/** The React Flow node type of each kind of topology node. */
export const FLOW_TYPE = { service: "tp-service", topic: "tp-topic", group: "tp-group", domain: "tp-domain" } as const;
export type TopologyFlowNode = ServiceFlowNode | TopicFlowNode | GroupFlowNode | DomainFlowNode;

export const PROVENANCE_LABEL: Record<Provenance, string> = {
  both: "declared and observed",
  declared: "declared in the catalog, not seen on the broker",
  observed: "seen on the broker, not declared in the catalog",
};

function ProvenanceMark({ source }: { source: Provenance }) {
  if (source === "both") return null;
  return (
    <span className={`tp-prov tp-prov-${source}`} title={PROVENANCE_LABEL[source]} data-testid="node-provenance">
      {source}
    </span>
  );
}

function classes(base: string, data: NodeView & { source: Provenance }, selected: boolean, extra = "") {
  return [base, `tp-src-${data.source}`, data.dimmed ? "tp-dimmed" : "", data.matched ? "tp-matched" : "", selected ? "tp-selected" : "", extra].filter(Boolean).join(" ");
}

export const ServiceNodeView = memo(function ServiceNodeView({ data, selected }: NodeProps<ServiceFlowNode>) {
  return (
    <div className={classes("tp-node tp-service", data, selected)} data-testid="topology-node" data-node-id={data.id} data-kind="service" data-source={data.source}>
      <Handle type="target" position={Position.Left} />
      <div className="tp-head">
        <span className="tp-icon" aria-hidden>
          ⬢
        </span>
        <span className="tp-label" title={data.label}>
          {data.label}
        </span>
      </div>
      <div className="tp-sub">
        {data.team ? <span title={`team ${data.team}`}>{data.team}</span> : <span className="muted">no team</span>}
        <ProvenanceMark source={data.source} />
      </div>
      <Handle type="source" position={Position.Right} />
    </div>
  );
});

export const TopicNodeView = memo(function TopicNodeView({ data, selected }: NodeProps<TopicFlowNode>) {
  const types = data.eventTypes.length ? data.eventTypes.map((e) => e.name) : data.observedEventTypes;
  return (
    <div className={classes("tp-node tp-topic", data, selected, data.isDlq ? "tp-dlq" : "")} data-testid="topology-node" data-node-id={data.id} data-kind="topic" data-source={data.source} data-dlq={data.isDlq || undefined}>
      <Handle type="target" position={Position.Left} />
      <div className="tp-head">
        <span className="tp-icon" aria-hidden>
          ☰
        </span>
        <span className="tp-label mono" title={data.label}>
          {data.label}
        </span>
      </div>
      <div className="tp-sub">
        {data.isDlq && <span className="tp-dlq-tag">DLQ</span>}
        <span title="messages produced per second">{formatRate(data.produceRate)} msg/s</span>
        {data.partitions !== null && <span className="muted"> · {data.partitions} p</span>}
      </div>
      <div className="tp-types" title={types.join(", ")}>
        {types.slice(0, 2).map((t) => (
          <span key={t} className="tp-chip">
            {t}
          </span>
        ))}
        {types.length > 2 && <span className="tp-chip more">+{types.length - 2}</span>}
        <ProvenanceMark source={data.source} />
      </div>
      <Handle type="source" position={Position.Right} />
    </div>
  );
});

export const GroupNodeView = memo(function GroupNodeView({ data, selected }: NodeProps<GroupFlowNode>) {
  const tone = data.status ? statusTone(data.status) : "idle";
  return (
    <div className={classes("tp-node tp-group", data, selected, `tp-tone-${tone}`)} data-testid="topology-node" data-node-id={data.id} data-kind="group" data-source={data.source} data-status={data.status ?? ""}>
      <Handle type="target" position={Position.Left} />
      <div className="tp-head">
        <span className="tp-icon" aria-hidden>
          ▦
        </span>
        <span className="tp-label mono" title={data.label}>
          {data.label}
        </span>
      </div>
      <div className="tp-sub">
        <ProvenanceMark source={data.source} />
        {data.status ? (
          <>
            <span className={`tp-status ${tone}`} data-testid="group-status">
              {data.status}
            </span>
            <span title="total lag, messages"> {formatCount(data.totalLag ?? 0)} behind</span>
            {data.maxLagSeconds !== null && <span className="muted"> · {formatDuration(data.maxLagSeconds)}</span>}
          </>
        ) : (
          <span className="muted">not on the broker</span>
        )}
      </div>
      <Handle type="source" position={Position.Right} />
    </div>
  );
});

const plural = (n: number, one: string, many = `${one}s`) => `${formatCount(n)} ${n === 1 ? one : many}`;

/**
 * A collapsed domain: what it holds, its traffic, its worst group status, and the problems inside
 * it (ERR groups, growing DLQs), which stay readable at overview zoom so nothing hides behind a
 * collapsed node. A click expands it (the page handles the click).
 */
export const DomainNodeView = memo(function DomainNodeView({ data, selected }: NodeProps<DomainFlowNode>) {
  const tone = data.worstStatus ? statusTone(data.worstStatus) : "idle";
  const problems = data.errGroups.length + data.growingDlqs.length;
  const problemText = [
    data.errGroups.length ? `ERR: ${data.errGroups.join(", ")}` : "",
    data.growingDlqs.length ? `growing DLQ: ${data.growingDlqs.join(", ")}` : "",
  ].filter(Boolean);
  return (
    <div
      className={classes("tp-node tp-domain", { ...data, source: "both" }, selected, `tp-tone-${tone}${problems ? " tp-problem" : ""}`)}
      data-testid="topology-node"
      data-node-id={data.id}
      data-kind="domain"
      data-status={data.worstStatus ?? ""}
      data-problems={problems}
      title={`Domain ${data.label}: click to show its ${data.members.length} nodes${problemText.length ? `\n${problemText.join("\n")}` : ""}`}
    >
      <Handle type="target" position={Position.Left} />
      <div className="tp-head">
        <span className="tp-icon" aria-hidden>
          ◫
        </span>
        <span className="tp-label" data-testid="domain-label">
          {data.label}
        </span>
        <span className="tp-expand" aria-hidden>
          +
        </span>
      </div>
      <div className="tp-sub" data-testid="domain-counts">
        <span>
          {plural(data.services, "service")} · {plural(data.topics, "topic")} · {plural(data.groups, "group")}
        </span>
      </div>
      <div className="tp-sub">
        <span title="messages produced per second to its topics, DLQs left out">{formatRate(data.produceRate)} msg/s</span>
        {data.groups > 0 && <span title="total lag of its consumer groups, messages"> · {formatCount(data.totalLag)} behind</span>}
        {data.worstStatus && (
          <span className={`tp-status ${tone}`} title="the worst status of its consumer groups" data-testid="domain-status">
            {" "}
            {data.worstStatus}
          </span>
        )}
      </div>
      {problems > 0 && (
        <div className="tp-marks">
          {data.errGroups.length > 0 && (
            <span className="tp-mark bad" data-testid="domain-err-groups" title={`consumer groups in ERR: ${data.errGroups.join(", ")}`}>
              {plural(data.errGroups.length, "group")} ERR
            </span>
          )}
          {data.growingDlqs.length > 0 && (
            <span className="tp-mark bad" data-testid="domain-growing-dlq" title={`growing dead-letter topics: ${data.growingDlqs.join(", ")}`}>
              {data.growingDlqs.length === 1 ? "DLQ growing" : `${data.growingDlqs.length} DLQs growing`}
            </span>
          )}
        </div>
      )}
      <Handle type="source" position={Position.Right} />
    </div>
  );
});

export const NODE_TYPES = { "tp-service": ServiceNodeView, "tp-topic": TopicNodeView, "tp-group": GroupNodeView, "tp-domain": DomainNodeView };
