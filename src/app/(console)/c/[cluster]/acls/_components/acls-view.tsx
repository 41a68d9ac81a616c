"use client";

// The cluster's ACLs, filtered by principal and resource; admins create and delete them. A cluster
// without an authorizer has none, and the page says so instead of failing.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { CardSkeleton, LoadFailed } from "~/components/layout/load-states";
import { useDeferredValue, useState } from "react";
import { useCanEverywhere } from "~/components/auth/actor-context";
import { TypeToConfirm } from "~/components/forms/type-to-confirm";
import { ACL_RESOURCE_TYPES, describeAcl, existingAclSchema, type AclResourceType } from "~/lib/acls";
import { formatCount } from "~/lib/format";
import { errorText } from "~/trpc/error-text";
import { useTRPC } from "~/trpc/react";
import type { RouterOutputs } from "~/trpc/types";
import { AclExplain } from "./acl-explain";
import { AclForm } from "./acl-form";

type Listing = RouterOutputs["acls"]["list"];
type Binding = Extract<Listing, { enabled: true }>["bindings"][number];

const keyOf = (b: Binding) => describeAcl(b);

export function AclsView() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const canManage = useCanEverywhere("admin");
  const [principal, setPrincipal] = useState("");
  const [resourceType, setResourceType] = useState<AclResourceType | "">("");
  const [resourceName, setResourceName] = useState("");
  const filter = useDeferredValue({ principal: principal || undefined, resourceType: resourceType || undefined, resourceName: resourceName || undefined });
  const list = useQuery(trpc.acls.list.queryOptions(filter, { placeholderData: (previous) => previous }));
  const [creating, setCreating] = useState(false);
  const [explaining, setExplaining] = useState(false);
  const [deleting, setDeleting] = useState<Binding | null>(null);
  const remove = useMutation(
    trpc.acls.delete.mutationOptions({
      onSuccess: () => {
        setDeleting(null);
        void queryClient.invalidateQueries({ queryKey: trpc.acls.list.pathKey() });
      },
    }),
  );
  const enabled = list.data?.enabled ?? false;

  return (
    <div className="page" data-testid="acls-page">
      <header className="page-header">
        <h1>ACLs</h1>
        <p className="muted">Who may do what on the cluster&apos;s topics, groups, transactional ids and the cluster itself.</p>
        <div className="header-actions">
          {enabled && !explaining && (
            <button type="button" className="header-action" onClick={() => setExplaining(true)} data-testid="acl-explain-start">
              Why denied?
            </button>
          )}
          {canManage && enabled && !creating && (
            <button type="button" className="header-action" onClick={() => setCreating(true)} data-testid="acl-new">
              New ACL…
            </button>
          )}
        </div>
      </header>

      {list.isPending ? (
        <CardSkeleton height={120} />
      ) : list.isError ? (
        <LoadFailed what="the ACLs" error={list.error} testId="acls-error" />
      ) : !list.data.enabled ? (
        <div className="card empty-state" data-testid="acls-disabled">
          <h2>ACLs are not enabled on this cluster (no authorizer configured)</h2>
          <p>
            Kafka answered SECURITY_DISABLED: its brokers have no <span className="mono">authorizer.class.name</span>, so every client may do everything and no ACL can be
            stored. On KRaft, set <span className="mono">authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer</span> and{" "}
            <span className="mono">super.users</span> (including the principal Signalbox connects as) on every broker and controller.
          </p>
        </div>
      ) : (
        <>
          {explaining && <AclExplain onClose={() => setExplaining(false)} />}
          {creating && <AclForm onClose={() => setCreating(false)} />}
          {deleting && (
            <TypeToConfirm
              name={deleting.principal}
              title="Delete this ACL?"
              action="Delete ACL"
              pending={remove.isPending}
              error={remove.error ? errorText(remove.error) : null}
              onConfirm={() => remove.mutate(existingAclSchema.parse(deleting))}
              onCancel={() => {
                setDeleting(null);
                remove.reset();
              }}
              testId="acl-delete"
            >
              <span className="mono">{describeAcl(deleting)}</span> is removed from the cluster at once: requests it allowed are refused from then on (or, for a DENY,
              allowed again if another ACL allows them). The deletion is recorded in the audit log.
            </TypeToConfirm>
          )}
          <div className="list-toolbar">
            <input type="search" className="search-input" placeholder="Principal…" aria-label="Filter by principal" value={principal} onChange={(e) => setPrincipal(e.target.value)} data-testid="acl-filter-principal" />
            <select value={resourceType} onChange={(e) => setResourceType(e.target.value as AclResourceType | "")} aria-label="Filter by resource type" data-testid="acl-filter-type">
              <option value="">Any resource type</option>
              {ACL_RESOURCE_TYPES.map((t) => (
                <option key={t}>{t}</option>
              ))}
            </select>
            <input type="search" className="search-input" placeholder="Resource name…" aria-label="Filter by resource name" value={resourceName} onChange={(e) => setResourceName(e.target.value)} data-testid="acl-filter-resource" />
            <span className="muted" data-testid="acl-count">
              {formatCount(list.data.bindings.length)} of {formatCount(list.data.total)}
            </span>
          </div>
          {list.data.bindings.length === 0 ? (
            <div className="card empty-state" data-testid="acls-empty">
              <h2>{list.data.total === 0 ? "No ACLs" : "No ACL matches"}</h2>
              <p>{list.data.total === 0 ? "The cluster has an authorizer but no ACLs: only super users may do anything." : "The filters match part of the principal and of the resource name, ignoring case."}</p>
            </div>
          ) : (
            <section className="card flush">
              <table className="table middle" data-testid="acls-table">
                <thead>
                  <tr>
                    <th>Principal</th>
                    <th>Permission</th>
                    <th>Operation</th>
                    <th>Resource</th>
                    <th>Pattern</th>
                    <th>Host</th>
                    <th className="right">{canManage ? "Delete" : ""}</th>
                  </tr>
                </thead>
                <tbody>
                  {list.data.bindings.map((b) => (
                    <tr key={keyOf(b)} data-testid="acl-row" data-principal={b.principal} data-resource={b.resourceName}>
                      <td className="mono cell-clip" title={b.principal}>
                        {b.principal}
                      </td>
                      <td>
                        <span className={b.permission === "DENY" ? "badge bad" : "badge ok"}>{b.permission}</span>
                      </td>
                      <td className="mono">{b.operation}</td>
                      <td className="mono cell-clip" title={`${b.resourceType} ${b.resourceName}`}>
                        <span className="muted">{b.resourceType}</span> {b.resourceName}
                      </td>
                      <td className="mono">{b.patternType}</td>
                      <td className="mono">{b.host}</td>
                      <td className="right">
                        {canManage && existingAclSchema.safeParse(b).success && (
                          <button
                            type="button"
                            className="danger"
                            onClick={() => {
                              remove.reset();
                              setDeleting(b);
                            }}
                            data-testid="acl-delete-start"
                          >
                            Delete…
                          </button>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          )}
        </>
      )}
    </div>
  );
}
