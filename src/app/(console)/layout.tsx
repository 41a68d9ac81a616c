// Every page of the console needs a signed-in person. The proxy already sent browsers without a
// session cookie to /sign-in; here the cookie itself is checked (expired, revoked, disabled user).
import { redirect } from "next/navigation";
import { ActorProvider } from "~/components/auth/actor-context";
import { Sidebar } from "~/components/layout/sidebar";
import { LiveEventsProvider } from "~/components/live/live-events";
import { getEnv } from "~/env";
import { currentActor } from "~/server/http/current-actor";
import { grantsOf } from "~/server/services/auth/authorize";
import { clusterChoicesFor } from "~/server/services/clusters/home";
import { TRPCReactProvider } from "~/trpc/react";

export default async function ConsoleLayout({ children }: { children: React.ReactNode }) {
  const actor = await currentActor();
  if (!actor) redirect("/sign-in?expired=1");
  const grants = grantsOf(actor);
  const publicActor = { email: actor.email, name: actor.name, role: actor.role, method: actor.method ?? null, grants };
  const clusters = await clusterChoicesFor(getEnv(), actor);
  return (
    <TRPCReactProvider>
      <ActorProvider actor={publicActor}>
        <LiveEventsProvider>
        {actor.method === "none" && (
          <div className="auth-off-banner" role="alert" data-testid="auth-off-banner">
            Sign-in is off (SIGNALBOX_AUTH=none): everyone who reaches this server acts as an admin. For local development only.
          </div>
        )}
        <div className="shell">
          <Sidebar clusters={clusters} />
          <main className="content">
            {grants.length > 0 ? (
              children
            ) : (
              <div className="page">
                <div className="card empty-state" data-testid="no-role">
                  <h1>You have no role yet</h1>
                  <p>
                    You are signed in as {actor.email}, but no role is assigned to you, so there is nothing you may see. Ask an admin to give you a role, or to map
                    one of your identity provider&apos;s groups to a role.
                  </p>
                </div>
              </div>
            )}
          </main>
        </div>
        </LiveEventsProvider>
      </ActorProvider>
    </TRPCReactProvider>
  );
}
