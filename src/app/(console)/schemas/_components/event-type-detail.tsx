"use client";

import { clusterPath } from "~/lib/cluster-paths";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { formatCount, formatDateTime } from "~/lib/format";
import { useCan } from "~/components/auth/actor-context";
import { useTRPC } from "~/trpc/react";
import { AddVersion } from "./add-version";
import { ConformancePanel } from "./conformance-panel";
import { errorText } from "~/trpc/error-text";
import { COMPATIBILITY_LEVELS, FORMAT_LABELS, schemaForReading, type CompatibilityMode, type EventTypeView } from "./types";
import { VersionDiff } from "./version-diff";
import { DeleteEventType, DeleteVersionConfirm } from "./version-deletes";
import { TopicBindings } from "./topic-bindings";

function CompatibilityControl({ eventType, canChange }: { eventType: EventTypeView; canChange: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const set = useMutation(
    trpc.schemas.setCompatibility.mutationOptions({
      onSuccess: () => {
        void queryClient.invalidateQueries({ queryKey: trpc.schemas.get.queryKey({ name: eventType.name }) });
        void queryClient.invalidateQueries({ queryKey: trpc.schemas.list.queryKey() });
      },
    }),
  );
  const help = COMPATIBILITY_LEVELS.find((l) => l.value === eventType.effectiveCompatibility)?.help;
  return (
    <div>
      <select
        value={eventType.compatibility ?? ""}
        disabled={!canChange || set.isPending}
        onChange={(e) => set.mutate({ name: eventType.name, compatibility: (e.target.value || null) as CompatibilityMode | null })}
        aria-label="Compatibility level"
        data-testid="compatibility-select"
      >
        <option value="">Registry default ({eventType.globalCompatibility})</option>
        {COMPATIBILITY_LEVELS.map((l) => (
          <option key={l.value} value={l.value}>
            {l.label}
          </option>
        ))}
      </select>
      {help && <div className="muted small">{help}</div>}
      {set.error && <div className="error-text small">{errorText(set.error)}</div>}
    </div>
  );
}

interface VersionsTableProps {
  eventType: EventTypeView;
  selected: number;
  onSelect: (v: number) => void;
  showDeleted: boolean;
  /** Set for architects: asks to delete a version (permanently when it is soft-deleted already). */
  onDelete: ((version: number, permanent: boolean) => void) | null;
}

function VersionsTable({ eventType, selected, onSelect, showDeleted, onDelete }: VersionsTableProps) {
  const latestLive = eventType.versions.filter((v) => v.deletedAt === null).at(-1)?.version;
  return (
    <div className="table-scroll">
      <table className="table versions-table" data-testid="versions-table">
        <thead>
          <tr>
            <th>Version</th>
            <th className="right">Schema id</th>
            <th>Registered</th>
            <th>By</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {[...eventType.versions]
            .reverse()
            .filter((v) => showDeleted || v.deletedAt === null)
            .map((v) => (
              <tr
                key={v.version}
                data-testid="version-row"
                data-version={v.version}
                data-deleted={v.deletedAt ? "true" : undefined}
                className={[v.version === selected ? "selected-row" : "", v.deletedAt ? "deleted-row" : ""].filter(Boolean).join(" ") || undefined}
              >
                <td className="mono">
                  v{v.version}
                  {v.version === latestLive && <span className="badge idle latest-badge">latest</span>}
                  {v.deletedAt && (
                    <span className="badge bad latest-badge" title={`Soft-deleted ${formatDateTime(v.deletedAt)} by ${v.deletedBy ?? "unknown"}`} data-testid="version-deleted-badge">
                      deleted
                    </span>
                  )}
                  {v.schemaType !== "JSON" && (
                    <span className="badge idle" data-testid="version-format">
                      {FORMAT_LABELS[v.schemaType]}
                    </span>
                  )}
                </td>
                <td className="right mono">{v.schemaId}</td>
                <td className="nowrap">{formatDateTime(v.createdAt)}</td>
                <td className="created-by">
                  <span className="ellipsis" title={v.createdBy}>
                    {v.createdBy}
                  </span>
                </td>
                <td className="version-actions">
                  <div>
                    <button type="button" className="link-button" onClick={() => onSelect(v.version)} data-testid="version-view">
                      {v.version === selected ? "shown" : "show"}
                    </button>
                    {onDelete && (
                      <button type="button" className="link-button danger-link" onClick={() => onDelete(v.version, v.deletedAt !== null)} data-testid={v.deletedAt ? "version-delete-permanent" : "version-delete"}>
                        {v.deletedAt ? "delete for good" : "delete"}
                      </button>
                    )}
                  </div>
                </td>
              </tr>
            ))}
          {!showDeleted && eventType.versions.length > 0 && eventType.versions.every((v) => v.deletedAt !== null) && (
            <tr>
              <td colSpan={5} className="muted" data-testid="all-versions-deleted">
                Every version is soft-deleted; tick &ldquo;Show deleted&rdquo; to see them.
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}

export function EventTypeDetailView({ name }: { name: string }) {
  const trpc = useTRPC();
  const query = useQuery(trpc.schemas.get.queryOptions({ name }));
  const [shown, setShown] = useState<number | null>(null);
  const [showDeleted, setShowDeleted] = useState(false);
  const [deleting, setDeleting] = useState<{ version: number; permanent: boolean } | null>(null);
  const [deletingType, setDeletingType] = useState(false);
  const canChange = useCan("architect");

  if (query.isPending) {
    return (
      <div className="page">
        <div className="skeleton" style={{ height: 240 }} />
      </div>
    );
  }
  if (query.isError) {
    return (
      <div className="page" data-testid="event-type-error">
        <Link href="/schemas" className="back-link">
          ← Schemas
        </Link>
        <div className="banner bad section" role="alert">
          <strong>{query.error.data?.code === "NOT_FOUND" ? "No such event type" : "Could not load the event type"}</strong>
          <span>{query.error.message}</span>
        </div>
      </div>
    );
  }

  const eventType = query.data;
  const live = eventType.versions.filter((v) => v.deletedAt === null);
  const deletedCount = eventType.versions.length - live.length;
  const latest = live.at(-1);
  const selected = shown ?? latest?.version ?? eventType.versions.at(-1)?.version ?? 1;
  const selectedVersion = eventType.versions.find((v) => v.version === selected);
  const topics = eventType.topics.map((t) => t.topic);

  return (
    <div className="page" data-testid="event-type-page" data-name={eventType.name}>
      <Link href="/schemas" className="back-link">
        ← Schemas
      </Link>
      <header className="page-header detail-header">
        <h1 className="detail-title mono">{eventType.name}</h1>
        <span className="badge idle">{eventType.domain}</span>
        <span className="muted">owned by {eventType.owner}</span>
      </header>
      {eventType.description && <p className="lead">{eventType.description}</p>}

      <div className="stat-strip">
        <div className="mini-stat">
          <span className="label">Latest version</span>
          <span className="value" data-testid="detail-latest-version">
            {latest ? `v${latest.version}` : "—"}
          </span>
        </div>
        <div className="mini-stat">
          <span className="label">Compatibility</span>
          <CompatibilityControl eventType={eventType} canChange={canChange} />
        </div>
        <div className="mini-stat">
          <span className="label">Topics</span>
          <span className="value small" data-testid="detail-topic-count">
            {topics.length ? <a href="#topics">{formatCount(topics.length)} bound</a> : "none bound"}
          </span>
        </div>
        <div className="mini-stat">
          <span className="label">Producers · consumers</span>
          <span className="value small">
            {formatCount(eventType.producers.length)} · {formatCount(new Set(eventType.subscriptions.map((s) => s.service)).size)}
          </span>
        </div>
      </div>

      <div className="grid grid-2 section">
        <section className="card flush">
          <h2 className="card-title">
            Versions <span className="count-pill">{formatCount(live.length)}</span>
            {deletedCount > 0 && (
              <label className="show-deleted">
                <input type="checkbox" checked={showDeleted} onChange={(e) => setShowDeleted(e.target.checked)} data-testid="show-deleted" />
                Show deleted ({formatCount(deletedCount)})
              </label>
            )}
          </h2>
          <VersionsTable
            eventType={eventType}
            selected={selected}
            onSelect={setShown}
            showDeleted={showDeleted}
            onDelete={canChange ? (version, permanent) => setDeleting({ version, permanent }) : null}
          />
          {deleting && <DeleteVersionConfirm key={`${deleting.version}-${deleting.permanent}`} name={eventType.name} version={deleting.version} permanent={deleting.permanent} onClose={() => setDeleting(null)} />}
        </section>
        <section className="card flush">
          <h2 className="card-title">
            Schema <span className="muted mono">v{selected}</span>
          </h2>
          <pre className="schema-view mono" data-testid="schema-view">
            {selectedVersion ? schemaForReading(selectedVersion.schema, selectedVersion.schemaType) : ""}
          </pre>
        </section>
      </div>

      {live.length > 1 ? <VersionDiff name={eventType.name} versions={showDeleted ? eventType.versions : live} /> : null}

      <div id="topics">
        <TopicBindings eventType={eventType} canChange={canChange} />
      </div>

      {latest && <AddVersion name={eventType.name} latestSchema={latest.schema} latestSchemaType={latest.schemaType} canChange={canChange} />}

      <div className="grid grid-2 section">
        <section className="card flush" data-testid="producers">
          <h2 className="card-title">Producers</h2>
          {eventType.producers.length === 0 ? (
            <p className="muted pad">No service is recorded as producing {eventType.name}.</p>
          ) : (
            <table className="table">
              <tbody>
                {eventType.producers.map((p) => (
                  <tr key={p.name} data-testid="producer-row">
                    <td className="mono">{p.name}</td>
                    <td className="muted">{p.team}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
        <section className="card flush" data-testid="subscriptions">
          <h2 className="card-title">Consumers (subscriptions)</h2>
          {eventType.subscriptions.length === 0 ? (
            <p className="muted pad">No service is recorded as consuming {eventType.name}.</p>
          ) : (
            <table className="table">
              <thead>
                <tr>
                  <th>Service</th>
                  <th>Topic</th>
                  <th>Consumer group</th>
                </tr>
              </thead>
              <tbody>
                {eventType.subscriptions.map((s) => (
                  <tr key={`${s.service}-${s.topic}-${s.consumerGroupId}`} data-testid="subscription-row">
                    <td className="mono">{s.service}</td>
                    <td className="mono">{s.topic}</td>
                    <td>
                      <Link href={clusterPath(s.clusterName, `/groups/${encodeURIComponent(s.consumerGroupId)}`)} className="mono">
                        {s.consumerGroupId}
                      </Link>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      </div>

      <ConformancePanel name={eventType.name} runs={eventType.conformance} topics={topics} canChange={canChange} sampleNote="the newest messages on each bound topic" />

      {canChange && eventType.versions.length > 0 && <DeleteEventType eventType={eventType} open={deletingType} onOpen={() => setDeletingType(true)} onClose={() => setDeletingType(false)} />}
    </div>
  );
}
