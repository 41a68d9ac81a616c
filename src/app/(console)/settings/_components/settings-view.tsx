"use client";

import { useActor } from "~/components/auth/actor-context";
import { BindingsAdmin } from "./bindings-admin";
import { ClustersCard } from "./clusters-card";
import { MaskingPolicies } from "./masking-policies";
import { TokensAdmin } from "./tokens-admin";
import { UsersAdmin } from "./users-admin";

const METHOD: Record<string, string> = { password: "a local account", oidc: "single sign-on", none: "nothing: sign-in is off (SIGNALBOX_AUTH=none)", token: "an API token" };

export function SettingsView() {
  const me = useActor();
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

      <ClustersCard isAdmin={isAdmin} />

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
