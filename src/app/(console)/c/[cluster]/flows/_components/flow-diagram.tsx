"use client";

// A flow as a diagram: event types as nodes (the start, the steps, the terminal events), declared
// steps as edges labelled with how many instances took them in the range and their p95 latency.
// Compensations are drawn apart: dashed, amber, and laid out below the happy path. An edge whose p95
// is past its step's SLO is red.
import { Background, Controls, Handle, Position, ReactFlow, type Edge, type Node, type NodeProps } from "@xyflow/react";
import "@xyflow/react/dist/style.css";
import { useEffect, useMemo, useState } from "react";
import { FLOW_NODE, layoutFlow } from "~/components/flows/flow-layout";
import { formatCount, formatMs } from "~/lib/format";
import { flowEventTypes } from "~/server/services/flows/definition";
import type { RouterOutputs } from "~/trpc/types";

type Detail = RouterOutputs["flows"]["get"];
type Role = "start" | "step" | "completed" | "compensated" | "compensation";
type EventNodeData = { label: string; role: Role };

const ROLE_WORDS: Record<Role, string> = { start: "start", step: "step", completed: "completes", compensated: "compensates", compensation: "compensation" };

function EventNode({ data }: NodeProps<Node<EventNodeData>>) {
  return (
    <div className={`flow-node flow-node-${data.role}`} style={{ width: FLOW_NODE.width, minHeight: FLOW_NODE.height }} data-testid="flow-node" data-event-type={data.label} data-role={data.role}>
      <Handle type="target" position={Position.Left} />
      <span className="flow-node-role">{ROLE_WORDS[data.role]}</span>
      <span className="flow-node-name" title={data.label}>
        {data.label}
      </span>
      <Handle type="source" position={Position.Right} />
    </div>
  );
}

const NODE_TYPES = { event: EventNode };

export function FlowDiagram({ flow }: { flow: Detail }) {
  const def = flow.definition;
  const shape = useMemo(() => {
    if (!def) return null;
    const types = [...flowEventTypes(def)];
    const role = (t: string): Role =>
      t === def.startEventType ? "start" : def.completedOn.includes(t) ? "completed" : def.compensatedOn.includes(t) ? "compensated" : def.compensations.includes(t) ? "compensation" : "step";
    return { types, role, key: JSON.stringify(def) };
  }, [def]);
  const [positions, setPositions] = useState<Map<string, { x: number; y: number }> | null>(null);
  // Layout only when the definition changes: counts and latencies update the labels in place.
  useEffect(() => {
    if (!shape) return;
    let live = true;
    void layoutFlow(
      shape.types,
      flow.edges.map((e) => ({ id: `${e.after}>${e.next}`, from: e.after, to: e.next, compensation: e.compensation })),
    ).then((p) => live && setPositions(p));
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- re-layout on a new definition only
  }, [shape?.key]);

  if (!shape) return <div className="banner warn">This flow&apos;s definition cannot be shown: {flow.invalid}</div>;
  if (!positions) return <div className="skeleton" style={{ height: 360 }} />;
  const nodes: Node<EventNodeData>[] = shape.types.map((t) => ({ id: t, type: "event", position: positions.get(t) ?? { x: 0, y: 0 }, data: { label: t, role: shape.role(t) }, draggable: false }));
  const edges: Edge[] = flow.edges.map((e) => {
    const late = e.p95Ms !== null && e.p95Ms > e.sloMs;
    const color = e.compensation ? "var(--warn)" : late ? "var(--bad)" : e.count > 0 ? "var(--accent)" : "var(--border)";
    return {
      id: `${e.after}>${e.next}`,
      source: e.after,
      target: e.next,
      label: `${formatCount(e.count)}${e.p95Ms === null ? "" : ` · p95 ${formatMs(e.p95Ms)}`}`,
      labelStyle: { fill: "var(--text)", fontSize: 11 },
      labelBgStyle: { fill: "var(--panel-2)" },
      style: { stroke: color, strokeWidth: e.count > 0 ? 2 : 1, strokeDasharray: e.compensation ? "6 4" : undefined },
      animated: false,
      data: { compensation: e.compensation },
      className: e.compensation ? "flow-edge-compensation" : late ? "flow-edge-late" : "flow-edge",
    };
  });
  return (
    <div className="flow-diagram" data-testid="flow-diagram" style={{ height: 380 }}>
      <ReactFlow nodes={nodes} edges={edges} nodeTypes={NODE_TYPES} fitView fitViewOptions={{ padding: 0.15 }} nodesConnectable={false} proOptions={{ hideAttribution: true }} minZoom={0.2} colorMode="dark">
        <Background gap={24} color="#1f2833" />
        <Controls showInteractive={false} />
      </ReactFlow>
    </div>
  );
}
