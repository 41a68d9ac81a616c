"use client";

// The cluster's external schema registry (docs/schemas.md, "External registries"): its subjects with
// their latest versions, beside what Signalbox's catalog adds (domain, owner, description, topics);
// architects register through Signalbox into that registry. Schemas are shown as text, never HTML.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { useCan } from "~/components/auth/actor-context";
import { useCluster } from "~/components/clusters/cluster-context";
import { CardSkeleton, LoadFailed } from "~/components/layout/load-states";
import { formatCount } from "~/lib/format";
import { errorText } from "~/trpc/error-text";
import { useTRPC } from "~/trpc/react";
import type { RouterOutputs } from "~/trpc/types";

const SCHEMA_TYPES = ["AVRO", "PROTOBUF", "JSON"] as const;

export function RegistryView() {
  const trpc = useTRPC();
  const { name: cluster } = useCluster();
  const canRegister = useCan("architect", { cluster });
  const listing = useQuery(trpc.schemas.external.queryOptions(undefined, { retry: false }));
  const [registering, setRegistering] = useState(false);
  const [open, setOpen] = useState<string | null>(null);

  return (
    <div className="page" data-testid="registry-page">
      <header className="page-header">
        <h1>Schema registry</h1>
        <p className="muted">The subjects of this cluster&apos;s external schema registry, with what Signalbox&apos;s catalog adds to them.</p>
        {canRegister && listing.data && !registering && (
          <button type="button" className="header-action" onClick={() => setRegistering(true)} data-testid="registry-register-start">
            Register a schema…
          </button>
        )}
      </header>
      {listing.isPending ? (
        <CardSkeleton height={120} />
      ) : listing.isError ? (
        <LoadFailed what="the schema registry" error={listing.error} testId="registry-error" />
      ) : listing.data === null ? (
        <div className="card empty-state" data-testid="registry-own">
          <h2>This cluster uses Signalbox&apos;s own schema registry</h2>
          <p>
            Its event types and versions are on the <Link href="/schemas">Schemas</Link> page. To read an existing registry instead (Confluent, Karapace, Apicurio), name it under{" "}
            <span className="mono">schemaRegistry:</span> in the clusters document (docs/clusters.md).
          </p>
        </div>
      ) : (
        <>
          {registering && <RegisterForm onClose={() => setRegistering(false)} />}
          <section className="card section flush" data-testid="registry-subjects">
            <h2 className="card-title">
              <span className="mono">{listing.data.registryUrl}</span>{" "}
              <span className="muted">
                {formatCount(listing.data.subjects.length)} subject{listing.data.subjects.length === 1 ? "" : "s"}
                {listing.data.truncated ? " (the first ones; the registry holds more)" : ""}
              </span>
            </h2>
            {listing.data.subjects.length === 0 ? (
              <p className="muted padded-text">The registry holds no subjects yet.</p>
            ) : (
              <table className="table middle">
                <thead>
                  <tr>
                    <th>Subject</th>
                    <th>Latest</th>
                    <th>Format</th>
                    <th>Domain · owner</th>
                    <th>Topics</th>
                    <th>Description</th>
                  </tr>
                </thead>
                <tbody>
                  {listing.data.subjects.map((s) => (
                    <SubjectRow key={s.subject} subject={s} open={open === s.subject} onToggle={() => setOpen(open === s.subject ? null : s.subject)} />
                  ))}
                </tbody>
              </table>
            )}
          </section>
        </>
      )}
    </div>
  );
}

type Subject = NonNullable<RouterOutputs["schemas"]["external"]>["subjects"][number];

function SubjectRow({ subject, open, onToggle }: { subject: Subject; open: boolean; onToggle: () => void }) {
  const catalog = subject.catalog;
  return (
    <>
      <tr data-testid="registry-subject" data-subject={subject.subject}>
        <td>
          <button type="button" className="link-button mono" onClick={onToggle} aria-expanded={open}>
            {subject.subject}
          </button>
        </td>
        {subject.latest ? (
          <>
            <td className="mono">
              v{subject.latest.version} · id {subject.latest.id}
            </td>
            <td>
              <span className="enc enc-schema">{String(subject.latest.schemaType).toLowerCase()}</span>
            </td>
          </>
        ) : (
          <td colSpan={2} className="error-text small" data-testid="registry-subject-error">
            {subject.error}
          </td>
        )}
        <td>{catalog ? `${catalog.domain} · ${catalog.owner}` : <span className="muted">not in the catalog</span>}</td>
        <td className="mono small">{catalog?.topics.join(", ") || <span className="muted">–</span>}</td>
        <td className="small">{catalog?.description || <span className="muted">–</span>}</td>
      </tr>
      {open && subject.latest && (
        <tr>
          <td colSpan={6}>
            <pre className="payload" data-testid="registry-schema">
              {subject.latest.schema}
            </pre>
          </td>
        </tr>
      )}
    </>
  );
}

function RegisterForm({ onClose }: { onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [form, setForm] = useState({ subject: "", schemaType: "AVRO" as (typeof SCHEMA_TYPES)[number], schema: "", domain: "", owner: "", description: "", topic: "" });
  const set = <K extends keyof typeof form>(key: K, value: (typeof form)[K]) => setForm((f) => ({ ...f, [key]: value }));
  const register = useMutation(
    trpc.schemas.registerExternal.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.schemas.external.queryKey() });
        onClose();
      },
    }),
  );
  return (
    <section className="card section" data-testid="registry-register">
      <h2 className="card-title">Register a schema in this registry</h2>
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          register.mutate({ ...form, topic: form.topic.trim() || null });
        }}
      >
        <label>
          Subject (event type)
          <input value={form.subject} onChange={(e) => set("subject", e.target.value)} maxLength={200} required data-testid="registry-register-subject" />
        </label>
        <label>
          Format
          <select value={form.schemaType} onChange={(e) => set("schemaType", e.target.value as (typeof SCHEMA_TYPES)[number])} data-testid="registry-register-type">
            {SCHEMA_TYPES.map((t) => (
              <option key={t}>{t}</option>
            ))}
          </select>
        </label>
        <label>
          Schema
          <textarea className="mono" rows={10} spellCheck={false} value={form.schema} onChange={(e) => set("schema", e.target.value)} required data-testid="registry-register-schema" />
        </label>
        <label>
          Domain
          <input value={form.domain} onChange={(e) => set("domain", e.target.value)} maxLength={100} required />
        </label>
        <label>
          Owner (team)
          <input value={form.owner} onChange={(e) => set("owner", e.target.value)} maxLength={100} required />
        </label>
        <label>
          Description
          <input value={form.description} onChange={(e) => set("description", e.target.value)} maxLength={2000} />
        </label>
        <label>
          Topic (optional)
          <input value={form.topic} onChange={(e) => set("topic", e.target.value)} maxLength={249} />
        </label>
        <p className="muted">The schema goes to the registry, whose compatibility rules decide; Signalbox&apos;s catalog keeps the domain, owner, description and topic. Audited.</p>
        {register.isError && (
          <div className="banner bad" role="alert" data-testid="registry-register-error">
            <span>{errorText(register.error)}</span>
          </div>
        )}
        <div className="form-actions">
          <button type="submit" className="primary" disabled={register.isPending}>
            {register.isPending ? "Registering…" : "Register"}
          </button>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
        </div>
      </form>
    </section>
  );
}
