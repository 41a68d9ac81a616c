"use client";

// Flows (sagas) on this cluster: each declared flow with its instances (running, stuck, failed) and
// the range's outcomes; one flow in detail (diagram with counts and latency on every step, latency
// and compensation charts, the instances that need someone, duplicates per topic); and the flows
// Signalbox proposes from the causation chains it observed, for an architect to confirm.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useState } from "react";
import { useCan } from "~/components/auth/actor-context";
import { useCluster } from "~/components/clusters/cluster-context";
import { ClusterLink } from "~/components/clusters/cluster-link";
import { CardSkeleton, LoadFailed } from "~/components/layout/load-states";
import { formatCount, formatMs } from "~/lib/format";
import { useTRPC } from "~/trpc/react";
import type { RouterInputs, RouterOutputs } from "~/trpc/types";
import { FlowCharts } from "./flow-charts";
import { FlowDiagram } from "./flow-diagram";
import { FlowEditor } from "./flow-editor";
import { FlowInstances } from "./flow-instances";

type Range = RouterInputs["flows"]["list"]["range"] & string;
type Summary = RouterOutputs["flows"]["list"][number];
type Proposal = RouterOutputs["flows"]["proposals"]["proposals"][number];
type Editing = { mode: "declare" | "change"; name: string; description: string; definition: Summary["definition"] } | null;

const RANGES: { value: Range; label: string; ms: number }[] = [
  { value: "1h", label: "1 h", ms: 3600_000 },
  { value: "6h", label: "6 h", ms: 6 * 3600_000 },
  { value: "24h", label: "24 h", ms: 24 * 3600_000 },
];
const REFRESH_MS = 5000;
const percent = (v: number | null) => (v === null ? "—" : `${(100 * v).toFixed(1)}%`);

export function FlowsView() {
  const trpc = useTRPC();
  const cluster = useCluster();
  const canEdit = useCan("architect", { cluster: cluster.name });
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const [range, setRange] = useState<Range>("1h");
  const [editing, setEditing] = useState<Editing>(null);
  const flows = useQuery(trpc.flows.list.queryOptions({ range }, { refetchInterval: REFRESH_MS }));
  const proposals = useQuery(trpc.flows.proposals.queryOptions(undefined, { refetchInterval: 30_000 }));
  const selected = params.get("flow") ?? flows.data?.[0]?.name ?? null;
  const select = (name: string | null) => router.replace(name ? `${pathname}?flow=${encodeURIComponent(name)}` : pathname, { scroll: false });

  return (
    <div className="page" data-testid="flows-page">
      <header className="page-header">
        <h1>Flows</h1>
        <p className="muted">Sagas followed by correlation id across their topics: how many run, finish, compensate or get stuck, and how long each step takes.</p>
        <div className="page-actions">
          <div className="tabs" role="radiogroup" aria-label="Range" data-testid="flows-range">
            {RANGES.map((r) => (
              <button key={r.value} type="button" role="radio" aria-checked={range === r.value} className={range === r.value ? "active" : undefined} onClick={() => setRange(r.value)}>
                {r.label}
              </button>
            ))}
          </div>
          {canEdit && (
            <button type="button" className="primary" onClick={() => setEditing({ mode: "declare", name: "", description: "", definition: null })} data-testid="flow-declare">
              Declare a flow
            </button>
          )}
        </div>
      </header>
      {editing && (
        <FlowEditor
          key={`${editing.mode}:${editing.name}`}
          mode={editing.mode}
          initial={editing}
          onDone={(name) => {
            setEditing(null);
            if (name) select(name);
          }}
        />
      )}
      {flows.isPending ? (
        <CardSkeleton height={160} />
      ) : flows.isError ? (
        <LoadFailed what="the flows" error={flows.error} testId="flows-error" />
      ) : flows.data.length === 0 ? (
        <div className="card empty-state" data-testid="flows-none">
          <h2>No flow is declared on this cluster</h2>
          <p>
            A flow names its start event, the events expected after each step with an SLO, its compensations and its terminal events. The worker then follows every instance by correlation id.
            {proposals.data?.proposals.length ? " Signalbox proposes the flows below from what it observed." : ""}
          </p>
        </div>
      ) : (
        <>
          <div className="flow-cards" data-testid="flow-list">
            {flows.data.map((f) => (
              <FlowCard key={f.name} flow={f} active={f.name === selected} onSelect={() => select(f.name)} />
            ))}
          </div>
          {selected && <FlowDetailPanel name={selected} range={range} canEdit={canEdit} onEdit={(f) => setEditing({ mode: "change", name: f.name, description: f.description, definition: f.definition })} onDeleted={() => select(null)} />}
        </>
      )}
      <Proposals data={proposals.data} canEdit={canEdit} onUse={(p) => setEditing({ mode: "declare", name: p.name, description: `Proposed from ${p.observedStarts} observed ${p.definition.startEventType} chains.`, definition: p.definition })} />
    </div>
  );
}

function FlowCard({ flow, active, onSelect }: { flow: Summary; active: boolean; onSelect: () => void }) {
  const w = flow.window;
  const slo = flow.definition?.endToEndSloMs ?? null;
  return (
    <button type="button" className={`card flow-card${active ? " active" : ""}`} onClick={onSelect} data-testid="flow-card" data-flow={flow.name} aria-pressed={active}>
      <span className="flow-card-title" title={flow.name}>
        {flow.name}
      </span>
      <span className="flow-card-badges">
        <span className="badge idle" data-testid="flow-running">
          {formatCount(flow.running)} running
        </span>
        {flow.stuck > 0 && (
          <span className="badge warn" data-testid="flow-stuck">
            {formatCount(flow.stuck)} stuck
          </span>
        )}
        {flow.failed > 0 && (
          <span className="badge bad" data-testid="flow-failed">
            {formatCount(flow.failed)} failed
          </span>
        )}
        {flow.invalid && <span className="badge bad">invalid definition</span>}
      </span>
      <span className="muted small">
        {formatCount(w.started)} started · {formatCount(w.completed)} completed · {formatCount(w.compensated)} compensated · compensation {percent(w.compensationRate)} · p95 {formatMs(w.e2eP95Ms)}
        {slo !== null && w.e2eP95Ms !== null && w.e2eP95Ms > slo ? " (past SLO)" : ""}
      </span>
    </button>
  );
}

function FlowDetailPanel({ name, range, canEdit, onEdit, onDeleted }: { name: string; range: Range; canEdit: boolean; onEdit: (f: Summary) => void; onDeleted: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const detail = useQuery(trpc.flows.get.queryOptions({ name, range }, { refetchInterval: REFRESH_MS }));
  const remove = useMutation(
    trpc.flows.remove.mutationOptions({
      onSuccess: () => {
        void queryClient.invalidateQueries({ queryKey: trpc.flows.pathKey() });
        onDeleted();
      },
    }),
  );
  if (detail.isPending) return <CardSkeleton height={380} />;
  if (detail.isError) return <LoadFailed what={`flow ${name}`} error={detail.error} testId="flow-error" />;
  const f = detail.data;
  const w = f.window;
  const end = detail.dataUpdatedAt;
  const start = end - RANGES.find((r) => r.value === range)!.ms;
  return (
    <section className="section flow-detail" data-testid="flow-detail" data-flow={f.name}>
      <header className="flow-detail-header">
        <h2 className="wrap" style={{ overflowWrap: "anywhere" }}>
          {f.name}
        </h2>
        {f.description && <p className="muted">{f.description}</p>}
        <div className="page-actions">
          <ClusterLink href={`/topology?flow=${encodeURIComponent(f.name)}`} data-testid="flow-on-topology">
            Show on the topology
          </ClusterLink>
          {canEdit && (
            <>
              <button type="button" onClick={() => onEdit(f)} data-testid="flow-change">
                Change
              </button>
              <button
                type="button"
                className="danger"
                disabled={remove.isPending}
                onClick={() => {
                  if (window.confirm(`Delete the flow ${f.name}? Its instances and history are deleted too.`)) remove.mutate({ name: f.name });
                }}
                data-testid="flow-delete"
              >
                Delete
              </button>
            </>
          )}
        </div>
      </header>
      {remove.error && (
        <div className="banner bad" role="alert">
          {remove.error.message}
        </div>
      )}
      <div className="stat-strip flow-stats" data-testid="flow-stats">
        <Stat label="Started" value={formatCount(w.started)} testId="flow-stat-started" />
        <Stat label="Completed" value={formatCount(w.completed)} testId="flow-stat-completed" />
        <Stat label="Compensated" value={formatCount(w.compensated)} note={percent(w.compensationRate)} testId="flow-stat-compensated" />
        <Stat label="Failed" value={formatCount(w.failed)} note="dead-lettered or given up" testId="flow-stat-failed" />
        <Stat label="Stuck or failed now" value={formatCount(f.stuck + f.failed)} note={`${formatCount(f.running)} running`} testId="flow-stat-stuck" />
        <Stat label="End-to-end p95" value={formatMs(w.e2eP95Ms)} note={`SLO ${formatMs(f.definition?.endToEndSloMs ?? null)} · ${percent(w.overSloRate)} past it`} testId="flow-stat-p95" />
        <Stat label="Duplicates" value={formatCount(w.duplicates)} note={`${formatCount(w.repeated)} causes answered twice`} testId="flow-stat-duplicates" />
        <Stat label="Out of order" value={formatCount(w.outOfOrder)} note="before their declared cause" testId="flow-stat-order" />
      </div>
      <div className="card section">
        <FlowDiagram flow={f} />
        <p className="muted small flow-legend">
          Each step shows how many instances took it in the range and its p95. <span className="flow-legend-comp">Dashed amber</span>: compensations. <span className="flow-legend-late">Red</span>: p95 past
          the step&apos;s SLO.
        </p>
      </div>
      <FlowCharts flow={f} start={start} end={end} />
      <div className="card section">
        <h2 className="card-title">
          Stuck and failed instances <span className="muted small">{formatCount(f.problems.length)}{f.problems.length === 200 ? "+ (the oldest 200 shown)" : ""}</span>
        </h2>
        <FlowInstances instances={f.problems} now={end} />
      </div>
      <div className="card section">
        <h2 className="card-title">Delivery per topic</h2>
        <p className="muted small">The same eventId read twice on a topic (at-least-once delivery: a relay or producer retry), and per key, versions that go backwards.</p>
        {f.topics.length === 0 ? (
          <p className="muted">No events read in this range.</p>
        ) : (
          <table className="table numeric" data-testid="flow-topics">
            <thead>
              <tr>
                <th>Topic</th>
                <th className="num">Events</th>
                <th className="num">Duplicates</th>
                <th className="num">Rate</th>
                <th className="num">Versions backwards</th>
              </tr>
            </thead>
            <tbody>
              {f.topics.map((t) => (
                <tr key={t.topic} data-testid="flow-topic" data-topic={t.topic}>
                  <td className="mono wrap" style={{ overflowWrap: "anywhere" }}>
                    {t.topic}
                  </td>
                  <td className="num">{formatCount(t.events)}</td>
                  <td className="num" data-testid="flow-topic-duplicates">
                    {formatCount(t.duplicates)}
                  </td>
                  <td className="num">{percent(t.duplicateRate)}</td>
                  <td className="num">{formatCount(t.versionRegressions)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </section>
  );
}

function Stat({ label, value, note, testId }: { label: string; value: string; note?: string; testId: string }) {
  return (
    <div className="card stat" data-testid={testId}>
      <span className="label">{label}</span>
      <span className="value">{value}</span>
      {note && <span className="muted small">{note}</span>}
    </div>
  );
}

function Proposals({ data, canEdit, onUse }: { data: RouterOutputs["flows"]["proposals"] | undefined; canEdit: boolean; onUse: (p: Proposal) => void }) {
  if (!data || data.proposals.length === 0) return null;
  return (
    <section className="card section" data-testid="flow-proposals">
      <h2 className="card-title">
        Proposed flows <span className="muted small">from {formatCount(data.correlations)} recent correlations</span>
      </h2>
      <p className="muted small">
        Read from the causation chains Signalbox observed: a flow starts at an event without a cause; effects of one cause that never occur together are alternatives; an event type answering many kinds
        of event (a notifier) is left out. Review before declaring.
      </p>
      {data.proposals.map((p) => (
        <div key={p.definition.startEventType} className="flow-proposal" data-testid="flow-proposal" data-start={p.definition.startEventType}>
          <div>
            <strong className="mono">{p.definition.startEventType}</strong> <span className="muted small">seen starting {formatCount(p.observedStarts)} chains</span>
            <ul className="small mono flow-proposal-steps">
              {p.definition.steps.map((s) => (
                <li key={`${s.after}>${s.next.join("|")}`}>
                  {s.after} → {s.next.join(" | ")} <span className="muted">(SLO {formatMs(s.sloMs)})</span>
                </li>
              ))}
            </ul>
            {p.leftOut.length > 0 && <p className="muted small">Left out: {p.leftOut.map((l) => `${l.eventType} (answers ${l.causes} event types)`).join(", ")}</p>}
          </div>
          {canEdit && (
            <button type="button" onClick={() => onUse(p)} data-testid="flow-proposal-use">
              Review and declare
            </button>
          )}
        </div>
      ))}
    </section>
  );
}
