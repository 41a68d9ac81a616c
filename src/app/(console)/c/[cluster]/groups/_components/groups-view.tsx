"use client";

import { useMutation } from "@tanstack/react-query";
import { CardSkeleton, LoadFailed } from "~/components/layout/load-states";
import { ClusterLink } from "~/components/clusters/cluster-link";
import { useCallback, useDeferredValue, useMemo, useState } from "react";
import { useCan } from "~/components/auth/actor-context";
import { TypeToConfirm } from "~/components/forms/type-to-confirm";
import { LiveIndicator, SamplerBanner } from "~/components/live/sampler-banner";
import { StatusBadge } from "~/components/lag/status-badge";
import { StatusRules } from "~/components/lag/status-rules";
import { FIRST_GROUPS_QUERY, type GroupsPageQuery } from "~/components/lag/list-inputs";
import type { GroupListItem } from "~/components/lag/types";
import { useLiveRefresh } from "~/components/live/use-live-refresh";
import { useListWindows } from "~/components/tables/use-list-windows";
import { nextSort, VirtualTable, type Column, type SortState } from "~/components/tables/virtual-table";
import { formatCount, formatDuration, formatRate } from "~/lib/format";
import { INTERNAL_GROUP_PREFIX, isJobCheckpointGroup } from "~/lib/internal-groups";
import { errorText } from "~/trpc/error-text";
import { useTRPC } from "~/trpc/react";

type Status = GroupListItem["status"];
type SortKey = GroupsPageQuery["sort"];

/** Worst first in the summary. Sorting, filtering and counting happen on the server (lag.groupsPage). */
const STATUS_ORDER: Status[] = ["ERR", "WARN", "PENDING", "OK"];

const COLUMNS: Column<GroupListItem, SortKey>[] = [
  {
    key: "group",
    header: "Group",
    width: "minmax(180px, 2fr)",
    sortable: true,
    cell: (g) => (
      // No prefetch: every row scrolled into view would ask the server for that group's page.
      <ClusterLink href={`/groups/${encodeURIComponent(g.groupId)}`} prefetch={false} className="ellipsis mono" title={g.groupId} data-testid="group-link">
        {g.groupId}
      </ClusterLink>
    ),
  },
  { key: "status", header: "Status", width: "96px", sortable: true, title: "Worst partition status; sorted worst first, then by total lag", cell: (g) => <StatusBadge status={g.status} /> },
  { key: "state", header: "State", width: "minmax(90px, 0.8fr)", sortable: true, cell: (g) => <span className="ellipsis" title={g.state}>{g.state}</span> },
  { key: "members", header: "Members", width: "90px", align: "right", sortable: true, cell: (g) => formatCount(g.members) },
  {
    key: "topics",
    header: "Topics",
    width: "minmax(120px, 1.5fr)",
    sortable: true,
    cell: (g) => (
      <span className="ellipsis mono muted-strong" title={g.topics.join(", ")}>
        {g.topics.length ? g.topics.join(", ") : "—"}
      </span>
    ),
  },
  {
    key: "totalLag",
    header: "Total lag",
    width: "110px",
    align: "right",
    sortable: true,
    title: "Messages behind, summed over partitions with a commit",
    cell: (g) => (
      <span data-testid="lag-cell" data-lag={g.totalLag} title={g.partitionsWithoutCommit ? `${g.partitionsWithoutCommit} partition(s) without a commit are not counted` : undefined}>
        {formatCount(g.totalLag)}
        {g.partitionsWithoutCommit > 0 && <span className="uncommitted-mark">†</span>}
      </span>
    ),
  },
  { key: "maxLag", header: "Max lag", width: "96px", align: "right", sortable: true, title: "The largest partition lag, messages", cell: (g) => formatCount(g.maxLag) },
  {
    key: "maxLagSeconds",
    header: "Max lag (time)",
    width: "136px",
    align: "right",
    sortable: true,
    title: "How far behind in time the most-behind partition is",
    cell: (g) => <span data-testid="lag-seconds-cell">{formatDuration(g.maxLagSeconds)}</span>,
  },
  {
    key: "rate",
    header: "Consume rate",
    width: "124px",
    align: "right",
    sortable: true,
    title: "Messages per second committed, over the last sampler interval",
    cell: (g) => (
      <span data-testid="consume-rate-cell">
        {formatRate(g.consumeRate)}
        {g.consumeRate !== null && <span className="unit"> msg/s</span>}
      </span>
    ),
  },
];

/** The server deletes at most this many groups per request (MAX_GROUPS_PER_DELETE). */
const MAX_SELECTED = 100;

/** Why a group cannot be picked for deletion, or null. The server checks again, members included. */
function unselectableReason(g: GroupListItem): string | null {
  if (isJobCheckpointGroup(g.groupId) || g.groupId.startsWith(INTERNAL_GROUP_PREFIX)) return "Signalbox's own group: never deleted";
  if (g.members > 0) return `${g.members} active member${g.members === 1 ? "" : "s"}: stop its consumers first`;
  return null;
}

const FIRST_DIR: (key: SortKey) => "asc" | "desc" = (key) => (key === "group" || key === "state" || key === "topics" ? "asc" : "desc");

export function GroupsView() {
  const trpc = useTRPC();
  const live = useLiveRefresh();
  const [filter, setFilter] = useState(FIRST_GROUPS_QUERY.filter);
  const [statusFilter, setStatusFilter] = useState<Status | null>(FIRST_GROUPS_QUERY.status);
  const [sort, setSort] = useState<SortState<SortKey>>({ key: FIRST_GROUPS_QUERY.sort, dir: FIRST_GROUPS_QUERY.dir });
  const deferredFilter = useDeferredValue(filter);
  const canDelete = useCan("support");
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [confirming, setConfirming] = useState(false);
  // The list is the last sample: a group deleted since stays in it until the next one.
  const [deleted, setDeleted] = useState<ReadonlySet<string>>(new Set());
  const deletion = useMutation(
    trpc.groups.delete.mutationOptions({
      onSuccess: (data) => {
        setDeleted((prev) => new Set([...prev, ...data.results.filter((r) => r.deleted).map((r) => r.groupId)]));
        setSelected(new Set());
        setConfirming(false);
      },
    }),
  );

  // The server filters and sorts over its index of the latest sample and answers windows of rows.
  const query = { filter: deferredFilter, status: statusFilter, sort: sort.key, dir: sort.dir };
  const listKey = `${query.filter}\u0000${query.status}\u0000${query.sort}\u0000${query.dir}`;
  const optionsFor = useCallback(
    (offset: number, limit: number) => trpc.lag.groupsPage.queryOptions({ filter: deferredFilter, status: statusFilter, sort: sort.key, dir: sort.dir, offset, limit }),
    [trpc, deferredFilter, statusFilter, sort.key, sort.dir],
  );
  const { head, rowAt, onVisibleRange, loaded } = useListWindows(optionsFor, listKey);
  const list = head.data;
  const counts = list?.counts;
  const shownFilter = list && head.isPlaceholderData ? null : deferredFilter;

  const selectable = (g: GroupListItem) => !deleted.has(g.groupId) && unselectableReason(g) === null;
  const toggle = (groupId: string) =>
    setSelected((prev) => {
      const next = new Set(prev);
      if (!next.delete(groupId)) next.add(groupId);
      return next;
    });
  // Among the rows loaded (the first windows of the filtered list): select what the person sees.
  const selectableShown = loaded.filter(selectable);

  const columns = useMemo((): Column<GroupListItem, SortKey | "select">[] => {
    if (!canDelete) return COLUMNS;
    const select: Column<GroupListItem, "select"> = {
      key: "select",
      header: "",
      width: "36px",
      title: "Select empty groups to delete",
      cell: (g) => {
        if (deleted.has(g.groupId)) return <span className="muted" title="Deleted; gone from the list at the next sample">✕</span>;
        const reason = unselectableReason(g);
        const checked = selected.has(g.groupId);
        return (
          <input
            type="checkbox"
            checked={checked}
            disabled={reason !== null || (!checked && selected.size >= MAX_SELECTED)}
            title={reason ?? (checked ? "Selected for deletion" : "Select for deletion")}
            aria-label={`Select ${g.groupId}`}
            onChange={() => toggle(g.groupId)}
            data-testid="group-select"
          />
        );
      },
    };
    return [select, ...COLUMNS];
  }, [canDelete, deleted, selected]);

  const chosen = [...selected];
  const confirmName = `delete ${chosen.length} group${chosen.length === 1 ? "" : "s"}`;

  return (
    <div className="page" data-testid="groups-page">
      <header className="page-header">
        <h1>Consumer groups</h1>
        <p className="muted">Lag and health of every consumer group, worst first.</p>
        <LiveIndicator live={live} />
      </header>
      <SamplerBanner live={live} />

      {list && counts && list.total > 0 && (
        <div className="status-summary" data-testid="status-summary">
          {STATUS_ORDER.map((s) => (
            <button
              key={s}
              type="button"
              className={`status-count ${s.toLowerCase()}${statusFilter === s ? " active" : ""}${counts[s] === 0 ? " zero" : ""}`}
              aria-pressed={statusFilter === s}
              onClick={() => setStatusFilter((f) => (f === s ? null : s))}
              title={statusFilter === s ? "Show every status" : `Show only ${s} groups`}
              data-testid={`status-count-${s}`}
            >
              <span className="count">{formatCount(counts[s])}</span>
              <span className="label">{s}</span>
            </button>
          ))}
          <span className="status-count total" data-testid="status-count-total">
            <span className="count">{formatCount(list.total)}</span>
            <span className="label">groups</span>
          </span>
        </div>
      )}

      <div className="list-toolbar">
        <input
          type="search"
          className="search-input"
          placeholder="Filter groups…"
          aria-label="Filter consumer groups"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
          data-testid="group-filter"
        />
        {list && (
          <span className="muted" data-testid="group-count" aria-busy={head.isPlaceholderData}>
            {formatCount(list.matching)} of {formatCount(list.total)}
            {statusFilter && (
              <>
                {" "}
                · only {statusFilter}{" "}
                <button type="button" className="link-button" onClick={() => setStatusFilter(null)}>
                  show all
                </button>
              </>
            )}
          </span>
        )}
        {canDelete && list && (
          <span className="toolbar-actions">
            <button type="button" onClick={() => setSelected(new Set(selectableShown.slice(0, MAX_SELECTED).map((g) => g.groupId)))} disabled={selectableShown.length === 0} data-testid="select-empty-groups">
              Select empty ({formatCount(Math.min(selectableShown.length, MAX_SELECTED))})
            </button>
            {selected.size > 0 && (
              <>
                <button type="button" onClick={() => setSelected(new Set())} data-testid="clear-group-selection">
                  Clear
                </button>
                <button type="button" className="danger" onClick={() => { deletion.reset(); setConfirming(true); }} disabled={confirming} data-testid="bulk-delete-start">
                  Delete {formatCount(selected.size)} selected…
                </button>
              </>
            )}
          </span>
        )}
      </div>

      {confirming && selected.size > 0 && (
        <TypeToConfirm
          name={confirmName}
          title={`Delete ${chosen.length} consumer group${chosen.length === 1 ? "" : "s"}?`}
          action="Delete groups"
          pending={deletion.isPending}
          error={deletion.error ? errorText(deletion.error) : null}
          onConfirm={() => deletion.mutate({ groupIds: chosen })}
          onCancel={() => {
            setConfirming(false);
            deletion.reset();
          }}
          testId="bulk-delete"
        >
          <span className="mono" data-testid="bulk-delete-names">
            {chosen.slice(0, 10).join(", ")}
            {chosen.length > 10 ? ` and ${chosen.length - 10} more` : ""}
          </span>
          . Their committed offsets are deleted with them and cannot be brought back. Kafka deletes only groups without active members; each group&apos;s outcome is recorded in the
          audit log.
        </TypeToConfirm>
      )}
      {deletion.data && (
        <div className={deletion.data.refused ? "banner warn" : "banner ok"} role="status" data-testid="bulk-delete-result">
          <strong>
            Deleted {formatCount(deletion.data.deleted)} group{deletion.data.deleted === 1 ? "" : "s"}
            {deletion.data.refused ? `, ${formatCount(deletion.data.refused)} refused` : ""}
          </strong>
          <span>
            {deletion.data.results
              .filter((r) => !r.deleted)
              .map((r) => `${r.groupId}: ${r.reason}`)
              .join("; ") || "The list drops them at the next sample."}
          </span>
        </div>
      )}

      {head.isPending ? (
        <CardSkeleton height={160} testId="groups-loading" />
      ) : head.isError || !list ? (
        <LoadFailed what="the consumer groups" error={head.error} testId="groups-error" />
      ) : list.total === 0 ? (
        <div className="card empty-state" data-testid="groups-empty">
          <h2>{list.takenAt === null ? "No sample yet" : "No consumer groups"}</h2>
          <p>
            {list.takenAt === null
              ? "Consumer groups appear after the worker's first sample."
              : "No consumer group has committed offsets in this cluster yet. Groups appear here within a sample of their first commit."}
          </p>
        </div>
      ) : list.matching === 0 ? (
        <div className="card empty-state" data-testid="groups-no-match">
          <h2>No group matches</h2>
          <p>
            {shownFilter ? `Nothing matches “${shownFilter}”` : "Nothing"}
            {statusFilter ? ` with status ${statusFilter}` : ""}. The filter matches any part of the group id, ignoring case.
          </p>
        </div>
      ) : (
        <VirtualTable
          count={list.matching}
          rowAt={rowAt}
          onVisibleRange={onVisibleRange}
          columns={columns}
          rowKey={(g) => g.groupId}
          sort={sort}
          onSort={(key) => {
            if (key !== "select") setSort((s) => nextSort(s, key, FIRST_DIR));
          }}
          label="Consumer groups"
          testId="groups-table"
          rowTestId="group-row"
          rowAttrs={(g) => ({ "data-group": g.groupId, "data-status": g.status })}
          resetScrollKey={listKey}
          rowClassName={(g) => (deleted.has(g.groupId) ? "row-deleted" : g.status === "ERR" ? "row-bad" : g.status === "WARN" ? "row-warn" : undefined)}
        />
      )}

      <details className="card section rules-details" data-testid="status-rules-details">
        <summary>How statuses are decided</summary>
        <StatusRules />
      </details>
    </div>
  );
}
