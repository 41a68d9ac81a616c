// A real OpenID Connect provider (oidc-provider, OpenID certified) for the integration tests and the
// demo: Signalbox's sign-in is proved against the protocol as a provider speaks it, not against
// hand-made tokens. In memory, on 127.0.0.1 over plain http, with its own login page.
//
// It behaves like the providers people run Signalbox behind:
// - PKCE is required for every client.
// - Groups are delivered only by userinfo, never in the ID token (as with Keycloak's and Okta's
//   defaults), so a relying party that reads only the ID token sees no groups.
// - Consent needs no click: every client here is first-party, so the interaction grants what the
//   client asked for and moves on, as a provider does for a client marked "consent not required".
import { createHash, generateKeyPairSync, randomBytes, randomUUID, timingSafeEqual } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import Provider, { type Configuration, type InteractionResults } from "oidc-provider";

export interface TestIdpClient {
  client_id: string;
  client_secret: string;
  redirect_uris: string[];
}

export interface TestIdpUser {
  sub: string;
  email: string;
  name: string;
  password: string;
  groups: string[];
}

export interface TestIdp {
  /** The issuer identifier, e.g. http://127.0.0.1:4400 (no trailing slash). */
  issuer: string;
  stop(): Promise<void>;
}

/** Starts the provider on 127.0.0.1:`port` (0: any free port; read `issuer` for the one chosen). */
export async function startTestIdp({ port, clients, users }: { port: number; clients: TestIdpClient[]; users: TestIdpUser[] }): Promise<TestIdp> {
  const server = http.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  // The issuer must be known before the provider exists, and with port 0 only the socket knows it.
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const provider = new Provider(issuer, providerConfiguration(clients, users));
  const handleProtocol = provider.callback();

  server.on("request", (req: http.IncomingMessage, res: http.ServerResponse) => {
    const url = new URL(req.url ?? "/", issuer);
    const interaction = /^\/interaction\/([^/]+)(?:\/(login|abort))?$/.exec(url.pathname);
    if (!interaction) return void handleProtocol(req, res);
    handleInteraction(provider, users, req, res, interaction[2] as "login" | "abort" | undefined).catch((error: unknown) => {
      // An expired or unknown interaction (e.g. the form submitted twice) lands here; say so, like a provider would.
      if (!res.headersSent) sendPage(res, 400, "Sign-in failed", `<p>${escapeHtml(error instanceof Error ? error.message : String(error))}</p>`);
    });
  });

  return {
    issuer,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

function providerConfiguration(clients: TestIdpClient[], users: TestIdpUser[]): Configuration {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  return {
    clients: clients.map((c) => ({ ...c, grant_types: ["authorization_code"], response_types: ["code"] })),
    // Signing keys and cookie keys fresh for each start: nothing outlives the process.
    jwks: { keys: [{ ...privateKey.export({ format: "jwk" }), kid: randomUUID(), use: "sig", alg: "RS256" }] } as Configuration["jwks"],
    cookies: { keys: [randomBytes(32).toString("hex")] },
    pkce: { required: () => true },
    // Seconds. Named, so the provider does not fall back to (and warn about) its own defaults.
    ttl: { Interaction: 600, Session: 3600, Grant: 3600, AuthorizationCode: 60, AccessToken: 600, IdToken: 600 },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    // Groups ride with "profile", as Keycloak's default client scopes deliver them without a special scope.
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name", "groups"] },
    // Off, so email and name do go into the ID token; only groups are then withheld from it (below).
    conformIdTokenClaims: false,
    findAccount(_ctx, sub) {
      const user = users.find((u) => u.sub === sub);
      if (!user) return undefined;
      return {
        accountId: user.sub,
        claims: (use) => ({
          sub: user.sub,
          email: user.email,
          email_verified: true,
          name: user.name,
          ...(use === "userinfo" ? { groups: user.groups } : {}),
        }),
      };
    },
  };
}

async function handleInteraction(
  provider: Provider,
  users: TestIdpUser[],
  req: http.IncomingMessage,
  res: http.ServerResponse,
  action: "login" | "abort" | undefined,
): Promise<void> {
  const details = await provider.interactionDetails(req, res);
  const finish = (result: InteractionResults) => provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });

  if (action === "abort" && req.method === "POST") {
    return finish({ error: "access_denied", error_description: "The user cancelled the sign-in" });
  }
  if (action === "login" && req.method === "POST") {
    const form = new URLSearchParams(await readBody(req));
    const user = users.find((u) => u.email === form.get("login"));
    if (!user || !samePassword(user.password, form.get("password") ?? "")) {
      return sendPage(res, 401, "Sign in", loginForm(details.uid, "Wrong email or password."));
    }
    return finish({ login: { accountId: user.sub } });
  }
  if (details.prompt.name === "login") return sendPage(res, 200, "Sign in", loginForm(details.uid));
  if (details.prompt.name === "consent") {
    // First-party clients only: grant exactly what is missing, without asking.
    const grant = details.grantId ? await provider.Grant.find(details.grantId) : new provider.Grant({ accountId: details.session!.accountId, clientId: String(details.params.client_id) });
    if (!grant) throw new Error("The grant of this sign-in is gone; start again.");
    const missing = details.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[]; missingResourceScopes?: Record<string, string[]> };
    if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(" "));
    if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
    for (const [resource, scopes] of Object.entries(missing.missingResourceScopes ?? {})) grant.addResourceScope(resource, scopes.join(" "));
    return finish({ consent: { grantId: await grant.save() } });
  }
  return sendPage(res, 400, "Sign-in failed", `<p>Unexpected step: ${escapeHtml(details.prompt.name)}</p>`);
}

function samePassword(expected: string, given: string): boolean {
  // Hashes first, so the comparison takes the same time whatever the lengths.
  const digest = (s: string) => createHash("sha256").update(s).digest();
  return timingSafeEqual(digest(expected), digest(given));
}

function loginForm(uid: string, error?: string): string {
  return `${error ? `<p role="alert">${escapeHtml(error)}</p>` : ""}
<form method="post" action="/interaction/${uid}/login">
  <label>Email <input name="login" type="email" autofocus required></label>
  <label>Password <input name="password" type="password" required></label>
  <button type="submit">Sign in</button>
  <button type="submit" formaction="/interaction/${uid}/abort" formnovalidate>Cancel</button>
</form>`;
}

function sendPage(res: http.ServerResponse, status: number, title: string, body: string): void {
  res.writeHead(status, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
  res.end(`<!doctype html><html><head><meta charset="utf-8"><title>Test IdP · ${escapeHtml(title)}</title></head><body><h1>Test IdP</h1>${body}</body></html>`);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

async function readBody(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}
