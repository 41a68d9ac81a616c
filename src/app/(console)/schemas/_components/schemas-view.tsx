"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { CardSkeleton, LoadFailed } from "~/components/layout/load-states";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useDeferredValue, useMemo, useState } from "react";
import { useNow } from "~/components/live/use-now";
import { formatAge, formatCount } from "~/lib/format";
import { useActor, useCan } from "~/components/auth/actor-context";
import { useTRPC } from "~/trpc/react";
import { clusterPath } from "~/lib/cluster-paths";
import { OutcomeBanner } from "./outcome";
import { errorText } from "~/trpc/error-text";
import { COMPATIBILITY_LEVELS, FORMAT_LABELS, conformancePercent, formatPercent, type CompatibilityMode, type EventTypeListItem, type SchemaType } from "./types";

const STARTER_SCHEMA = `{
  "$schema": "http://json-schema.org/draft-07/schema#",
  "title": "",
  "type": "object",
  "additionalProperties": false,
  "required": ["eventId", "eventType", "data"],
  "properties": {
    "eventId": { "type": "string" },
    "eventType": { "type": "string" },
    "data": {
      "type": "object",
      "additionalProperties": false,
      "properties": {}
    }
  }
}
`;

const STARTER_AVRO = `{
  "type": "record",
  "name": "",
  "namespace": "",
  "fields": [
    { "name": "eventId", "type": "string" },
    { "name": "eventType", "type": "string" }
  ]
}
`;

const STARTER_PROTOBUF = `syntax = "proto3";
package shop;

message Example {
  string event_id = 1;
  string event_type = 2;
}
`;

const STARTERS: Record<SchemaType, string> = { JSON: STARTER_SCHEMA, AVRO: STARTER_AVRO, PROTOBUF: STARTER_PROTOBUF };

const SCHEMA_HINTS: Record<SchemaType, string> = {
  JSON: "First JSON Schema (draft-07 or 2020-12)",
  AVRO: "First Avro schema (a record, as JSON)",
  PROTOBUF: "First .proto file (proto3 or proto2; the first message is the event type's)",
};

const EVOLUTION_HINTS: Record<SchemaType, string> = {
  JSON: "Closed objects (additionalProperties: false) can gain optional fields later under BACKWARD.",
  AVRO: "Fields added later need a default under BACKWARD.",
  PROTOBUF: "Fields are matched by number: add new numbers later, and never reuse a removed one.",
};

function ConformanceCell({ item }: { item: EventTypeListItem }) {
  const percent = conformancePercent(item.latestConformance);
  if (!item.latestConformance) return <span className="muted" title="Not checked yet">—</span>;
  if (percent === null) return <span className="muted" title="No messages of this type in the latest sample">no traffic</span>;
  const tone = percent >= 99.5 ? "ok-text" : percent >= 90 ? "warn-text" : "error-text";
  return (
    <span className={tone} data-testid="conformance-cell" title={`${formatCount(item.latestConformance.conforming)} of ${formatCount(item.latestConformance.sampled)} sampled messages conform`}>
      {formatPercent(percent)}
      <span className="unit"> of {formatCount(item.latestConformance.sampled)}</span>
    </span>
  );
}

function RegisterForm({ globalCompatibility, topic, onClose }: { globalCompatibility: CompatibilityMode; topic: string | null; onClose: () => void }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [form, setForm] = useState({ name: "", domain: "", owner: "", description: "", topics: topic ?? "", compatibility: "", schemaType: "JSON" as SchemaType, schema: STARTER_SCHEMA });
  const register = useMutation(
    trpc.schemas.register.mutationOptions({
      onSuccess: (outcome) => {
        if (outcome.status !== "created") return;
        void queryClient.invalidateQueries({ queryKey: trpc.schemas.list.queryKey() });
        router.push(`/schemas/${encodeURIComponent(outcome.eventType)}`);
      },
    }),
  );
  const set = (key: keyof typeof form) => (e: React.ChangeEvent<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>) => setForm((f) => ({ ...f, [key]: e.target.value }));
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    register.mutate({
      name: form.name,
      domain: form.domain,
      owner: form.owner,
      description: form.description,
      topics: form.topics.split(/[\s,]+/).filter(Boolean),
      compatibility: (form.compatibility || null) as CompatibilityMode | null,
      schema: form.schema,
      schemaType: form.schemaType,
    });
  };
  // A new format brings its starter, unless the schema was already edited.
  const setFormat = (e: React.ChangeEvent<HTMLSelectElement>) => {
    const schemaType = e.target.value as SchemaType;
    setForm((f) => ({ ...f, schemaType, schema: f.schema === STARTERS[f.schemaType] ? STARTERS[schemaType] : f.schema }));
  };

  return (
    <form className="card section schema-form" onSubmit={submit} data-testid="register-form" noValidate>
      <div className="section-bar">
        <h2 className="section-title">Register an event type</h2>
        <button type="button" className="link-button" onClick={onClose}>
          Cancel
        </button>
      </div>
      <div className="form-grid">
        <label>
          <span>Name</span>
          <input value={form.name} onChange={set("name")} placeholder="e.g. OrderPlaced" maxLength={200} data-testid="et-name" />
        </label>
        <label>
          <span>Domain</span>
          <input value={form.domain} onChange={set("domain")} placeholder="e.g. orders" maxLength={100} data-testid="et-domain" />
        </label>
        <label>
          <span>Owner team</span>
          <input value={form.owner} onChange={set("owner")} placeholder="e.g. checkout" maxLength={100} data-testid="et-owner" />
        </label>
        <label>
          <span>Topics</span>
          <input value={form.topics} onChange={set("topics")} placeholder="orders, orders.retry" data-testid="et-topics" />
        </label>
        <label>
          <span>Compatibility</span>
          <select value={form.compatibility} onChange={set("compatibility")} data-testid="et-compatibility">
            <option value="">Registry default ({globalCompatibility})</option>
            {COMPATIBILITY_LEVELS.map((l) => (
              <option key={l.value} value={l.value} title={l.help}>
                {l.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>Format</span>
          <select value={form.schemaType} onChange={setFormat} data-testid="et-format">
            {(Object.keys(FORMAT_LABELS) as SchemaType[]).map((t) => (
              <option key={t} value={t}>
                {FORMAT_LABELS[t]}
              </option>
            ))}
          </select>
        </label>
        <label className="wide">
          <span>Description</span>
          <input value={form.description} onChange={set("description")} placeholder="What happened, and when it is published" maxLength={2000} data-testid="et-description" />
        </label>
      </div>
      <label className="schema-editor-label">
        <span>{SCHEMA_HINTS[form.schemaType]}</span>
        <textarea className="schema-editor mono" value={form.schema} onChange={set("schema")} spellCheck={false} rows={18} data-testid="et-schema" />
      </label>
      <div className="form-actions">
        <button type="submit" className="primary" disabled={register.isPending} data-testid="et-submit">
          {register.isPending ? "Registering…" : "Register event type"}
        </button>
        <span className="muted small">{EVOLUTION_HINTS[form.schemaType]}</span>
      </div>
      {register.error && (
        <div className="banner bad" role="alert" data-testid="register-error">
          <strong>Not registered</strong>
          <span>{errorText(register.error)}</span>
        </div>
      )}
      {register.data && register.data.status !== "created" && <OutcomeBanner outcome={register.data} />}
    </form>
  );
}

export function SchemasView({ topic = null }: { topic?: string | null }) {
  const trpc = useTRPC();
  const list = useQuery(trpc.schemas.list.queryOptions());
  const now = useNow(30_000);
  const [filter, setFilter] = useState(topic ?? "");
  const [registering, setRegistering] = useState(false);
  const deferred = useDeferredValue(filter);
  const canChange = useCan("architect");
  const me = useActor();

  const rows = useMemo(() => {
    const needle = deferred.trim().toLowerCase();
    return (list.data?.eventTypes ?? []).filter((t) => !needle || [t.name, t.domain, t.owner, ...t.topics.map((b) => b.topic)].some((s) => s.toLowerCase().includes(needle)));
  }, [list.data, deferred]);

  return (
    <div className="page" data-testid="schemas-page">
      <header className="page-header">
        <h1>Schemas</h1>
        <p className="muted">Event types, their schema versions (JSON Schema, Avro, Protobuf) with enforced compatibility, who produces and consumes them, and whether live traffic conforms.</p>
      </header>
      <ExternalRegistries />

      <div className="list-toolbar">
        <input type="search" className="search-input" placeholder="Filter by name, domain, owner or topic…" aria-label="Filter event types" value={filter} onChange={(e) => setFilter(e.target.value)} data-testid="schema-filter" />
        {list.data && (
          <span className="muted" data-testid="schema-count">
            {formatCount(rows.length)} of {formatCount(list.data.eventTypes.length)} · registry default <span className="mono">{list.data.globalCompatibility}</span>
          </span>
        )}
        <span className="toolbar-spacer" />
        {canChange ? (
          <button type="button" className="primary" onClick={() => setRegistering(true)} disabled={registering} data-testid="register-open">
            Register event type
          </button>
        ) : (
          me && <span className="muted small">Read-only: changing schemas needs the architect role ({me.email} is {me.role ?? "without a role"}).</span>
        )}
      </div>

      {registering && list.data && <RegisterForm globalCompatibility={list.data.globalCompatibility} topic={topic} onClose={() => setRegistering(false)} />}

      {list.isPending ? (
        <CardSkeleton height={160} testId="schemas-loading" />
      ) : list.isError ? (
        <LoadFailed what="the schema catalog" error={list.error} />
      ) : list.data.eventTypes.length === 0 ? (
        <div className="card empty-state" data-testid="schemas-empty">
          <h2>No event types yet</h2>
          <p>Register one here, or let a Confluent client register a schema at /api/schema-registry.</p>
        </div>
      ) : rows.length === 0 ? (
        <div className="card empty-state">
          <h2>No event type matches</h2>
          <p>Nothing matches “{deferred}”. The filter looks at names, domains, owners and topics.</p>
        </div>
      ) : (
        <div className="card flush table-scroll">
          <table className="table schema-table" data-testid="schema-table">
            <thead>
              <tr>
                <th>Event type</th>
                <th>Domain</th>
                <th>Owner</th>
                <th className="right">Version</th>
                <th>Compatibility</th>
                <th>Topics</th>
                <th>Producers</th>
                <th className="right">Consumers</th>
                <th className="right" title="Share of recently sampled messages on the bound topics that validate">
                  Conforming
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((t) => (
                <tr key={t.id} data-testid="schema-row" data-name={t.name}>
                  <td className="wrap">
                    <Link href={`/schemas/${encodeURIComponent(t.name)}`} className="mono" data-testid="schema-link">
                      {t.name}
                    </Link>
                    {t.description && <div className="muted small clamp-2">{t.description}</div>}
                  </td>
                  <td className="wrap">{t.domain}</td>
                  <td className="wrap">{t.owner}</td>
                  <td className="right mono" data-testid="latest-version">
                    {t.latestVersion === null ? "—" : `v${t.latestVersion}`}
                    {t.schemaType && t.schemaType !== "JSON" && (
                      <span className="badge idle" data-testid="event-type-format">
                        {FORMAT_LABELS[t.schemaType]}
                      </span>
                    )}
                  </td>
                  <td className="mono small">
                    {t.effectiveCompatibility}
                    {t.compatibility === null && <span className="muted"> (default)</span>}
                  </td>
                  <td className="mono small topics-cell">{t.topics.length ? t.topics.map((b) => b.topic).join(", ") : <span className="muted">—</span>}</td>
                  <td className="small wrap">{t.producers.length ? t.producers.join(", ") : <span className="muted">—</span>}</td>
                  <td className="right" title={t.consumers.join(", ")}>
                    {formatCount(t.consumers.length)}
                  </td>
                  <td className="right nowrap">
                    <ConformanceCell item={t} />
                    {t.latestConformance && <div className="muted small">{formatAge(now - new Date(t.latestConformance.checkedAt).getTime())} ago</div>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <details className="card section registry-details" data-testid="registry-help">
        <summary>Schema registry API for Confluent clients</summary>
        <p>
          Point serializers at <code>/api/schema-registry</code> on this host (e.g. <code>http://signalbox.example:3000/api/schema-registry</code>). Every event type is a subject under its own name, and a topic
          bound to exactly one event type is also the subject <code>&lt;topic&gt;-value</code>. Schemas are JSON Schema, Avro or Protobuf (<code>schemaType</code> <code>JSON</code>, <code>AVRO</code>, <code>PROTOBUF</code>), up to 256 KiB.
        </p>
      </details>
    </div>
  );
}

/** Clusters that read an existing registry instead of this catalog's versions: one link each to its subjects. */
function ExternalRegistries() {
  const trpc = useTRPC();
  const clusters = useQuery(trpc.clusters.list.queryOptions());
  const external = (clusters.data ?? []).filter((c) => c.schemaRegistryUrl);
  if (external.length === 0) return null;
  return (
    <p className="muted small" data-testid="external-registries">
      Clusters with an external schema registry (their records decode with its schemas):{" "}
      {external.map((c, i) => (
        <span key={c.name}>
          {i > 0 && ", "}
          <Link href={clusterPath(c.name, "/registry")}>{c.name}</Link> <span className="mono">{c.schemaRegistryUrl}</span>
        </span>
      ))}
    </p>
  );
}
