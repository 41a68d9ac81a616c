"use client";

import { useCan } from "~/components/auth/actor-context";
import { CardSkeleton, LoadFailed } from "~/components/layout/load-states";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ClusterLink } from "~/components/clusters/cluster-link";
import { useState } from "react";
import { LiveIndicator, SamplerBanner } from "~/components/live/sampler-banner";
import type { AlertItem, AlertRule, AlertRuleInput } from "~/components/lag/types";
import { useLiveRefresh } from "~/components/live/use-live-refresh";
import { useNow } from "~/components/live/use-now";
import { formatAge, formatCount, formatDateTime } from "~/lib/format";
import { errorText } from "~/trpc/error-text";
import { useTRPC } from "~/trpc/react";

type Kind = AlertRuleInput["kind"];

const KINDS: { value: Kind; label: string }[] = [
  { value: "LAG_MESSAGES", label: "Lag (messages) >" },
  { value: "LAG_SECONDS", label: "Lag (seconds) >" },
  { value: "GROUP_STATUS_ERR", label: "Group status is ERR" },
  { value: "CONNECTOR_FAILED", label: "Connector or task FAILED (Kafka Connect)" },
  { value: "OUTBOX_STALLED", label: "Outbox relay stalled (transactional outbox)" },
  { value: "FLOW_STUCK", label: "Flow: stuck or failed instances >" },
  { value: "FLOW_SLO_BURN", label: "Flow: % finished past the end-to-end SLO (10 min) >" },
  { value: "FLOW_DUPLICATES", label: "Flow: duplicates and repeated results (10 min) >" },
];

function condition(rule: Pick<AlertRule, "kind" | "threshold">): string {
  switch (rule.kind) {
    case "LAG_MESSAGES":
      return `Lag > ${formatCount(rule.threshold ?? 0)} messages`;
    case "LAG_SECONDS":
      return `Lag > ${formatCount(rule.threshold ?? 0)} s`;
    case "GROUP_STATUS_ERR":
      return "Group status is ERR";
    case "CONNECTOR_FAILED":
      return "Connector or task FAILED";
    case "OUTBOX_STALLED":
      return "Outbox relay stalled";
    case "FLOW_STUCK":
      return `Stuck or failed instances > ${formatCount(rule.threshold ?? 0)}`;
    case "FLOW_SLO_BURN":
      return `Past the end-to-end SLO > ${rule.threshold ?? 0}% (10 min)`;
    case "FLOW_DUPLICATES":
      return `Duplicates > ${formatCount(rule.threshold ?? 0)} (10 min)`;
  }
}

const DELIVERY_WORDS: Record<NonNullable<AlertItem["webhook"]>["state"], { label: string; tone: string; title: string }> = {
  pending: { label: "pending", tone: "", title: "Queued or being retried" },
  delivered: { label: "delivered", tone: "ok", title: "The webhook answered 2xx" },
  failed: { label: "failed", tone: "bad", title: "The webhook was not delivered" },
};

/** The delivery's state for everyone; the server adds the reason only for operators and admins. */
function WebhookStatus({ webhook }: { webhook: AlertItem["webhook"] }) {
  if (webhook === null) return <span className="muted">—</span>;
  const words = DELIVERY_WORDS[webhook.state];
  return (
    <span data-testid="alert-webhook" data-webhook-state={webhook.state}>
      <span className={`webhook-status ${words.tone}`} title={words.title}>
        {words.label}
      </span>
      {webhook.reason && (
        <div className="muted small wrap" data-testid="alert-webhook-reason">
          {webhook.reason}
        </div>
      )}
    </span>
  );
}

/** What the alert is about: a consumer group, a connector (`<connect>/<connector>`) for CONNECTOR_FAILED rules, an outbox for OUTBOX_STALLED. */
function GroupLink({ groupId, kind }: { groupId: string; kind: AlertItem["ruleKind"] }) {
  if (kind.startsWith("FLOW_")) {
    return (
      <ClusterLink href={`/flows?flow=${encodeURIComponent(groupId)}`} className="mono" data-testid="alert-flow">
        {groupId}
      </ClusterLink>
    );
  }
  if (kind === "OUTBOX_STALLED") {
    return (
      <ClusterLink href="/outbox" className="mono" data-testid="alert-outbox">
        {groupId}
      </ClusterLink>
    );
  }
  if (kind === "CONNECTOR_FAILED") {
    const slash = groupId.indexOf("/");
    return (
      <ClusterLink href={`/connect/${encodeURIComponent(groupId.slice(0, slash))}/${encodeURIComponent(groupId.slice(slash + 1))}`} className="mono" data-testid="alert-connector">
        {groupId}
      </ClusterLink>
    );
  }
  return (
    <ClusterLink href={`/groups/${encodeURIComponent(groupId)}`} className="mono" data-testid="alert-group">
      {groupId}
    </ClusterLink>
  );
}

function AlertTables({ alerts, now }: { alerts: AlertItem[]; now: number }) {
  const firing = alerts.filter((a) => a.state === "FIRING");
  const resolved = alerts.filter((a) => a.state !== "FIRING");
  return (
    <>
      <section className="card section flush firing-card" data-testid="firing-alerts">
        <h2 className="card-title">
          Firing <span className={firing.length ? "count-pill bad" : "count-pill"}>{formatCount(firing.length)}</span>
        </h2>
        {firing.length === 0 ? (
          <p className="muted pad" data-testid="no-firing">
            Nothing is firing.
          </p>
        ) : (
          <div className="table-scroll">
            <table className="table">
              <thead>
                <tr>
                  <th>Since</th>
                  <th>Rule</th>
                  <th>Group or connector</th>
                  <th>Message</th>
                  <th>Webhook</th>
                </tr>
              </thead>
              <tbody>
                {firing.map((a) => (
                  <tr key={a.id} className="alert-firing" data-testid="alert-row" data-state={a.state} data-rule={a.ruleName} data-group={a.groupId}>
                    <td className="mono nowrap" title={formatDateTime(a.firedAt)}>
                      {formatDateTime(a.firedAt)}
                      <div className="muted small">{formatAge(now - a.firedAt.getTime())} ago</div>
                    </td>
                    <td className="wrap" data-testid="alert-rule">
                      {a.ruleName}
                    </td>
                    <td className="wrap">
                      <GroupLink groupId={a.groupId} kind={a.ruleKind} />
                    </td>
                    <td className="wrap" data-testid="alert-message">
                      {a.message}
                    </td>
                    <td>
                      <WebhookStatus webhook={a.webhook} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section className="card section flush" data-testid="resolved-alerts">
        <h2 className="card-title">
          Resolved <span className="count-pill">{formatCount(resolved.length)}</span>
        </h2>
        {resolved.length === 0 ? (
          <p className="muted pad">No alert has resolved yet.</p>
        ) : (
          <div className="table-scroll">
            <table className="table">
              <thead>
                <tr>
                  <th>Fired</th>
                  <th>Resolved</th>
                  <th>Rule</th>
                  <th>Group or connector</th>
                  <th>Message</th>
                  <th>Webhook</th>
                </tr>
              </thead>
              <tbody>
                {resolved.map((a) => (
                  <tr key={a.id} data-testid="alert-row" data-state={a.state} data-rule={a.ruleName} data-group={a.groupId}>
                    <td className="mono nowrap">{formatDateTime(a.firedAt)}</td>
                    <td className="mono nowrap">
                      {a.resolvedAt ? formatDateTime(a.resolvedAt) : "—"}
                      {a.resolvedAt && <div className="muted small">after {formatAge(a.resolvedAt.getTime() - a.firedAt.getTime())}</div>}
                    </td>
                    <td className="wrap">{a.ruleName}</td>
                    <td className="wrap">
                      <GroupLink groupId={a.groupId} kind={a.ruleKind} />
                    </td>
                    <td className="wrap">{a.message}</td>
                    <td>
                      <WebhookStatus webhook={a.webhook} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}

function RuleRow({ rule }: { rule: AlertRule }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const invalidate = () => queryClient.invalidateQueries({ queryKey: trpc.alerts.pathKey() });
  const toggle = useMutation(trpc.alerts.setRuleEnabled.mutationOptions({ onSettled: invalidate }));
  const remove = useMutation(trpc.alerts.deleteRule.mutationOptions({ onSettled: invalidate }));
  const error = toggle.error ?? remove.error;
  const enabled = toggle.isPending && toggle.variables ? toggle.variables.enabled : rule.enabled;

  return (
    <tr data-testid="rule-row" data-rule={rule.name} className={enabled ? undefined : "rule-disabled"}>
      <td className="wrap" data-testid="rule-name">
        {rule.name}
      </td>
      <td className="nowrap" data-testid="rule-condition">
        {condition(rule)}
      </td>
      <td className="mono wrap">{rule.groupPattern}</td>
      <td className="nowrap">{rule.forMinutes === 0 ? "at once" : `${formatCount(rule.forMinutes)} min`}</td>
      <td className="mono wrap small">{rule.webhook ?? <span className="muted">—</span>}</td>
      <td>
        <label className="switch" title={enabled ? "Enabled: click to disable" : "Disabled: click to enable"}>
          <input
            type="checkbox"
            checked={enabled}
            disabled={toggle.isPending}
            onChange={(e) => toggle.mutate({ id: rule.id, enabled: e.target.checked })}
            aria-label={`Enable rule ${rule.name}`}
            data-testid="rule-enabled"
          />
          <span className="switch-track" aria-hidden />
          <span className="switch-label">{enabled ? "on" : "off"}</span>
        </label>
      </td>
      <td className="nowrap">
        {confirming ? (
          <span className="confirm">
            <button type="button" className="danger" onClick={() => remove.mutate({ id: rule.id }, { onSettled: () => setConfirming(false) })} disabled={remove.isPending} data-testid="rule-delete-confirm">
              {remove.isPending ? "Deleting…" : "Delete"}
            </button>
            <button type="button" onClick={() => setConfirming(false)} disabled={remove.isPending}>
              Keep
            </button>
          </span>
        ) : (
          <button type="button" onClick={() => setConfirming(true)} data-testid="rule-delete" aria-label={`Delete rule ${rule.name}`}>
            Delete…
          </button>
        )}
        {error && (
          <div className="error-text small" role="alert" data-testid="rule-error">
            {errorText(error)}
          </div>
        )}
      </td>
    </tr>
  );
}

const EMPTY_FORM = { name: "", kind: "LAG_MESSAGES" as Kind, threshold: "", groupPattern: "*", forMinutes: "0", webhookUrl: "" };

function NewRuleForm() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [form, setForm] = useState(EMPTY_FORM);
  const [created, setCreated] = useState<string | null>(null);
  const create = useMutation(
    trpc.alerts.createRule.mutationOptions({
      onSuccess: (rule) => {
        setCreated(rule.name);
        setForm(EMPTY_FORM);
        void queryClient.invalidateQueries({ queryKey: trpc.alerts.pathKey() });
      },
    }),
  );
  const needsThreshold = form.kind !== "GROUP_STATUS_ERR" && form.kind !== "CONNECTOR_FAILED" && form.kind !== "OUTBOX_STALLED";
  const set = (key: keyof typeof EMPTY_FORM) => (e: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) => {
    setCreated(null);
    setForm((f) => ({ ...f, [key]: e.target.value }));
  };

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    const threshold = needsThreshold && form.threshold.trim() !== "" ? Number(form.threshold) : null;
    create.mutate({
      name: form.name,
      kind: form.kind,
      threshold,
      groupPattern: form.groupPattern,
      forMinutes: form.forMinutes.trim() === "" ? 0 : Number(form.forMinutes),
      webhookUrl: form.webhookUrl.trim() || null,
    });
  };

  return (
    <form className="card section rule-form" onSubmit={submit} data-testid="new-rule-form" noValidate>
      <h2>New rule</h2>
      <div className="form-grid">
        <label>
          <span>Name</span>
          <input type="text" value={form.name} onChange={set("name")} placeholder="e.g. Notifications behind" maxLength={120} data-testid="rule-name-input" />
        </label>
        <label>
          <span>When</span>
          <select value={form.kind} onChange={set("kind")} data-testid="rule-kind-select">
            {KINDS.map((k) => (
              <option key={k.value} value={k.value}>
                {k.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>Threshold {form.kind === "LAG_SECONDS" ? "(seconds)" : form.kind === "LAG_MESSAGES" ? "(messages)" : form.kind === "FLOW_SLO_BURN" ? "(%)" : form.kind === "FLOW_STUCK" ? "(instances)" : form.kind === "FLOW_DUPLICATES" ? "(events)" : ""}</span>
          <input
            type="number"
            min={0}
            step="any"
            value={needsThreshold ? form.threshold : ""}
            onChange={set("threshold")}
            disabled={!needsThreshold}
            placeholder={needsThreshold ? "0" : "not used"}
            data-testid="rule-threshold-input"
          />
        </label>
        <label>
          <span>{form.kind === "CONNECTOR_FAILED" ? "Connectors (glob over connect/connector)" : form.kind === "OUTBOX_STALLED" ? "Outboxes (glob over their names)" : form.kind.startsWith("FLOW_") ? "Flows (glob over their names)" : "Groups (glob)"}</span>
          <input type="text" value={form.groupPattern} onChange={set("groupPattern")} className="mono" data-testid="rule-pattern-input" />
        </label>
        <label>
          <span>For (minutes)</span>
          <input type="number" min={0} max={1440} step={1} value={form.forMinutes} onChange={set("forMinutes")} data-testid="rule-for-input" />
        </label>
        <label className="wide">
          <span>Webhook URL (optional)</span>
          <input type="url" value={form.webhookUrl} onChange={set("webhookUrl")} placeholder="https://hooks.example.com/…" className="mono" data-testid="rule-webhook-input" />
        </label>
      </div>
      <div className="form-actions">
        <button type="submit" className="primary" disabled={create.isPending} data-testid="rule-create">
          {create.isPending ? "Creating…" : "Create rule"}
        </button>
        <span className="muted small">
          The worker checks every rule after each sample; &quot;For&quot; is how long the condition must hold before the alert fires. The webhook receives a JSON POST when an alert fires and
          when it resolves (public addresses only, unless WEBHOOK_ALLOWED_HOSTS names it; no redirects; retried up to 5 times).
        </span>
      </div>
      {create.error && (
        <p className="error-text" role="alert" data-testid="rule-form-error">
          {errorText(create.error)}
        </p>
      )}
      {created && !create.error && (
        <p className="ok-text" role="status" data-testid="rule-created">
          Rule “{created}” created.
        </p>
      )}
    </form>
  );
}

export function AlertsView() {
  const trpc = useTRPC();
  const canManageRules = useCan("operator");
  const live = useLiveRefresh();
  const now = useNow(1000);
  const alerts = useQuery(trpc.alerts.list.queryOptions());
  const rules = useQuery(trpc.alerts.rules.queryOptions());

  return (
    <div className="page" data-testid="alerts-page">
      <header className="page-header">
        <h1>Alerts</h1>
        <p className="muted">Rules over consumer-group lag, and what they fired.</p>
        <LiveIndicator live={live} />
      </header>
      <SamplerBanner live={live} />

      {alerts.isPending ? (
        <CardSkeleton height={100} />
      ) : alerts.isError ? (
        <LoadFailed what="the alerts" error={alerts.error} testId="alerts-error" />
      ) : (
        <AlertTables alerts={alerts.data} now={now} />
      )}

      <section className="card section flush" data-testid="rules">
        <h2 className="card-title">
          Rules {rules.data && <span className="count-pill">{formatCount(rules.data.length)}</span>}
        </h2>
        {rules.isPending ? (
          <div className="skeleton" style={{ height: 80, margin: 16 }} />
        ) : rules.isError ? (
          <p className="error-text pad" role="alert">
            {rules.error.message}
          </p>
        ) : rules.data.length === 0 ? (
          <p className="muted pad" data-testid="no-rules">
            No rules yet. Create one below; it applies from the next sample.
          </p>
        ) : (
          <div className="table-scroll">
            <table className="table" data-testid="rules-table">
              <thead>
                <tr>
                  <th>Name</th>
                  <th>Condition</th>
                  <th>Groups</th>
                  <th>For</th>
                  <th>Webhook</th>
                  <th>Enabled</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {rules.data.map((rule) => (
                  <RuleRow key={rule.id} rule={rule} />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      {canManageRules ? <NewRuleForm /> : <p className="muted small" data-testid="rules-read-only">Creating and changing alert rules needs the operator role.</p>}
    </div>
  );
}
