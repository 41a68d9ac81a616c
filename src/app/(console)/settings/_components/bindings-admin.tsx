"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { Role } from "~/lib/roles";
import { useTRPC } from "~/trpc/react";
import { CACHE_TIMES } from "~/trpc/query-client";
import { RoleOptions } from "./role-options";

const KINDS = ["topics", "groups", "subjects", "clusters"] as const;
const list = (text: string) => text.split(",").map((p) => p.trim()).filter(Boolean);

/** Roles limited to resources by name patterns, e.g. support on topics payments.*. */
export function BindingsAdmin() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const bindings = useQuery({ ...trpc.bindings.list.queryOptions(), staleTime: CACHE_TIMES.catalog });
  const refresh = () => Promise.all([queryClient.invalidateQueries({ queryKey: trpc.bindings.list.queryKey() }), queryClient.invalidateQueries({ queryKey: trpc.audit.list.queryKey() })]);
  const create = useMutation(trpc.bindings.create.mutationOptions({ onSuccess: refresh }));
  const remove = useMutation(trpc.bindings.remove.mutationOptions({ onSuccess: refresh }));
  const empty = { principalKind: "user" as "user" | "group" | "token", principal: "", role: "support" as Role, topics: "", groups: "", subjects: "", clusters: "" };
  const [form, setForm] = useState(empty);
  const error = create.error ?? remove.error;

  return (
    <section className="card" data-testid="bindings">
      <h2>Scoped roles</h2>
      <p className="muted">
        A role on some resources only, added to the person&apos;s or token&apos;s own role: e.g. support on topics <code>payments.*</code> may redrive <code>payments.DLQ</code> and not{" "}
        <code>orders.DLQ</code>. Patterns are globs; lists and searches show only what a scoped viewer may see. A group binding applies to everyone in that identity provider group.
      </p>
      {error && (
        <p className="error-text" role="alert">
          {error.message}
        </p>
      )}
      {bindings.data && bindings.data.length === 0 && <p className="muted">No scoped roles yet.</p>}
      {bindings.data && bindings.data.length > 0 && (
        <table className="table">
          <thead>
            <tr>
              <th>Who</th>
              <th>Role</th>
              <th>Limited to</th>
              <th>Added by</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {bindings.data.map((b) => (
              <tr key={b.id} data-testid={`binding-row-${b.principal}`}>
                <td className="wrap">
                  <span className="muted small">{b.principalKind}</span> <span className="mono">{b.principal}</span>
                </td>
                <td>{b.role}</td>
                <td className="mono wrap small">
                  {KINDS.filter((k) => b[k].length > 0)
                    .map((k) => `${k}: ${b[k].join(", ")}`)
                    .join(" · ")}
                </td>
                <td className="muted small wrap">{b.createdBy}</td>
                <td>
                  <button type="button" className="danger" disabled={remove.isPending} onClick={() => remove.mutate({ id: b.id })}>
                    Remove
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate(
            { principalKind: form.principalKind, principal: form.principal, role: form.role, topics: list(form.topics), groups: list(form.groups), subjects: list(form.subjects), clusters: list(form.clusters) },
            { onSuccess: () => setForm(empty) },
          );
        }}
        data-testid="binding-create"
      >
        <strong>New scoped role</strong>
        <select aria-label="Binding principal kind" value={form.principalKind} onChange={(e) => setForm({ ...form, principalKind: e.target.value as typeof form.principalKind })}>
          <option value="user">user</option>
          <option value="group">group</option>
          <option value="token">token</option>
        </select>
        <input aria-label="Binding principal" placeholder="email, group or token name" required maxLength={254} value={form.principal} onChange={(e) => setForm({ ...form, principal: e.target.value })} />
        <select aria-label="Binding role" value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value as Role })}>
          <RoleOptions />
        </select>
        {KINDS.map((k) => (
          <input key={k} aria-label={`Binding ${k}`} placeholder={`${k} (globs, comma-separated)`} maxLength={2000} value={form[k]} onChange={(e) => setForm({ ...form, [k]: e.target.value })} />
        ))}
        <button type="submit" className="primary" disabled={create.isPending}>
          Add
        </button>
      </form>
    </section>
  );
}
