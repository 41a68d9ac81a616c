"use client";

// One dead-lettered record in full: its state, error and stack trace, origin, attempts, schema
// verdict, payload and headers (all as text, never HTML), and the actions on it: redrive, edit and
// redrive (validated against the schema as you type), discard.
import { useSubmissionKey } from "~/components/jobs/use-submission-key";
import { useMutation, useQuery } from "@tanstack/react-query";
import { ClusterLink } from "~/components/clusters/cluster-link";
import { useEffect, useRef, useState } from "react";
import { useRefreshDlq } from "~/components/dlq/use-dlq-changes";
import { formatDateTime } from "~/lib/format";
import { errorText } from "~/trpc/error-text";
import { useTRPC } from "~/trpc/react";
import { BulkActions } from "./bulk-actions";
import { StateCell } from "./dlq-groups";
import type { Detail, Position } from "./types";

function stateLine(d: Detail): string {
  const s = d.state;
  if (!s) return d.redriveProblem ? ` · ${d.redriveProblem}` : "";
  const parts = [`by ${s.actor} at ${formatDateTime(s.updatedAt)}`];
  if (s.jobId) parts.push(`job #${s.jobId}`);
  if (s.status === "REDRIVEN" && s.targetTopic) parts.push(`to ${s.targetTopic}${s.redriveAttempt ? ` (redrive attempt ${s.redriveAttempt})` : ""}`);
  if (s.reason) parts.push(`“${s.reason}”`);
  if (s.editAfter !== null) parts.push("payload edited");
  return ` · ${parts.join(" · ")}`;
}

function earlierRedrives(d: Detail): string {
  const next = d.redriveAttempts + 1;
  const history = d.redriveAttempts === 0 ? "Never redriven before." : `Redriven ${d.redriveAttempts} time${d.redriveAttempts === 1 ? "" : "s"} before, and it failed again.`;
  return next > d.attemptCap ? `${history} The cap is ${d.attemptCap}: a redrive now goes to ${d.parkingTopic}.` : `${history} A redrive now is attempt ${next} of ${d.attemptCap}.`;
}

export function DlqDetail({ position, onClose, onJob }: { position: Position; onClose: () => void; onJob: (id: number) => void }) {
  const trpc = useTRPC();
  const refreshDlq = useRefreshDlq();
  const detail = useQuery(trpc.dlq.message.queryOptions(position));
  const [editing, setEditing] = useState(false);
  const [edited, setEdited] = useState("");
  const [target, setTarget] = useState("");
  const [submission, renewSubmission] = useSubmissionKey();
  const edit = useMutation(
    trpc.dlq.editAndRedrive.mutationOptions({
      onSuccess: (job) => (onJob(job.id), renewSubmission(), setEditing(false)),
      onSettled: () => refreshDlq([position.topic]),
    }),
  );
  const d = detail.data;
  // The edit is checked against the schema while it is typed (the same check guards the action).
  const check = useQuery(trpc.dlq.checkEdit.queryOptions({ value: edited, eventType: d?.message.envelope.eventType ?? null }, { enabled: editing && edited.length > 0 }));
  const ref = useRef<HTMLElement>(null);
  // The detail opens below the groups: bring it into view when another record is opened.
  // (A block body: newer Chromium's scrollIntoView returns a promise, which React would take for a cleanup.)
  useEffect(() => {
    void ref.current?.scrollIntoView({ block: "start" });
  }, [position.topic, position.partition, position.offset]);
  const origin = d?.reading.origin;
  const defaultTarget = origin?.topic ?? d?.declaredSource ?? null;
  return (
    <section ref={ref} className="card section message-detail" data-testid="dlq-detail">
      <div className="section-bar">
        <h2 className="section-title mono">
          {position.topic}/{position.partition}/{position.offset}
        </h2>
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
      {detail.isPending && <div className="skeleton" style={{ height: 200 }} />}
      {detail.isError && (
        <div className="banner bad" role="alert">
          {detail.error.message}
        </div>
      )}
      {d && (
        <>
          <dl className="facts">
            <dt>Status</dt>
            <dd>
              <span data-testid="dlq-detail-status">
                {d.status.toLowerCase()}
                {stateLine(d)}
              </span>
            </dd>
            <dt>Error</dt>
            <dd data-testid="dlq-detail-error">
              <strong>{d.reading.error.errorClass ?? "Unknown error"}</strong> {d.reading.error.message}
            </dd>
            <dt>Origin</dt>
            <dd className="mono">
              {origin?.topic ? `${origin.topic} / partition ${origin.partition ?? "?"} / offset ${origin.offset ?? "?"}` : d.declaredSource ? `not in the headers; the catalog declares ${d.declaredSource} as this DLQ's source` : "not in the headers"}
              {origin?.consumerGroup && <span className="muted"> · group {origin.consumerGroup}</span>}
              {origin?.timestamp && <span className="muted"> · originally {formatDateTime(origin.timestamp)}</span>}
              {defaultTarget && (
                <>
                  {" "}
                  <ClusterLink href={`/topics/${encodeURIComponent(defaultTarget)}/produce?from=${encodeURIComponent(`${position.topic}/${position.partition}/${position.offset}`)}`} data-testid="dlq-produce-copy">
                    produce a copy to {defaultTarget}…
                  </ClusterLink>
                </>
              )}
            </dd>
            <dt>Convention</dt>
            <dd>{d.reading.convention === "none" ? "no DLQ headers recognised" : d.reading.convention}</dd>
            <dt>Attempts</dt>
            <dd data-testid="dlq-detail-attempts">
              {d.reading.attempts === null ? "Not recorded" : `${d.reading.attempts} delivery attempt${d.reading.attempts === 1 ? "" : "s"}`} before it was dead-lettered. {earlierRedrives(d)}
            </dd>
            <dt>Schema</dt>
            <dd data-testid="dlq-detail-validation">
              {d.validation === null ? "no schema for this event type" : d.validation.status === "valid" ? "valid" : `invalid: ${d.validation.errors.map((e) => `${e.path || "(root)"} ${e.message}`).join("; ")}`}
            </dd>
          </dl>
          <h3 className="small muted">Payload</h3>
          <pre className="payload" data-testid="dlq-detail-payload">
            {d.message.value.text}
          </pre>
          {d.state?.editAfter != null && (
            <>
              <h3 className="small muted">Redriven with this edit</h3>
              <pre className="payload" data-testid="dlq-detail-edit-after">
                {d.state.editAfter}
              </pre>
            </>
          )}
          <h3 className="small muted">Headers</h3>
          <table className="table compact-table headers-table">
            <tbody>
              {d.message.headers.map((h, i) => (
                <tr key={i}>
                  <td className="mono small">{h.key}</td>
                  <td className="mono small">
                    {h.text ?? "null"}
                    {h.number !== null && <span className="muted"> (= {h.number})</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {d.reading.error.stackTrace && (
            <>
              <h3 className="small muted">Stack trace</h3>
              <pre className="payload" data-testid="dlq-detail-stack">
                {d.reading.error.stackTrace}
              </pre>
            </>
          )}
          {d.status !== "PENDING" && (
            <p className="small muted">
              <StateCell entry={{ status: d.status, state: d.state }} /> Only pending records can be redriven or discarded; the DLQ topic itself is never changed.
            </p>
          )}
          {d.status === "PENDING" && !editing && (
            <div className="form-actions dlq-detail-actions">
              <BulkActions
                topic={position.topic}
                selection={{ kind: "positions", positions: [{ partition: position.partition, offset: position.offset }] }}
                count={1}
                defaultTarget={defaultTarget ?? "a topic you name"}
                onJob={onJob}
              />
              <button type="button" onClick={() => (setEdited(d.message.value.text), setEditing(true))} data-testid="dlq-detail-edit">
                Edit and redrive…
              </button>
            </div>
          )}
          {d.status === "PENDING" && editing && (
            <div className="dlq-edit">
              <textarea className="schema-editor" rows={12} value={edited} onChange={(e) => setEdited(e.target.value)} spellCheck={false} aria-label="Edited payload" data-testid="dlq-edit-value" />
              <p className="small" data-testid="dlq-edit-check">
                {check.data ? (
                  check.data.ok ? (
                    <span className="ok-text">{check.data.validation ? "Valid against the event type's schema." : "Valid JSON (no schema for this event type)."}</span>
                  ) : (
                    <span className="error-text">{check.data.errors.map((e) => `${e.path || "(root)"}: ${e.message}`).join("; ")}</span>
                  )
                ) : (
                  <span className="muted">Checking…</span>
                )}
              </p>
              <span className="confirm">
                <input className="text-input" placeholder={defaultTarget ? `Target (default: ${defaultTarget})` : "Target topic (required)"} value={target} onChange={(e) => setTarget(e.target.value)} aria-label="Target topic" />
                <button
                  type="button"
                  className="primary"
                  disabled={edit.isPending || (!defaultTarget && !target.trim())}
                  onClick={() => edit.mutate({ ...position, value: edited, targetTopic: target.trim() || null, idempotencyKey: submission })}
                  data-testid="dlq-edit-confirm"
                >
                  Validate, save and redrive
                </button>
                <button type="button" onClick={() => setEditing(false)}>
                  Keep the original
                </button>
              </span>
              {edit.error && (
                <div className="banner bad" role="alert" data-testid="dlq-edit-error">
                  {errorText(edit.error)}
                </div>
              )}
            </div>
          )}
        </>
      )}
    </section>
  );
}
