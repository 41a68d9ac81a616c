"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { Role } from "~/lib/roles";
import { useTRPC } from "~/trpc/react";
import { CACHE_TIMES } from "~/trpc/query-client";
import { RoleOptions } from "./role-options";

export function TokensAdmin() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const tokens = useQuery({ ...trpc.tokens.list.queryOptions(), staleTime: CACHE_TIMES.catalog });
  const refresh = () => Promise.all([queryClient.invalidateQueries({ queryKey: trpc.tokens.list.queryKey() }), queryClient.invalidateQueries({ queryKey: trpc.audit.list.queryKey() })]);
  const create = useMutation(trpc.tokens.create.mutationOptions({ onSuccess: refresh }));
  const revoke = useMutation(trpc.tokens.revoke.mutationOptions({ onSuccess: refresh }));
  const [name, setName] = useState("");
  const [role, setRole] = useState<Role>("viewer");
  const error = create.error ?? revoke.error;

  return (
    <section className="card" data-testid="tokens">
      <h2>API tokens</h2>
      <p className="muted">
        For tools: Prometheus (<code>authorization: credentials: &lt;secret&gt;</code>), schema-registry clients (<code>basic.auth.user.info=&lt;name&gt;:&lt;secret&gt;</code>) and scripts. The secret is shown once;
        only its hash is stored. The CLI does the same: <code>npm run --silent token -- create --name NAME --role ROLE</code>.
      </p>
      {error && (
        <p className="error-text" role="alert">
          {error.message}
        </p>
      )}
      {create.data && (
        <div className="card secret-once" data-testid="token-secret">
          <strong>Copy the secret of {create.data.name} now: it is not shown again.</strong>
          <code className="mono wrap">{create.data.secret}</code>
        </div>
      )}
      {tokens.data && tokens.data.length === 0 && <p className="muted">No tokens yet.</p>}
      {tokens.data && tokens.data.length > 0 && (
        <table className="table">
          <thead>
            <tr>
              <th>Name</th>
              <th>Role</th>
              <th>Created by</th>
              <th>Created</th>
              <th>Last used</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {tokens.data.map((t) => (
              <tr key={t.id} data-testid={`token-row-${t.name}`}>
                <td className="mono wrap">{t.name}</td>
                <td>{t.role}</td>
                <td className="wrap">{t.createdBy?.email ?? "CLI"}</td>
                <td className="muted small nowrap">{new Date(t.createdAt).toLocaleString()}</td>
                <td className="muted small nowrap">{t.lastUsedAt ? new Date(t.lastUsedAt).toLocaleString() : "never"}</td>
                <td>
                  {t.revokedAt ? (
                    <span className="badge idle">revoked</span>
                  ) : (
                    <button type="button" className="danger" disabled={revoke.isPending} onClick={() => window.confirm(`Revoke ${t.name}? Tools using it stop working at once.`) && revoke.mutate({ name: t.name })}>
                      Revoke
                    </button>
                  )}
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
          create.mutate({ name, role }, { onSuccess: () => setName("") });
        }}
      >
        <strong>New token</strong>
        <input aria-label="Token name" placeholder="name, e.g. prometheus" required maxLength={64} pattern="[A-Za-z0-9][A-Za-z0-9._\-]*" value={name} onChange={(e) => setName(e.target.value)} />
        <select aria-label="Token role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
          <RoleOptions />
        </select>
        <button type="submit" className="primary" disabled={create.isPending}>
          Create token
        </button>
      </form>
    </section>
  );
}
