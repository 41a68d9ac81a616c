"use client";

import { useQuery } from "@tanstack/react-query";
import { useActor } from "~/components/auth/actor-context";
import { useTRPC } from "~/trpc/react";
import { CACHE_TIMES } from "~/trpc/query-client";
import { BindingsAdmin } from "./bindings-admin";
import { MaskingPolicies } from "./masking-policies";
import { TokensAdmin } from "./tokens-admin";
import { UsersAdmin } from "./users-admin";

const METHOD: Record<string, string> = { password: "a local account", oidc: "single sign-on", none: "nothing: sign-in is off (SIGNALBOX_AUTH=none)", token: "an API token" };

export function SettingsView() {
  const trpc = useTRPC();
  const me = useActor();
  const clusters = useQuery({ ...trpc.clusters.list.queryOptions(), staleTime: CACHE_TIMES.catalog });
  const isAdmin = me?.role === "admin";

  return (
    <div className="grid" style={{ gap: 16 }}>
      <section className="card" data-testid="current-user">
        <h2>You</h2>
        {me && (
          <p>
            {me.name} <span className="mono">&lt;{me.email}&gt;</span> with the <strong>{me.role ?? "no"}</strong> role, signed in with {METHOD[me.method ?? ""] ?? me.method}.
          </p>
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

      {isAdmin ? (
        <>
          <UsersAdmin selfEmail={me.email} />
          <BindingsAdmin />
          <TokensAdmin />
          <MaskingPolicies />
        </>
      ) : (
        <section className="card" data-testid="users">
          <h2>Users, roles and API tokens</h2>
          <p className="muted">viewer reads everything; operator manages alerts and offsets; architect manages the catalog; support replays and redrives; admin does all of it. Only an admin manages users and tokens.</p>
        </section>
      )}
    </div>
  );
}
