"use client";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useTRPC } from "~/trpc/react";
import { useActor, type PublicActor } from "./actor-context";

const METHOD_LABEL: Record<string, string> = { password: "local account", oidc: "single sign-on", none: "sign-in is off", token: "API token" };

/** The role, and any role limited by patterns (e.g. "viewer · support on topics payments.*"). */
function roleLabel(actor: PublicActor): string {
  const scoped = actor.grants.filter((g) => g.scope).map((g) => `${g.role} on ${Object.entries(g.scope!).filter(([, p]) => p.length).map(([k, p]) => `${k} ${p.join(", ")}`).join("; ")}`);
  return [actor.role ?? (scoped.length ? null : "no role"), ...scoped].filter(Boolean).join(" · ");
}

/** Who am I, my role, and the ways out. Sign out is a plain form POST, so it works without JavaScript. */
export function UserMenu() {
  const actor = useActor();
  const trpc = useTRPC();
  const router = useRouter();
  const [open, setOpen] = useState(false);
  // Every session, this one too, is gone: the sign-in page is all that is left.
  const everywhere = useMutation(trpc.users.signOutEverywhere.mutationOptions({ onSuccess: () => router.replace("/sign-in?signedOut=everywhere") }));
  if (!actor) return null;
  return (
    <div className="user-menu" data-testid="user-menu">
      <button type="button" className="user-menu-button" aria-expanded={open} onClick={() => setOpen((o) => !o)} data-testid="user-menu-button">
        <span className="avatar" aria-hidden>
          {actor.name.slice(0, 1).toUpperCase()}
        </span>
        <span className="user-menu-who">
          <span className="user-menu-name" title={actor.name}>
            {actor.name}
          </span>
          <span className="muted user-menu-role" data-testid="user-role">
            {roleLabel(actor)}
          </span>
        </span>
      </button>
      {open && (
        <div className="user-menu-panel" role="menu">
          <div className="muted small" title={actor.email}>
            {actor.email}
          </div>
          <div className="muted small">Signed in with {METHOD_LABEL[actor.method ?? ""] ?? actor.method ?? "?"}</div>
          {actor.method !== "none" && (
            <>
              <form method="post" action="/api/auth/sign-out">
                <button type="submit" data-testid="sign-out">
                  Sign out
                </button>
              </form>
              <button type="button" onClick={() => everywhere.mutate()} disabled={everywhere.isPending} data-testid="sign-out-everywhere">
                Sign out everywhere
              </button>
            </>
          )}
        </div>
      )}
    </div>
  );
}
