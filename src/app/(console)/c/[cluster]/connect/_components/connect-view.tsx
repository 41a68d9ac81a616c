"use client";

// Every Connect cluster of this Kafka cluster with its connectors: state, tasks, dead-letter topic
// and actions. A Connect cluster that does not answer says why; the others still show.
import { useQuery } from "@tanstack/react-query";
import { CardSkeleton, LoadFailed } from "~/components/layout/load-states";
import { useState } from "react";
import { useCanEverywhere } from "~/components/auth/actor-context";
import { ClusterLink } from "~/components/clusters/cluster-link";
import { formatCount } from "~/lib/format";
import { useTRPC } from "~/trpc/react";
import { ConnectorActions, StateBadge, useRereadConnectors } from "./connector-actions";
import { connectorHref, dlqHref } from "./links";
import { NewConnector } from "./new-connector";

export function ConnectView() {
  const trpc = useTRPC();
  const canCreate = useCanEverywhere("admin");
  const list = useQuery(trpc.connect.list.queryOptions());
  const reread = useRereadConnectors();
  const [creating, setCreating] = useState(false);
  const names = list.data?.map((c) => c.name) ?? [];

  return (
    <div className="page" data-testid="connect-page">
      <header className="page-header">
        <h1>Kafka Connect</h1>
        <p className="muted">Connectors and their tasks on the Connect clusters configured for this cluster.</p>
        <button type="button" onClick={reread} data-testid="connect-refresh">
          Refresh
        </button>
        {canCreate && names.length > 0 && !creating && (
          <button type="button" className="header-action" onClick={() => setCreating(true)} data-testid="connector-new-start">
            New connector…
          </button>
        )}
      </header>
      {list.isPending ? (
        <CardSkeleton height={120} />
      ) : list.isError ? (
        <LoadFailed what="the connectors" error={list.error} testId="connect-error" />
      ) : list.data.length === 0 ? (
        <div className="card empty-state" data-testid="connect-none">
          <h2>No Kafka Connect cluster is configured for this cluster</h2>
          <p>
            Name its REST URL under <span className="mono">connect:</span> in the clusters document, or in <span className="mono">KAFKA_CONNECT_URLS</span> for the{" "}
            <span className="mono">KAFKA_BROKERS</span> cluster (docs/connect.md).
          </p>
        </div>
      ) : (
        <>
          {creating && <NewConnector connectClusters={names} onClose={() => setCreating(false)} />}
          {list.data.map((connect) => (
            <section key={connect.name} className="card section flush" data-testid="connect-cluster" data-connect={connect.name}>
              <h2 className="card-title">
                {connect.name} <span className="muted mono">{connect.url}</span>{" "}
                {connect.error === null && <span className="muted">
                    {formatCount(connect.connectors.length)} connector{connect.connectors.length === 1 ? "" : "s"}
                  </span>}
              </h2>
              {connect.error !== null ? (
                <div className="banner bad" role="alert" data-testid="connect-cluster-error">
                  <span>{connect.error}</span>
                </div>
              ) : connect.connectors.length === 0 ? (
                <p className="muted padded-text">No connectors yet.</p>
              ) : (
                <table className="table middle" data-testid="connectors-table">
                  <thead>
                    <tr>
                      <th>Connector</th>
                      <th>Type</th>
                      <th>State</th>
                      <th>Tasks</th>
                      <th>Dead-letter topic</th>
                      <th className="right">Actions</th>
                    </tr>
                  </thead>
                  <tbody>
                    {connect.connectors.map((c) => (
                      <tr key={c.name} data-testid="connector-row" data-connector={c.name} data-state={c.state}>
                        <td className="mono cell-clip" title={c.config["connector.class"] ?? ""}>
                          <ClusterLink href={connectorHref(connect.name, c.name)} data-testid="connector-link">
                            {c.name}
                          </ClusterLink>
                          <div className="muted small">{(c.config["connector.class"] ?? "").split(".").pop()}</div>
                        </td>
                        <td>{c.type}</td>
                        <td>
                          <StateBadge state={c.state} testId="connector-state" />
                        </td>
                        <td data-testid="connector-tasks">
                          {c.tasks.length === 0 ? <span className="muted">none</span> : c.tasks.map((t) => <StateBadge key={t.id} state={t.state} />)}
                          {c.failedTasks > 0 && <span className="error-text"> {c.failedTasks} failed</span>}
                        </td>
                        <td className="mono cell-clip">
                          {c.dlqTopic ? (
                            <ClusterLink href={dlqHref(c.dlqTopic)} data-testid="connector-dlq">
                              {c.dlqTopic}
                            </ClusterLink>
                          ) : (
                            <span className="muted">none</span>
                          )}
                        </td>
                        <td className="right">
                          <ConnectorActions connect={connect.name} connector={c.name} state={c.state} />
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </section>
          ))}
        </>
      )}
    </div>
  );
}
