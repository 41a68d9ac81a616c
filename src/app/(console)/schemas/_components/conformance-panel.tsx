"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useNow } from "~/components/live/use-now";
import { formatAge, formatCount, formatDateTime } from "~/lib/format";
import { useTRPC } from "~/trpc/react";
import { errorText } from "~/trpc/error-text";
import { conformancePercent, formatPercent, type ConformanceRun } from "./types";

function Percent({ run }: { run: ConformanceRun }) {
  const percent = conformancePercent(run);
  const unreadable = run.topics.length > 0 && run.topics.every((t) => t.error);
  const tone = percent === null ? "muted" : percent >= 99.5 ? "ok-text" : percent >= 90 ? "warn-text" : "error-text";
  return (
    <span className={`conformance-big ${tone}`} data-testid="conformance-percent" data-value={percent ?? ""}>
      {percent !== null ? formatPercent(percent) : unreadable ? "not sampled" : "no traffic"}
    </span>
  );
}

/** Whether live traffic matches the schema: the latest sample, its violations with error paths, and recent runs. */
export function ConformancePanel({ name, runs, topics, canChange, sampleNote }: { name: string; runs: ConformanceRun[]; topics: string[]; canChange: boolean; sampleNote: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const check = useMutation(trpc.schemas.checkConformance.mutationOptions({ onSuccess: () => void queryClient.invalidateQueries({ queryKey: trpc.schemas.get.queryKey({ name }) }) }));
  const latest = runs[0];
  const now = useNow(10_000);

  return (
    <section className="card section" data-testid="conformance">
      <div className="section-bar">
        <h2 className="section-title">Live traffic conformance</h2>
        <button
          type="button"
          onClick={() => check.mutate({ name })}
          disabled={!canChange || check.isPending || topics.length === 0}
          data-testid="conformance-check"
          data-state={check.isPending ? "running" : check.isSuccess ? "done" : check.isError ? "failed" : "idle"}
        >
          {check.isPending ? "Sampling…" : "Check now"}
        </button>
      </div>
      {check.error && (
        <p className="error-text" role="alert" data-testid="conformance-error">
          {errorText(check.error)}
        </p>
      )}
      {topics.length === 0 ? (
        <p className="muted">This event type is not bound to a topic in this cluster, so there is no traffic to check.</p>
      ) : !latest ? (
        <p className="muted" data-testid="conformance-none">
          Not checked yet. The worker samples bound topics every minute; “Check now” samples at once.
        </p>
      ) : (
        <>
          <div className="conformance-summary">
            <Percent run={latest} />
            <div>
              <div data-testid="conformance-sample">
                {formatCount(latest.conforming)} of {formatCount(latest.sampled)} sampled messages conform
              </div>
              <div className="muted small" title={formatDateTime(latest.checkedAt)}>
                checked {formatAge(now - new Date(latest.checkedAt).getTime())} ago · {sampleNote}
              </div>
            </div>
          </div>
          <table className="table compact-table">
            <thead>
              <tr>
                <th>Topic</th>
                <th className="right">Sampled</th>
                <th className="right">Conforming</th>
              </tr>
            </thead>
            <tbody>
              {latest.topics.map((t) => (
                <tr key={t.topic}>
                  <td className="mono">{t.topic}</td>
                  <td className="right">{t.error ? <span className="error-text">{t.error}</span> : formatCount(t.sampled)}</td>
                  <td className="right">{t.error ? "—" : formatPercent(conformancePercent(t))}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {latest.violations.length > 0 && (
            <>
              <h3 className="subheading">Example violations</h3>
              <ul className="violation-list" data-testid="violations">
                {latest.violations.map((v) => (
                  <li key={`${v.topic}-${v.partition}-${v.offset}`} data-testid="violation">
                    <div className="violation-head">
                      <span className="mono">
                        {v.topic}/{v.partition}@{v.offset}
                      </span>
                      <span className="error-text">{v.reason}</span>
                    </div>
                    {v.errors.length > 0 && (
                      <ul className="violation-errors">
                        {v.errors.map((e, i) => (
                          <li key={i} data-testid="violation-error">
                            <code>{e.path}</code> {e.message}
                          </li>
                        ))}
                      </ul>
                    )}
                    <pre className="violation-preview mono">{v.preview}</pre>
                  </li>
                ))}
              </ul>
            </>
          )}
          {runs.length > 1 && (
            <div className="run-history" data-testid="conformance-history" title="Recent runs, newest last">
              {[...runs].reverse().map((r) => {
                const p = conformancePercent(r);
                return (
                  <span
                    key={r.id}
                    className={`run-bar ${p === null ? "none" : p >= 99.5 ? "ok" : p >= 90 ? "warn" : "bad"}`}
                    style={{ height: `${p === null ? 4 : Math.max(4, (p / 100) * 28)}px` }}
                    title={`${formatDateTime(r.checkedAt)}: ${formatPercent(p)} of ${formatCount(r.sampled)}`}
                  />
                );
              })}
            </div>
          )}
        </>
      )}
    </section>
  );
}
