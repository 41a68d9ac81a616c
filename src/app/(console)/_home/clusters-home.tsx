"use client";

// The home page: one row per cluster, each linking into its pages. Figures come from the worker's
// latest sample of each cluster and refresh when a new sample is announced; health, brokers and
// version are asked of each cluster when the page loads and with each refresh.
import { useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { ClusterMark } from "~/components/clusters/cluster-mark";
import { useLiveEvents } from "~/components/live/live-events";
import { useNow } from "~/components/live/use-now";
import { clusterPath } from "~/lib/cluster-paths";
import { formatAge, formatCount } from "~/lib/format";
import { useTRPC } from "~/trpc/react";

/** Kafka health is not announced: look again this often even when no sample arrives (a cluster that went down). */
const HEALTH_REFRESH_MS = 30_000;
const SAMPLE_REFRESH_MS = 5_000;

export function ClustersHome() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const home = useQuery(trpc.clusters.home.queryOptions(undefined, { refetchInterval: HEALTH_REFRESH_MS }));
  useLiveEvents((event) => {
    // Each cluster announces its own samples: at most one refetch per SAMPLE_REFRESH_MS, so many clusters do not mean many probes.
    const due = event.kind === "resync" || (event.kind === "sample" && Date.now() - home.dataUpdatedAt > SAMPLE_REFRESH_MS);
    if (due) void queryClient.invalidateQueries({ queryKey: trpc.clusters.home.queryKey() });
  });
  const now = useNow(5000);
  const rows = home.data;
  return (
    <div className="page" data-testid="clusters-home">
      <header className="page-header">
        <h1>Clusters</h1>
        {rows && <span className="muted">{rows.length === 1 ? "1 cluster" : `${rows.length} clusters`}</span>}
      </header>
      {home.isPending && <div className="skeleton" style={{ height: 120 }} />}
      {home.isError && <p className="error-text">{home.error.message}</p>}
      {rows && rows.length === 0 && (
        <div className="card empty-state">
          <p>No cluster you may read. Ask an admin for a role on one.</p>
        </div>
      )}
      {rows && rows.length > 0 && (
        <div className="card table-scroll">
          <table className="table numeric" data-testid="clusters-table">
            <thead>
              <tr>
                <th>Cluster</th>
                <th>Health</th>
                <th className="right">Brokers</th>
                <th>Kafka</th>
                <th className="right">Total lag</th>
                <th className="right">Groups ERR / STALL</th>
                <th>Growing DLQs</th>
                <th className="right">Firing alerts</th>
                <th>Last sample</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((c) => (
                <tr key={c.name} data-testid="cluster-row" data-cluster={c.name}>
                  <td>
                    <Link href={clusterPath(c.name, "/")} className="cluster-link" data-testid="cluster-link">
                      <ClusterMark cluster={c} />
                    </Link>
                    {c.isDefault && <span className="muted small"> · default</span>}
                  </td>
                  <td className="wrap">
                    <span className={c.health.ok ? "badge ok" : "badge bad"} data-testid="cluster-health">
                      {c.health.ok ? "up" : "down"}
                    </span>
                    {c.health.error && <div className="error-text small" data-testid="cluster-error">{c.health.error}</div>}
                  </td>
                  <td className="right">{c.health.brokers ?? "–"}</td>
                  <td>{c.health.kafkaVersion ?? "–"}</td>
                  {c.sample ? (
                    <>
                      <td className="right" data-testid="cluster-lag">{formatCount(c.sample.totalLag)}</td>
                      <td className="right">
                        <span className={c.sample.groupsErr > 0 ? "error-text" : undefined}>{c.sample.groupsErr}</span> / {c.sample.groupsStall}
                        <span className="muted small"> of {c.sample.groups}</span>
                      </td>
                    </>
                  ) : (
                    <td colSpan={2} className="muted" data-testid="cluster-waiting">
                      waiting for the first sample
                    </td>
                  )}
                  <td className="wrap">
                    {c.growingDlqs.length === 0 ? (
                      <span className="muted">none</span>
                    ) : (
                      c.growingDlqs.map((t) => (
                        <div key={t}>
                          <Link href={clusterPath(c.name, `/dlq?topic=${encodeURIComponent(t)}`)} className="mono">
                            {t}
                          </Link>
                        </div>
                      ))
                    )}
                  </td>
                  <td className="right">
                    {c.firingAlerts > 0 ? (
                      <Link href={clusterPath(c.name, "/alerts")} className="error-text">
                        {c.firingAlerts}
                      </Link>
                    ) : (
                      0
                    )}
                  </td>
                  <td className="muted">{c.sample ? `${formatAge(now - c.sample.takenAt)} ago${c.sample.stale ? " (stale)" : ""}` : "–"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
