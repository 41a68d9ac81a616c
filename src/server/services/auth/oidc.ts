// Single sign-on with OpenID Connect: the authorization code flow with PKCE, state and nonce, done by
// openid-client (a certified relying party). This module knows nothing of HTTP routes, cookies or
// users; it turns a configuration into a redirect, and a callback into a verified identity.
//
// How to wire it in (the integrator's part):
//
//   config      = parseOidcConfig(process.env)          // oidc-config.ts; null: SSO is off, show no button
//   redirectUri = `${PUBLIC_URL}/api/auth/oidc/callback` // register exactly this at the provider
//
//   GET /api/auth/oidc/start?returnTo=/groups
//     const { authorizationUrl, transaction } = await beginOidcSignIn(config, { redirectUri, returnTo });
//     set cookie "signalbox_oidc_tx" = sealTransaction(transaction, sessionSecret)   // secret: ≥ 32 bytes
//       HttpOnly; Secure (when https); SameSite=Lax (it must come back on the provider's top-level
//       redirect, which Strict would drop); Path=/api/auth/oidc; Max-Age=600
//     302 → authorizationUrl
//
//   GET /api/auth/oidc/callback?code=…&state=…  (or ?error=access_denied&error_description=…)
//     const transaction = openTransaction(cookie, sessionSecret);     // OidcError if tampered or > 10 min
//     delete the cookie (a transaction is good for one callback)
//     const identity = await completeOidcSignIn(config, { callbackUrl: new URL(request.url), transaction });
//     const grant = highestRole(rolesFromGroups(identity.groups, config.roleMapping, config.defaultRole));
//     no grant → refuse ("none of your groups has access"); else find or create the user by
//       (identity.issuer, identity.subject), give it grant.role, start the session,
//       302 → transaction.returnTo (always a local path)
//     on OidcError → the sign-in page with error.userMessage (error.failure says which problem)
//
// Match users on (issuer, subject), not email: an email can be reassigned at the provider; if
// accounts are ever linked by email, require identity.emailVerified.
import { createHash } from "node:crypto";
import * as client from "openid-client";
import type { OidcConfig } from "./oidc-config";
import { OidcError } from "./oidc-error";
import { groupsFromClaims } from "./oidc-groups";
import type { OidcTransaction } from "./oidc-transaction";

export { OidcError, type OidcFailure } from "./oidc-error";

export interface OidcIdentity {
  subject: string;
  issuer: string;
  email: string;
  /** As the provider says; undefined when it says nothing. */
  emailVerified: boolean | undefined;
  name: string;
  groups: string[];
}

// Seconds: long enough for a provider under load, short enough that the sign-in page answers.
const PROVIDER_TIMEOUT_S = 10;

const discoveries = new Map<string, Promise<client.Configuration>>();

/** The provider's metadata and keys, read once per issuer and client for the life of the process. */
function clientConfiguration(config: OidcConfig): Promise<client.Configuration> {
  const secretDigest = config.clientSecret ? createHash("sha256").update(config.clientSecret).digest("base64url") : "";
  const key = [config.issuerUrl.href, config.clientId, secretDigest, config.allowInsecureHttp].join("\n");
  let pending = discoveries.get(key);
  if (!pending) {
    pending = discover(config);
    discoveries.set(key, pending);
    // A failed discovery is forgotten, so the next sign-in tries again once the provider is back.
    pending.catch(() => discoveries.delete(key));
  }
  return pending;
}

async function discover(config: OidcConfig): Promise<client.Configuration> {
  const issuer = config.issuerUrl.href;
  try {
    return await client.discovery(
      config.issuerUrl,
      config.clientId,
      config.clientSecret ? { client_secret: config.clientSecret } : undefined,
      config.clientSecret ? clientSecretAuth(config.clientSecret) : client.None(),
      { timeout: PROVIDER_TIMEOUT_S, execute: config.allowInsecureHttp ? [client.allowInsecureRequests] : [] },
    );
  } catch (cause) {
    const network = networkProblem(cause);
    if (network) throw new OidcError("ISSUER_UNREACHABLE", `The identity provider at ${issuer} cannot be reached (${network}).`, { cause });
    throw new OidcError("DISCOVERY_FAILED", `The identity provider at ${issuer} did not give a usable OpenID configuration: ${problemOf(cause)}.`, { cause });
  }
}

/**
 * The secret in an Authorization header when the provider accepts that (the spec's default when it
 * lists nothing), else in the form body: providers differ, and each supports at least one.
 */
function clientSecretAuth(secret: string): client.ClientAuth {
  const basic = client.ClientSecretBasic(secret);
  const post = client.ClientSecretPost(secret);
  return (as, metadata, body, headers) => {
    const methods = as.token_endpoint_auth_methods_supported;
    (!methods || methods.includes("client_secret_basic") ? basic : post)(as, metadata, body, headers);
  };
}

/** Where the provider should send the browser, and what to keep (sealed) until it comes back. */
export async function beginOidcSignIn(
  config: OidcConfig,
  { redirectUri, returnTo }: { redirectUri: string; returnTo?: string },
): Promise<{ authorizationUrl: URL; transaction: OidcTransaction }> {
  const configuration = await clientConfiguration(config);
  const codeVerifier = client.randomPKCECodeVerifier();
  const transaction: OidcTransaction = {
    state: client.randomState(),
    nonce: client.randomNonce(),
    codeVerifier,
    redirectUri,
    returnTo: localPath(returnTo),
    createdAt: Date.now(),
  };
  const authorizationUrl = client.buildAuthorizationUrl(configuration, {
    redirect_uri: redirectUri,
    scope: config.scopes,
    code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: "S256",
    state: transaction.state,
    nonce: transaction.nonce,
  });
  return { authorizationUrl, transaction };
}

/** Only a path on this site, so the return after sign-in can never become an open redirect. */
function localPath(returnTo: string | undefined): string {
  if (!returnTo || !returnTo.startsWith("/") || returnTo.startsWith("//") || returnTo.startsWith("/\\")) return "/";
  return returnTo;
}

/**
 * Checks the provider's callback against `transaction`, redeems the code (PKCE, state and nonce
 * checked, ID token verified by openid-client), reads userinfo and returns who signed in.
 */
export async function completeOidcSignIn(
  config: OidcConfig,
  { callbackUrl, transaction }: { callbackUrl: URL; transaction: OidcTransaction },
): Promise<OidcIdentity> {
  const params = callbackUrl.searchParams;
  // Checked here as well as by openid-client, to name the problem: a callback from another
  // browser's or an older attempt must not be explained as the provider's fault.
  if (params.get("state") !== transaction.state) {
    throw new OidcError("STATE_MISMATCH", "The sign-in response does not belong to this browser's sign-in attempt (state mismatch). Please sign in again.");
  }
  const providerError = params.get("error");
  if (providerError) {
    const description = params.get("error_description");
    throw new OidcError("PROVIDER_ERROR", `The identity provider refused the sign-in: ${providerError}${description ? ` (${description})` : ""}.`);
  }

  const configuration = await clientConfiguration(config);
  // The redirect URI sent at the start, not the URL this server saw: behind a proxy the two differ
  // in scheme or host, and the provider compares the redirect URI exactly.
  const currentUrl = new URL(transaction.redirectUri);
  currentUrl.search = callbackUrl.search;

  let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
  try {
    tokens = await client.authorizationCodeGrant(configuration, currentUrl, {
      pkceCodeVerifier: transaction.codeVerifier,
      expectedState: transaction.state,
      expectedNonce: transaction.nonce,
    });
  } catch (cause) {
    throw providerFailure(cause, config, "exchanging the sign-in code");
  }
  const idClaims = tokens.claims();
  if (!idClaims) throw new OidcError("TOKEN_EXCHANGE_FAILED", "The identity provider returned no ID token.");

  // Many providers (Keycloak's default groups mapper among them) put groups, and sometimes email,
  // only into userinfo; its claims are the fresher, so they win over the ID token's.
  let claims: Record<string, unknown> = { ...idClaims };
  if (configuration.serverMetadata().userinfo_endpoint) {
    try {
      claims = { ...idClaims, ...(await client.fetchUserInfo(configuration, tokens.access_token, idClaims.sub)) };
    } catch (cause) {
      throw providerFailure(cause, config, "reading userinfo");
    }
  }

  const email = typeof claims.email === "string" && claims.email ? claims.email : null;
  if (!email) {
    throw new OidcError(
      "MISSING_CLAIM",
      'The identity provider sent no email address (claim "email") for this user. Ask its administrator to give the user an email and the client the "email" scope.',
    );
  }
  return {
    subject: idClaims.sub,
    issuer: idClaims.iss,
    email,
    emailVerified: typeof claims.email_verified === "boolean" ? claims.email_verified : undefined,
    name: displayName(claims) ?? email,
    groups: groupsFromClaims(claims, config.groupsClaim),
  };
}

function displayName(claims: Record<string, unknown>): string | null {
  const text = (key: string) => (typeof claims[key] === "string" && (claims[key] as string).trim()) || "";
  const full = text("name") || [text("given_name"), text("family_name")].filter(Boolean).join(" ") || text("preferred_username");
  return full || null;
}

function providerFailure(cause: unknown, config: OidcConfig, step: string): OidcError {
  const network = networkProblem(cause);
  if (network) {
    return new OidcError("ISSUER_UNREACHABLE", `The identity provider at ${config.issuerUrl.href} cannot be reached (${network}) while ${step}.`, { cause });
  }
  return new OidcError("TOKEN_EXCHANGE_FAILED", `The sign-in failed while ${step}: ${problemOf(cause)}.`, { cause });
}

/** Why a request never got an answer, or null when it did get one. */
function networkProblem(error: unknown): string | null {
  if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")) return `no answer within ${PROVIDER_TIMEOUT_S} s`;
  // Node's fetch reports a refused or unresolvable connection as TypeError("fetch failed") with the socket error as its cause.
  if (error instanceof TypeError && error.message === "fetch failed") {
    const socket = error.cause as { code?: string; message?: string } | undefined;
    return socket?.code ?? socket?.message ?? "connection failed";
  }
  return null;
}

/** The provider's own words where it gave some (OAuth error and description), else the library's. */
function problemOf(error: unknown): string {
  if (error instanceof client.ResponseBodyError || error instanceof client.AuthorizationResponseError) {
    return `${error.error}${error.error_description ? ` (${error.error_description})` : ""}`;
  }
  if (error instanceof client.ClientError && error.cause instanceof Error) return `${error.message}: ${error.cause.message}`;
  return error instanceof Error ? error.message : String(error);
}
