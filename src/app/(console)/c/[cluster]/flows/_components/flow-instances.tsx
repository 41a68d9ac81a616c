"use client";

// Instances that need someone: stuck past a step's SLO, or failed with an event in a DLQ. Each links
// to its trace (every event of the correlation) and, when dead-lettered, to the DLQ that holds it.
import { useState } from "react";
import { ClusterLink } from "~/components/clusters/cluster-link";
import { formatAge, formatDateTime, formatMs } from "~/lib/format";
import type { RouterOutputs } from "~/trpc/types";

type Instance = RouterOutputs["flows"]["get"]["problems"][number];

const STATE_CLASS: Record<string, string> = { STUCK: "warn", FAILED: "bad", RUNNING: "idle", COMPLETED: "ok", COMPENSATED: "warn" };

/** The trace page, opened on this correlation around its start. */
export const traceHref = (i: Pick<Instance, "correlationId" | "startedAt">) => `/messages/trace?id=${encodeURIComponent(i.correlationId)}&at=${i.startedAt}&run=1`;

function waitingText(i: Instance): string {
  const wait = i.detail.waiting.find((w) => w.overdue) ?? i.detail.waiting[0];
  if (!wait) return i.detail.abandoned ?? "—";
  return `${wait.after} → ${wait.next.join(" | ")}`;
}

const FILTERS = [
  { value: "all", label: "All" },
  { value: "STUCK", label: "Stuck" },
  { value: "FAILED", label: "Dead-lettered or given up" },
] as const;

export function FlowInstances({ instances: all, now }: { instances: Instance[]; now: number }) {
  const [filter, setFilter] = useState<(typeof FILTERS)[number]["value"]>("all");
  const instances = filter === "all" ? all : all.filter((i) => i.state === filter);
  if (all.length === 0) {
    return (
      <p className="muted" data-testid="flow-no-problems">
        No instance is stuck or failed right now.
      </p>
    );
  }
  return (
    <>
      <div className="tabs" role="radiogroup" aria-label="Show" data-testid="flow-problems-filter">
        {FILTERS.map((f) => (
          <button key={f.value} type="button" role="radio" aria-checked={filter === f.value} className={filter === f.value ? "active" : undefined} onClick={() => setFilter(f.value)}>
            {f.label} ({f.value === "all" ? all.length : all.filter((i) => i.state === f.value).length})
          </button>
        ))}
      </div>
      <div className="table-scroll flow-problems-scroll">
        <table className="table sticky-head" data-testid="flow-problems">
          <thead>
            <tr>
              <th>Correlation id</th>
              <th>State</th>
              <th>Waiting at</th>
              <th className="num">Waiting for</th>
              <th>Started</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {instances.map((i) => {
              const wait = i.detail.waiting.find((w) => w.overdue) ?? i.detail.waiting[0];
              const dl = i.detail.deadLetter;
              return (
                <tr key={i.correlationId} data-testid="flow-problem" data-correlation-id={i.correlationId} data-state={i.state}>
                  <td className="mono wrap" style={{ overflowWrap: "anywhere", maxWidth: 320 }}>
                    {i.correlationId}
                  </td>
                  <td>
                    <span className={`badge ${STATE_CLASS[i.state] ?? ""}`}>{i.state === "FAILED" && dl ? "dead-lettered" : i.state.toLowerCase()}</span>
                  </td>
                  <td className="mono small wrap" style={{ overflowWrap: "anywhere" }} title={wait ? `step SLO ${formatMs(wait.sloMs)}` : undefined}>
                    {waitingText(i)}
                  </td>
                  <td className="num">{wait ? formatAge(now - wait.since) : "—"}</td>
                  <td className="small">{formatDateTime(i.startedAt)}</td>
                  <td className="actions">
                    <ClusterLink href={traceHref(i)} data-testid="flow-problem-trace">
                      Trace
                    </ClusterLink>
                    {dl && (
                      <>
                        {" · "}
                        <ClusterLink href={`/dlq?topic=${encodeURIComponent(dl.topic)}`} data-testid="flow-problem-dlq" title={`${dl.topic} partition ${dl.partition} offset ${dl.offset}`}>
                          DLQ {dl.topic}
                        </ClusterLink>
                      </>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </>
  );
}
