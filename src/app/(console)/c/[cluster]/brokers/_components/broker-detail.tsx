"use client";

// One broker: its place in the cluster, its log dirs with each topic's size, its configuration with
// sources (admins change dynamic settings), and the unhealthy partitions it holds a replica of.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ClusterLink } from "~/components/clusters/cluster-link";
import { useCanEverywhere } from "~/components/auth/actor-context";
import { ConfigTable } from "~/components/config/config-table";
import { formatBytes, formatCount } from "~/lib/format";
import { errorText } from "~/trpc/error-text";
import { useTRPC } from "~/trpc/react";
import type { RouterOutputs } from "~/trpc/types";
import { BROKERS_HREF, topicHref } from "./links";
import { PartitionHealth } from "./partition-health";

type LogDir = RouterOutputs["brokers"]["get"]["logDirs"][number];

/** The largest topics of a dir; the rest are summed in one line. */
const TOPICS_SHOWN = 20;

function LogDirCard({ dir }: { dir: LogDir }) {
  const rest = dir.topics.slice(TOPICS_SHOWN);
  return (
    <section className="card section flush" data-testid="log-dir" data-path={dir.path}>
      <h2 className="card-title">
        <span className="mono ellipsis" title={dir.path}>
          {dir.path}
        </span>{" "}
        {dir.error ? <span className="badge bad">{dir.error}</span> : <span className="muted">{formatBytes(dir.sizeBytes)} in {formatCount(dir.topics.length)} topics</span>}
      </h2>
      {dir.totalBytes !== null && dir.usableBytes !== null && (
        <p className="muted padded-text" data-testid="log-dir-volume">
          Volume: {formatBytes(dir.usableBytes)} free of {formatBytes(dir.totalBytes)} ({Math.round((100 * (dir.totalBytes - dir.usableBytes)) / Math.max(dir.totalBytes, 1))}% used)
        </p>
      )}
      {dir.topics.length > 0 && (
        <table className="table">
          <thead>
            <tr>
              <th>Topic</th>
              <th className="right">Partitions here</th>
              <th className="right">Size</th>
            </tr>
          </thead>
          <tbody>
            {dir.topics.slice(0, TOPICS_SHOWN).map((t) => (
              <tr key={t.topic} data-testid="log-dir-topic" data-topic={t.topic}>
                <td className="mono cell-clip" title={t.topic}>
                  <ClusterLink href={topicHref(t.topic)}>{t.topic}</ClusterLink>
                </td>
                <td className="right">{formatCount(t.partitions)}</td>
                <td className="right">{formatBytes(t.sizeBytes)}</td>
              </tr>
            ))}
            {rest.length > 0 && (
              <tr>
                <td className="muted">and {formatCount(rest.length)} more topics</td>
                <td className="right">{formatCount(rest.reduce((s, t) => s + t.partitions, 0))}</td>
                <td className="right">{formatBytes(rest.reduce((s, t) => s + t.sizeBytes, 0))}</td>
              </tr>
            )}
          </tbody>
        </table>
      )}
    </section>
  );
}

function BrokerConfigCard({ nodeId, entries }: { nodeId: number; entries: RouterOutputs["brokers"]["get"]["entries"] }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const canEdit = useCanEverywhere("admin");
  const alter = useMutation(trpc.brokers.alterConfig.mutationOptions({ onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.brokers.get.queryKey({ nodeId }) }) }));
  const dynamic = entries.filter((e) => e.source === "dynamic-broker").length;
  return (
    <section className="card section flush" data-testid="broker-config">
      <h2 className="card-title">
        Configuration{" "}
        <span className="muted">
          ({dynamic} dynamic value{dynamic === 1 ? "" : "s"} on this broker; kafka-configs --describe --all --broker {nodeId})
        </span>
      </h2>
      {canEdit && <p className="muted padded-text small">Only settings a running broker can change have Edit; the others need server.properties and a restart. Each change is recorded in the audit log.</p>}
      {alter.error && (
        <div className="banner bad pad-banner" role="alert" data-testid="config-error">
          <strong>Not changed</strong>
          {errorText(alter.error)}
        </div>
      )}
      {alter.data && !alter.error && (
        <div className="banner ok pad-banner" role="status" data-testid="config-changed">
          <strong>{alter.data.name}</strong>
          <span>
            {alter.data.before?.value ?? "unset"} → {alter.data.after?.value ?? "unset"} ({alter.data.after?.source ?? "unknown"})
          </span>
        </div>
      )}
      <ConfigTable
        entries={entries}
        overrideSource="dynamic-broker"
        canEdit={canEdit}
        pending={alter.isPending}
        onSet={(name, value) => {
          alter.reset();
          return alter.mutateAsync({ kind: "set", nodeId, name, value });
        }}
        onRemove={(name) => {
          alter.reset();
          alter.mutate({ kind: "remove", nodeId, name });
        }}
        removeTitle="Remove this broker's dynamic value: the cluster default, server.properties or Kafka's default applies again"
      />
    </section>
  );
}

export function BrokerDetailView({ nodeId }: { nodeId: number }) {
  const trpc = useTRPC();
  const detail = useQuery(trpc.brokers.get.queryOptions({ nodeId }, { retry: (count, error) => error.data?.code !== "NOT_FOUND" && count < 1 }));
  const header = (
    <header className="page-header">
      <ClusterLink href={BROKERS_HREF} className="back-link" data-testid="back-to-brokers">
        ← Brokers
      </ClusterLink>
      <h1 data-testid="broker-title">Broker {nodeId}</h1>
      {detail.data?.broker.controller && <span className="badge ok">controller</span>}
    </header>
  );

  if (detail.isPending) {
    return (
      <div className="page" data-testid="broker-page">
        {header}
        <div className="card">
          <div className="skeleton" style={{ height: 160 }} />
        </div>
      </div>
    );
  }
  if (detail.isError) {
    const notFound = detail.error.data?.code === "NOT_FOUND";
    return (
      <div className="page" data-testid="broker-page">
        {header}
        <div className={notFound ? "card empty-state" : "banner bad"} role="alert" data-testid={notFound ? "broker-not-found" : "broker-error"}>
          <h2>{notFound ? "Broker not found" : "Could not load the broker"}</h2>
          <p>{detail.error.message}</p>
          <p>
            <ClusterLink href={BROKERS_HREF}>Back to all brokers</ClusterLink>
          </p>
        </div>
      </div>
    );
  }

  const { broker, logDirs, logDirsError, entries, health } = detail.data;
  return (
    <div className="page" data-testid="broker-page">
      {header}
      <div className="grid grid-3">
        <div className="card stat">
          <span className="value mono small-value" data-testid="broker-address">
            {broker.host}:{broker.port}
          </span>
          <span className="label">Host · rack {broker.rack ?? "none"}</span>
        </div>
        <div className="card stat">
          <span className="value">{formatCount(broker.partitionsLed)}</span>
          <span className="label">
            Partitions led · {formatCount(broker.replicas)} replicas, {formatCount(broker.outOfSync)} out of sync
          </span>
        </div>
        <div className="card stat">
          <span className="value" data-testid="broker-log-size">
            {formatBytes(broker.logDirBytes)}
          </span>
          <span className="label">In {broker.logDirs === null ? "its" : formatCount(broker.logDirs)} log dir{broker.logDirs === 1 ? "" : "s"}</span>
        </div>
      </div>
      {logDirsError && (
        <div className="banner warn section" role="status" data-testid="log-dirs-error">
          <strong>Log dirs are not shown</strong>
          <span>{logDirsError}</span>
        </div>
      )}
      {logDirs.map((dir) => (
        <LogDirCard key={dir.path} dir={dir} />
      ))}
      <div className="section">
        <PartitionHealth health={health} scope={`with a replica on broker ${nodeId}`} />
      </div>
      <BrokerConfigCard nodeId={nodeId} entries={entries} />
    </div>
  );
}
