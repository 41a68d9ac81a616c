"use client";

// Every broker with its place in the cluster (rack, controller, partitions led) and its disks, and the
// partitions that are not healthy, cluster-wide.
import { useQuery } from "@tanstack/react-query";
import { CardSkeleton, LoadFailed } from "~/components/layout/load-states";
import { ClusterLink } from "~/components/clusters/cluster-link";
import { formatBytes, formatCount } from "~/lib/format";
import { useTRPC } from "~/trpc/react";
import { brokerHref } from "./links";
import { PartitionHealth } from "./partition-health";

export function BrokersView() {
  const trpc = useTRPC();
  const list = useQuery(trpc.brokers.list.queryOptions(undefined, { refetchInterval: 15_000 }));

  return (
    <div className="page" data-testid="brokers-page">
      <header className="page-header">
        <h1>Brokers</h1>
        <p className="muted">
          {list.data
            ? `${formatCount(list.data.brokers.length)} broker${list.data.brokers.length === 1 ? "" : "s"}${list.data.kafkaVersion ? `, Apache Kafka ${list.data.kafkaVersion}` : ""}${list.data.clusterId ? ` · cluster id ${list.data.clusterId}` : ""}`
            : "Every broker with its rack, leadership and disks."}
        </p>
      </header>

      {list.isPending ? (
        <CardSkeleton height={120} testId="brokers-loading" />
      ) : list.isError ? (
        <LoadFailed what="the brokers" error={list.error} testId="brokers-error" />
      ) : (
        <>
          {list.data.logDirsError && (
            <div className="banner warn" role="status" data-testid="log-dirs-error">
              <strong>Log dir sizes are not shown</strong>
              <span>{list.data.logDirsError}</span>
            </div>
          )}
          <section className="card flush">
            <table className="table middle" data-testid="brokers-table">
              <thead>
                <tr>
                  <th>Broker</th>
                  <th>Host</th>
                  <th>Rack</th>
                  <th title="The broker the Metadata API names as controller. On KRaft clusters Kafka names any live broker there: the quorum's active controller is not a broker.">Controller</th>
                  <th className="right">Partitions led</th>
                  <th className="right">Replicas</th>
                  <th className="right" title="Replicas this broker holds that are not in sync with their leader">Out of sync</th>
                  <th className="right">Log dirs size</th>
                </tr>
              </thead>
              <tbody>
                {list.data.brokers.map((b) => (
                  <tr key={b.nodeId} data-testid="broker-row" data-node-id={b.nodeId} className={b.outOfSync > 0 ? "row-warn" : undefined}>
                    <td>
                      <ClusterLink href={brokerHref(b.nodeId)} data-testid="broker-link">
                        Broker {b.nodeId}
                      </ClusterLink>
                    </td>
                    <td className="mono">
                      {b.host}:{b.port}
                    </td>
                    <td className={b.rack ? "mono" : "muted"}>{b.rack ?? "none"}</td>
                    <td>{b.controller ? <span className="badge ok">controller</span> : <span className="muted">—</span>}</td>
                    <td className="right">{formatCount(b.partitionsLed)}</td>
                    <td className="right">{formatCount(b.replicas)}</td>
                    <td className="right">{b.outOfSync > 0 ? <span className="badge warn">{formatCount(b.outOfSync)}</span> : "0"}</td>
                    <td className="right" data-testid="broker-log-size" title={b.logDirs !== null ? `${b.logDirs} log dir${b.logDirs === 1 ? "" : "s"}` : undefined}>
                      {formatBytes(b.logDirBytes)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
          <PartitionHealth health={list.data.health} scope="in the cluster" />
        </>
      )}
    </div>
  );
}
