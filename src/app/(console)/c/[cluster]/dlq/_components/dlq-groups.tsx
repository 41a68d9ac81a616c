"use client";

// One DLQ's records grouped by failure reason, with filters (status, reason, time, key, event type,
// text), checkboxes for picking records across groups, and the bulk actions: on a whole reason group
// (everything the filter matches, not only the rows shown) or on the checked records.
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { formatCount, formatDateTime } from "~/lib/format";
import { useTRPC } from "~/trpc/react";
import { BulkActions } from "./bulk-actions";
import { DlqIndexLagLine } from "./dlq-index-lag";
import { positionKey, type Entry, type FilterDraft, type Group, type Position, type StatusFilter } from "./types";

const STATUSES: { value: StatusFilter; label: string }[] = [
  { value: "PENDING", label: "Pending" },
  { value: "QUEUED", label: "Queued for redrive" },
  { value: "REDRIVEN", label: "Redriven" },
  { value: "DISCARDED", label: "Discarded" },
  { value: "ALL", label: "Any status" },
];

function toServerFilter(draft: FilterDraft) {
  const text = (v: string | undefined) => (v && v.trim() ? v.trim() : undefined);
  const time = (v: string | undefined) => (v ? new Date(v).getTime() : undefined);
  return {
    status: draft.status,
    key: text(draft.key),
    keyMatch: "contains" as const,
    eventType: text(draft.eventType),
    text: text(draft.text),
    reason: draft.reason,
    from: time(draft.from),
    to: time(draft.to),
  };
}

const describeOrigin = (e: Entry) => (e.origin.topic ? `${e.origin.topic}/${e.origin.partition ?? "?"}/${e.origin.offset ?? "?"}` : "—");

/** The one source topic all of `entries` name, else a general phrase. */
function commonSource(entries: Entry[], fallback: string | null): string {
  const topics = new Set(entries.map((e) => e.origin.topic ?? fallback));
  const [only] = [...topics];
  return topics.size === 1 && only ? only : "their source topics";
}

export function DlqGroups({ topic, sourceTopic, onOpen, onJob }: { topic: string; sourceTopic: string | null; onOpen: (p: Position) => void; onJob: (id: number) => void }) {
  const trpc = useTRPC();
  const [draft, setDraft] = useState<FilterDraft>({ status: "PENDING" });
  const [filter, setFilter] = useState<FilterDraft>({ status: "PENDING" });
  const [picked, setPicked] = useState<Map<string, Entry>>(new Map());
  const serverFilter = toServerFilter(filter);
  const groups = useQuery(trpc.dlq.groups.queryOptions({ topic, filter: serverFilter }));
  const apply = (next: FilterDraft) => (setDraft(next), setFilter(next), setPicked(new Map()));
  const toggle = (entries: Entry[], on: boolean) =>
    setPicked((current) => {
      const next = new Map(current);
      for (const e of entries) {
        if (on && e.status === "PENDING") next.set(positionKey(e), e);
        else next.delete(positionKey(e));
      }
      return next;
    });
  const filtered = Object.entries(serverFilter).some(([k, v]) => v !== undefined && k !== "keyMatch" && !(k === "status" && v === "PENDING"));
  const data = groups.data;
  return (
    <section className="section" data-testid="dlq-groups">
      <div className="section-bar">
        <h2 className="section-title">
          {STATUSES.find((s) => s.value === filter.status)!.label} in <span className="mono">{topic}</span>
          {data && (
            <span className="muted small" data-testid="dlq-groups-matched">
              {" "}
              · {formatCount(data.matched)} of {formatCount(data.total)} records
            </span>
          )}
        </h2>
      </div>
      <DlqIndexLagLine topic={topic} />
      <form
        className="filter-row dlq-filters"
        onSubmit={(e) => {
          e.preventDefault();
          apply(draft);
        }}
      >
        <select value={draft.status} onChange={(e) => apply({ ...draft, status: e.target.value as StatusFilter })} aria-label="Status" data-testid="dlq-filter-status">
          {STATUSES.map((s) => (
            <option key={s.value} value={s.value}>
              {s.label}
            </option>
          ))}
        </select>
        <input className="text-input" placeholder="Key contains" value={draft.key ?? ""} onChange={(e) => setDraft({ ...draft, key: e.target.value })} data-testid="dlq-filter-key" />
        <input className="text-input" placeholder="Event type" value={draft.eventType ?? ""} onChange={(e) => setDraft({ ...draft, eventType: e.target.value })} data-testid="dlq-filter-event-type" />
        <input className="text-input" placeholder="Text in payload or headers" value={draft.text ?? ""} onChange={(e) => setDraft({ ...draft, text: e.target.value })} data-testid="dlq-filter-text" />
        <label className="small muted dlq-time">
          From <input type="datetime-local" className="text-input" value={draft.from ?? ""} onChange={(e) => setDraft({ ...draft, from: e.target.value || undefined })} data-testid="dlq-filter-from" />
        </label>
        <label className="small muted dlq-time">
          to <input type="datetime-local" className="text-input" value={draft.to ?? ""} onChange={(e) => setDraft({ ...draft, to: e.target.value || undefined })} data-testid="dlq-filter-to" />
        </label>
        <button type="submit" data-testid="dlq-filter-apply">
          Filter
        </button>
        {filtered && (
          <button type="button" className="link-button" onClick={() => apply({ status: "PENDING" })} data-testid="dlq-filter-clear">
            Clear filters
          </button>
        )}
      </form>
      {filter.reason !== undefined && (
        <p className="small">
          Only reason <strong className="reason-message">{filter.reason}</strong>{" "}
          <button type="button" className="link-button" onClick={() => apply({ ...filter, reason: undefined })} data-testid="dlq-reason-clear">
            show all reasons
          </button>
        </p>
      )}
      {groups.isError && (
        <div className="banner bad" role="alert" data-testid="dlq-groups-error">
          {groups.error.message}
        </div>
      )}
      {data?.payloadScanTruncated && <p className="warn-text small">The text filter searched the newest 50,000 records per partition; older records are not searched.</p>}
      {groups.isPending && <div className="card skeleton" style={{ height: 160 }} />}
      {data && data.groups.length === 0 && (
        <div className="card empty-state" data-testid="dlq-groups-empty">
          {filtered ? "No record matches the filter." : filter.status === "PENDING" ? "Nothing pending: every record in this DLQ was redriven or discarded." : "No records."}
        </div>
      )}
      {picked.size > 0 && (
        <div className="card dlq-selection" data-testid="dlq-selection">
          <strong data-testid="dlq-selection-count">{formatCount(picked.size)} selected</strong>
          <BulkActions
            topic={topic}
            selection={{ kind: "positions", positions: [...picked.values()].map((e) => ({ partition: e.partition, offset: e.offset })) }}
            count={picked.size}
            defaultTarget={commonSource([...picked.values()], sourceTopic)}
            onJob={onJob}
            onDone={() => setPicked(new Map())}
          />
          <button type="button" className="link-button" onClick={() => setPicked(new Map())}>
            Clear selection
          </button>
        </div>
      )}
      {data?.groups.map((g) => (
        <ReasonGroup
          key={g.reason}
          topic={topic}
          group={g}
          filter={serverFilter}
          sourceTopic={sourceTopic}
          picked={picked}
          onToggle={toggle}
          onOnly={() => apply({ ...filter, reason: g.reason })}
          onOpen={onOpen}
          onJob={onJob}
        />
      ))}
    </section>
  );
}

interface ReasonGroupProps {
  topic: string;
  group: Group;
  filter: ReturnType<typeof toServerFilter>;
  /** The DLQ's usual source, named for records whose headers do not say. */
  sourceTopic: string | null;
  picked: Map<string, Entry>;
  onToggle: (entries: Entry[], on: boolean) => void;
  onOnly: () => void;
  onOpen: (p: Position) => void;
  onJob: (id: number) => void;
}

function ReasonGroup({ topic, group, filter, sourceTopic, picked, onToggle, onOnly, onOpen, onJob }: ReasonGroupProps) {
  const pending = group.sample.filter((e) => e.status === "PENDING");
  const allPicked = pending.length > 0 && pending.every((e) => picked.has(positionKey(e)));
  const showState = filter.status !== "PENDING";
  return (
    <div className="card section" data-testid="dlq-group" data-reason={group.reason}>
      <div className="section-bar">
        <div className="dlq-group-head">
          <strong className="reason-message" data-testid="dlq-group-reason">
            {group.reason}
          </strong>
          <div className="muted small">
            <span data-testid="dlq-group-count">{formatCount(group.count)}</span> records · first {formatDateTime(group.firstSeen)} · last {formatDateTime(group.lastSeen)}
            {filter.reason === undefined && (
              <>
                {" · "}
                <button type="button" className="link-button small" onClick={onOnly} data-testid="dlq-group-only">
                  only this reason
                </button>
              </>
            )}
          </div>
        </div>
        {filter.status === "PENDING" && (
          <BulkActions topic={topic} selection={{ kind: "filter", filter: { ...filter, reason: group.reason } }} count={group.count} defaultTarget={commonSource(group.sample, sourceTopic)} onJob={onJob} />
        )}
      </div>
      <div className="table-scroll">
        <table className="table compact-table dlq-table">
          <thead>
            <tr>
              <th className="dlq-check">
                <input type="checkbox" checked={allPicked} disabled={pending.length === 0} onChange={(e) => onToggle(pending, e.target.checked)} aria-label={`Select the ${pending.length} pending records shown`} data-testid="dlq-group-check" />
              </th>
              <th>Position</th>
              <th>Dead-lettered</th>
              <th>Key</th>
              <th>Event type</th>
              <th>Origin</th>
              {showState && <th>State</th>}
              <th>Payload</th>
            </tr>
          </thead>
          <tbody>
            {group.sample.map((e) => (
              <tr key={positionKey(e)} data-testid="dlq-row" data-position={positionKey(e)}>
                <td className="dlq-check">
                  <input type="checkbox" checked={picked.has(positionKey(e))} disabled={e.status !== "PENDING"} onChange={(ev) => onToggle([e], ev.target.checked)} aria-label={`Select ${positionKey(e)}`} data-testid="dlq-row-check" />
                </td>
                <td className="nowrap">
                  <button type="button" className="link-button mono" onClick={() => onOpen({ topic, partition: e.partition, offset: e.offset })} data-testid="dlq-row-open">
                    {e.partition}/{e.offset}
                  </button>
                </td>
                <td className="nowrap small">{formatDateTime(e.timestamp)}</td>
                <td className="mono small cell-clip" title={e.key ?? undefined}>
                  {e.key ?? <span className="muted">null</span>}
                </td>
                <td className="small cell-clip" title={e.eventType ?? undefined}>
                  {e.eventType ?? "—"}
                </td>
                <td className="mono small cell-clip" title={describeOrigin(e)}>
                  {describeOrigin(e)}
                </td>
                {showState && (
                  <td className="small cell-clip dlq-state-cell" data-testid="dlq-row-state">
                    <StateCell entry={e} />
                  </td>
                )}
                <td className="mono small cell-clip" title={e.preview}>
                  {e.preview || <span className="muted">empty</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {group.count > group.sample.length && (
        <p className="muted small">
          Showing the newest {group.sample.length} of {formatCount(group.count)}; the group&apos;s actions cover all {formatCount(group.count)}.
        </p>
      )}
    </div>
  );
}

const STATE_TONE = { PENDING: "idle", QUEUED: "warn", REDRIVEN: "ok", DISCARDED: "idle", EXPIRED: "idle" } as const;

export function StateCell({ entry }: { entry: Pick<Entry, "status" | "state"> }) {
  const s = entry.state;
  return (
    <>
      <span className={`badge ${STATE_TONE[entry.status]}`}>{entry.status.toLowerCase()}</span>
      {s && (
        <span className="muted" title={`by ${s.actor} at ${formatDateTime(s.updatedAt)}${s.reason ? `: ${s.reason}` : ""}`}>
          {" "}
          {s.jobId ? `job #${s.jobId}` : s.actor}
          {s.status === "REDRIVEN" && s.targetTopic ? ` → ${s.targetTopic}` : ""}
          {(s.status === "DISCARDED" || s.status === "EXPIRED") && s.reason ? ` “${s.reason}”` : ""}
        </span>
      )}
    </>
  );
}
