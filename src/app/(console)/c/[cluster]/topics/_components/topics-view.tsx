"use client";

import { useQuery } from "@tanstack/react-query";
import { CardSkeleton, LoadFailed } from "~/components/layout/load-states";
import { ClusterLink } from "~/components/clusters/cluster-link";
import { useDeferredValue, useMemo, useState } from "react";
import { LiveIndicator, SamplerBanner } from "~/components/live/sampler-banner";
import { Sparkline } from "~/components/charts/sparkline";
import type { TopicListItem } from "~/components/lag/types";
import { useCan } from "~/components/auth/actor-context";
import { useLiveRefresh } from "~/components/live/use-live-refresh";
import { compareNames, nextSort, VirtualTable, type Column, type SortState } from "~/components/tables/virtual-table";
import { formatCount, formatRate } from "~/lib/format";
import { useTRPC } from "~/trpc/react";

type SortKey = "topic" | "partitions" | "messages" | "rate" | "trend";

const COMPARE: Partial<Record<SortKey, (a: TopicListItem, b: TopicListItem) => number>> = {
  topic: (a, b) => compareNames(a.topic, b.topic),
  partitions: (a, b) => a.partitions - b.partitions,
  messages: (a, b) => a.messages - b.messages,
  // Unknown rates (fewer than two samples) sort below zero.
  rate: (a, b) => (a.produceRate ?? -1) - (b.produceRate ?? -1),
};

const COLUMNS: Column<TopicListItem, SortKey>[] = [
  {
    key: "topic",
    header: "Topic",
    width: "minmax(220px, 1fr)",
    sortable: true,
    cell: (t) => (
      // No prefetch: every row scrolled into view would ask the server for that topic's page.
      <ClusterLink href={`/topics/${encodeURIComponent(t.topic)}`} prefetch={false} className="ellipsis mono" title={t.topic} data-testid="topic-link">
        {t.topic}
      </ClusterLink>
    ),
  },
  { key: "partitions", header: "Partitions", width: "110px", align: "right", sortable: true, cell: (t) => formatCount(t.partitions) },
  { key: "messages", header: "Messages", width: "140px", align: "right", sortable: true, title: "Records retained: log end minus log start, summed over partitions", cell: (t) => formatCount(t.messages) },
  {
    key: "rate",
    header: "Produce rate",
    width: "140px",
    align: "right",
    sortable: true,
    title: "Messages per second produced, over the last sampler interval (— until two samples exist)",
    cell: (t) => (
      <span data-testid="rate-cell" data-rate={t.produceRate ?? ""}>
        {formatRate(t.produceRate)}
        {t.produceRate !== null && <span className="unit"> msg/s</span>}
      </span>
    ),
  },
  { key: "trend", header: "Last 5 min", width: "140px", cell: (t) => <Sparkline values={t.sparkline} label={`Produce rate of ${t.topic} over the last 5 minutes`} /> },
];

export function TopicsView() {
  const trpc = useTRPC();
  const live = useLiveRefresh();
  const topics = useQuery(trpc.lag.topics.queryOptions());
  const canCreate = useCan("operator");
  const [filter, setFilter] = useState("");
  const [sort, setSort] = useState<SortState<SortKey>>({ key: "topic", dir: "asc" });
  const deferredFilter = useDeferredValue(filter);

  const all = topics.data?.topics;
  const rows = useMemo(() => {
    if (!all) return [];
    const needle = deferredFilter.trim().toLowerCase();
    const matched = needle ? all.filter((t) => t.topic.toLowerCase().includes(needle)) : [...all];
    const compare = COMPARE[sort.key] ?? COMPARE.topic!;
    const sign = sort.dir === "asc" ? 1 : -1;
    return matched.sort((a, b) => sign * compare(a, b) || compareNames(a.topic, b.topic));
  }, [all, deferredFilter, sort]);

  return (
    <div className="page" data-testid="topics-page">
      <header className="page-header">
        <h1>Topics</h1>
        <p className="muted">Every topic with partitions, retained messages and produce rate.</p>
        <LiveIndicator live={live} />
        {canCreate && (
          <ClusterLink href="/topics/new" className="header-action" data-testid="create-topic-link">
            Create topic
          </ClusterLink>
        )}
      </header>
      <SamplerBanner live={live} />

      <div className="list-toolbar">
        <input
          type="search"
          className="search-input"
          placeholder="Filter topics…"
          aria-label="Filter topics"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
          data-testid="topic-filter"
        />
        {all && (
          <span className="muted" data-testid="topic-count">
            {formatCount(rows.length)} of {formatCount(all.length)}
          </span>
        )}
      </div>

      {topics.isPending ? (
        <CardSkeleton height={160} testId="topics-loading" />
      ) : topics.isError ? (
        <LoadFailed what="the topics" error={topics.error} testId="topics-error" />
      ) : topics.data.topics.length === 0 ? (
        <div className="card empty-state" data-testid="topics-empty">
          <h2>{topics.data.takenAt === null ? "No sample yet" : "No topics"}</h2>
          <p>
            {topics.data.takenAt === null
              ? "Topics appear after the worker's first sample."
              : "The cluster has no topics yet. They appear here within a sample of being created."}
          </p>
        </div>
      ) : rows.length === 0 ? (
        <div className="card empty-state" data-testid="topics-no-match">
          <h2>No topic matches “{deferredFilter}”</h2>
          <p>The filter matches any part of the name, ignoring case.</p>
        </div>
      ) : (
        <VirtualTable
          rows={rows}
          columns={COLUMNS}
          rowKey={(t) => t.topic}
          sort={sort}
          onSort={(key) => setSort((s) => nextSort(s, key, (k) => (k === "topic" ? "asc" : "desc")))}
          label="Topics"
          testId="topics-table"
          rowTestId="topic-row"
          rowAttrs={(t) => ({ "data-topic": t.topic })}
          resetScrollKey={`${deferredFilter}\u0000${sort.key}\u0000${sort.dir}`}
        />
      )}
    </div>
  );
}
