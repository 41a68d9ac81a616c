"use client";

import { useSubscription } from "@trpc/tanstack-react-query";
import { useState } from "react";
import type { Overview } from "~/server/services/health/overview";
import { useKeptAlive } from "~/components/live/use-kept-alive";
import { useNow } from "~/components/live/use-now";
import { useTRPC } from "~/trpc/react";
import { formatAge, formatCount } from "~/lib/format";
import { DlqCard } from "./dlq-card";
import { FlowsCard } from "./flows-card";

function StatusBadge({ ok, label }: { ok: boolean | null; label?: string }) {
  if (ok === null) return <span className="badge idle">checking</span>;
  return <span className={ok ? "badge ok" : "badge bad"}>{label ?? (ok ? "healthy" : "down")}</span>;
}

const noCatchUp = () => {};

export function OverviewView() {
  const trpc = useTRPC();
  const [latest, setLatest] = useState<Overview | null>(null);
  const [lastCounts, setLastCounts] = useState<{ counts: NonNullable<Overview["counts"]>; at: string } | null>(null);
  const subscription = useSubscription(
    trpc.overview.live.subscriptionOptions(undefined, {
      onData: (overview) => {
        setLatest(overview);
        if (overview.counts) setLastCounts({ counts: overview.counts, at: overview.health.checkedAt });
      },
    }),
  );
  // The stream sends a full overview when it opens, so a reopened one needs no catching up.
  useKeptAlive(subscription, noCatchUp);
  const now = useNow(1000);
  const connected = subscription.status === "pending";
  const health = latest?.health;
  const kafka = health?.kafka;
  const counts = latest?.counts ?? lastCounts?.counts ?? null;
  const countsStale = !latest?.counts && Boolean(lastCounts);

  return (
    <div className="page" data-testid="overview">
      <header className="page-header">
        <h1>Overview</h1>
        <span className="muted">
          Cluster <strong data-testid="cluster-name">{latest?.clusterName ?? "…"}</strong>
        </span>
        <span className={connected ? "live" : "live off"} data-testid="live-indicator">
          <span className="dot" />
          {connected ? `Live · checked ${health ? formatAge(now - Date.parse(health.checkedAt)) : "…"} ago` : subscription.status === "error" ? "Reconnecting…" : "Connecting…"}
        </span>
      </header>

      {kafka && !kafka.ok && (
        <div className="banner bad" role="alert" data-testid="kafka-down">
          <strong>Kafka is down</strong>
          <span>{kafka.error}</span>
          <div className="muted">
            Bootstrap servers: <span className="mono">{kafka.brokers.join(", ")}</span>. Signalbox keeps checking and this page recovers by itself.
          </div>
        </div>
      )}
      {health && !health.db.ok && (
        <div className="banner bad" role="alert">
          <strong>The catalog database is unreachable</strong>
          <span>{health.db.error}</span>
        </div>
      )}
      {health && !health.worker.ok && (
        <div className="banner warn" role="status" data-testid="worker-down">
          <strong>The worker is not running</strong>
          <span>{health.worker.error}</span>
        </div>
      )}

      <div className="grid grid-3">
        <section className="card status-card" data-testid="status-kafka">
          <header>
            <h2>Kafka</h2>
            <StatusBadge ok={kafka ? kafka.ok : null} />
          </header>
          <div className="detail">{kafka?.ok ? `Answered in ${kafka.latencyMs} ms` : kafka ? "No answer from the bootstrap servers" : <span className="skeleton" style={{ display: "block", width: 140 }} />}</div>
        </section>
        <section className="card status-card" data-testid="status-db">
          <header>
            <h2>Catalog database</h2>
            <StatusBadge ok={health ? health.db.ok : null} />
          </header>
          <div className="detail">{health ? (health.db.ok ? "PostgreSQL answering" : health.db.error) : <span className="skeleton" style={{ display: "block", width: 140 }} />}</div>
        </section>
        <section className="card status-card" data-testid="status-worker">
          <header>
            <h2>Worker</h2>
            <StatusBadge ok={health ? health.worker.ok : null} />
          </header>
          <div className="detail">
            {health ? (health.worker.lastSeen ? `Last heartbeat ${formatAge(now - Date.parse(health.worker.lastSeen))} ago` : "Never reported") : <span className="skeleton" style={{ display: "block", width: 140 }} />}
          </div>
        </section>
      </div>

      <div className="grid grid-3 section">
        {(
          [
            ["topics", "Topics", counts?.topics],
            ["partitions", "Partitions", counts?.partitions],
            ["groups", "Consumer groups", counts?.consumerGroups],
          ] as const
        ).map(([key, label, value]) => (
          <section key={key} className={countsStale ? "card stat stale" : "card stat"} data-testid={`count-${key}`}>
            <span className="label">{label}</span>
            <span className="value" data-testid={`count-${key}-value`}>
              {value !== undefined ? formatCount(value) : latest ? "–" : <span className="skeleton" style={{ display: "block", width: 60, height: 36 }} />}
            </span>
            {value === undefined && latest && <span className="muted">Unavailable while Kafka is down</span>}
            {countsStale && lastCounts && <span className="muted">as of {new Date(lastCounts.at).toLocaleTimeString()}</span>}
          </section>
        ))}
      </div>

      {counts && ((counts.offline ?? 0) > 0 || (counts.underReplicated ?? 0) > 0) && (
        <div className={(counts.offline ?? 0) > 0 ? "banner bad section" : "banner warn section"} role="alert" data-testid="replica-health">
          <strong>
            {(counts.offline ?? 0) > 0 ? `${formatCount(counts.offline ?? 0)} offline partition${counts.offline === 1 ? "" : "s"}` : "Replication is behind"}
          </strong>
          <span>
            {formatCount(counts.underReplicated ?? 0)} under-replicated partition{counts.underReplicated === 1 ? "" : "s"} (fewer in-sync replicas than replicas)
            {(counts.offline ?? 0) > 0 ? "; partitions without a leader can be neither read nor written" : ""}.
          </span>
        </div>
      )}

      <DlqCard />
      <FlowsCard />

      <section className="card section" data-testid="cluster-facts">
        <h2>Cluster</h2>
        {kafka?.ok ? (
          <dl className="facts">
            <dt>Cluster id</dt>
            <dd className="mono" data-testid="cluster-id">
              {kafka.clusterId}
            </dd>
            <dt>Kafka version</dt>
            <dd data-testid="kafka-version">{kafka.kafkaVersion ?? "unknown (the broker does not report it)"}</dd>
            <dt>Controller</dt>
            <dd>{kafka.controllerId ?? "unknown"}</dd>
            <dt>Brokers</dt>
            <dd className="mono" data-testid="brokers">
              {kafka.brokers.join(", ")}
            </dd>
            <dt>Internal topics</dt>
            <dd>{counts ? formatCount(counts.internalTopics) : "–"}</dd>
            <dt>Under-replicated partitions</dt>
            <dd data-testid="under-replicated">{counts?.underReplicated != null ? formatCount(counts.underReplicated) : "–"}</dd>
            <dt>Offline partitions</dt>
            <dd data-testid="offline-partitions">{counts?.offline != null ? formatCount(counts.offline) : "–"}</dd>
          </dl>
        ) : kafka ? (
          <p className="muted">Cluster details appear when Kafka answers.</p>
        ) : (
          <div className="skeleton" style={{ height: 90 }} />
        )}
      </section>
    </div>
  );
}
