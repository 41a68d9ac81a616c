"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ROLES, type Role } from "~/server/catalog/types";
import { useTRPC } from "~/trpc/react";
import { CACHE_TIMES } from "~/trpc/query-client";

export function SettingsView() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const me = useQuery({ ...trpc.users.me.queryOptions(), staleTime: CACHE_TIMES.catalog });
  const clusters = useQuery({ ...trpc.clusters.list.queryOptions(), staleTime: CACHE_TIMES.catalog });
  const users = useQuery({ ...trpc.users.list.queryOptions(), staleTime: CACHE_TIMES.catalog });
  const setRole = useMutation(
    trpc.users.setRole.mutationOptions({
      // Only the user list and the audit log change.
      onSuccess: () =>
        Promise.all([queryClient.invalidateQueries({ queryKey: trpc.users.list.queryKey() }), queryClient.invalidateQueries({ queryKey: trpc.audit.list.queryKey() })]),
    }),
  );
  const isAdmin = me.data?.role === "admin";

  return (
    <div className="grid" style={{ gap: 16 }}>
      <section className="card" data-testid="current-user">
        <h2>You</h2>
        {me.data ? (
          <p>
            {me.data.name} <span className="mono">&lt;{me.data.email}&gt;</span> with the <strong>{me.data.role}</strong> role. Until login exists, the user comes from the
            configuration variables <code>SIGNALBOX_USER_EMAIL</code>, <code>SIGNALBOX_USER_NAME</code> and <code>SIGNALBOX_USER_ROLE</code>.
          </p>
        ) : (
          <div className="skeleton" />
        )}
      </section>

      <section className="card" data-testid="clusters">
        <h2>Clusters</h2>
        <p className="muted">The cluster comes from configuration (KAFKA_BROKERS and KAFKA_SASL_*). Passwords never leave the server.</p>
        {clusters.isError && <p className="error-text">{clusters.error.message}</p>}
        {clusters.data?.length === 0 && <p className="muted">No cluster recorded yet; the worker records the configured one when it starts.</p>}
        {clusters.data && clusters.data.length > 0 && (
          <table className="table">
            <thead>
              <tr>
                <th>Name</th>
                <th>Bootstrap servers</th>
                <th>TLS</th>
                <th>SASL</th>
              </tr>
            </thead>
            <tbody>
              {clusters.data.map((c) => (
                <tr key={c.id}>
                  <td>
                    {c.name} {c.isDefault && <span className="badge idle">default</span>}
                  </td>
                  <td className="mono wrap">{c.bootstrapServers.join(", ")}</td>
                  <td>{c.ssl ? "on" : "off"}</td>
                  <td>{c.saslMechanism ? `${c.saslMechanism} as ${c.saslUsername}${c.hasSaslPassword ? " (password set)" : ""}` : "none"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section className="card" data-testid="users">
        <h2>Users and roles</h2>
        <p className="muted">
          viewer reads everything; operator manages alerts; architect manages the catalog; support replays and redrives; admin does all of it. {!isAdmin && "Only an admin can change roles."}
        </p>
        {setRole.isError && <p className="error-text" role="alert">{setRole.error.message}</p>}
        {users.data && (
          <table className="table">
            <thead>
              <tr>
                <th>Email</th>
                <th>Name</th>
                <th>Role</th>
              </tr>
            </thead>
            <tbody>
              {users.data.map((u) => (
                <tr key={u.id}>
                  <td className="mono wrap">{u.email}</td>
                  <td className="wrap">{u.name}</td>
                  <td>
                    <select
                      aria-label={`Role of ${u.email}`}
                      value={u.role}
                      disabled={!isAdmin || setRole.isPending}
                      onChange={(e) => setRole.mutate({ email: u.email, role: e.target.value as Role })}
                    >
                      {ROLES.map((r) => (
                        <option key={r} value={r}>
                          {r}
                        </option>
                      ))}
                    </select>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
