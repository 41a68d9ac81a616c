"use client";

import { useQuery } from "@tanstack/react-query";
import { useCan } from "~/components/auth/actor-context";
import { ClusterLink } from "~/components/clusters/cluster-link";
import { useState } from "react";
import { RangePicker } from "~/components/charts/range-picker";
import { LiveIndicator, SamplerBanner } from "~/components/live/sampler-banner";
import { maxGapFor, TimeChart } from "~/components/charts/time-chart";
import type { TimeRange } from "~/components/lag/types";
import { useLiveRefresh } from "~/components/live/use-live-refresh";
import { formatClock, formatCount, formatRate } from "~/lib/format";
import { useTRPC } from "~/trpc/react";
import { TopicActions } from "./topic-actions";
import { TopicConfigCard } from "./topic-config";

export function TopicDetailView({ topic }: { topic: string }) {
  const trpc = useTRPC();
  const live = useLiveRefresh();
  const canProduce = useCan("support", { topics: [topic] });
  const [range, setRange] = useState<TimeRange>("live");
  const detail = useQuery(trpc.lag.topic.queryOptions({ topic }, { retry: (count, error) => error.data?.code !== "NOT_FOUND" && count < 1 }));
  const history = useQuery(trpc.lag.topicHistory.queryOptions({ topic, range }));
  // Straight from the broker: a topic created a moment ago exists before the sampler has seen it.
  const config = useQuery(trpc.topics.config.queryOptions({ topic }, { retry: false }));
  const [deleted, setDeleted] = useState(false);

  const header = (
    <header className="page-header">
      <ClusterLink href="/topics" className="back-link" data-testid="back-to-topics">
        ← Topics
      </ClusterLink>
      <h1 className="mono detail-title" title={topic} data-testid="topic-name">
        {topic}
      </h1>
      <LiveIndicator live={live} />
      {canProduce && (
        <ClusterLink href={`/topics/${encodeURIComponent(topic)}/produce`} className="header-action" data-testid="produce-link">
          Produce…
        </ClusterLink>
      )}
    </header>
  );

  if (deleted) {
    return (
      <div className="page" data-testid="topic-page">
        {header}
        <div className="banner ok" role="status" data-testid="topic-deleted">
          <strong>Topic deleted</strong>
          <span>
            Kafka deleted <span className="mono">{topic}</span> with its records; the list drops it at the next sample. <ClusterLink href="/topics">Back to all topics</ClusterLink>
          </span>
        </div>
      </div>
    );
  }

  if (detail.isError && detail.error.data?.code === "NOT_FOUND" && config.isSuccess) {
    return (
      <div className="page" data-testid="topic-page">
        {header}
        <div className="banner warn" role="status" data-testid="topic-not-sampled">
          Kafka has this topic; its partitions and rates appear after the worker&apos;s next sample.
        </div>
        <TopicConfigCard key="config" topic={topic} />
      </div>
    );
  }

  if (detail.isError) {
    const notFound = detail.error.data?.code === "NOT_FOUND";
    return (
      <div className="page" data-testid="topic-page">
        {header}
        <SamplerBanner live={live} />
        <div className={notFound ? "card empty-state" : "banner bad"} role="alert" data-testid={notFound ? "topic-not-found" : "topic-error"}>
          <h2>{notFound ? "Topic not found" : "Could not load the topic"}</h2>
          <p>{detail.error.message}</p>
          <p>
            <ClusterLink href="/topics">Back to all topics</ClusterLink>
          </p>
        </div>
      </div>
    );
  }

  const data = detail.data;
  const partitions = data ? [...data.partitions].sort((a, b) => a.partition - b.partition) : [];
  const messages = partitions.reduce((s, p) => s + Math.max(0, p.high - p.low), 0);

  return (
    <div className="page" data-testid="topic-page">
      {header}
      <SamplerBanner live={live} />

      <div className="stat-strip">
        <div className="mini-stat" data-testid="topic-rate">
          <span className="label">Produce rate</span>
          <span className="value">{data ? formatRate(data.produceRate) : "…"}</span>
          <span className="unit">msg/s</span>
        </div>
        <div className="mini-stat" data-testid="topic-partitions">
          <span className="label">Partitions</span>
          <span className="value">{data ? formatCount(partitions.length) : "…"}</span>
        </div>
        <div className="mini-stat" data-testid="topic-messages">
          <span className="label">Messages retained</span>
          <span className="value">{data ? formatCount(messages) : "…"}</span>
        </div>
        <div className="mini-stat">
          <span className="label">Sampled at</span>
          <span className="value small">{data ? formatClock(data.takenAt) : "…"}</span>
        </div>
      </div>

      <div className="section-bar">
        <h2 className="section-title">Throughput</h2>
        <RangePicker value={range} onChange={setRange} asOf={history.dataUpdatedAt || undefined} onRefresh={() => void history.refetch()} refreshing={history.isFetching} />
      </div>
      <TimeChart
        title="Produced (msg/s)"
        points={history.data?.points.map((p) => ({ at: p.at, value: p.rate })) ?? []}
        range={range}
        end={history.dataUpdatedAt}
        maxGapMs={maxGapFor(history.data?.resolution)}
        formatValue={(v) => `${formatRate(v)} msg/s`}
        kind="area"
        testId="throughput-chart"
        loading={history.isPending}
        error={history.error?.message ?? null}
        height={220}
      />

      <section className="card section flush" data-testid="topic-partitions-card">
        <h2 className="card-title">Partitions</h2>
        {detail.isPending ? (
          <div className="skeleton" style={{ height: 120, margin: 16 }} />
        ) : (
          <table className="table numeric" data-testid="topic-partitions-table">
            <thead>
              <tr>
                <th>Partition</th>
                <th className="right" title="Log start offset: the oldest retained record">
                  Low (log start)
                </th>
                <th className="right" title="Log end offset (high watermark)">
                  High (log end)
                </th>
                <th className="right" title="High minus low: records retained">
                  Messages
                </th>
              </tr>
            </thead>
            <tbody>
              {partitions.map((p) => (
                <tr key={p.partition} data-testid="topic-partition-row">
                  <td className="mono" data-testid="partition-cell">
                    {p.partition}
                  </td>
                  <td className="right mono" data-testid="low-cell">
                    {formatCount(p.low)}
                  </td>
                  <td className="right mono" data-testid="high-cell">
                    {formatCount(p.high)}
                  </td>
                  <td className="right mono" data-testid="messages-cell">
                    {formatCount(Math.max(0, p.high - p.low))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      {/* Keyed, so an edit in progress survives the switch from "not sampled yet" to the full page. */}
      <TopicConfigCard key="config" topic={topic} />
      {data && <TopicActions topic={topic} partitions={partitions.map((p) => p.partition)} onDeleted={() => setDeleted(true)} />}
    </div>
  );
}
