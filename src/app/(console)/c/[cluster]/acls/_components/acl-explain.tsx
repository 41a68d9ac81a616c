"use client";

// "Why is this denied?": a principal, an operation and a resource in; Kafka's decision out, with the
// ACLs on that resource and what each does for the question (the server applies the authorizer's rules).
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { ACL_RESOURCE_TYPES, describeAcl, onResourceType, OPERATIONS_BY_RESOURCE, type AclOperation, type AclResourceType } from "~/lib/acls";
import { errorText } from "~/trpc/error-text";
import { useTRPC } from "~/trpc/react";
import type { RouterInputs } from "~/trpc/types";

type Question = RouterInputs["acls"]["explain"];

const EFFECT_LABEL: Record<string, { text: string; badge: string }> = {
  denies: { text: "Denies", badge: "badge bad" },
  allows: { text: "Allows", badge: "badge ok" },
  "other-operation": { text: "Other operation", badge: "badge" },
  "other-principal": { text: "Other principal", badge: "badge" },
  "other-host": { text: "Other host", badge: "badge" },
};

export function AclExplain({ onClose }: { onClose: () => void }) {
  const trpc = useTRPC();
  const [draft, setDraft] = useState<Question>({ principal: "User:", host: "*", operation: "READ", resourceType: "TOPIC", resourceName: "" });
  const [asked, setAsked] = useState<Question | null>(null);
  const answer = useQuery(trpc.acls.explain.queryOptions(asked ?? draft, { enabled: asked !== null, retry: false }));
  const operations = OPERATIONS_BY_RESOURCE[draft.resourceType].filter((o) => o !== "ALL");
  const set = (change: Partial<Question>) => setDraft(change.resourceType ? onResourceType({ ...draft, ...change }, change.resourceType, true) : { ...draft, ...change });

  return (
    <section className="card section acl-form" data-testid="acl-explain">
      <h2>Why is this denied?</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setAsked({ ...draft });
        }}
      >
        <div className="form-grid">
          <label>
            <span>Principal</span>
            <input className="text-input mono" value={draft.principal} onChange={(e) => set({ principal: e.target.value })} placeholder="User:alice" data-testid="acl-explain-principal" />
          </label>
          <label>
            <span>Operation</span>
            <select value={draft.operation} onChange={(e) => set({ operation: e.target.value as AclOperation })} data-testid="acl-explain-operation">
              {operations.map((o) => (
                <option key={o}>{o}</option>
              ))}
            </select>
          </label>
          <label>
            <span>From host</span>
            <input className="text-input mono" value={draft.host} onChange={(e) => set({ host: e.target.value })} data-testid="acl-explain-host" />
          </label>
          <label>
            <span>Resource type</span>
            <select value={draft.resourceType} onChange={(e) => set({ resourceType: e.target.value as AclResourceType })} data-testid="acl-explain-resource-type">
              {ACL_RESOURCE_TYPES.map((t) => (
                <option key={t}>{t}</option>
              ))}
            </select>
          </label>
          <label>
            <span>Resource name</span>
            <input className="text-input mono" value={draft.resourceName} onChange={(e) => set({ resourceName: e.target.value })} disabled={draft.resourceType === "CLUSTER"} placeholder="orders" data-testid="acl-explain-resource-name" />
          </label>
        </div>
        <p className="muted small">
          What Kafka&apos;s authorizer decides for this one request, and which of the cluster&apos;s ACLs decide it. Super users (<span className="mono">super.users</span> in the
          brokers&apos; server.properties) may do everything; Kafka does not report who they are.
        </p>
        <div className="confirm-row">
          <button type="submit" className="primary" data-testid="acl-explain-submit">
            {answer.isFetching ? "Asking…" : "Explain"}
          </button>
          <button type="button" onClick={onClose}>
            Close
          </button>
        </div>
      </form>
      {asked && answer.isError && (
        <div className="banner bad" role="alert" data-testid="acl-explain-error">
          <strong>Could not explain</strong>
          <span>{errorText(answer.error)}</span>
        </div>
      )}
      {asked && answer.data && (
        <div data-testid="acl-explain-result" data-decision={answer.data.decision}>
          <div className={answer.data.decision === "ALLOWED" ? "banner ok" : "banner bad"} role="status">
            <strong>{answer.data.decision === "ALLOWED" ? "Allowed" : "Denied"}</strong>
            <span data-testid="acl-explain-reason">{answer.data.reason}</span>
          </div>
          {answer.data.rules.length > 0 && (
            <table className="table middle" data-testid="acl-explain-rules">
              <thead>
                <tr>
                  <th>Effect</th>
                  <th>ACL</th>
                  <th>Why</th>
                </tr>
              </thead>
              <tbody>
                {answer.data.rules.map((rule) => (
                  <tr key={describeAcl(rule.binding)} data-testid="acl-explain-rule" data-effect={rule.effect}>
                    <td>
                      <span className={EFFECT_LABEL[rule.effect]!.badge}>{EFFECT_LABEL[rule.effect]!.text}</span>
                    </td>
                    <td className="mono cell-clip" title={describeAcl(rule.binding)}>
                      {describeAcl(rule.binding)}
                    </td>
                    <td>{rule.why}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      )}
    </section>
  );
}
