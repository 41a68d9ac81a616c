"use client";

// The Overview page's Flows card: each declared flow's instances now (running, stuck, failed) and
// the last hour's compensation rate and end-to-end p95, each linked to its Flows page.
import { useQuery } from "@tanstack/react-query";
import { ClusterLink } from "~/components/clusters/cluster-link";
import { formatCount, formatMs } from "~/lib/format";
import { useTRPC } from "~/trpc/react";

export function FlowsCard() {
  const trpc = useTRPC();
  const flows = useQuery(trpc.flows.list.queryOptions({ range: "1h" }, { refetchInterval: 10_000 }));
  return (
    <section className="card section" data-testid="flows-card">
      <div className="section-bar">
        <h2 className="section-title">Flows</h2>
        <ClusterLink href="/flows">Open Flows</ClusterLink>
      </div>
      {flows.isPending && <div className="skeleton" style={{ height: 40 }} />}
      {flows.isError && <p className="error-text">{flows.error.message}</p>}
      {flows.data?.length === 0 && <p className="muted">No flow is declared; the Flows page proposes some from what it observes.</p>}
      {flows.data?.map((f) => {
        const late = f.definition && f.window.e2eP95Ms !== null && f.window.e2eP95Ms > f.definition.endToEndSloMs;
        return (
          <div key={f.name} className="dlq-card-row" data-testid="flows-card-row" data-flow={f.name}>
            {f.stuck + f.failed > 0 ? <span className="badge warn">{formatCount(f.stuck + f.failed)} stuck</span> : <span className="badge ok">flowing</span>}
            <ClusterLink href={`/flows?flow=${encodeURIComponent(f.name)}`} className="cell-clip" title={f.name}>
              {f.name}
            </ClusterLink>
            <span className="muted small">
              {formatCount(f.running)} running · {f.window.compensationRate === null ? "—" : `${(100 * f.window.compensationRate).toFixed(1)}%`} compensated · p95 {formatMs(f.window.e2eP95Ms)}
              {late ? " (past SLO)" : ""} · last hour
            </span>
          </div>
        );
      })}
    </section>
  );
}
