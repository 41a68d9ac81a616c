"use client";

// A configuration as `kafka-configs --describe --all` shows it, for a topic or a broker: every entry's
// effective value and where it comes from, filterable, with an inline editor for those who may change it.
import { useMemo, useState } from "react";

export type ConfigSource = "topic" | "dynamic-broker" | "dynamic-default-broker" | "static-broker" | "default" | "unknown";

export interface ConfigTableEntry {
  name: string;
  value: string | null;
  source: ConfigSource;
  readOnly: boolean;
  sensitive: boolean;
  synonyms: { name: string; value: string | null; source: ConfigSource }[];
}

export const CONFIG_SOURCE_LABELS: Record<ConfigSource, string> = {
  topic: "topic override",
  "dynamic-broker": "broker (dynamic)",
  "dynamic-default-broker": "cluster default (dynamic)",
  "static-broker": "broker (server.properties)",
  default: "default",
  unknown: "unknown",
};

export function ConfigTable({
  entries,
  overrideSource,
  canEdit,
  pending,
  onSet,
  onRemove,
  removeTitle,
}: {
  entries: ConfigTableEntry[];
  /** The source this table's own overrides have: "topic" for a topic, "dynamic-broker" for a broker. */
  overrideSource: ConfigSource;
  canEdit: boolean;
  pending: boolean;
  /** Resolves when the change was made; the editor closes then. A rejection leaves it open (the caller shows the error). */
  onSet: (name: string, value: string) => Promise<unknown>;
  onRemove: (name: string) => void;
  removeTitle: string;
}) {
  const [filter, setFilter] = useState("");
  const [overridesOnly, setOverridesOnly] = useState(false);
  const [editing, setEditing] = useState<{ name: string; value: string } | null>(null);

  const rows = useMemo(() => {
    const needle = filter.trim().toLowerCase();
    return entries.filter((e) => (!overridesOnly || e.source === overrideSource) && (!needle || e.name.includes(needle)));
  }, [entries, filter, overridesOnly, overrideSource]);

  return (
    <>
      <div className="list-toolbar padded-text">
        <input type="search" className="search-input" placeholder="Filter settings…" aria-label="Filter settings" value={filter} onChange={(e) => setFilter(e.target.value)} data-testid="config-filter" />
        <label className="muted small">
          <input type="checkbox" checked={overridesOnly} onChange={(e) => setOverridesOnly(e.target.checked)} data-testid="config-overrides-only" /> Overrides only
        </label>
      </div>
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
          {rows.length === 0 && (
            <tr>
              <td colSpan={4} className="muted">
                No setting matches.
              </td>
            </tr>
          )}
          {rows.map((e) => (
            <tr key={e.name} data-testid="config-row" data-name={e.name} data-source={e.source}>
              <td className="mono config-name">{e.name}</td>
              <td className="mono config-value" data-testid="config-value">
                {editing?.name === e.name ? (
                  <form
                    className="config-edit"
                    onSubmit={(ev) => {
                      ev.preventDefault();
                      onSet(e.name, editing.value).then(
                        () => setEditing(null),
                        () => undefined,
                      );
                    }}
                  >
                    <input className="text-input mono" value={editing.value} onChange={(ev) => setEditing({ name: e.name, value: ev.target.value })} autoFocus aria-label={`New value of ${e.name}`} data-testid="config-edit-input" />
                    <button type="submit" className="primary" disabled={pending} data-testid="config-save">
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
                <span className={`source-tag ${e.source}`} title={e.synonyms.map((s) => `${s.name}=${s.value ?? "(hidden)"} from ${CONFIG_SOURCE_LABELS[s.source]}`).join("\n")}>
                  {CONFIG_SOURCE_LABELS[e.source]}
                </span>
              </td>
              <td className="right">
                {canEdit && !e.readOnly && editing?.name !== e.name && (
                  <span className="confirm">
                    <button type="button" onClick={() => setEditing({ name: e.name, value: e.value ?? "" })} disabled={e.sensitive} data-testid="config-edit">
                      Edit
                    </button>
                    {e.source === overrideSource && (
                      <button type="button" onClick={() => onRemove(e.name)} disabled={pending} title={removeTitle} data-testid="config-remove">
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
    </>
  );
}
