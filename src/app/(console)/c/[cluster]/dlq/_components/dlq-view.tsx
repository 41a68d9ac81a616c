"use client";

// The DLQ screens: every dead-letter topic with its depth, inflow, oldest age, top reasons and
// source; the selected one's depth and inflow over time; its records grouped by failure reason, with
// filters and bulk actions; one record in full; the redrive jobs; and the catalog's DLQ declarations.
// Bulk redrives run as jobs whose progress shows here. Payloads render as text, never as HTML.
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { ClusterLink } from "~/components/clusters/cluster-link";
import { useEffect, useState } from "react";
import { JobHistory, JobProgressPanel, JobStatusBadge } from "~/components/jobs/job-parts";
import { useJobChanges } from "~/components/jobs/use-job-changes";
import { refetchAfterChange } from "~/components/live/refetch";
import { formatAge, formatCount } from "~/lib/format";
import { useTRPC } from "~/trpc/react";
import { DlqDeclarations } from "./dlq-declarations";
import { DlqDetail } from "./dlq-detail";
import { DlqGroups } from "./dlq-groups";
import { DlqHistory } from "./dlq-history";
import type { Position, TopicSummary } from "./types";
import { AGING_REFRESH_MS, useDlqChanges, useDlqIndexRounds } from "~/components/dlq/use-dlq-changes";

/** `initialTopic`: the DLQ to open first (`/dlq?topic=…`, as the topology links it); else the first. */
export function DlqView({ initialTopic = null }: { initialTopic?: string | null }) {
  useJobChanges();
  useDlqChanges();
  useDlqIndexRounds();
  const trpc = useTRPC();
  const overview = useQuery(trpc.dlq.overview.queryOptions(undefined, { refetchInterval: AGING_REFRESH_MS }));
  const [topic, setTopic] = useState<string | null>(initialTopic);
  const [selected, setSelected] = useState<Position | null>(null);
  const [jobId, setJobId] = useState<number | null>(null);
  const current = overview.data?.find((t) => t.topic === topic) ?? overview.data?.[0] ?? null;
  return (
    <div className="page" data-testid="dlq-page">
      <header className="page-header">
        <h1>Dead-letter queues</h1>
        <p className="muted">Failed events grouped by cause. Redrive them to their source (or another topic) exactly once, fix a payload first, or discard with a reason. The DLQ topics themselves are never changed.</p>
      </header>
      {overview.isError && (
        <div className="banner bad" role="alert">
          <strong>Could not read the DLQ topics</strong>
          {overview.error.message}
        </div>
      )}
      <Overview topics={overview.data} loading={overview.isPending} current={current?.topic ?? null} onSelect={(t) => (setTopic(t), setSelected(null))} />
      {jobId !== null && <RunningJob id={jobId} />}
      {current && <DlqHistory key={`history-${current.topic}`} topic={current.topic} />}
      {current && <DlqGroups key={current.topic} topic={current.topic} sourceTopic={current.sourceTopic} onOpen={setSelected} onJob={setJobId} />}
      {selected && <DlqDetail position={selected} onClose={() => setSelected(null)} onJob={setJobId} />}
      <div className="section-bar">
        <h2 className="section-title">Redrive jobs</h2>
      </div>
      <JobHistory kind="dlq-redrive" noun="redrive" detailHref={(id) => `/dlq/jobs/${id}`} />
      <DlqDeclarations />
    </div>
  );
}

function Overview({ topics, loading, current, onSelect }: { topics: TopicSummary[] | undefined; loading: boolean; current: string | null; onSelect: (topic: string) => void }) {
  if (loading) return <div className="card"><div className="skeleton" style={{ height: 120 }} /></div>;
  if (!topics?.length)
    return (
      <div className="card empty-state" data-testid="dlq-empty">
        No dead-letter topics. Topics are recognised by name (<span className="mono">*.DLQ</span>, <span className="mono">*.dlq</span>, <span className="mono">*-dlt</span>, <span className="mono">*.DLT</span>,{" "}
        <span className="mono">dlq.*</span>, <span className="mono">error.*.*</span>, or DLQ_TOPIC_PATTERNS), or declared in the catalog below.
      </div>
    );
  const behind = topics.filter((t) => t.behind > 0);
  return (
    <section className="card section">
      <div className="table-scroll">
        <table className="table" data-testid="dlq-overview">
          <thead>
            <tr>
              <th>DLQ topic</th>
              <th className="right">Depth</th>
              <th className="right">Inflow</th>
              <th className="right">Oldest</th>
              <th>Top reasons</th>
              <th>Source topic</th>
            </tr>
          </thead>
          <tbody>
            {topics.map((t) => (
              <tr key={t.topic} data-testid="dlq-topic-row" data-topic={t.topic} aria-selected={t.topic === current} className={t.topic === current ? "selected-row" : undefined}>
                <td>
                  <div className="dlq-topic-cell">
                    <button type="button" className="link-button dlq-topic-name" onClick={() => onSelect(t.topic)} title={t.topic}>
                      {t.topic}
                    </button>
                    {t.growing && (
                      <span className="badge warn" data-testid="dlq-growing" title="More records arrived in the last 5 minutes than were redriven or discarded">
                        growing
                      </span>
                    )}
                    {t.declared && (
                      <span className="badge idle" data-testid="dlq-declared" title="Declared as a DLQ in the catalog">
                        declared
                      </span>
                    )}
                  </div>
                </td>
                <td className="right">
                  <span data-testid="dlq-depth">{formatCount(t.depth)}</span>
                  {t.behind > 0 && (
                    <div className="small warn-text nowrap" data-testid="dlq-index-behind" title="Records the worker has not read into the DLQ index yet: counted in the depth, not yet in the reasons and ages">
                      {formatCount(t.behind)} not indexed
                    </div>
                  )}
                </td>
                <td className="right nowrap">{t.inflowPerMin < 10 ? t.inflowPerMin.toFixed(1) : formatCount(Math.round(t.inflowPerMin))}/min</td>
                <td className="right nowrap">{t.oldestAgeMs === null ? "—" : formatAge(t.oldestAgeMs)}</td>
                <td className="dlq-reasons-cell">
                  {t.topReasons.length === 0 ? (
                    <span className="muted">none pending</span>
                  ) : (
                    t.topReasons.map((r) => (
                      <div key={r.reason} className="small cell-clip" title={r.reason}>
                        {formatCount(r.count)} × {r.reason}
                      </div>
                    ))
                  )}
                </td>
                <td className="mono small cell-clip dlq-source-cell" title={t.sourceTopic ?? undefined}>
                  {t.sourceTopic ?? <span className="muted">unknown</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {behind.length > 0 && (
        <p className="muted small" data-testid="dlq-overview-behind">
          Not indexed yet: {behind.map((t) => `${t.topic} (${formatCount(t.behind)} record${t.behind === 1 ? "" : "s"})`).join(", ")}. Depths include those records; reasons, ages and the lists below do not yet.
        </p>
      )}
    </section>
  );
}

function RunningJob({ id }: { id: number }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const job = useQuery(trpc.jobs.get.queryOptions({ id }));
  const status = job.data?.status;
  // When the job ends, the depth and the groups changed: read them again now, not at the next poll.
  useEffect(() => {
    if (status === "COMPLETED" || status === "CANCELLED" || status === "FAILED") void refetchAfterChange(queryClient, { queryKey: trpc.dlq.pathKey() });
  }, [status, queryClient, trpc]);
  if (!job.data) return null;
  return (
    <div data-testid="dlq-running-job">
      <p className="small">
        Redrive job <ClusterLink href={`/dlq/jobs/${id}`}>#{id}</ClusterLink> <JobStatusBadge job={job.data} /> {job.data.summary}
      </p>
      <JobProgressPanel job={job.data} />
    </div>
  );
}
