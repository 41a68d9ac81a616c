"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { Role } from "~/lib/roles";
import { useTRPC } from "~/trpc/react";
import { CACHE_TIMES } from "~/trpc/query-client";
import { RoleOptions } from "./role-options";

const NO_ROLE = "";

/** Where a role came from, in words: an admin (local) or an identity provider's group. */
function roleSource(source: string): string {
  return source.startsWith("oidc:") ? `group ${source.slice(5)}` : source === "local" ? "set in Signalbox" : source;
}

export function UsersAdmin({ selfEmail }: { selfEmail: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const users = useQuery({ ...trpc.users.list.queryOptions(), staleTime: CACHE_TIMES.catalog });
  // Only the user list and the audit log change.
  const refresh = () => Promise.all([queryClient.invalidateQueries({ queryKey: trpc.users.list.queryKey() }), queryClient.invalidateQueries({ queryKey: trpc.audit.list.queryKey() })]);
  const setRole = useMutation(trpc.users.setRole.mutationOptions({ onSuccess: refresh }));
  const setDisabled = useMutation(trpc.users.setDisabled.mutationOptions({ onSuccess: refresh }));
  const resetPassword = useMutation(trpc.users.resetPassword.mutationOptions({ onSuccess: refresh }));
  const create = useMutation(trpc.users.create.mutationOptions({ onSuccess: refresh }));
  const [form, setForm] = useState({ email: "", name: "", role: "viewer" as Role | "", password: "" });
  const error = setRole.error ?? setDisabled.error ?? resetPassword.error ?? create.error;

  return (
    <section className="card" data-testid="users">
      <h2>Users and roles</h2>
      <p className="muted">viewer reads everything; operator manages alerts and offsets; architect manages the catalog; support replays and redrives; admin does all of it.</p>
      {error && (
        <p className="error-text" role="alert">
          {error.message}
        </p>
      )}
      {users.isError && <p className="error-text">{users.error.message}</p>}
      {users.data && (
        <div className="table-scroll">
          <table className="table">
            <thead>
              <tr>
                <th>Email</th>
                <th>Name</th>
                <th>Role</th>
                <th>Role from</th>
                <th>Status</th>
                <th>Last sign-in</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {users.data.map((u) => (
                <tr key={u.id} data-testid={`user-row-${u.email}`}>
                  <td className="mono wrap">{u.email}</td>
                  <td className="wrap">{u.name}</td>
                  <td>
                    <select
                      aria-label={`Role of ${u.email}`}
                      value={u.role ?? NO_ROLE}
                      disabled={setRole.isPending || u.email === selfEmail}
                      onChange={(e) => setRole.mutate({ email: u.email, role: (e.target.value || null) as Role | null })}
                    >
                      <RoleOptions allowNone />
                    </select>
                  </td>
                  <td className="muted small">{roleSource(u.roleSource)}</td>
                  <td>
                    {u.disabled ? (
                      <span className="badge bad">disabled</span>
                    ) : u.lockedUntil && new Date(u.lockedUntil) > new Date() ? (
                      <span className="badge warn" title={`until ${new Date(u.lockedUntil).toLocaleString()}`}>
                        locked
                      </span>
                    ) : (
                      <span className="badge ok">active</span>
                    )}
                    {!u.hasPassword && <span className="muted small"> SSO only</span>}
                  </td>
                  <td className="muted small nowrap">
                    {u.lastSignInAt ? new Date(u.lastSignInAt).toLocaleString() : "never"}
                    {u.sessions > 0 && ` · ${u.sessions} session${u.sessions === 1 ? "" : "s"}`}
                  </td>
                  <td className="nowrap">
                    {u.email !== selfEmail && (
                      <button type="button" className={u.disabled ? undefined : "danger"} disabled={setDisabled.isPending} onClick={() => setDisabled.mutate({ email: u.email, disabled: !u.disabled })} data-testid={`user-toggle-${u.email}`}>
                        {u.disabled ? "Enable" : "Disable"}
                      </button>
                    )}{" "}
                    <button
                      type="button"
                      disabled={resetPassword.isPending}
                      onClick={() => {
                        const password = window.prompt(`New password for ${u.email} (at least 12 characters). Their sessions end.`);
                        if (password) resetPassword.mutate({ email: u.email, password });
                      }}
                    >
                      Reset password
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate({ email: form.email, name: form.name, role: form.role || null, password: form.password }, { onSuccess: () => setForm({ email: "", name: "", role: "viewer", password: "" }) });
        }}
        data-testid="user-create"
      >
        <strong>New local account</strong>
        <input aria-label="Email" placeholder="email" type="email" required maxLength={254} value={form.email} onChange={(e) => setForm({ ...form, email: e.target.value })} />
        <input aria-label="Name" placeholder="name" required maxLength={120} value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />
        <select aria-label="Role" value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value as Role | "" })}>
          <RoleOptions allowNone />
        </select>
        <input aria-label="Password" placeholder="password (12+ characters)" type="password" required minLength={12} maxLength={200} value={form.password} onChange={(e) => setForm({ ...form, password: e.target.value })} />
        <button type="submit" className="primary" disabled={create.isPending}>
          Create
        </button>
      </form>
    </section>
  );
}
