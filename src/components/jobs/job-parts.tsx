"use client";

// Durable-job UI shared by every job kind (replay now, DLQ redrive next): status, progress with
// pause/resume/cancel, and the history table.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ClusterLink } from "~/components/clusters/cluster-link";
import type { JobView } from "~/components/messages/types";
import { formatCount, formatDateTime, formatDuration, formatRate } from "~/lib/format";
import { errorText } from "~/trpc/error-text";
import { useTRPC } from "~/trpc/react";

const TONE: Record<JobView["status"], string> = { QUEUED: "idle", RUNNING: "warn", PAUSED: "idle", COMPLETED: "ok", CANCELLED: "idle", FAILED: "bad" };

export function JobStatusBadge({ job }: { job: Pick<JobView, "status" | "requested"> }) {
  const pending = job.requested && (job.status === "RUNNING" || job.status === "QUEUED") ? ` · ${job.requested === "pause" ? "pausing" : "cancelling"}…` : "";
  return (
    <span className={`badge ${TONE[job.status]}`} data-testid="job-status" data-status={job.status}>
      {job.status.toLowerCase()}
      {pending}
    </span>
  );
}

export function JobProgressPanel({ job }: { job: JobView }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const onSettled = () => {
    void queryClient.invalidateQueries({ queryKey: trpc.jobs.get.queryKey({ id: job.id }) });
    void queryClient.invalidateQueries({ queryKey: trpc.jobs.list.pathKey() });
  };
  const pause = useMutation(trpc.jobs.pause.mutationOptions({ onSettled }));
  const resume = useMutation(trpc.jobs.resume.mutationOptions({ onSettled }));
  const cancel = useMutation(trpc.jobs.cancel.mutationOptions({ onSettled }));
  const p = job.progress;
  const target = p.expected ?? p.toRead ?? 0;
  const pct = target > 0 ? Math.min(100, ((p.expected !== null ? p.written : p.read) / target) * 100) : job.status === "COMPLETED" ? 100 : 0;
  const active = job.status === "RUNNING" || job.status === "QUEUED";
  const failure = pause.error ?? resume.error ?? cancel.error;
  return (
    <section className="card job-progress" data-testid="job-progress">
      <div className="section-bar">
        <h2 className="section-title">Progress</h2>
        <div className="job-actions">
          {active && (
            <button type="button" onClick={() => pause.mutate({ id: job.id })} disabled={pause.isPending || job.requested !== null} data-testid="job-pause">
              Pause
            </button>
          )}
          {job.status === "PAUSED" && (
            <button type="button" className="primary" onClick={() => resume.mutate({ id: job.id })} disabled={resume.isPending} data-testid="job-resume">
              Resume
            </button>
          )}
          {(active || job.status === "PAUSED") && (
            <button type="button" className="danger" onClick={() => cancel.mutate({ id: job.id })} disabled={cancel.isPending || job.requested === "cancel"} data-testid="job-cancel">
              Cancel
            </button>
          )}
        </div>
      </div>
      {failure && (
        <p className="error-text" role="alert" data-testid="job-action-error">
          {errorText(failure)}
        </p>
      )}
      <div className="progress-track big" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(pct)}>
        <div className={`progress-fill ${job.status.toLowerCase()}`} style={{ width: `${pct}%` }} />
      </div>
      <div className="stat-strip job-stats">
        <div className="mini-stat">
          <span className="label">Read</span>
          <span className="value" data-testid="job-read">
            {formatCount(p.read)}
          </span>
          {p.toRead !== null && <span className="muted small">of {formatCount(p.toRead)}</span>}
        </div>
        <div className="mini-stat">
          <span className="label">Matched</span>
          <span className="value" data-testid="job-matched">
            {formatCount(p.matched)}
          </span>
        </div>
        <div className="mini-stat">
          <span className="label">Written</span>
          <span className="value" data-testid="job-written" data-value={p.written}>
            {formatCount(p.written)}
          </span>
          {p.expected !== null && <span className="muted small">of {formatCount(p.expected)} expected</span>}
        </div>
        <div className="mini-stat">
          <span className="label">Rate</span>
          <span className="value">{job.status === "RUNNING" ? formatRate(p.ratePerSec) : "—"}</span>
          <span className="muted small">msg/s</span>
        </div>
        <div className="mini-stat">
          <span className="label">ETA</span>
          <span className="value">{job.status === "RUNNING" ? formatDuration(p.etaSeconds) : "—"}</span>
        </div>
      </div>
      {job.status === "CANCELLED" && (
        <p className="muted" data-testid="job-cancelled-note">
          Cancelled after writing {formatCount(p.written)} record{p.written === 1 ? "" : "s"}; what was written stays written.
        </p>
      )}
      {job.error && (
        <div className={job.status === "FAILED" ? "banner bad" : "banner warn"} role="alert" data-testid="job-error">
          <strong>{job.status === "FAILED" ? "The job failed" : "The job was interrupted and will resume"}</strong>
          {job.error}
        </div>
      )}
    </section>
  );
}

/** `noun` names the kind for people ("redrive"); the kind itself by default. */
export function JobHistory({ kind, noun = kind, detailHref }: { kind: string; noun?: string; detailHref: (id: number) => string }) {
  const trpc = useTRPC();
  const jobs = useQuery(trpc.jobs.list.queryOptions({ kind }));
  if (jobs.isPending) return <div className="card"><div className="skeleton" style={{ height: 80 }} /></div>;
  if (jobs.isError) return <div className="banner bad" role="alert"><strong>Could not load the jobs</strong>{jobs.error.message}</div>;
  if (jobs.data.length === 0) {
    return (
      <div className="card empty-state" data-testid="job-history-empty">
        <p>No {noun} jobs yet. Every job is kept here with who started it, what it was asked to do and how it ended.</p>
      </div>
    );
  }
  return (
    <div className="card flush table-scroll">
      <table className="table" data-testid="job-history">
        <thead>
          <tr>
            <th>Job</th>
            <th>Status</th>
            <th>What</th>
            <th className="right">Written</th>
            <th>Started by</th>
            <th>Created</th>
            <th>Took</th>
          </tr>
        </thead>
        <tbody>
          {jobs.data.map((job) => (
            <tr key={job.id} data-testid="job-row" data-job={job.id} data-status={job.status}>
              <td className="mono">
                <ClusterLink href={detailHref(job.id)} data-testid="job-link">
                  #{job.id}
                </ClusterLink>
              </td>
              <td>
                <JobStatusBadge job={job} />
              </td>
              <td className="wrap">{job.summary}</td>
              <td className="mono right">
                {formatCount(job.progress.written)}
                {job.progress.expected !== null && <span className="muted"> / {formatCount(job.progress.expected)}</span>}
              </td>
              <td className="small">{job.createdBy}</td>
              <td className="mono small nowrap">{formatDateTime(job.createdAt)}</td>
              <td className="mono small nowrap">{job.finishedAt && job.startedAt ? formatDuration((job.finishedAt.getTime() - job.startedAt.getTime()) / 1000) : "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
