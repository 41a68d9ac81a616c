"use client";

import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "~/trpc/react";
import { StatusBadge } from "./status-badge";

/** The sampler's status rules (STATUS_RULES), as a compact legend: first match wins. */
export function StatusRules() {
  const trpc = useTRPC();
  const rules = useQuery(trpc.lag.statusRules.queryOptions(undefined, { staleTime: Infinity }));

  return (
    <div className="status-rules" data-testid="status-rules">
      <p className="muted">
        Statuses follow the trend of each partition&apos;s committed offset and lag over the sampler&apos;s sliding window (after LinkedIn Burrow), not a lag threshold. For each
        partition the rules apply in this order; the first that matches wins:
      </p>
      {rules.isPending ? (
        <div className="skeleton" style={{ height: 100 }} />
      ) : rules.isError ? (
        <p className="error-text">{rules.error.message}</p>
      ) : (
        <ol className="status-rule-list">
          {rules.data.map((r, i) => (
            <li key={i} data-testid="status-rule">
              <StatusBadge status={r.status} title={r.rule} />
              <span>{r.rule}</span>
            </li>
          ))}
        </ol>
      )}
      <p className="muted">
        A group takes its worst partition&apos;s status: <StatusBadge status="ERR" /> when any partition is STALL, STOP or REWIND; <StatusBadge status="WARN" /> when any is WARN;{" "}
        <StatusBadge status="PENDING" /> when all are PENDING; otherwise <StatusBadge status="OK" />.
      </p>
    </div>
  );
}
