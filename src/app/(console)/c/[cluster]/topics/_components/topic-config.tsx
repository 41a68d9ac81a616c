"use client";

// A topic's configuration as `kafka-configs --describe --all` shows it: every entry's effective value
// and where it comes from. Operators edit a value (a topic override) or remove an override.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { useCan } from "~/components/auth/actor-context";
import { errorText } from "~/trpc/error-text";
import { useTRPC } from "~/trpc/react";
import type { RouterOutputs } from "~/trpc/types";

type Entry = RouterOutputs["topics"]["config"]["entries"][number];

const SOURCE_LABELS: Record<Entry["source"], string> = {
  topic: "topic override",
  "dynamic-broker": "broker (dynamic)",
  "dynamic-default-broker": "cluster default (dynamic)",
  "static-broker": "broker (server.properties)",
  default: "default",
  unknown: "unknown",
};

export function TopicConfigCard({ topic }: { topic: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const canEdit = useCan("operator", { topics: [topic] });
  const config = useQuery(trpc.topics.config.queryOptions({ topic }, { retry: false }));
  const [filter, setFilter] = useState("");
  const [overridesOnly, setOverridesOnly] = useState(false);
  const [editing, setEditing] = useState<{ name: string; value: string } | null>(null);
  const alter = useMutation(
    trpc.topics.alterConfig.mutationOptions({
      onSuccess: () => {
        setEditing(null);
        // Only this topic's configuration changed.
        void queryClient.invalidateQueries({ queryKey: trpc.topics.config.queryKey({ topic }) });
      },
    }),
  );

  const rows = useMemo(() => {
    const needle = filter.trim().toLowerCase();
    return (config.data?.entries ?? []).filter((e) => (!overridesOnly || e.source === "topic") && (!needle || e.name.includes(needle)));
  }, [config.data, filter, overridesOnly]);

  const overrides = config.data?.entries.filter((e) => e.source === "topic").length ?? 0;

  return (
    <section className="card section flush" data-testid="topic-config">
      <h2 className="card-title">
        Configuration <span className="muted">({overrides} override{overrides === 1 ? "" : "s"}; kafka-configs --describe --all)</span>
      </h2>
      <div className="list-toolbar padded-text">
        <input type="search" className="search-input" placeholder="Filter settings…" aria-label="Filter settings" value={filter} onChange={(e) => setFilter(e.target.value)} data-testid="config-filter" />
        <label className="muted small">
          <input type="checkbox" checked={overridesOnly} onChange={(e) => setOverridesOnly(e.target.checked)} data-testid="config-overrides-only" /> Overrides only
        </label>
      </div>
      {alter.error && (
        <div className="banner bad pad-banner" role="alert" data-testid="config-error">
          <strong>Not changed</strong>
          {errorText(alter.error)}
        </div>
      )}
      {config.isPending ? (
        <div className="skeleton" style={{ height: 120, margin: 16 }} />
      ) : config.isError ? (
        <p className="error-text padded-text">{config.error.message}</p>
      ) : (
        <table className="table" data-testid="config-table">
          <thead>
            <tr>
              <th>Setting</th>
              <th>Value</th>
              <th>Source</th>
              <th className="right">{canEdit ? "Change" : ""}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((e) => (
              <tr key={e.name} data-testid="config-row" data-name={e.name} data-source={e.source}>
                <td className="mono">{e.name}</td>
                <td className="mono" data-testid="config-value">
                  {editing?.name === e.name ? (
                    <form
                      className="config-edit"
                      onSubmit={(ev) => {
                        ev.preventDefault();
                        alter.mutate({ kind: "set", topic, name: e.name, value: editing.value });
                      }}
                    >
                      <input className="text-input mono" value={editing.value} onChange={(ev) => setEditing({ name: e.name, value: ev.target.value })} autoFocus aria-label={`New value of ${e.name}`} data-testid="config-edit-input" />
                      <button type="submit" className="primary" disabled={alter.isPending} data-testid="config-save">
                        Save
                      </button>
                      <button type="button" onClick={() => setEditing(null)}>
                        Cancel
                      </button>
                    </form>
                  ) : e.sensitive ? (
                    <span className="muted">(sensitive, not shown)</span>
                  ) : (
                    (e.value ?? <span className="muted">null</span>)
                  )}
                </td>
                <td>
                  <span className={`source-tag ${e.source}`} title={e.synonyms.map((s) => `${s.name}=${s.value ?? "(hidden)"} from ${SOURCE_LABELS[s.source]}`).join("\n")}>
                    {SOURCE_LABELS[e.source]}
                  </span>
                </td>
                <td className="right">
                  {canEdit && !e.readOnly && editing?.name !== e.name && (
                    <span className="confirm">
                      <button type="button" onClick={() => { alter.reset(); setEditing({ name: e.name, value: e.value ?? "" }); }} disabled={e.sensitive} data-testid="config-edit">
                        Edit
                      </button>
                      {e.source === "topic" && (
                        <button type="button" onClick={() => alter.mutate({ kind: "remove", topic, name: e.name })} disabled={alter.isPending} title="Remove the override: the broker's or Kafka's default applies again" data-testid="config-remove">
                          Remove override
                        </button>
                      )}
                    </span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
