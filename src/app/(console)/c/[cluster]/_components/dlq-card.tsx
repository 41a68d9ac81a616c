"use client";

// The Overview page's DLQ card: how many records wait in dead-letter queues, and which DLQs are
// growing. From the DLQ index alone, so it still answers while Kafka is down.
import { useQuery } from "@tanstack/react-query";
import { ClusterLink } from "~/components/clusters/cluster-link";
import { formatAge, formatCount } from "~/lib/format";
import { AGING_REFRESH_MS, useDlqChanges } from "~/components/dlq/use-dlq-changes";
import { useTRPC } from "~/trpc/react";

export function DlqCard() {
  useDlqChanges();
  const trpc = useTRPC();
  const summaries = useQuery(trpc.dlq.summaries.queryOptions(undefined, { refetchInterval: AGING_REFRESH_MS }));
  const data = summaries.data;
  const pending = data?.reduce((sum, d) => sum + d.depth, 0) ?? 0;
  const growing = data?.filter((d) => d.growing) ?? [];
  return (
    <section className="card section" data-testid="dlq-card">
      <div className="section-bar">
        <h2 className="section-title">Dead-letter queues</h2>
        <ClusterLink href="/dlq">Open DLQ</ClusterLink>
      </div>
      {summaries.isPending && <div className="skeleton" style={{ height: 40 }} />}
      {summaries.isError && <p className="error-text">{summaries.error.message}</p>}
      {data && data.length === 0 && <p className="muted">No dead-letter topics.</p>}
      {data && data.length > 0 && (
        <>
          <p data-testid="dlq-card-summary">
            <strong>{formatCount(pending)}</strong> record{pending === 1 ? "" : "s"} waiting in {data.length} DLQ{data.length === 1 ? "" : "s"}
            {growing.length === 0 && <span className="muted"> · none growing</span>}
          </p>
          {growing.map((d) => (
            <div key={d.topic} className="dlq-card-row" data-testid="dlq-card-growing" data-topic={d.topic}>
              <span className="badge warn">growing</span>
              <span className="mono cell-clip" title={d.topic}>
                {d.topic}
              </span>
              <span className="muted small">
                {formatCount(d.depth)} waiting · {d.inflowPerMin < 10 ? d.inflowPerMin.toFixed(1) : formatCount(Math.round(d.inflowPerMin))}/min in
                {d.oldestAgeMs !== null && ` · oldest ${formatAge(d.oldestAgeMs)}`}
              </span>
              {d.topReasons[0] && (
                <span className="small cell-clip dlq-card-reason" title={d.topReasons[0].reason}>
                  {d.topReasons[0].reason}
                </span>
              )}
            </div>
          ))}
        </>
      )}
    </section>
  );
}
