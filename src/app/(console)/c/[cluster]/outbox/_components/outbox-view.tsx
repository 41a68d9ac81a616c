"use client";

// The transactional outboxes whose relays publish to this cluster: rows waiting, the age of the
// oldest, the publish rate, and the last hour of each. A relay that has stalled (its oldest row
// older than the monitor allows) is marked, and an outbox that cannot be read says why.
import { useQuery } from "@tanstack/react-query";
import { TimeChart } from "~/components/charts/time-chart";
import { CardSkeleton, LoadFailed } from "~/components/layout/load-states";
import { formatCount, formatDuration } from "~/lib/format";
import { useTRPC } from "~/trpc/react";
import type { RouterOutputs } from "~/trpc/types";

type Outbox = RouterOutputs["outbox"]["overview"]["outboxes"][number];

const STATUS_CLASS = { OK: "ok", STALLED: "bad", UNREACHABLE: "warn" } as const;

export function OutboxView() {
  const trpc = useTRPC();
  // Readings arrive once per sampler cycle; polling at that pace keeps the page as fresh as the data.
  const overview = useQuery(trpc.outbox.overview.queryOptions({ minutes: 15 }, { refetchInterval: 5000 }));
  return (
    <div className="page" data-testid="outbox-page">
      <header className="page-header">
        <h1>Transactional outbox</h1>
        <p className="muted">Events written to a service&apos;s database in the same transaction as its data, waiting for the relay to publish them to Kafka.</p>
      </header>
      {overview.isPending ? (
        <CardSkeleton height={160} />
      ) : overview.isError ? (
        <LoadFailed what="the outboxes" error={overview.error} testId="outbox-error" />
      ) : overview.data.outboxes.length === 0 ? (
        <div className="card empty-state" data-testid="outbox-none">
          <h2>No outbox table is watched for this cluster</h2>
          <p>
            Name the table, its read-only PostgreSQL connection and its columns in <span className="mono">OUTBOX_MONITORS</span> (docs/outbox.md). The worker then reads it after every
            sampler cycle.
          </p>
        </div>
      ) : (
        overview.data.outboxes.map((outbox) => <OutboxCard key={outbox.name} outbox={outbox} end={overview.dataUpdatedAt} />)
      )}
    </div>
  );
}

function OutboxCard({ outbox, end }: { outbox: Outbox; end: number }) {
  const latest = outbox.latest;
  const status = latest?.status ?? null;
  const rate = latest?.publishedPerSec ?? null;
  // The last 15 minutes: enough to see a relay fall behind and catch up.
  const common = { range: "15m" as const, end, height: 150 };
  return (
    <section className="card section" data-testid="outbox-card" data-outbox={outbox.name} data-status={status ?? "PENDING"}>
      <h2 className="card-title">
        {outbox.name}{" "}
        <span className="muted mono small" style={{ overflowWrap: "anywhere" }} title={`${outbox.database} · ${outbox.table}`} data-testid="outbox-where">
          {`${outbox.database} · ${outbox.table}`}
        </span>{" "}
        <span className={`badge ${status ? STATUS_CLASS[status] : ""}`} data-testid="outbox-status">
          {status === null ? "waiting for the first reading" : status === "STALLED" ? "relay stalled" : status === "UNREACHABLE" ? "cannot read" : "relay keeping up"}
        </span>
      </h2>
      {latest?.error && (
        <div className="banner bad" role="alert" data-testid="outbox-read-error">
          <span>{latest.error}</span>
        </div>
      )}
      <div className="grid grid-3 outbox-stats" data-testid="outbox-stats">
        <div className="stat">
          <span className="label">Unpublished rows</span>
          <span className="value" data-testid="outbox-unpublished">{latest?.unpublished === null || latest === null ? "–" : formatCount(latest.unpublished)}</span>
        </div>
        <div className="stat">
          <span className="label">Oldest waiting</span>
          <span className="value" data-testid="outbox-oldest">{latest?.oldestAgeMs == null ? "–" : formatDuration(latest.oldestAgeMs / 1000)}</span>
          <span className="muted small">stalled after {formatDuration(outbox.stallAfterSeconds)}</span>
        </div>
        <div className="stat">
          <span className="label">Published</span>
          <span className="value" data-testid="outbox-rate">{rate === null ? "–" : `${rate < 10 ? rate.toFixed(1) : formatCount(Math.round(rate))}/s`}</span>
          <span className="muted small">{outbox.publishedColumn ? `rows with ${outbox.publishedColumn} set` : "rows deleted (PostgreSQL statistics)"}</span>
        </div>
      </div>
      <div className="grid grid-3">
        <TimeChart title="Unpublished rows" points={outbox.history.map((p) => ({ at: p.at, value: p.unpublished }))} formatValue={(v) => formatCount(Math.round(v))} kind="area" color="var(--warn)" testId="outbox-unpublished-chart" {...common} />
        <TimeChart title="Age of the oldest waiting row" points={outbox.history.map((p) => ({ at: p.at, value: p.oldestAgeMs === null ? 0 : p.oldestAgeMs / 1000 }))} formatValue={(v) => formatDuration(v)} axis="duration" testId="outbox-age-chart" {...common} />
        <TimeChart title="Publish rate (rows/s)" points={outbox.history.map((p) => ({ at: p.at, value: p.publishedPerSec }))} formatValue={(v) => `${v.toFixed(1)}/s`} kind="area" color="var(--ok)" testId="outbox-rate-chart" {...common} />
      </div>
    </section>
  );
}
