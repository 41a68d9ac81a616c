// Shared pieces of the two single sign-on routes: the configuration and the transaction cookie.
import { getEnv } from "~/env";
import { oidcConfigFromEnv, type OidcConfig } from "~/server/services/auth/oidc-config";
import { isHttps } from "./session-cookie";

export const OIDC_TX_COOKIE = "signalbox_oidc_tx";

export function oidcSetup(): { config: OidcConfig; secret: string; publicUrl: string | undefined } | null {
  const env = getEnv();
  const config = oidcConfigFromEnv(env);
  return config && env.SIGNALBOX_SECRET ? { config, secret: env.SIGNALBOX_SECRET, publicUrl: env.SIGNALBOX_PUBLIC_URL } : null;
}

/**
 * The callback the provider redirects to; it must be registered there exactly. Without
 * SIGNALBOX_PUBLIC_URL it is on the host the browser asked for (the Host header, which the proxy
 * has checked against ALLOWED_HOSTS), not on `request.url`'s: `next start -H 127.0.0.1` reports
 * localhost there, and the browser would come back to a host its transaction cookie was not set for.
 */
export function redirectUri(request: Request, publicUrl: string | undefined): string {
  const host = request.headers.get("host");
  const origin = publicUrl ?? (host ? `${isHttps(request) ? "https" : "http"}://${host}` : new URL(request.url).origin);
  return new URL("/api/auth/oidc/callback", origin).href;
}

export function transactionCookie(request: Request, value: string, maxAgeSeconds: number): string {
  // Lax, not Strict: it must come back on the provider's top-level redirect to the callback.
  return [`${OIDC_TX_COOKIE}=${value}`, "Path=/api/auth/oidc", "HttpOnly", "SameSite=Lax", `Max-Age=${maxAgeSeconds}`, ...(isHttps(request) ? ["Secure"] : [])].join("; ");
}

export function signInPageWithError(request: Request, message: string): Response {
  const url = new URL("/sign-in", new URL(request.url).origin);
  url.searchParams.set("error", message.slice(0, 300));
  return new Response(null, { status: 303, headers: { location: `${url.pathname}${url.search}`, "cache-control": "no-store" } });
}
