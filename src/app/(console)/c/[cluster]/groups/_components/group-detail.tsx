"use client";

import { useCan } from "~/components/auth/actor-context";
import { useMutation, useQuery } from "@tanstack/react-query";
import { ClusterLink } from "~/components/clusters/cluster-link";
import { useState } from "react";
import { RangePicker } from "~/components/charts/range-picker";
import { LiveIndicator, SamplerBanner } from "~/components/live/sampler-banner";
import { StatusBadge } from "~/components/lag/status-badge";
import { maxGapFor, TimeChart } from "~/components/charts/time-chart";
import type { GroupDetail, GroupPartition, TimeRange } from "~/components/lag/types";
import { useLiveRefresh } from "~/components/live/use-live-refresh";
import { formatClock, formatCount, formatDuration, formatRate } from "~/lib/format";
import { TypeToConfirm } from "~/components/forms/type-to-confirm";
import { errorText } from "~/trpc/error-text";
import { useTRPC } from "~/trpc/react";

const SECONDS = new Intl.NumberFormat("en-US", { maximumFractionDigits: 1 });

function LagSecondsCell({ p }: { p: GroupPartition }) {
  if (p.lag === null || p.lagSeconds === null) return <>-</>;
  return (
    <span title={`${formatDuration(p.lagSeconds)}${p.lagSecondsExtrapolated ? " (extrapolated: the committed offset is older than the sampler's offset history)" : ""}`}>
      {p.lagSecondsExtrapolated && "≈ "}
      {SECONDS.format(p.lagSeconds)}
    </span>
  );
}

function PartitionTable({ group }: { group: GroupDetail }) {
  const partitions = [...group.partitions].sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition);
  if (partitions.length === 0) return <p className="muted pad">This group has no committed offsets and no assignments.</p>;
  return (
    <div className="table-scroll">
      <table className="table describe-table" data-testid="partition-table">
        <thead>
          <tr>
            <th>TOPIC</th>
            <th className="right">PARTITION</th>
            <th className="right">CURRENT-OFFSET</th>
            <th className="right">LOG-END-OFFSET</th>
            <th className="right">LAG</th>
            <th>CONSUMER-ID</th>
            <th>HOST</th>
            <th>CLIENT-ID</th>
            <th className="right signalbox-col" title="Signalbox: how far behind in time (seconds); ≈ when extrapolated">
              LAG (S)
            </th>
            <th className="signalbox-col" title="Signalbox: Burrow-style partition status">
              STATUS
            </th>
          </tr>
        </thead>
        <tbody>
          {partitions.map((p) => (
            <tr key={`${p.topic}\u0000${p.partition}`} data-testid="partition-row" data-topic={p.topic} data-partition={p.partition} className={p.committedBelowLogStart ? "row-bad" : undefined}>
              <td className="mono" data-testid="topic-cell">
                {p.topic}
              </td>
              <td className="mono right" data-testid="partition-cell">
                {p.partition}
              </td>
              <td className="mono right" data-testid="current-offset-cell" data-value={p.committed ?? "-"}>
                {p.committed === null ? "-" : formatCount(p.committed)}
              </td>
              <td className="mono right" data-testid="log-end-offset-cell" data-value={p.end}>
                {formatCount(p.end)}
              </td>
              <td className="mono right" data-testid="lag-cell" data-value={p.lag ?? "-"}>
                {p.lag === null ? "-" : formatCount(p.lag)}
                {p.committedBelowLogStart && (
                  <div className="cell-note error-text" data-testid="below-log-start">
                    records deleted past the committed offset
                  </div>
                )}
              </td>
              <td className="mono small consumer-id" data-testid="consumer-id-cell">
                {p.consumerId ?? "-"}
              </td>
              <td className="mono small" data-testid="host-cell">
                {p.host ?? "-"}
              </td>
              <td className="mono small" data-testid="client-id-cell">
                {p.clientId ?? "-"}
              </td>
              <td className="mono right" data-testid="lag-seconds-cell">
                <LagSecondsCell p={p} />
              </td>
              <td data-testid="status-cell">
                <StatusBadge status={p.status} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Members({ group }: { group: GroupDetail }) {
  if (group.members.length === 0) {
    return (
      <p className="muted pad" data-testid="no-members">
        No members: nobody consumes for this group right now (state {group.state}).
      </p>
    );
  }
  return (
    <div className="table-scroll">
      <table className="table" data-testid="members-table">
        <thead>
          <tr>
            <th>Member id</th>
            <th>Client id</th>
            <th>Host</th>
            <th>Assignments</th>
          </tr>
        </thead>
        <tbody>
          {group.members.map((m) => (
            <tr key={m.memberId} data-testid="member-row">
              <td className="mono wrap small">{m.memberId}</td>
              <td className="mono wrap small">{m.clientId}</td>
              <td className="mono wrap small">{m.host}</td>
              <td className="mono wrap small" data-testid="assignments-cell">
                {m.assignments.length === 0
                  ? "—"
                  : m.assignments.map((a) => (
                      <div key={a.topic}>
                        {a.topic}: {[...a.partitions].sort((x, y) => x - y).join(", ")}
                      </div>
                    ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function GroupDetailView({ groupId }: { groupId: string }) {
  const trpc = useTRPC();
  const canReset = useCan("support", { group: groupId });
  const [confirming, setConfirming] = useState(false);
  const deletion = useMutation(trpc.groups.delete.mutationOptions());
  const live = useLiveRefresh();
  const [range, setRange] = useState<TimeRange>("live");
  const detail = useQuery(trpc.lag.group.queryOptions({ groupId }, { retry: (count, error) => error.data?.code !== "NOT_FOUND" && count < 1 }));
  const history = useQuery(trpc.lag.groupHistory.queryOptions({ groupId, range }));
  const group = detail.data;

  const header = (
    <header className="page-header">
      <ClusterLink href="/groups" className="back-link" data-testid="back-to-groups">
        ← Consumer groups
      </ClusterLink>
      <h1 className="mono detail-title" title={groupId} data-testid="group-id">
        {groupId}
      </h1>
      {group && <StatusBadge status={group.status} />}
      <LiveIndicator live={live} />
      {canReset && !deletion.data?.deleted && (
        <ClusterLink href={`/groups/${encodeURIComponent(groupId)}/reset`} className="header-action" data-testid="reset-offsets-link">
          Reset offsets…
        </ClusterLink>
      )}
      {canReset && !deletion.data?.deleted && (
        <button type="button" className="danger" onClick={() => setConfirming(true)} disabled={confirming} data-testid="delete-group-start">
          Delete group…
        </button>
      )}
    </header>
  );

  const deleted = deletion.data?.deleted === 1;
  const deletePanel = deleted ? (
    <div className="banner ok" role="status" data-testid="group-deleted">
      <strong>Consumer group deleted</strong>
      <span>
        Its committed offsets are gone: a consumer that joins as <span className="mono">{groupId}</span> again starts from its auto.offset.reset.{" "}
        <ClusterLink href="/groups">Back to all consumer groups</ClusterLink>
      </span>
    </div>
  ) : confirming ? (
    <TypeToConfirm
      name={groupId}
      title="Delete this consumer group?"
      action="Delete group"
      pending={deletion.isPending}
      error={deletion.error ? errorText(deletion.error) : deletion.data?.results[0]?.reason ? `Kafka did not delete it: ${deletion.data.results[0].reason}.` : null}
      onConfirm={() => deletion.mutate({ groupIds: [groupId] })}
      onCancel={() => {
        setConfirming(false);
        deletion.reset();
      }}
      testId="delete-group"
    >
      Its committed offsets are deleted with it, and cannot be brought back. Kafka deletes only a group without active members: stop its consumers
      first. The deletion is recorded in the audit log.
    </TypeToConfirm>
  ) : null;

  if (detail.isError) {
    const notFound = detail.error.data?.code === "NOT_FOUND";
    return (
      <div className="page" data-testid="group-page">
        {header}
        {deletePanel}
        <SamplerBanner live={live} />
        <div className={notFound ? "card empty-state" : "banner bad"} role="alert" data-testid={notFound ? "group-not-found" : "group-error"}>
          <h2>{notFound ? "Consumer group not found" : "Could not load the consumer group"}</h2>
          <p>{detail.error.message}</p>
          <p>
            <ClusterLink href="/groups">Back to all consumer groups</ClusterLink>
          </p>
        </div>
      </div>
    );
  }

  const extrapolated = group?.partitions.some((p) => p.lagSecondsExtrapolated) ?? false;
  const points = history.data?.points ?? [];
  const chartEnd = history.dataUpdatedAt;
  const maxGapMs = maxGapFor(history.data?.resolution);
  const chartCommon = { range, end: chartEnd, maxGapMs, loading: history.isPending, error: history.error?.message ?? null, height: 190 };

  return (
    <div className="page" data-testid="group-page">
      {header}
      {deletePanel}
      <SamplerBanner live={live} />

      <div className="stat-strip">
        <div className="mini-stat" data-testid="group-state">
          <span className="label">State</span>
          <span className="value small">{group ? group.state : "…"}</span>
        </div>
        <div className="mini-stat" data-testid="group-members">
          <span className="label">Members</span>
          <span className="value">{group ? formatCount(group.members.length) : "…"}</span>
        </div>
        <div className="mini-stat" data-testid="group-total-lag">
          <span className="label">Total lag</span>
          <span className="value" data-value={group?.totalLag ?? ""}>
            {group ? formatCount(group.totalLag) : "…"}
          </span>
          <span className="unit">messages</span>
        </div>
        <div className="mini-stat" data-testid="group-max-lag-seconds">
          <span className="label">Max lag (time)</span>
          <span className="value">{group ? formatDuration(group.maxLagSeconds) : "…"}</span>
          {extrapolated && (
            <span className="unit warn-text" title="At least one partition's committed offset is older than the sampler's offset history, so its time lag was extrapolated" data-testid="extrapolated">
              ≈ extrapolated
            </span>
          )}
        </div>
        <div className="mini-stat" data-testid="group-consume-rate">
          <span className="label">Consume rate</span>
          <span className="value">{group ? formatRate(group.consumeRate) : "…"}</span>
          <span className="unit">msg/s</span>
        </div>
        <div className="mini-stat">
          <span className="label">Sampled at</span>
          <span className="value small">{group ? formatClock(group.takenAt) : "…"}</span>
        </div>
      </div>

      <div className="section-bar">
        <h2 className="section-title">History</h2>
        <RangePicker value={range} onChange={setRange} asOf={history.dataUpdatedAt || undefined} onRefresh={() => void history.refetch()} refreshing={history.isFetching} />
      </div>
      <div className="chart-grid">
        <TimeChart {...chartCommon} title="Lag (messages)" points={points.map((p) => ({ at: p.at, value: p.lag }))} formatValue={(v) => `${formatCount(Math.round(v))} messages`} kind="area" color="var(--warn)" testId="lag-chart" />
        <TimeChart
          {...chartCommon}
          title="Lag (time)"
          points={points.map((p) => ({ at: p.at, value: p.maxLagSeconds }))}
          formatValue={(v) => formatDuration(v)}
          axis="duration"
          color="var(--bad)"
          testId="lag-seconds-chart"
        />
        <TimeChart {...chartCommon} title="Consume rate (msg/s)" points={points.map((p) => ({ at: p.at, value: p.consumeRate }))} formatValue={(v) => `${formatRate(v)} msg/s`} testId="consume-rate-chart" />
      </div>

      <section className="card section flush" data-testid="partitions-card">
        <h2 className="card-title">
          Partitions <span className="muted small">as kafka-consumer-groups --describe prints them, plus Signalbox&apos;s LAG (S) and STATUS</span>
        </h2>
        {group ? <PartitionTable group={group} /> : <div className="skeleton" style={{ height: 120, margin: 16 }} />}
      </section>

      <section className="card section flush" data-testid="members-card">
        <h2 className="card-title">Members</h2>
        {group ? <Members group={group} /> : <div className="skeleton" style={{ height: 60, margin: 16 }} />}
      </section>
    </div>
  );
}
