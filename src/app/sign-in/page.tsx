import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getEnv } from "~/env";
import { currentActor } from "~/server/http/current-actor";
import { oidcSetup } from "~/server/http/oidc-routes";
import { SignInForm } from "./sign-in-form";

export const metadata: Metadata = { title: "Sign in" };

/** Only a local path may follow a sign-in, never another site (open redirect). */
function safeNext(next: string | string[] | undefined): string {
  const value = Array.isArray(next) ? next[0] : next;
  return value && value.startsWith("/") && !value.startsWith("//") && !value.startsWith("/\\") ? value : "/";
}

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const next = safeNext(params.next);
  if (getEnv().SIGNALBOX_AUTH === "none" || (await currentActor())) redirect(next);
  const sso = oidcSetup();
  const error = typeof params.error === "string" ? params.error.slice(0, 300) : null;
  const notice = params.signedOut === "everywhere" ? "You are signed out on every device." : params.signedOut ? "You are signed out." : params.expired ? "Your session ended. Sign in again." : null;
  return (
    <main className="sign-in-page">
      <div className="sign-in-card card">
        <div className="brand">
          {/* A plain img: an SVG of a few hundred bytes needs no image optimisation. */}
          {/* eslint-disable-next-line @next/next/no-img-element */}
          <img className="brand-mark" src="/logo.svg" alt="" width={24} height={24} />
          Signalbox
        </div>
        <h1>Sign in</h1>
        {notice && (
          <p className="muted" data-testid="sign-in-notice">
            {notice}
          </p>
        )}
        {error && (
          <p className="error-text" role="alert" data-testid="sign-in-error">
            {error}
          </p>
        )}
        {sso && (
          <>
            <a className="sign-in-sso" href={`/api/auth/oidc/start?returnTo=${encodeURIComponent(next)}`} data-testid="sign-in-sso">
              {sso.config.displayName}
            </a>
            <div className="sign-in-divider">or with a local account</div>
          </>
        )}
        <SignInForm next={next} />
      </div>
    </main>
  );
}
