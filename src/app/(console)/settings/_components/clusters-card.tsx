"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { REGISTRY_AUTH_KINDS, SASL_MECHANISMS, SECURITY_PROTOCOLS, usesSasl, usesTls, type RegistryAuthKind, type SaslMechanism, type SecurityProtocol } from "~/lib/clusters";
import { errorText } from "~/trpc/error-text";
import { useTRPC } from "~/trpc/react";
import { CACHE_TIMES } from "~/trpc/query-client";
import type { RouterOutputs } from "~/trpc/types";

type Cluster = RouterOutputs["clusters"]["list"][number];
type Report = RouterOutputs["clusters"]["test"];

interface Form {
  name: string;
  bootstrapServers: string;
  securityProtocol: SecurityProtocol;
  saslMechanism: SaslMechanism;
  saslUsername: string;
  saslPassword: string;
  tlsCa: string;
  tlsCert: string;
  tlsKey: string;
  tlsKeyPassphrase: string;
  tlsVerifyHostname: boolean;
  removeCa: boolean;
  removeClientCertificate: boolean;
  label: string;
  color: string;
  schemaRegistryUrl: string;
  schemaRegistryAuth: RegistryAuthKind;
  schemaRegistryUsername: string;
  /** Write-only, like the SASL password: blank keeps the stored one. */
  schemaRegistryPassword: string;
  schemaRegistryToken: string;
  schemaRegistryCa: string;
  removeRegistryCa: boolean;
  /** Kafka Connect clusters, one `name=url` a line. */
  connect: string;
}

const EMPTY: Form = {
  name: "",
  bootstrapServers: "",
  securityProtocol: "SASL_SSL",
  saslMechanism: "SCRAM-SHA-512",
  saslUsername: "",
  saslPassword: "",
  tlsCa: "",
  tlsCert: "",
  tlsKey: "",
  tlsKeyPassphrase: "",
  tlsVerifyHostname: true,
  removeCa: false,
  removeClientCertificate: false,
  label: "",
  color: "",
  schemaRegistryUrl: "",
  schemaRegistryAuth: "none",
  schemaRegistryUsername: "",
  schemaRegistryPassword: "",
  schemaRegistryToken: "",
  schemaRegistryCa: "",
  removeRegistryCa: false,
  connect: "",
};

function formOf(c: Cluster): Form {
  return {
    ...EMPTY,
    name: c.name,
    bootstrapServers: c.bootstrapServers.join(", "),
    securityProtocol: c.securityProtocol,
    saslMechanism: c.saslMechanism ?? "SCRAM-SHA-512",
    saslUsername: c.saslUsername ?? "",
    tlsVerifyHostname: c.tlsVerifyHostname,
    label: c.label ?? "",
    color: c.color ?? "",
    schemaRegistryUrl: c.schemaRegistryUrl ?? "",
    schemaRegistryAuth: c.schemaRegistryAuthKind ?? "none",
    schemaRegistryUsername: c.schemaRegistryUsername ?? "",
    connect: c.connect.map((k) => `${k.name}=${k.url}`).join("\n"),
  };
}

/** `name=url` a line (a bare URL is named "connect"); the server checks names and URLs. */
function connectOf(text: string) {
  return text
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const eq = line.indexOf("=");
      return eq > 0 && !line.slice(0, eq).includes("/") ? { name: line.slice(0, eq).trim(), url: line.slice(eq + 1).trim() } : { name: "connect", url: line };
    });
}

/** The request: fields the protocol does not use are left out; blank secrets mean "keep". */
function requestOf(form: Form) {
  const sasl = usesSasl(form.securityProtocol);
  const tls = usesTls(form.securityProtocol);
  // Registry credentials only with a registry URL, and only those of the kind chosen.
  const registry = form.schemaRegistryUrl.trim() !== "";
  const auth = registry ? form.schemaRegistryAuth : "none";
  return {
    name: form.name,
    bootstrapServers: form.bootstrapServers,
    securityProtocol: form.securityProtocol,
    saslMechanism: sasl ? form.saslMechanism : null,
    saslUsername: sasl ? form.saslUsername : null,
    saslPassword: sasl ? form.saslPassword : null,
    tlsCa: tls ? form.tlsCa : null,
    tlsCert: tls ? form.tlsCert : null,
    tlsKey: tls ? form.tlsKey : null,
    tlsKeyPassphrase: tls ? form.tlsKeyPassphrase : null,
    tlsVerifyHostname: form.tlsVerifyHostname,
    label: form.label,
    color: form.color,
    schemaRegistryUrl: form.schemaRegistryUrl,
    schemaRegistryAuth: auth,
    schemaRegistryUsername: auth === "basic" ? form.schemaRegistryUsername : null,
    schemaRegistryPassword: auth === "basic" ? form.schemaRegistryPassword : null,
    schemaRegistryToken: auth === "bearer" ? form.schemaRegistryToken : null,
    schemaRegistryCa: registry ? form.schemaRegistryCa : null,
    connect: connectOf(form.connect),
    remove: [
      ...(form.removeCa ? (["tlsCa"] as const) : []),
      ...(form.removeClientCertificate ? (["tlsClientCertificate"] as const) : []),
      ...(registry && form.removeRegistryCa ? (["schemaRegistryCa"] as const) : []),
    ],
  };
}

/** The registry column: Signalbox's own, or the URL with how Signalbox authenticates to it (never the secret). */
function registrySummary(c: Cluster): string | null {
  if (!c.schemaRegistryUrl) return null;
  const parts: string[] = [];
  if (c.schemaRegistryAuthKind === "basic") parts.push(`Basic as ${c.schemaRegistryUsername ?? "?"}, ${c.hasSchemaRegistrySecret ? "password set" : "no password"}`);
  else if (c.schemaRegistryAuthKind === "bearer") parts.push(c.hasSchemaRegistrySecret ? "Bearer token set" : "Bearer, no token");
  else if (c.hasSchemaRegistrySecret) parts.push("credentials set");
  else parts.push("no credentials");
  if (c.schemaRegistryUrl.startsWith("https://")) parts.push(c.hasSchemaRegistryCa ? "own CA" : "public CAs");
  return parts.join(" · ");
}

function security(c: Cluster): string {
  const parts: string[] = [c.securityProtocol];
  if (c.saslMechanism) parts.push(`${c.saslMechanism} as ${c.saslUsername}${c.hasPassword ? ", password set" : ", no password"}`);
  if (usesTls(c.securityProtocol)) {
    parts.push(c.hasTlsCa ? "own CA" : "public CAs");
    if (c.hasTlsCert) parts.push(`client certificate${c.hasTlsKey ? " and key" : ""}`);
    if (!c.tlsVerifyHostname) parts.push("host name not verified");
  }
  return parts.join(" · ");
}

/** Settings' clusters: everyone sees them; admins add, edit, test and remove the ones not from configuration. */
export function ClustersCard({ isAdmin }: { isAdmin: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const clusters = useQuery({ ...trpc.clusters.list.queryOptions(), staleTime: CACHE_TIMES.catalog });
  const refresh = () => Promise.all([queryClient.invalidateQueries({ queryKey: trpc.clusters.list.queryKey() }), queryClient.invalidateQueries({ queryKey: trpc.audit.list.queryKey() })]);
  const [editing, setEditing] = useState<{ id: string | null; form: Form } | null>(null);
  const [report, setReport] = useState<{ name: string; report: Report } | null>(null);
  // A saved form closes with its test report: the report was about the draft.
  const saved = () => (setEditing(null), setReport(null), refresh());
  const create = useMutation(trpc.clusters.create.mutationOptions({ onSuccess: saved }));
  const update = useMutation(trpc.clusters.update.mutationOptions({ onSuccess: saved }));
  const remove = useMutation(trpc.clusters.remove.mutationOptions({ onSuccess: refresh }));
  const test = useMutation(trpc.clusters.test.mutationOptions({ onSuccess: () => void queryClient.invalidateQueries({ queryKey: trpc.audit.list.queryKey() }) }));
  const failed = create.error ?? update.error ?? remove.error ?? test.error;

  const runTest = (name: string, input: Parameters<typeof test.mutate>[0]) => {
    setReport(null);
    test.mutate(input, { onSuccess: (result) => setReport({ name, report: result }) });
  };

  return (
    <section className="card" data-testid="clusters">
      <h2>Clusters</h2>
      <p className="muted">
        Clusters come from configuration (<code>SIGNALBOX_CLUSTERS_FILE</code>, or <code>KAFKA_BROKERS</code>) and change only there, or are added here by an admin. Passwords, private keys and schema
        registry credentials are stored encrypted and never leave the server; see docs/clusters.md.
      </p>
      {failed && (
        <p className="error-text" role="alert">
          {errorText(failed)}
        </p>
      )}
      {clusters.isError && <p className="error-text">{clusters.error.message}</p>}
      {clusters.data?.length === 0 && <p className="muted">No cluster recorded yet; the worker records the configured ones when it starts.</p>}
      {clusters.data && clusters.data.length > 0 && (
        <div className="table-scroll">
          <table className="table">
            <thead>
              <tr>
                <th>Name</th>
                <th>Bootstrap servers</th>
                <th>Security</th>
                <th>Schema registry</th>
                {isAdmin && <th />}
              </tr>
            </thead>
            <tbody>
              {clusters.data.map((c) => (
                <tr key={c.id} data-testid={`cluster-row-${c.name}`}>
                  <td className="nowrap">
                    {c.color && <span className="cluster-swatch" style={{ background: c.color }} aria-hidden />}
                    <strong>{c.name}</strong> {c.label && <span className="badge idle">{c.label}</span>} {c.isDefault && <span className="badge ok">default</span>}{" "}
                    {c.source === "configuration" && <span className="muted small">from configuration</span>}
                  </td>
                  <td className="mono wrap small">{c.bootstrapServers.join(", ")}</td>
                  <td className="small wrap">{security(c)}</td>
                  <td className="small wrap registry-cell" data-testid={`cluster-registry-${c.name}`}>
                    <span className="mono">{c.schemaRegistryUrl ?? "Signalbox"}</span>
                    {registrySummary(c) && <div className="muted">{registrySummary(c)}</div>}
                    {c.connect.length > 0 && (
                      <div className="muted" data-testid={`cluster-connect-${c.name}`}>
                        Connect: {c.connect.map((k) => `${k.name}${k.basicAuth ? " (Basic auth)" : ""}`).join(", ")}
                      </div>
                    )}
                  </td>
                  {isAdmin && (
                    <td className="nowrap">
                      <button type="button" disabled={test.isPending} onClick={() => runTest(c.name, { id: c.id })} data-testid={`cluster-test-${c.name}`}>
                        Test
                      </button>{" "}
                      {c.source === "settings" && (
                        <>
                          <button type="button" onClick={() => (setReport(null), setEditing({ id: c.id, form: formOf(c) }))}>
                            Edit
                          </button>{" "}
                          <button type="button" className="danger" disabled={remove.isPending} onClick={() => window.confirm(`Remove the cluster ${c.name}?`) && remove.mutate({ id: c.id })} data-testid={`cluster-remove-${c.name}`}>
                            Remove
                          </button>
                        </>
                      )}
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {report && !editing && <ConnectionReport name={report.name} report={report.report} />}
      {isAdmin && !editing && (
        <div className="form-actions">
          <button type="button" className="primary" onClick={() => (setReport(null), setEditing({ id: null, form: EMPTY }))} data-testid="cluster-add">
            Add cluster
          </button>
        </div>
      )}
      {isAdmin && editing && (
        <ClusterForm
          key={editing.id ?? "new"}
          initial={editing.form}
          saved={editing.id ? (clusters.data?.find((c) => c.id === editing.id) ?? null) : null}
          busy={create.isPending || update.isPending}
          testing={test.isPending}
          report={report}
          onTest={(form) => runTest(form.name || "(unnamed)", { ...(editing.id ? { id: editing.id } : {}), cluster: requestOf(form) })}
          onSave={(form) => (editing.id ? update.mutate({ id: editing.id, cluster: requestOf(form) }) : create.mutate(requestOf(form)))}
          onCancel={() => (setEditing(null), setReport(null))}
        />
      )}
    </section>
  );
}

function ClusterForm(props: {
  initial: Form;
  saved: Cluster | null;
  busy: boolean;
  testing: boolean;
  report: { name: string; report: Report } | null;
  onTest: (form: Form) => void;
  onSave: (form: Form) => void;
  onCancel: () => void;
}) {
  const [form, setForm] = useState(props.initial);
  const set = <K extends keyof Form>(key: K, value: Form[K]) => setForm((f) => ({ ...f, [key]: value }));
  const saved = props.saved;
  const keepHint = (isSet: boolean | undefined, what: string) => (isSet ? `${what} is set; leave blank to keep it` : "");

  return (
    <form
      className="cluster-form"
      onSubmit={(e) => {
        e.preventDefault();
        props.onSave(form);
      }}
      data-testid="cluster-form"
    >
      <h3>{saved ? `Edit ${saved.name}` : "New cluster"}</h3>
      <div className="form-grid">
        <label>
          <span>Name</span>
          <input required maxLength={63} placeholder="prod-eu" value={form.name} onChange={(e) => set("name", e.target.value)} />
        </label>
        <label className="wide">
          <span>Bootstrap servers (host:port, comma-separated)</span>
          <input required placeholder="kafka-1.example.com:9093, kafka-2.example.com:9093" value={form.bootstrapServers} onChange={(e) => set("bootstrapServers", e.target.value)} />
        </label>
        <label>
          <span>Security protocol</span>
          <select value={form.securityProtocol} onChange={(e) => set("securityProtocol", e.target.value as SecurityProtocol)}>
            {SECURITY_PROTOCOLS.map((p) => (
              <option key={p}>{p}</option>
            ))}
          </select>
        </label>
        {usesSasl(form.securityProtocol) && (
          <>
            <label>
              <span>SASL mechanism</span>
              <select value={form.saslMechanism} onChange={(e) => set("saslMechanism", e.target.value as SaslMechanism)}>
                {SASL_MECHANISMS.map((m) => (
                  <option key={m}>{m}</option>
                ))}
              </select>
            </label>
            <label>
              <span>SASL username</span>
              <input autoComplete="off" value={form.saslUsername} onChange={(e) => set("saslUsername", e.target.value)} />
            </label>
            <label>
              <span>SASL password</span>
              <input type="password" autoComplete="new-password" placeholder={keepHint(saved?.hasPassword, "a password")} value={form.saslPassword} onChange={(e) => set("saslPassword", e.target.value)} />
            </label>
          </>
        )}
      </div>
      {usesTls(form.securityProtocol) && (
        <div className="form-grid section">
          <label>
            <span>CA bundle (PEM; blank: public CAs)</span>
            <textarea rows={3} spellCheck={false} placeholder={saved?.hasTlsCa ? "a CA bundle is set; leave blank to keep it" : "-----BEGIN CERTIFICATE-----"} value={form.tlsCa} onChange={(e) => set("tlsCa", e.target.value)} />
            {saved?.hasTlsCa && (
              <span className="checkbox-line">
                <input type="checkbox" checked={form.removeCa} onChange={(e) => set("removeCa", e.target.checked)} /> remove the stored CA bundle
              </span>
            )}
          </label>
          <label>
            <span>Client certificate (PEM, mutual TLS)</span>
            <textarea rows={3} spellCheck={false} placeholder={saved?.hasTlsCert ? "a certificate is set; leave blank to keep it" : "-----BEGIN CERTIFICATE-----"} value={form.tlsCert} onChange={(e) => set("tlsCert", e.target.value)} />
            {saved?.hasTlsCert && (
              <span className="checkbox-line">
                <input type="checkbox" checked={form.removeClientCertificate} onChange={(e) => set("removeClientCertificate", e.target.checked)} /> remove the client certificate and key
              </span>
            )}
          </label>
          <label>
            <span>Client private key (PEM, write-only)</span>
            <textarea rows={3} spellCheck={false} autoComplete="off" placeholder={saved?.hasTlsKey ? "a key is set; leave blank to keep it" : "-----BEGIN PRIVATE KEY-----"} value={form.tlsKey} onChange={(e) => set("tlsKey", e.target.value)} />
          </label>
          <label>
            <span>Key passphrase (if the key is encrypted)</span>
            <input type="password" autoComplete="new-password" placeholder={keepHint(saved?.hasTlsKeyPassphrase, "a passphrase")} value={form.tlsKeyPassphrase} onChange={(e) => set("tlsKeyPassphrase", e.target.value)} />
            <span className="checkbox-line">
              <input type="checkbox" checked={form.tlsVerifyHostname} onChange={(e) => set("tlsVerifyHostname", e.target.checked)} /> verify the broker&apos;s host name
            </span>
          </label>
        </div>
      )}
      <div className="form-grid section">
        <label>
          <span>Label (env, region)</span>
          <input maxLength={40} placeholder="prod" value={form.label} onChange={(e) => set("label", e.target.value)} />
        </label>
        <label>
          <span>Color (#rrggbb)</span>
          <input maxLength={7} placeholder="#d9480f" value={form.color} onChange={(e) => set("color", e.target.value)} />
        </label>
        <label className="wide">
          <span>Schema registry URL (blank: Signalbox&apos;s own)</span>
          <input type="url" maxLength={2000} placeholder="https://registry.example.com" value={form.schemaRegistryUrl} onChange={(e) => set("schemaRegistryUrl", e.target.value)} data-testid="cluster-form-registry-url" />
        </label>
        {form.schemaRegistryUrl.trim() !== "" && <RegistryFields form={form} set={set} saved={saved} />}
        <label className="wide">
          <span>Kafka Connect REST URLs, one name=url a line (HTTP Basic auth: in configuration only)</span>
          <textarea
            rows={2}
            className="mono"
            placeholder="main=http://connect-1.example.com:8083"
            value={form.connect}
            onChange={(e) => set("connect", e.target.value)}
            data-testid="cluster-form-connect"
          />
        </label>
      </div>
      {props.report && <ConnectionReport name={props.report.name} report={props.report.report} />}
      <div className="form-actions">
        <button type="button" disabled={props.testing} onClick={() => props.onTest(form)} data-testid="cluster-form-test">
          {props.testing ? "Testing…" : "Test connection"}
        </button>
        <button type="submit" className="primary" disabled={props.busy}>
          {saved ? "Save" : "Add cluster"}
        </button>
        <button type="button" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** The external registry's authentication and CA. Secrets are write-only: the placeholder says whether one is stored. */
function RegistryFields({ form, set, saved }: { form: Form; set: <K extends keyof Form>(key: K, value: Form[K]) => void; saved: Cluster | null }) {
  const sameUrl = saved?.schemaRegistryUrl === form.schemaRegistryUrl.trim().replace(/\/+$/, "");
  const storedFor = (kind: RegistryAuthKind, what: string) =>
    saved?.hasSchemaRegistrySecret && saved.schemaRegistryAuthKind === kind ? (sameUrl ? `${what} is set; leave blank to keep it` : `type it again: the URL changed`) : "";
  const https = form.schemaRegistryUrl.trim().startsWith("https://");
  return (
    <fieldset className="wide registry-fields" data-testid="cluster-form-registry">
      <legend>Schema registry authentication</legend>
      <div className="form-grid">
        <label>
          <span>Authentication</span>
          <select value={form.schemaRegistryAuth} onChange={(e) => set("schemaRegistryAuth", e.target.value as RegistryAuthKind)} data-testid="cluster-form-registry-auth">
            {REGISTRY_AUTH_KINDS.map((k) => (
              <option key={k} value={k}>
                {k === "none" ? "None" : k === "basic" ? "HTTP Basic (username and password)" : "Bearer token"}
              </option>
            ))}
          </select>
          {saved?.hasSchemaRegistrySecret && form.schemaRegistryAuth === "none" && <span className="muted small">Saving with None clears the stored credentials.</span>}
        </label>
        {form.schemaRegistryAuth === "basic" && (
          <>
            <label>
              <span>Registry username</span>
              <input autoComplete="off" maxLength={256} value={form.schemaRegistryUsername} onChange={(e) => set("schemaRegistryUsername", e.target.value)} data-testid="cluster-form-registry-username" />
            </label>
            <label>
              <span>Registry password (write-only)</span>
              <input
                type="password"
                autoComplete="new-password"
                maxLength={1000}
                placeholder={storedFor("basic", "a password")}
                value={form.schemaRegistryPassword}
                onChange={(e) => set("schemaRegistryPassword", e.target.value)}
                data-testid="cluster-form-registry-password"
              />
            </label>
          </>
        )}
        {form.schemaRegistryAuth === "bearer" && (
          <label>
            <span>Registry token (write-only)</span>
            <input
              type="password"
              autoComplete="new-password"
              maxLength={4000}
              placeholder={storedFor("bearer", "a token")}
              value={form.schemaRegistryToken}
              onChange={(e) => set("schemaRegistryToken", e.target.value)}
              data-testid="cluster-form-registry-token"
            />
          </label>
        )}
        {https ? (
          <label className="wide">
            <span>Registry CA bundle (PEM; blank: public CAs)</span>
            <textarea
              rows={3}
              spellCheck={false}
              placeholder={saved?.hasSchemaRegistryCa ? "a CA bundle is set; leave blank to keep it" : "-----BEGIN CERTIFICATE-----"}
              value={form.schemaRegistryCa}
              onChange={(e) => set("schemaRegistryCa", e.target.value)}
              data-testid="cluster-form-registry-ca"
            />
            {saved?.hasSchemaRegistryCa && (
              <span className="checkbox-line">
                <input type="checkbox" checked={form.removeRegistryCa} onChange={(e) => set("removeRegistryCa", e.target.checked)} data-testid="cluster-form-registry-ca-remove" /> remove the stored registry CA bundle
              </span>
            )}
          </label>
        ) : (
          <p className="muted small wide">A CA bundle applies to an https:// registry URL.</p>
        )}
      </div>
    </fieldset>
  );
}

const REGISTRY_FAILURES: Record<NonNullable<Report["registry"]>["failure"] & string, string> = {
  unreachable: "unreachable",
  tls: "TLS: certificate not trusted or handshake failed",
  timeout: "no answer in time",
  unauthorized: "credentials refused (401/403)",
  "not-a-registry": "not a Confluent-compatible registry API",
  error: "refused",
};

const STEP_NAMES: Record<string, string> = { dns: "DNS", tcp: "TCP", tls: "TLS", sasl: "SASL", metadata: "Metadata", authorization: "ACLs" };

function ConnectionReport({ name, report }: { name: string; report: Report }) {
  return (
    <div className={`connection-report ${report.ok ? "ok" : "bad"}`} data-testid="connection-report">
      <strong>
        {name}: {report.ok ? "connected" : "connection failed"}
      </strong>
      {report.failure && (
        <p className="error-text" role="alert" data-testid="connection-failure">
          {report.failure.message}
        </p>
      )}
      {report.registry && !report.registry.ok && (
        <p className="error-text" role="alert" data-testid="connection-registry-failure">
          {report.registry.message}
        </p>
      )}
      <ol className="connection-steps">
        {report.steps.map((s, i) => (
          <li key={i} className={s.ok ? "ok-text" : "error-text"}>
            <span className="step-name">{STEP_NAMES[s.step] ?? s.step}</span> {s.ok ? "✓" : "✗"} <span className="muted">{s.ok ? s.message : s.target}</span>
          </li>
        ))}
        {report.registry && (
          <li className={report.registry.ok ? "ok-text" : "error-text"} data-testid="connection-registry">
            <span className="step-name">Registry</span> {report.registry.ok ? "✓" : "✗"} <span className="muted">{report.registry.ok ? report.registry.message : `${REGISTRY_FAILURES[report.registry.failure ?? "error"]} (${report.registry.url})`}</span>
          </li>
        )}
      </ol>
    </div>
  );
}
