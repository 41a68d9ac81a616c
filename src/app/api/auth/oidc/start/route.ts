// GET /api/auth/oidc/start?returnTo=/path: sends the browser to the identity provider.
import { oidcSetup, redirectUri, signInPageWithError, transactionCookie } from "~/server/http/oidc-routes";
import { describeError } from "~/server/errors";
import { beginOidcSignIn } from "~/server/services/auth/oidc";
import { OIDC_TRANSACTION_TTL_MS, sealTransaction } from "~/server/services/auth/oidc-transaction";

export const dynamic = "force-dynamic";

export async function GET(request: Request): Promise<Response> {
  const setup = oidcSetup();
  if (!setup) return signInPageWithError(request, "Single sign-on is not configured (OIDC_ISSUER_URL).");
  const asked = new URL(request.url).searchParams.get("returnTo") ?? "/";
  const returnTo = asked.startsWith("/") && !asked.startsWith("//") && !asked.startsWith("/\\") ? asked.slice(0, 500) : "/";
  try {
    const { authorizationUrl, transaction } = await beginOidcSignIn(setup.config, { redirectUri: redirectUri(request, setup.publicUrl), returnTo });
    return new Response(null, {
      status: 302,
      headers: { location: authorizationUrl.href, "set-cookie": transactionCookie(request, sealTransaction(transaction, setup.secret), OIDC_TRANSACTION_TTL_MS / 1000), "cache-control": "no-store" },
    });
  } catch (error) {
    return signInPageWithError(request, describeError(error));
  }
}
