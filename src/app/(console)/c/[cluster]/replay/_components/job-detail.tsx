"use client";

import { useQuery } from "@tanstack/react-query";
import { CardSkeleton, LoadFailed } from "~/components/layout/load-states";
import { ClusterLink } from "~/components/clusters/cluster-link";
import { JobProgressPanel, JobStatusBadge } from "~/components/jobs/job-parts";
import { useJobChanges } from "~/components/jobs/use-job-changes";
import { formatDateTime } from "~/lib/format";
import { useTRPC } from "~/trpc/react";

/** A job's page; `back` and `noun` let other job kinds (DLQ redrive) show it under their own area. */
export function JobDetail({ id, back = { href: "/replay", label: "Replay" }, noun = "Replay" }: { id: number; back?: { href: string; label: string }; noun?: string }) {
  const trpc = useTRPC();
  useJobChanges();
  const job = useQuery(trpc.jobs.get.queryOptions({ id }, { retry: (count, error) => error.data?.code !== "NOT_FOUND" && count < 1 }));
  const header = (
    <header className="page-header">
      <ClusterLink href={back.href} className="back-link">
        ← {back.label}
      </ClusterLink>
      <h1 data-testid="job-title">
        {noun} job #{id}
      </h1>
      {job.data && <JobStatusBadge job={job.data} />}
    </header>
  );
  if (job.isPending) return <div className="page">{header}<CardSkeleton height={160} /></div>;
  if (job.isError) return <div className="page">{header}<LoadFailed what="the job" error={job.error} /></div>;
  const j = job.data;
  return (
    <div className="page" data-testid="job-page">
      {header}
      <p className="muted">{j.summary}</p>
      <JobProgressPanel job={j} />
      <section className="card section">
        <h2>Details</h2>
        <dl className="facts">
          <dt>Started by</dt>
          <dd data-testid="job-created-by">{j.createdBy}</dd>
          <dt>Created</dt>
          <dd>{formatDateTime(j.createdAt)}</dd>
          <dt>Running since</dt>
          <dd>{j.startedAt ? formatDateTime(j.startedAt) : "not started"}</dd>
          <dt>Finished</dt>
          <dd>{j.finishedAt ? formatDateTime(j.finishedAt) : "—"}</dd>
          <dt>Attempts</dt>
          <dd title="How many times a worker started or resumed it (after a pause, a restart or a crash)">{j.attempts}</dd>
          <dt>Kafka transactional id</dt>
          <dd className="mono small">signalbox-{j.kind}-{j.key}</dd>
        </dl>
        <h3 className="small muted">Parameters</h3>
        <pre className="payload" data-testid="job-params">
          {JSON.stringify(j.params, null, 2)}
        </pre>
      </section>
    </div>
  );
}
