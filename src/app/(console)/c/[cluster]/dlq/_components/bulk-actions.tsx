"use client";

// Redrive or discard a set of DLQ records (a reason group, the checked rows, or one record), each
// behind a confirmation: redrive asks for an optional rate cap and target topic, discard for a reason.
// Redrive starts a durable job (reported through onJob); discard takes effect at once.
import { useSubmissionKey } from "~/components/jobs/use-submission-key";
import { useCan } from "~/components/auth/actor-context";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { useRefreshDlq } from "~/components/dlq/use-dlq-changes";
import { formatCount } from "~/lib/format";
import { errorText } from "~/trpc/error-text";
import { useTRPC } from "~/trpc/react";
import type { Selection } from "./types";

interface Props {
  topic: string;
  selection: Selection;
  count: number;
  /** Where records go when no target is typed, for the button's label. */
  defaultTarget: string;
  onJob: (id: number) => void;
  onDone?: () => void;
}

export function BulkActions({ topic, selection, count, defaultTarget, onJob, onDone }: Props) {
  const trpc = useTRPC();
  const [confirm, setConfirm] = useState<"redrive" | "discard" | null>(null);
  const [rate, setRate] = useState("");
  const [target, setTarget] = useState("");
  const [reason, setReason] = useState("");
  const refreshDlq = useRefreshDlq();
  const refresh = () => refreshDlq([topic]);
  const finish = () => (setConfirm(null), onDone?.());
  const [submission, renewSubmission] = useSubmissionKey();
  const redrive = useMutation(trpc.dlq.redrive.mutationOptions({ onSuccess: (job) => (onJob(job.id), renewSubmission(), finish()), onSettled: refresh }));
  const discard = useMutation(trpc.dlq.discard.mutationOptions({ onSuccess: finish, onSettled: refresh }));
  const error = redrive.error ?? discard.error;
  const rateValid = rate.trim() === "" || Number(rate) > 0;
  // The server refuses these to anyone without the support role; do not offer them either.
  const canRepair = useCan("support", { topics: [topic] });
  if (!canRepair) return <p className="muted small" data-testid="dlq-read-only">Redrive and discard need the support role.</p>;
  return (
    <div className="dlq-actions">
      <div className="job-actions">
        {confirm === null && (
          <>
            <button type="button" className="primary" onClick={() => setConfirm("redrive")} data-testid="dlq-redrive-start">
              {count === 1 ? "Redrive…" : `Redrive ${formatCount(count)}…`}
            </button>
            <button type="button" onClick={() => setConfirm("discard")} data-testid="dlq-discard-start">
              Discard…
            </button>
          </>
        )}
        {confirm === "redrive" && (
          <span className="confirm">
            <input className="text-input narrow" placeholder="msg/s (no cap)" inputMode="numeric" value={rate} onChange={(e) => setRate(e.target.value)} aria-label="Rate cap in messages per second" aria-invalid={!rateValid} data-testid="dlq-rate" />
            <input className="text-input" placeholder={`Target (default: ${defaultTarget})`} value={target} onChange={(e) => setTarget(e.target.value)} aria-label="Target topic" data-testid="dlq-target" />
            <button
              type="button"
              className="primary"
              disabled={redrive.isPending || !rateValid}
              onClick={() => redrive.mutate({ topic, selection, ratePerSec: rate.trim() ? Number(rate) : null, targetTopic: target.trim() || null, idempotencyKey: submission })}
              data-testid="dlq-redrive-confirm"
            >
              {redrive.isPending ? "Starting…" : `Redrive ${formatCount(count)} to ${target.trim() || defaultTarget}`}
            </button>
            <button type="button" onClick={() => setConfirm(null)}>
              Keep
            </button>
          </span>
        )}
        {confirm === "discard" && (
          <span className="confirm">
            <input className="text-input" placeholder="Why discard? (required)" value={reason} onChange={(e) => setReason(e.target.value)} aria-label="Discard reason" data-testid="dlq-discard-reason" />
            <button type="button" className="danger" disabled={discard.isPending || reason.trim().length < 3} onClick={() => discard.mutate({ topic, selection, reason })} data-testid="dlq-discard-confirm">
              Discard {formatCount(count)}
            </button>
            <button type="button" onClick={() => setConfirm(null)}>
              Keep
            </button>
          </span>
        )}
      </div>
      {error && (
        <div className="banner bad" role="alert" data-testid="dlq-action-error">
          {errorText(error)}
        </div>
      )}
    </div>
  );
}
