"use client";

import { useQuery } from "@tanstack/react-query";
import { CardSkeleton, LoadFailed } from "~/components/layout/load-states";
import { useTRPC } from "~/trpc/react";

export function AuditTable() {
  const trpc = useTRPC();
  const audit = useQuery(trpc.audit.list.queryOptions({ limit: 200 }));

  if (audit.isPending) return <CardSkeleton />;
  if (audit.isError) return <LoadFailed what="the audit log" error={audit.error} />;
  if (audit.data.length === 0) {
    return (
      <div className="card empty-state" data-testid="audit-empty">
        <h2>No actions yet</h2>
        <p>Every state-changing action in Signalbox is written here with who did it and when.</p>
      </div>
    );
  }
  return (
    <div className="card" style={{ padding: 0 }}>
      <table className="table" data-testid="audit-table">
        <thead>
          <tr>
            <th>When</th>
            <th>Who</th>
            <th>Action</th>
            <th>Target</th>
            <th>Details</th>
          </tr>
        </thead>
        <tbody>
          {audit.data.map((entry) => (
            <tr key={entry.id}>
              <td className="mono">{entry.at.toLocaleString()}</td>
              <td className="wrap">
                {entry.actorEmail} <span className="muted">({entry.actorRole})</span>
              </td>
              <td className="mono">{entry.action}</td>
              <td className="wrap mono">
                {entry.targetType}/{entry.targetId}
              </td>
              <td className="wrap mono">{JSON.stringify(entry.details)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
