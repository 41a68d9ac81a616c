"use client";

// One connector: its state and worker, the error trace of a failed connector or task, its tasks with
// a restart each, its dead-letter topic and its configuration (secret-looking values hidden).
import { useMutation, useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useCan } from "~/components/auth/actor-context";
import { useCluster, useClusterHref } from "~/components/clusters/cluster-context";
import { ClusterLink } from "~/components/clusters/cluster-link";
import { errorText } from "~/trpc/error-text";
import { useTRPC } from "~/trpc/react";
import { ConnectorActions, StateBadge, useRereadConnectors } from "./connector-actions";
import { CONNECT_HREF, dlqHref } from "./links";

function Trace({ trace, testId }: { trace: string | null; testId: string }) {
  if (!trace) return null;
  return (
    <details className="trace" data-testid={testId}>
      <summary className="error-text">{trace.split("\n")[0]}</summary>
      <pre className="mono">{trace}</pre>
    </details>
  );
}

export function ConnectorDetailView({ connect, connector }: { connect: string; connector: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const href = useClusterHref();
  const canOperate = useCan("operator", { cluster: useCluster().name });
  const reread = useRereadConnectors();
  const detail = useQuery(trpc.connect.connector.queryOptions({ connect, connector }, { retry: (count, error) => error.data?.code !== "NOT_FOUND" && count < 1 }));
  const restartTask = useMutation(trpc.connect.restart.mutationOptions({ onSuccess: reread }));
  const header = (
    <header className="page-header">
      <ClusterLink href={CONNECT_HREF} className="back-link" data-testid="back-to-connect">
        ← Connect
      </ClusterLink>
      <h1 data-testid="connector-title">{connector}</h1>
      {detail.data && <StateBadge state={detail.data.state} testId="connector-state" />}
    </header>
  );
  if (detail.isPending || detail.isError) {
    return (
      <div className="page" data-testid="connector-page">
        {header}
        {detail.isPending ? (
          <div className="card">
            <div className="skeleton" style={{ height: 160 }} />
          </div>
        ) : (
          <div className={detail.error.data?.code === "NOT_FOUND" ? "card empty-state" : "banner bad"} role="alert" data-testid="connector-error">
            <h2>{detail.error.data?.code === "NOT_FOUND" ? "Connector not found" : "Could not load the connector"}</h2>
            <p>{detail.error.message}</p>
          </div>
        )}
      </div>
    );
  }
  const c = detail.data;
  const config = Object.entries(c.config).sort(([a], [b]) => a.localeCompare(b));
  return (
    <div className="page" data-testid="connector-page">
      {header}
      <div className="grid grid-3">
        <div className="card stat">
          <span className="value small-value">{c.type}</span>
          <span className="label mono ellipsis" title={c.config["connector.class"]}>
            {c.config["connector.class"] ?? "?"}
          </span>
        </div>
        <div className="card stat">
          <span className="value small-value mono">{c.connect}</span>
          <span className="label">
            Connect cluster · worker <span className="mono">{c.workerId ?? "none"}</span>
          </span>
        </div>
        <div className="card stat">
          <span className="value small-value mono">
            {c.dlqTopic ? (
              <ClusterLink href={dlqHref(c.dlqTopic)} data-testid="connector-dlq">
                {c.dlqTopic}
              </ClusterLink>
            ) : (
              "none"
            )}
          </span>
          <span className="label">Dead-letter topic (errors.deadletterqueue.topic.name)</span>
        </div>
      </div>
      <section className="card section">
        <ConnectorActions connect={c.connect} connector={c.name} state={c.state} onDeleted={() => router.push(href(CONNECT_HREF))} />
        <Trace trace={c.trace} testId="connector-trace" />
      </section>
      <section className="card section flush">
        <h2 className="card-title">Tasks</h2>
        {restartTask.isError && (
          <div className="banner bad" role="alert" data-testid="task-restart-error">
            <span>{errorText(restartTask.error)}</span>
          </div>
        )}
        {c.tasks.length === 0 ? (
          <p className="muted padded-text">No tasks: Connect has not started any (yet).</p>
        ) : (
          <table className="table middle" data-testid="tasks-table">
            <thead>
              <tr>
                <th>Task</th>
                <th>State</th>
                <th>Worker</th>
                <th>Error</th>
                <th className="right">{canOperate ? "Restart" : ""}</th>
              </tr>
            </thead>
            <tbody>
              {c.tasks.map((t) => (
                <tr key={t.id} data-testid="task-row" data-task={t.id} data-state={t.state}>
                  <td className="mono">{t.id}</td>
                  <td>
                    <StateBadge state={t.state} testId="task-state" />
                  </td>
                  <td className="mono">{t.workerId ?? "none"}</td>
                  <td className="cell-clip">
                    <Trace trace={t.trace} testId="task-trace" />
                  </td>
                  <td className="right">
                    {canOperate && (
                      <button type="button" disabled={restartTask.isPending} onClick={() => (restartTask.reset(), restartTask.mutate({ connect: c.connect, connector: c.name, task: t.id, onlyFailed: false }))} data-testid="task-restart">
                        Restart task
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section className="card section flush">
        <h2 className="card-title">Configuration</h2>
        <table className="table" data-testid="connector-config">
          <tbody>
            {config.map(([k, v]) => (
              <tr key={k}>
                <td className="mono">{k}</td>
                <td className="mono cell-clip" title={v}>
                  {v}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}
