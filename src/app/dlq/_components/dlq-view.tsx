"use client";

// The DLQ screens: every dead-letter topic with its depth, inflow, oldest age, top reasons and source;
// one topic's pending records grouped by failure reason, with filters; one record in full; and the
// actions (redrive, edit and redrive, discard), each behind a confirmation. Bulk redrives run as jobs
// whose progress shows here. Payloads, headers and stack traces render as text, never as HTML.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import Link from "next/link";
import { useEffect, useRef, useState } from "react";
import { JobHistory, JobProgressPanel, JobStatusBadge } from "~/components/jobs/job-parts";
import { useJobChanges } from "~/components/jobs/use-job-changes";
import { formatAge, formatCount, formatDateTime } from "~/lib/format";
import type { AppRouter } from "~/server/api/root";
import { useTRPC } from "~/trpc/react";

type Outputs = inferRouterOutputs<AppRouter>;
type TopicSummary = Outputs["dlq"]["overview"][number];
type Group = Outputs["dlq"]["groups"]["groups"][number];
type Entry = Group["sample"][number];
interface Position {
  topic: string;
  partition: number;
  offset: number;
}
interface Filter {
  key?: string;
  eventType?: string;
  text?: string;
}

export function DlqView() {
  useJobChanges();
  const trpc = useTRPC();
  const overview = useQuery(trpc.dlq.overview.queryOptions(undefined, { refetchInterval: 10_000 }));
  const [topic, setTopic] = useState<string | null>(null);
  const [selected, setSelected] = useState<Position | null>(null);
  const [jobId, setJobId] = useState<number | null>(null);
  const current = topic ?? overview.data?.[0]?.topic ?? null;
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
      <Overview topics={overview.data} loading={overview.isPending} current={current} onSelect={(t) => (setTopic(t), setSelected(null))} />
      {jobId !== null && <RunningJob id={jobId} />}
      {current && <TopicGroups topic={current} onOpen={setSelected} onJob={setJobId} />}
      {selected && <MessageDetail position={selected} onClose={() => setSelected(null)} onJob={setJobId} />}
      <div className="section-bar">
        <h2 className="section-title">Redrive jobs</h2>
      </div>
      <JobHistory kind="dlq-redrive" detailHref={(id) => `/dlq/jobs/${id}`} />
    </div>
  );
}

function Overview({ topics, loading, current, onSelect }: { topics: TopicSummary[] | undefined; loading: boolean; current: string | null; onSelect: (topic: string) => void }) {
  if (loading) return <div className="card"><div className="skeleton" style={{ height: 120 }} /></div>;
  if (!topics?.length)
    return (
      <div className="card empty-state" data-testid="dlq-empty">
        No dead-letter topics. Topics are recognised by name (<span className="mono">*.DLQ</span>, <span className="mono">*.dlq</span>, <span className="mono">*-dlt</span>, <span className="mono">*.DLT</span>,{" "}
        <span className="mono">dlq.*</span>, <span className="mono">error.*.*</span>, or DLQ_TOPIC_PATTERNS).
      </div>
    );
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
              <tr key={t.topic} data-testid="dlq-topic-row" data-topic={t.topic} aria-selected={t.topic === current}>
                <td>
                  <button type="button" className="link-button" onClick={() => onSelect(t.topic)} title={t.topic}>
                    {t.topic}
                  </button>
                  {t.growing && (
                    <span className="badge warn" data-testid="dlq-growing" title="More records arrived in the last 5 minutes than were redriven or discarded">
                      growing
                    </span>
                  )}
                </td>
                <td className="right" data-testid="dlq-depth">
                  {formatCount(t.depth)}
                </td>
                <td className="right nowrap">{t.inflowPerMin.toFixed(1)}/min</td>
                <td className="right nowrap">{t.oldestAgeMs === null ? "—" : formatAge(t.oldestAgeMs)}</td>
                <td>
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
                <td className="mono small">{t.sourceTopic ?? <span className="muted">unknown</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
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
    if (status === "COMPLETED" || status === "CANCELLED" || status === "FAILED") void queryClient.invalidateQueries({ queryKey: trpc.dlq.pathKey() });
  }, [status, queryClient, trpc]);
  if (!job.data) return null;
  return (
    <div data-testid="dlq-running-job">
      <p className="small">
        Redrive job <Link href={`/dlq/jobs/${id}`}>#{id}</Link> <JobStatusBadge job={job.data} /> {job.data.summary}
      </p>
      <JobProgressPanel job={job.data} />
    </div>
  );
}

function TopicGroups({ topic, onOpen, onJob }: { topic: string; onOpen: (p: Position) => void; onJob: (id: number) => void }) {
  const trpc = useTRPC();
  const [draft, setDraft] = useState<Filter>({});
  const [filter, setFilter] = useState<Filter>({});
  const clean = (f: Filter) => Object.fromEntries(Object.entries(f).filter(([, v]) => v && v.trim())) as Filter;
  const groups = useQuery(trpc.dlq.groups.queryOptions({ topic, filter: { ...clean(filter), keyMatch: "contains" } }, { refetchInterval: 10_000 }));
  return (
    <section className="section" data-testid="dlq-groups">
      <div className="section-bar">
        <h2 className="section-title">
          Pending in <span className="mono">{topic}</span>
          {groups.data && <span className="muted small"> · {formatCount(groups.data.matched)} of {formatCount(groups.data.total)} records</span>}
        </h2>
      </div>
      <form
        className="filter-row"
        onSubmit={(e) => {
          e.preventDefault();
          setFilter(draft);
        }}
      >
        <input className="text-input" placeholder="Key contains" value={draft.key ?? ""} onChange={(e) => setDraft({ ...draft, key: e.target.value })} data-testid="dlq-filter-key" />
        <input className="text-input" placeholder="Event type" value={draft.eventType ?? ""} onChange={(e) => setDraft({ ...draft, eventType: e.target.value })} />
        <input className="text-input" placeholder="Text in payload" value={draft.text ?? ""} onChange={(e) => setDraft({ ...draft, text: e.target.value })} data-testid="dlq-filter-text" />
        <button type="submit">Filter</button>
      </form>
      {groups.isError && (
        <div className="banner bad" role="alert">
          {groups.error.message}
        </div>
      )}
      {groups.data?.truncated && <p className="warn-text small">This topic holds more records than the list reads (the newest 50,000 per partition); older ones count in the depth but are not listed.</p>}
      {groups.data && groups.data.groups.length === 0 && <div className="card empty-state">Nothing pending{Object.keys(clean(filter)).length ? " matches the filter" : ""}.</div>}
      {groups.data?.groups.map((g) => <ReasonGroup key={g.reason} topic={topic} group={g} filter={clean(filter)} onOpen={onOpen} onJob={onJob} />)}
    </section>
  );
}

function ReasonGroup({ topic, group, filter, onOpen, onJob }: { topic: string; group: Group; filter: Filter; onOpen: (p: Position) => void; onJob: (id: number) => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [confirm, setConfirm] = useState<"redrive" | "discard" | null>(null);
  const [rate, setRate] = useState("");
  const [reason, setReason] = useState("");
  const refresh = () => void queryClient.invalidateQueries({ queryKey: trpc.dlq.pathKey() });
  const redrive = useMutation(trpc.dlq.redrive.mutationOptions({ onSuccess: (job) => (onJob(job.id), setConfirm(null)), onSettled: refresh }));
  const discard = useMutation(trpc.dlq.discard.mutationOptions({ onSuccess: () => setConfirm(null), onSettled: refresh }));
  const selection = { kind: "filter" as const, filter: { ...filter, keyMatch: "contains" as const, reason: group.reason } };
  const error = redrive.error ?? discard.error;
  return (
    <div className="card section" data-testid="dlq-group" data-reason={group.reason}>
      <div className="section-bar">
        <div>
          <strong className="reason-message" data-testid="dlq-group-reason">
            {group.reason}
          </strong>
          <div className="muted small">
            <span data-testid="dlq-group-count">{formatCount(group.count)}</span> records · first {formatDateTime(group.firstSeen)} · last {formatDateTime(group.lastSeen)}
          </div>
        </div>
        <div className="job-actions">
          {confirm === null && (
            <>
              <button type="button" className="primary" onClick={() => setConfirm("redrive")} data-testid="dlq-group-redrive">
                Redrive {formatCount(group.count)}…
              </button>
              <button type="button" onClick={() => setConfirm("discard")} data-testid="dlq-group-discard">
                Discard…
              </button>
            </>
          )}
          {confirm === "redrive" && (
            <span className="confirm">
              <input className="text-input" style={{ width: 120 }} placeholder="msg/s (no cap)" inputMode="numeric" value={rate} onChange={(e) => setRate(e.target.value)} data-testid="dlq-rate" />
              <button
                type="button"
                className="primary"
                disabled={redrive.isPending || (rate !== "" && !(Number(rate) > 0))}
                onClick={() => redrive.mutate({ topic, selection, ratePerSec: rate ? Number(rate) : null })}
                data-testid="dlq-redrive-confirm"
              >
                {redrive.isPending ? "Starting…" : `Redrive ${formatCount(group.count)} to their source`}
              </button>
              <button type="button" onClick={() => setConfirm(null)}>
                Keep
              </button>
            </span>
          )}
          {confirm === "discard" && (
            <span className="confirm">
              <input className="text-input" placeholder="Why discard? (required)" value={reason} onChange={(e) => setReason(e.target.value)} data-testid="dlq-discard-reason" />
              <button type="button" className="danger" disabled={discard.isPending || reason.trim().length < 3} onClick={() => discard.mutate({ topic, selection, reason })} data-testid="dlq-discard-confirm">
                Discard {formatCount(group.count)}
              </button>
              <button type="button" onClick={() => setConfirm(null)}>
                Keep
              </button>
            </span>
          )}
        </div>
      </div>
      {error && (
        <div className="banner bad" role="alert">
          {error.message}
        </div>
      )}
      <div className="table-scroll">
        <table className="table compact-table">
          <thead>
            <tr>
              <th>Position</th>
              <th>Dead-lettered</th>
              <th>Key</th>
              <th>Event type</th>
              <th>Origin</th>
              <th>Payload</th>
            </tr>
          </thead>
          <tbody>
            {group.sample
              .slice()
              .reverse()
              .map((e: Entry) => (
                <tr key={`${e.partition}/${e.offset}`} data-testid="dlq-row">
                  <td className="nowrap">
                    <button type="button" className="link-button mono" onClick={() => onOpen({ topic, partition: e.partition, offset: e.offset })} data-testid="dlq-row-open">
                      {e.partition}/{e.offset}
                    </button>
                  </td>
                  <td className="nowrap small">{formatDateTime(e.timestamp)}</td>
                  <td className="mono small cell-clip">{e.key ?? <span className="muted">null</span>}</td>
                  <td className="small">{e.eventType ?? "—"}</td>
                  <td className="mono small nowrap">{e.reading.origin.topic ? `${e.reading.origin.topic}/${e.reading.origin.partition ?? "?"}/${e.reading.origin.offset ?? "?"}` : "—"}</td>
                  <td className="mono small cell-clip">{e.preview}</td>
                </tr>
              ))}
          </tbody>
        </table>
      </div>
      {group.count > group.sample.length && <p className="muted small">Showing the newest {group.sample.length} of {formatCount(group.count)}; actions cover all {formatCount(group.count)}.</p>}
    </div>
  );
}

function MessageDetail({ position, onClose, onJob }: { position: Position; onClose: () => void; onJob: (id: number) => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const detail = useQuery(trpc.dlq.message.queryOptions(position));
  const [mode, setMode] = useState<"redrive" | "edit" | "discard" | null>(null);
  const [edited, setEdited] = useState("");
  const [reason, setReason] = useState("");
  const [target, setTarget] = useState("");
  const refresh = () => void queryClient.invalidateQueries({ queryKey: trpc.dlq.pathKey() });
  const done = { onSuccess: (job: { id: number }) => (onJob(job.id), setMode(null)), onSettled: refresh };
  const redrive = useMutation(trpc.dlq.redrive.mutationOptions(done));
  const edit = useMutation(trpc.dlq.editAndRedrive.mutationOptions(done));
  const discard = useMutation(trpc.dlq.discard.mutationOptions({ onSuccess: () => setMode(null), onSettled: refresh }));
  const d = detail.data;
  const error = redrive.error ?? edit.error ?? discard.error;
  const ref = useRef<HTMLElement>(null);
  // The detail opens below the groups: bring it into view when another record is opened.
  // (A block body: newer Chromium's scrollIntoView returns a promise, which React would take for a cleanup.)
  useEffect(() => {
    void ref.current?.scrollIntoView({ block: "start" });
  }, [position.topic, position.partition, position.offset]);
  const origin = d?.reading.origin;
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
            <dd data-testid="dlq-detail-status">
              {d.status.toLowerCase()}
              {d.state && ` · by ${d.state.actor} at ${formatDateTime(d.state.updatedAt)}${d.state.jobId ? ` · job #${d.state.jobId}` : ""}${d.state.reason ? ` · “${d.state.reason}”` : ""}`}
            </dd>
            <dt>Error</dt>
            <dd data-testid="dlq-detail-error">
              <strong>{d.reading.error.errorClass ?? "Unknown error"}</strong> {d.reading.error.message}
            </dd>
            <dt>Origin</dt>
            <dd className="mono">{origin?.topic ? `${origin.topic} / partition ${origin.partition ?? "?"} / offset ${origin.offset ?? "?"}` : "not in the headers"}</dd>
            <dt>Convention</dt>
            <dd>{d.reading.convention}</dd>
            <dt>Attempts</dt>
            <dd>
              {d.reading.attempts ?? "—"} before dead-lettering · redriven {d.redriveAttempts} time(s)
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
          {error && (
            <div className="banner bad" role="alert" data-testid="dlq-action-error">
              {error.message}
            </div>
          )}
          {d.status === "PENDING" && (
            <div className="form-actions">
              {mode === null && (
                <>
                  <button type="button" className="primary" onClick={() => setMode("redrive")} data-testid="dlq-detail-redrive">
                    Redrive…
                  </button>
                  <button type="button" onClick={() => (setEdited(d.message.value.text), setMode("edit"))} data-testid="dlq-detail-edit">
                    Edit and redrive…
                  </button>
                  <button type="button" onClick={() => setMode("discard")} data-testid="dlq-detail-discard">
                    Discard…
                  </button>
                </>
              )}
              {(mode === "redrive" || mode === "edit") && (
                <div style={{ width: "100%" }}>
                  {mode === "edit" && <textarea className="schema-editor" rows={12} value={edited} onChange={(e) => setEdited(e.target.value)} spellCheck={false} data-testid="dlq-edit-value" />}
                  <span className="confirm">
                    <input className="text-input" placeholder={origin?.topic ? `Target (default ${origin.topic})` : "Target topic (required)"} value={target} onChange={(e) => setTarget(e.target.value)} />
                    <button
                      type="button"
                      className="primary"
                      disabled={redrive.isPending || edit.isPending || (!origin?.topic && !target.trim())}
                      onClick={() =>
                        mode === "edit"
                          ? edit.mutate({ ...position, value: edited, targetTopic: target.trim() || null })
                          : redrive.mutate({ topic: position.topic, selection: { kind: "positions", positions: [{ partition: position.partition, offset: position.offset }] }, targetTopic: target.trim() || null })
                      }
                      data-testid="dlq-detail-confirm"
                    >
                      {mode === "edit" ? "Validate, save and redrive" : `Redrive to ${target.trim() || origin?.topic || "…"}`}
                    </button>
                    <button type="button" onClick={() => setMode(null)}>
                      Keep
                    </button>
                  </span>
                </div>
              )}
              {mode === "discard" && (
                <span className="confirm">
                  <input className="text-input" placeholder="Why discard? (required)" value={reason} onChange={(e) => setReason(e.target.value)} />
                  <button type="button" className="danger" disabled={discard.isPending || reason.trim().length < 3} onClick={() => discard.mutate({ topic: position.topic, selection: { kind: "positions", positions: [position] }, reason })}>
                    Discard
                  </button>
                  <button type="button" onClick={() => setMode(null)}>
                    Keep
                  </button>
                </span>
              )}
            </div>
          )}
        </>
      )}
    </section>
  );
}
