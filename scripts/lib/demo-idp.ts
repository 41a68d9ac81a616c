// The demo's identity provider: the test IdP with one user per role (and one with none), and the
// OIDC_* variables that point Signalbox at it. For `DEMO_OIDC=1 npm run demo`, the e2e suite and
// `npx tsx scripts/test-idp.ts`.
import { startTestIdp, type TestIdp, type TestIdpUser } from "./test-idp";

export const DEMO_IDP_PORT = 4400;

// Published demo fixtures, not secrets: they open nothing but this local, in-memory provider.
const DEMO_CLIENT = { client_id: "signalbox-demo", client_secret: "signalbox-demo-client-secret" };
export const DEMO_IDP_PASSWORD = "signalbox";

/**
 * One user per role, each given it by a group in the demo's role mapping, and Nora, whose only group
 * is mapped to nothing: she signs in and is shown that she has no role yet.
 */
export const DEMO_IDP_USERS: TestIdpUser[] = [
  { sub: "demo-alice", email: "alice@signalbox.demo", name: "Alice Admin", password: DEMO_IDP_PASSWORD, groups: ["signalbox-admins", "everyone"] },
  { sub: "demo-oscar", email: "oscar@signalbox.demo", name: "Oscar Operator", password: DEMO_IDP_PASSWORD, groups: ["kafka-ops", "everyone"] },
  { sub: "demo-ada", email: "ada@signalbox.demo", name: "Ada Architect", password: DEMO_IDP_PASSWORD, groups: ["architects", "everyone"] },
  { sub: "demo-sam", email: "sam@signalbox.demo", name: "Sam Support", password: DEMO_IDP_PASSWORD, groups: ["support", "everyone"] },
  { sub: "demo-vic", email: "vic@signalbox.demo", name: "Vic Viewer", password: DEMO_IDP_PASSWORD, groups: ["everyone"] },
  { sub: "demo-nora", email: "nora@signalbox.demo", name: "Nora Norole", password: DEMO_IDP_PASSWORD, groups: ["nobody"] },
];

/** The demo users as lines for a terminal (the names say the role their groups give). */
export function describeDemoIdpUsers(indent = "  "): string {
  return DEMO_IDP_USERS.map((u) => `${indent}${u.email.padEnd(24)} ${u.name.padEnd(16)} groups: ${u.groups.join(", ")}`).join("\n");
}

const DEMO_ROLE_MAPPING = "signalbox-admins=admin,kafka-ops=operator,architects=architect,support=support,everyone=viewer";

/**
 * Starts the demo provider for a Signalbox served at `signalboxUrl` (its callback is registered
 * under both 127.0.0.1 and localhost, whichever the browser uses) and returns the variables that
 * turn on its sign-in button.
 */
export async function startDemoIdp({ port = DEMO_IDP_PORT, signalboxUrl }: { port?: number; signalboxUrl: string }): Promise<TestIdp & { env: Record<string, string> }> {
  const callback = new URL("/api/auth/oidc/callback", signalboxUrl);
  const redirectUris = [callback.href];
  if (callback.hostname === "127.0.0.1" || callback.hostname === "localhost") {
    redirectUris.push(callback.href.replace(callback.hostname, callback.hostname === "localhost" ? "127.0.0.1" : "localhost"));
  }
  const idp = await startTestIdp({ port, clients: [{ ...DEMO_CLIENT, redirect_uris: redirectUris }], users: DEMO_IDP_USERS });
  return {
    ...idp,
    env: {
      OIDC_ISSUER_URL: idp.issuer,
      OIDC_CLIENT_ID: DEMO_CLIENT.client_id,
      OIDC_CLIENT_SECRET: DEMO_CLIENT.client_secret,
      OIDC_ALLOW_INSECURE_HTTP: "true",
      OIDC_ROLE_MAPPING: DEMO_ROLE_MAPPING,
      OIDC_DEFAULT_ROLE: "none",
      OIDC_DISPLAY_NAME: "Demo SSO (test IdP)",
    },
  };
}
