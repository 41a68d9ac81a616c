"use client";

import { useCan } from "~/components/auth/actor-context";
import { ClusterLink } from "~/components/clusters/cluster-link";
import { useSearchParams } from "next/navigation";
import { useCallback, useState } from "react";
import { ProgressBar, TraceRunner } from "~/components/messages/stream-runner";
import { fromLocalInput, toLocalInput } from "~/components/messages/time-input";
import type { TraceEvent, TraceNode, TraceResult } from "~/components/messages/types";
import { formatCount, formatDateTime } from "~/lib/format";
import { MessagesHeader } from "./messages-tabs";

type Progress = Extract<TraceEvent, { type: "progress" }>;
type TimelineEvent = TraceResult["timeline"][number];

function latency(e: TimelineEvent): string {
  if (e.latencyMs === null) return "";
  const text = e.latencyMs < 1000 ? `+${e.latencyMs} ms` : `+${(e.latencyMs / 1000).toFixed(2)} s`;
  return e.latencyFrom === "previous" ? `${text} (since previous)` : e.latencyFrom === "copy" ? `${text} (copy of the original)` : text;
}

function where(e: TimelineEvent): string {
  return `${e.topic} / ${e.partition} / ${e.offset}`;
}

function messageLink(e: TimelineEvent): string {
  return `/messages?topic=${encodeURIComponent(e.topic)}`;
}

/** "Produce again…" for one event of the trace: the produce form, filled from that record (support role on its topic). */
function ProduceAgainLink({ e }: { e: TimelineEvent }) {
  const canProduce = useCan("support", { topics: [e.topic] });
  if (!canProduce) return null;
  return (
    <ClusterLink href={`/topics/${encodeURIComponent(e.topic)}/produce?from=${encodeURIComponent(`${e.topic}/${e.partition}/${e.offset}`)}`} className="small" data-testid="trace-produce-again">
      produce again…
    </ClusterLink>
  );
}

function TreeNode({ node, depth }: { node: TraceNode; depth: number }) {
  const e = node.event;
  return (
    <li className="tree-node" data-testid="tree-node" data-event-type={e.eventType ?? ""} data-depth={depth}>
      <div className="tree-card">
        <span className="tree-type">{e.eventType ?? "(no event type)"}</span>
        <span className="muted small">{e.source ?? "unknown service"}</span>
        <span className="mono small">{where(e)}</span>
        {e.latencyMs !== null && <span className="tree-latency small">{latency(e)}</span>}
      </div>
      {node.children.length > 0 && (
        <ul className="tree-children">
          {node.children.map((child) => (
            <TreeNode key={`${child.event.topic}:${child.event.partition}:${child.event.offset}`} node={child} depth={depth + 1} />
          ))}
        </ul>
      )}
    </li>
  );
}

/**
 * What each timeline row is, beyond its step: a redelivery (the same event again on its topic) or
 * a repeated answer (a second result of one kind from one service for one cause).
 */
function findingMarks(result: TraceResult): Map<string, string> {
  const marks = new Map<string, string>();
  const seen = new Set<string>();
  for (const e of result.timeline) {
    const key = `${e.topic}\u0000${e.eventId}`;
    if (e.eventId && seen.has(key)) marks.set(where(e), "delivered again");
    seen.add(key);
  }
  for (const r of result.findings.repeatedResults) {
    for (const id of r.eventIds.slice(1)) {
      const e = result.timeline.find((t) => t.eventId === id);
      if (e) marks.set(where(e), `answered ${r.count}× for one cause`);
    }
  }
  return marks;
}

function Findings({ result }: { result: TraceResult }) {
  const { redelivered, repeatedResults } = result.findings;
  if (redelivered.length === 0 && repeatedResults.length === 0) return null;
  return (
    <div className="banner warn" role="status" data-testid="trace-findings">
      <div>
        <strong>At-least-once delivery at work.</strong>
        <ul className="findings-list">
          {redelivered.map((r) => (
            <li key={`${r.topic}/${r.eventId}`} data-testid="finding-redelivered">
              {r.eventType ?? "An event"} <span className="mono">{r.eventId}</span> was delivered {r.copies}× on <span className="mono">{r.topic}</span>: consumers must skip the
              copies by its event id.
            </li>
          ))}
          {repeatedResults.map((r) => (
            <li key={`${r.causationId}/${r.source}/${r.eventType}`} data-testid="finding-repeated">
              {r.source ?? "A service"} sent {r.count} {r.eventType ?? "events"} for one {r.causeType ?? "cause"} (<span className="mono">{r.causationId}</span>): it processed its input
              more than once, unless it sends several by design.
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}

export function TraceView() {
  const params = useSearchParams();
  const at = Number(params.get("at")) || null;
  const [id, setId] = useState(params.get("id") ?? "");
  const [from, setFrom] = useState(() => toLocalInput((at ?? Date.now()) - (at ? 10 * 60_000 : 60 * 60_000)));
  const [to, setTo] = useState(() => toLocalInput((at ?? Date.now()) + (at ? 10 * 60_000 : 60_000)));
  // Optional: a trace searches every topic unless told which, and refuses when there are more than TRACE_MAX_TOPICS.
  const [topics, setTopics] = useState(params.get("topics") ?? "");
  // A link that names the trace to show (`run=1`, e.g. from a stuck flow instance) starts it at once.
  const [run, setRun] = useState<{ id: number; input: { id: string; from: number; to: number; topics?: string[] } } | null>(() =>
    params.get("run") === "1" && params.get("id")?.trim() ? { id: 1, input: { id: params.get("id")!.trim(), from: fromLocalInput(from) ?? 0, to: fromLocalInput(to) ?? Date.now() } } : null,
  );
  const [progress, setProgress] = useState<Progress | null>(null);
  const [result, setResult] = useState<TraceResult | null>(null);
  const [error, setError] = useState<string | null>(null);

  const start = () => {
    setProgress(null);
    setResult(null);
    setError(null);
    const named = topics
      .split(",")
      .map((t) => t.trim())
      .filter(Boolean);
    setRun((prev) => ({ id: (prev?.id ?? 0) + 1, input: { id: id.trim(), from: fromLocalInput(from) ?? 0, to: fromLocalInput(to) ?? Date.now(), ...(named.length ? { topics: named } : {}) } }));
  };

  const onEvent = useCallback((event: TraceEvent) => {
    if (event.type === "progress") setProgress(event);
    else {
      setResult(event.result);
      setRun(null);
    }
  }, []);
  const onError = useCallback((message: string) => {
    setError(message);
    setRun(null);
  }, []);

  const first = result?.timeline[0];
  const last = result?.timeline.at(-1);
  const marks = result ? findingMarks(result) : new Map<string, string>();

  return (
    <div className="page" data-testid="trace-page">
      <MessagesHeader active="trace" description="Every event of one correlation, across all topics, in time order and as a causal tree." />

      <form
        className="card browser-controls"
        onSubmit={(e) => {
          e.preventDefault();
          start();
        }}
      >
        <div className="control-row">
          <label className="field grow">
            <span>Correlation id or event id</span>
            <input className="text-input mono" value={id} onChange={(e) => setId(e.target.value)} placeholder="e.g. 6f1c…" data-testid="trace-id" />
          </label>
          <label className="field">
            <span>From</span>
            <input className="text-input" type="datetime-local" step="1" value={from} onChange={(e) => setFrom(e.target.value)} data-testid="trace-from" />
          </label>
          <label className="field">
            <span>To</span>
            <input className="text-input" type="datetime-local" step="1" value={to} onChange={(e) => setTo(e.target.value)} data-testid="trace-to" />
          </label>
          <label className="field">
            <span>Topics (optional, comma-separated)</span>
            <input className="text-input mono" value={topics} onChange={(e) => setTopics(e.target.value)} placeholder="all topics" data-testid="trace-topics" />
          </label>
          <div className="control-actions">
            {run ? (
              <button type="button" className="danger" onClick={() => setRun(null)} data-testid="trace-cancel">
                Cancel
              </button>
            ) : (
              <button type="submit" className="primary" disabled={!id.trim()} data-testid="trace-run">
                Trace
              </button>
            )}
          </div>
        </div>
      </form>
      {run && <TraceRunner key={run.id} input={run.input} onEvent={onEvent} onError={onError} />}

      {run && (
        <ProgressBar
          done={progress?.topicsDone ?? 0}
          total={progress?.topics ?? 1}
          testId="trace-progress"
          label={progress ? `Searched ${progress.topicsDone} of ${progress.topics} topics (last: ${progress.topic}) · ${formatCount(progress.scanned)} records scanned · ${progress.found} found` : "Starting…"}
        />
      )}
      {error && (
        <div className="banner bad" role="alert" data-testid="trace-error">
          <strong>The trace stopped</strong>
          {error}
        </div>
      )}

      {result?.budgetReached && (
        <div className="banner warn" role="status" data-testid="trace-budget" data-reason={result.budgetReached.reason}>
          <strong>The trace stopped early</strong>
          {result.budgetReached.message} The events found so far are shown. It stopped in {result.budgetReached.topic} at{" "}
          {result.budgetReached.positions.map((p) => `partition ${p.partition} offset ${formatCount(p.offset)}`).join(", ")}
          {result.budgetReached.topicsNotSearched.length > 0 ? ` and did not search ${result.budgetReached.topicsNotSearched.length} more topic${result.budgetReached.topicsNotSearched.length === 1 ? "" : "s"} (${result.budgetReached.topicsNotSearched.join(", ")})` : ""}. Narrow the
          time window, or name only the topics the flow uses.
        </div>
      )}

      {result && result.timeline.length === 0 && (
        <div className="card empty-state" data-testid="trace-empty">
          <h2>Nothing found</h2>
          <p>
            No event with that correlation id or event id between {from.replace("T", " ")} and {to.replace("T", " ")} in {result.topicsSearched.length} topics ({formatCount(result.scanned)} records
            scanned). {result.budgetReached ? "The trace stopped early (above): narrow the window or the topics." : "Widen the time window?"}
          </p>
        </div>
      )}

      {result && result.timeline.length > 0 && first && last && (
        <>
          <div className="stat-strip" data-testid="trace-summary">
            <div className="mini-stat">
              <span className="label">Events</span>
              <span className="value" data-testid="trace-count">
                {result.timeline.length}
              </span>
            </div>
            <div className="mini-stat">
              <span className="label">Services</span>
              <span className="value small">{[...new Set(result.timeline.map((e) => e.source ?? "?"))].join(", ")}</span>
            </div>
            <div className="mini-stat">
              <span className="label">End to end</span>
              <span className="value">{last.timestamp - first.timestamp} ms</span>
            </div>
            <div className="mini-stat">
              <span className="label">Correlation</span>
              <span className="value small mono">{result.correlationId ?? "–"}</span>
            </div>
          </div>
          {result.truncated && <div className="banner warn">Only the first 1,000 events are shown.</div>}
          <Findings result={result} />

          <div className="trace-grid">
            <section className="card flush">
              <h2 className="card-title">Timeline</h2>
              <table className="table trace-table" data-testid="trace-timeline">
                <thead>
                  <tr>
                    <th>Time</th>
                    <th>Step</th>
                    <th>Event type</th>
                    <th>Service</th>
                    <th>Topic / partition / offset</th>
                    <th />
                  </tr>
                </thead>
                <tbody>
                  {result.timeline.map((e) => (
                    <tr key={where(e)} data-testid="timeline-row" data-event-type={e.eventType ?? ""} data-finding={marks.get(where(e)) ?? ""}>
                      <td className="mono small nowrap">{formatDateTime(e.timestamp)}</td>
                      <td className="mono small nowrap">{latency(e) || "start"}</td>
                      <td>
                        {e.eventType ?? <span className="muted">–</span>}
                        {marks.has(where(e)) && (
                          <>
                            {" "}
                            <span className="badge warn" data-testid="timeline-finding">
                              {marks.get(where(e))}
                            </span>
                          </>
                        )}
                      </td>
                      <td className="small">{e.source ?? <span className="muted">–</span>}</td>
                      <td className="mono small">
                        <ClusterLink href={messageLink(e)}>{where(e)}</ClusterLink>
                      </td>
                      <td className="right nowrap">
                        <ProduceAgainLink e={e} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
            <section className="card">
              <h2>Causal tree</h2>
              <p className="muted small">Linked by metadata.causationId; latency is from the cause.</p>
              <ul className="trace-tree" data-testid="trace-tree">
                {result.tree.map((node) => (
                  <TreeNode key={where(node.event)} node={node} depth={0} />
                ))}
              </ul>
            </section>
          </div>
        </>
      )}
    </div>
  );
}
