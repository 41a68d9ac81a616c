// Sign-in against a real OpenID provider (scripts/lib/test-idp.ts), driven the way a browser would:
// redirects followed by hand, the provider's cookies carried, its login form submitted.
import http from "node:http";
import type { AddressInfo } from "node:net";
import * as client from "openid-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_IDP_USERS, startDemoIdp } from "../../../../scripts/lib/demo-idp";
import { startTestIdp, type TestIdp } from "../../../../scripts/lib/test-idp";
import { beginOidcSignIn, completeOidcSignIn, OidcError } from "./oidc";
import { parseOidcConfig, type OidcConfig } from "./oidc-config";
import { highestRole, rolesFromGroups } from "./oidc-groups";

// Never served: the flow stops when the provider redirects here, as the browser would hand it to Signalbox.
const REDIRECT_URI = "http://127.0.0.1:3999/api/auth/oidc/callback";
const CLIENT = { client_id: "signalbox", client_secret: "test-client-secret", redirect_uris: [REDIRECT_URI] };
const ADA = { sub: "u-ada", email: "ada@example.com", name: "Ada Lovelace", password: "analytical-engine", groups: ["architects", "everyone"] };

let idp: TestIdp;
let config: OidcConfig;

beforeAll(async () => {
  idp = await startTestIdp({ port: 0, clients: [CLIENT], users: [ADA] });
  config = parseOidcConfig({
    OIDC_ISSUER_URL: idp.issuer,
    OIDC_CLIENT_ID: CLIENT.client_id,
    OIDC_CLIENT_SECRET: CLIENT.client_secret,
    OIDC_ALLOW_INSECURE_HTTP: "true",
  })!;
});

afterAll(async () => {
  await idp?.stop();
});

/** A browser's cookie handling, as much as one host needs. */
class CookieJar {
  private readonly cookies = new Map<string, string>();

  take(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const pair = line.split(";", 1)[0]!;
      const at = pair.indexOf("=");
      const name = pair.slice(0, at).trim();
      const value = pair.slice(at + 1).trim();
      // Deleting a cookie is setting it empty (and already expired).
      if (value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }
}

type Landing = { callbackUrl: URL } | { page: string; status: number; url: URL };

/** Follows redirects from `url` until the provider sends the browser back to Signalbox, or shows a page. */
async function browse(jar: CookieJar, url: URL, init: { method?: string; form?: Record<string, string> } = {}): Promise<Landing> {
  let request: RequestInit = {
    method: init.method ?? "GET",
    body: init.form ? new URLSearchParams(init.form) : undefined,
  };
  for (let hops = 0; hops < 20; hops += 1) {
    if (url.pathname === "/api/auth/oidc/callback") return { callbackUrl: url };
    const response = await fetch(url, { ...request, redirect: "manual", headers: { cookie: jar.header() } });
    jar.take(response);
    const location = response.headers.get("location");
    if (response.status >= 300 && response.status < 400 && location) {
      await response.body?.cancel();
      url = new URL(location, url);
      request = { method: "GET" };
      continue;
    }
    return { page: await response.text(), status: response.status, url };
  }
  throw new Error("too many redirects");
}

function formAction(landing: Landing, pattern: RegExp): URL {
  if (!("page" in landing)) throw new Error(`expected a page, got a callback: ${landing.callbackUrl.href}`);
  const action = pattern.exec(landing.page)?.[1];
  if (!action) throw new Error(`no form action matching ${pattern} on ${landing.url.href}: ${landing.page}`);
  return new URL(action, landing.url);
}

const LOGIN_ACTION = /<form method="post" action="([^"]+)"/;
const CANCEL_ACTION = /formaction="([^"]+)"/;

/** Starts a sign-in and signs in at the provider; returns what Signalbox's callback would receive. */
async function signInAtProvider(user: { email: string; password: string }, using = { config, redirectUri: REDIRECT_URI }) {
  const { authorizationUrl, transaction } = await beginOidcSignIn(using.config, { redirectUri: using.redirectUri, returnTo: "/groups" });
  const jar = new CookieJar();
  const loginPage = await browse(jar, authorizationUrl);
  const landing = await browse(jar, formAction(loginPage, LOGIN_ACTION), { method: "POST", form: { login: user.email, password: user.password } });
  if (!("callbackUrl" in landing)) throw new Error(`no callback; the provider showed ${landing.url.href} (${landing.status}): ${landing.page}`);
  return { callbackUrl: landing.callbackUrl, transaction };
}

async function failureOf(promise: Promise<unknown>): Promise<OidcError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof OidcError)) throw new Error(`expected an OidcError, got ${String(error)}`);
  return error;
}

describe("OIDC sign-in against the test identity provider", () => {
  it("signs in with the provider's login form and returns email, name and the groups from userinfo", async () => {
    const { callbackUrl, transaction } = await signInAtProvider(ADA);
    expect(transaction.returnTo).toBe("/groups");
    expect(callbackUrl.searchParams.get("code")).toBeTruthy();

    const identity = await completeOidcSignIn(config, { callbackUrl, transaction });
    expect(identity).toEqual({
      subject: "u-ada",
      issuer: idp.issuer,
      email: "ada@example.com",
      emailVerified: true,
      name: "Ada Lovelace",
      groups: ["architects", "everyone"],
    });
  });

  it("gets groups only because it reads userinfo: the provider's ID token has none", async () => {
    const { callbackUrl, transaction } = await signInAtProvider(ADA);
    const rp = await client.discovery(new URL(idp.issuer), CLIENT.client_id, CLIENT.client_secret, undefined, { execute: [client.allowInsecureRequests] });
    const tokens = await client.authorizationCodeGrant(rp, callbackUrl, {
      pkceCodeVerifier: transaction.codeVerifier,
      expectedState: transaction.state,
      expectedNonce: transaction.nonce,
    });
    expect(tokens.claims()).toMatchObject({ sub: "u-ada", email: "ada@example.com" });
    expect(tokens.claims()).not.toHaveProperty("groups");
  });

  it("refuses a callback whose state is not this attempt's", async () => {
    const { callbackUrl } = await signInAtProvider(ADA);
    const other = await beginOidcSignIn(config, { redirectUri: REDIRECT_URI });
    const error = await failureOf(completeOidcSignIn(config, { callbackUrl, transaction: other.transaction }));
    expect(error.failure).toBe("STATE_MISMATCH");
    expect(error.userMessage).toMatch(/state mismatch/);
  });

  it("redeems a code once only", async () => {
    const { callbackUrl, transaction } = await signInAtProvider(ADA);
    await completeOidcSignIn(config, { callbackUrl, transaction });
    const error = await failureOf(completeOidcSignIn(config, { callbackUrl, transaction }));
    expect(error.failure).toBe("TOKEN_EXCHANGE_FAILED");
    expect(error.userMessage).toMatch(/invalid_grant/);
  });

  it("reports the provider's access_denied with its description when the user cancels", async () => {
    const { authorizationUrl, transaction } = await beginOidcSignIn(config, { redirectUri: REDIRECT_URI });
    const jar = new CookieJar();
    const loginPage = await browse(jar, authorizationUrl);
    const landing = await browse(jar, formAction(loginPage, CANCEL_ACTION), { method: "POST", form: {} });
    if (!("callbackUrl" in landing)) throw new Error(`no callback after cancelling: ${landing.page}`);
    expect(landing.callbackUrl.searchParams.get("error")).toBe("access_denied");

    const error = await failureOf(completeOidcSignIn(config, { callbackUrl: landing.callbackUrl, transaction }));
    expect(error.failure).toBe("PROVIDER_ERROR");
    expect(error.userMessage).toBe("The identity provider refused the sign-in: access_denied (The user cancelled the sign-in).");
  });

  it("stays on the provider's login page after a wrong password, and signs in on the next try", async () => {
    const { authorizationUrl, transaction } = await beginOidcSignIn(config, { redirectUri: REDIRECT_URI });
    const jar = new CookieJar();
    const loginPage = await browse(jar, authorizationUrl);
    const wrong = await browse(jar, formAction(loginPage, LOGIN_ACTION), { method: "POST", form: { login: ADA.email, password: "wrong" } });
    expect("callbackUrl" in wrong).toBe(false);
    expect(wrong).toMatchObject({ status: 401, page: expect.stringContaining("Wrong email or password.") });

    const right = await browse(jar, formAction(wrong, LOGIN_ACTION), { method: "POST", form: { login: ADA.email, password: ADA.password } });
    if (!("callbackUrl" in right)) throw new Error(`no callback after the right password: ${right.page}`);
    expect((await completeOidcSignIn(config, { callbackUrl: right.callbackUrl, transaction })).email).toBe(ADA.email);
  });

  it("is refused by the provider without PKCE", async () => {
    const { authorizationUrl } = await beginOidcSignIn(config, { redirectUri: REDIRECT_URI });
    authorizationUrl.searchParams.delete("code_challenge");
    authorizationUrl.searchParams.delete("code_challenge_method");
    const landing = await browse(new CookieJar(), authorizationUrl);
    if (!("callbackUrl" in landing)) throw new Error(`expected an error callback: ${landing.page}`);
    expect(landing.callbackUrl.searchParams.get("error")).toBe("invalid_request");
  });

  it("names an unreachable issuer", async () => {
    // A port that was free a moment ago and is closed now: nothing answers there.
    const probe = http.createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise((resolve) => probe.close(resolve));
    const unreachable = { ...config, issuerUrl: new URL(`http://127.0.0.1:${port}`) };

    const error = await failureOf(beginOidcSignIn(unreachable, { redirectUri: REDIRECT_URI }));
    expect(error.failure).toBe("ISSUER_UNREACHABLE");
    expect(error.userMessage).toBe(`The identity provider at http://127.0.0.1:${port}/ cannot be reached (ECONNREFUSED).`);
  });
});

describe("the demo's identity provider", () => {
  it("gives variables Signalbox accepts, and signs each demo user in with the role of their group (none for Nora)", async () => {
    const demo = await startDemoIdp({ port: 0, signalboxUrl: "http://127.0.0.1:3998" });
    try {
      const demoConfig = parseOidcConfig(demo.env)!;
      const roles: Record<string, string | null> = {};
      for (const user of DEMO_IDP_USERS) {
        const { callbackUrl, transaction } = await signInAtProvider(user, { config: demoConfig, redirectUri: "http://localhost:3998/api/auth/oidc/callback" });
        const identity = await completeOidcSignIn(demoConfig, { callbackUrl, transaction });
        // null, not undefined: toEqual would let a missing role pass unnoticed.
        roles[identity.email] = highestRole(rolesFromGroups(identity.groups, demoConfig.roleMapping, demoConfig.defaultRole))?.role ?? null;
      }
      expect(roles).toEqual({
        "alice@signalbox.demo": "admin",
        "oscar@signalbox.demo": "operator",
        "ada@signalbox.demo": "architect",
        "sam@signalbox.demo": "support",
        "vic@signalbox.demo": "viewer",
        "nora@signalbox.demo": null,
      });
    } finally {
      await demo.stop();
    }
  });
});
