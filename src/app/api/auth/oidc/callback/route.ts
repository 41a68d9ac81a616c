// GET /api/auth/oidc/callback: the provider sends the browser back here with a code (or an error).
import { getEnv } from "~/env";
import { describeError } from "~/server/errors";
import { OIDC_TX_COOKIE, oidcSetup, signInPageWithError, transactionCookie } from "~/server/http/oidc-routes";
import { clientInfo, cookieValue } from "~/server/http/request-actor";
import { sessionCookie } from "~/server/http/session-cookie";
import { completeOidcSignIn } from "~/server/services/auth/oidc";
import { signInWithIdentity } from "~/server/services/auth/oidc-sign-in";
import { openTransaction } from "~/server/services/auth/oidc-transaction";
import { sessionPolicy } from "~/server/services/auth/sessions";

export const dynamic = "force-dynamic";

export async function GET(request: Request): Promise<Response> {
  const setup = oidcSetup();
  if (!setup) return signInPageWithError(request, "Single sign-on is not configured (OIDC_ISSUER_URL).");
  const sealed = cookieValue(request.headers, OIDC_TX_COOKIE);
  if (!sealed) return signInPageWithError(request, "The sign-on took too long or started in another browser. Try again.");
  try {
    // A transaction is good for one callback: the cookie is cleared whatever happens next.
    const transaction = openTransaction(sealed, setup.secret);
    const identity = await completeOidcSignIn(setup.config, { callbackUrl: new URL(request.url), transaction });
    const result = await signInWithIdentity(setup.config, identity, clientInfo(request.headers), sessionPolicy(getEnv()));
    if (!result.ok) return withClearedTransaction(request, signInPageWithError(request, result.message));
    const response = new Response(null, { status: 303, headers: { location: transaction.returnTo ?? "/", "cache-control": "no-store" } });
    response.headers.append("set-cookie", sessionCookie(request, result.token, result.expiresAt));
    return withClearedTransaction(request, response);
  } catch (error) {
    return withClearedTransaction(request, signInPageWithError(request, describeError(error)));
  }
}

function withClearedTransaction(request: Request, response: Response): Response {
  response.headers.append("set-cookie", transactionCookie(request, "", 0));
  return response;
}
