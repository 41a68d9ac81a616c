"use client";

import { CardSkeleton, LoadFailed } from "~/components/layout/load-states";
import { ClusterLink } from "~/components/clusters/cluster-link";
import { useCallback, useDeferredValue, useState } from "react";
import { LiveIndicator, SamplerBanner } from "~/components/live/sampler-banner";
import { Sparkline } from "~/components/charts/sparkline";
import { FIRST_TOPICS_QUERY, type TopicsPageQuery } from "~/components/lag/list-inputs";
import type { TopicListItem } from "~/components/lag/types";
import { useCan } from "~/components/auth/actor-context";
import { useLiveRefresh } from "~/components/live/use-live-refresh";
import { useListWindows } from "~/components/tables/use-list-windows";
import { nextSort, VirtualTable, type Column, type SortState } from "~/components/tables/virtual-table";
import { formatCount, formatRate } from "~/lib/format";
import { useTRPC } from "~/trpc/react";

/** The sparkline column is not sortable; the others sort on the server (lag.topicsPage). */
type SortKey = TopicsPageQuery["sort"] | "trend";

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
  const canCreate = useCan("operator");
  const [filter, setFilter] = useState(FIRST_TOPICS_QUERY.filter);
  const [sort, setSort] = useState<SortState<TopicsPageQuery["sort"]>>({ key: FIRST_TOPICS_QUERY.sort, dir: FIRST_TOPICS_QUERY.dir });
  const deferredFilter = useDeferredValue(filter);

  // The server filters and sorts over its index of the latest sample and answers windows of rows.
  const listKey = `${deferredFilter}\u0000${sort.key}\u0000${sort.dir}`;
  const optionsFor = useCallback(
    (offset: number, limit: number) => trpc.lag.topicsPage.queryOptions({ filter: deferredFilter, sort: sort.key, dir: sort.dir, offset, limit }),
    [trpc, deferredFilter, sort.key, sort.dir],
  );
  const { head, rowAt, onVisibleRange } = useListWindows(optionsFor, listKey);
  const list = head.data;
  const shownFilter = list && head.isPlaceholderData ? "" : deferredFilter;

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
        {list && (
          <span className="muted" data-testid="topic-count" aria-busy={head.isPlaceholderData}>
            {formatCount(list.matching)} of {formatCount(list.total)}
          </span>
        )}
      </div>

      {head.isPending ? (
        <CardSkeleton height={160} testId="topics-loading" />
      ) : head.isError || !list ? (
        <LoadFailed what="the topics" error={head.error} testId="topics-error" />
      ) : list.total === 0 ? (
        <div className="card empty-state" data-testid="topics-empty">
          <h2>{list.takenAt === null ? "No sample yet" : "No topics"}</h2>
          <p>
            {list.takenAt === null
              ? "Topics appear after the worker's first sample."
              : "The cluster has no topics yet. They appear here within a sample of being created."}
          </p>
        </div>
      ) : list.matching === 0 ? (
        <div className="card empty-state" data-testid="topics-no-match">
          <h2>No topic matches “{shownFilter}”</h2>
          <p>The filter matches any part of the name, ignoring case.</p>
        </div>
      ) : (
        <VirtualTable
          count={list.matching}
          rowAt={rowAt}
          onVisibleRange={onVisibleRange}
          columns={COLUMNS}
          rowKey={(t) => t.topic}
          sort={sort}
          onSort={(key) => {
            if (key !== "trend") setSort((s) => nextSort(s, key, (k) => (k === "topic" ? "asc" : "desc")));
          }}
          label="Topics"
          testId="topics-table"
          rowTestId="topic-row"
          rowAttrs={(t) => ({ "data-topic": t.topic })}
          resetScrollKey={listKey}
        />
      )}
    </div>
  );
}
