"use client";

import { JobHistory } from "~/components/jobs/job-parts";
import { useJobChanges } from "~/components/jobs/use-job-changes";
import { ReplayForm } from "./replay-form";

export function ReplayView() {
  useJobChanges();
  return (
    <div className="page" data-testid="replay-page">
      <header className="page-header">
        <h1>Replay</h1>
        <p className="muted">Copy events again, filtered and rate-limited, as a durable job: each matching record is written exactly once, even if the worker dies.</p>
      </header>
      <ReplayForm />
      <div className="section-bar">
        <h2 className="section-title">Job history</h2>
      </div>
      <JobHistory kind="replay" detailHref={(id) => `/replay/jobs/${id}`} />
    </div>
  );
}
