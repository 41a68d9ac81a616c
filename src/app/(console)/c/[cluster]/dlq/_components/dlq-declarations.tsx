"use client";

// DLQ topics the catalog declares, besides those the name patterns find, with the topic their
// failures come from (the redrive target of records whose headers name none). Architects declare.
import { useCan } from "~/components/auth/actor-context";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useRefreshDlq } from "~/components/dlq/use-dlq-changes";
import { formatDateTime } from "~/lib/format";
import { useTRPC } from "~/trpc/react";

export function DlqDeclarations() {
  const trpc = useTRPC();
  const canDeclare = useCan("architect");
  const queryClient = useQueryClient();
  const topics = useQuery(trpc.dlq.topics.queryOptions());
  const [topic, setTopic] = useState("");
  const [source, setSource] = useState("");
  const [note, setNote] = useState("");
  // A declaration changes which topics are DLQs: the overview, the topic list and the graph read it.
  const refreshDlq = useRefreshDlq();
  const refresh = (topic: string) => {
    refreshDlq([topic]);
    void queryClient.invalidateQueries({ queryKey: trpc.topology.pathKey() });
  };
  const declare = useMutation(trpc.dlq.declare.mutationOptions({ onSuccess: () => (setTopic(""), setSource(""), setNote("")), onSettled: (_row, _error, input) => refresh(input.topic) }));
  const undeclare = useMutation(trpc.dlq.undeclare.mutationOptions({ onSettled: (_result, _error, input) => refresh(input.topic) }));
  const declared = topics.data?.filter((t) => t.declaration) ?? [];
  const error = declare.error ?? undeclare.error;
  return (
    <section className="card section" data-testid="dlq-declarations">
      <div className="section-bar">
        <h2 className="section-title">Declared in the catalog</h2>
      </div>
      <p className="muted small">
        Topics are DLQs when their names match a pattern, or when declared here. A declaration names the source topic: records whose headers do not say where they came from are redriven there.
      </p>
      {declared.length > 0 && (
        <div className="table-scroll">
          <table className="table compact-table" data-testid="dlq-declaration-table">
            <thead>
              <tr>
                <th>DLQ topic</th>
                <th>Source topic</th>
                <th>Note</th>
                <th>Declared by</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {declared.map((t) => (
                <tr key={t.topic} data-testid="dlq-declaration-row" data-topic={t.topic}>
                  <td className="mono small">{t.topic}</td>
                  <td className="mono small">{t.declaration!.sourceTopic ?? <span className="muted">—</span>}</td>
                  <td className="small cell-clip" title={t.declaration!.note}>
                    {t.declaration!.note || <span className="muted">—</span>}
                  </td>
                  <td className="small nowrap">
                    {t.declaration!.createdBy} · {formatDateTime(t.declaration!.createdAt)}
                  </td>
                  <td className="right">
                    <button type="button" onClick={() => undeclare.mutate({ topic: t.topic })} disabled={undeclare.isPending} title={t.matchesPattern ? "It stays a DLQ by its name" : "It is no longer treated as a DLQ"}>
                      Remove
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {canDeclare ? (
        <form
          className="filter-row dlq-declare-form"
          onSubmit={(e) => {
            e.preventDefault();
            declare.mutate({ topic, sourceTopic: source.trim() || null, note });
          }}
        >
          <input className="text-input" placeholder="DLQ topic, e.g. billing-failures" value={topic} onChange={(e) => setTopic(e.target.value)} aria-label="DLQ topic" data-testid="dlq-declare-topic" />
          <input className="text-input" placeholder="Source topic (optional)" value={source} onChange={(e) => setSource(e.target.value)} aria-label="Source topic" data-testid="dlq-declare-source" />
          <input className="text-input" placeholder="Note (optional)" value={note} onChange={(e) => setNote(e.target.value)} aria-label="Note" />
          <button type="submit" className="primary" disabled={declare.isPending || topic.trim() === ""} data-testid="dlq-declare-submit">
            Declare DLQ
          </button>
        </form>
      ) : (
        <p className="muted small" data-testid="dlq-declare-read-only">Declaring DLQ topics needs the architect role.</p>
      )}
      {error && (
        <div className="banner bad" role="alert" data-testid="dlq-declare-error">
          {error.message}
        </div>
      )}
    </section>
  );
}
