// OpenID Connect configuration, parsed from environment-like variables.
//
// The pieces are exported separately so the same rules can later live in src/env.ts's one schema:
// spread `oidcEnvShape` into envSchema's object, call `checkOidcEnv` from its superRefine, and turn the
// parsed values into an `OidcConfig` with `oidcConfigFromEnv`. Until then `parseOidcConfig` does all three.
import { z } from "zod";
import { ConfigError } from "~/env";
import { ROLES, type Role } from "~/server/catalog/types";

export interface RoleMappingEntry {
  group: string;
  role: Role;
}

export interface OidcConfig {
  issuerUrl: URL;
  clientId: string;
  /** Absent for a public client; PKCE then carries the proof alone. Never log or return it. */
  clientSecret: string | undefined;
  scopes: string;
  /** A dotted path into the claims, e.g. "groups" or "realm_access.roles". */
  groupsClaim: string;
  /** In the order written: it decides which role a member of several groups signs in with. */
  roleMapping: RoleMappingEntry[];
  /** The role of a user none of whose groups is mapped; null turns such users away. */
  defaultRole: Role | null;
  /** The label of the sign-in button. */
  displayName: string;
  allowInsecureHttp: boolean;
}

/** Entries written `group=role`, separated by commas. */
export function parseRoleMapping(value: string): { entries: RoleMappingEntry[]; problems: string[] } {
  const entries: RoleMappingEntry[] = [];
  const problems: string[] = [];
  for (const raw of value.split(",")) {
    const item = raw.trim();
    if (!item) continue;
    // The last "=" splits, so a group name may itself contain "=" (roles never do).
    const at = item.lastIndexOf("=");
    const group = at > 0 ? item.slice(0, at).trim() : "";
    const role = at > 0 ? item.slice(at + 1).trim() : "";
    if (!group || !role) {
      problems.push(`"${item}" is not group=role`);
    } else if (!(ROLES as readonly string[]).includes(role)) {
      problems.push(`"${item}": unknown role "${role}" (roles: ${ROLES.join(", ")})`);
    } else {
      entries.push({ group, role: role as Role });
    }
  }
  return { entries, problems };
}

const bool = z
  .enum(["true", "false", "1", "0"], { error: "must be true or false" })
  .transform((v) => v === "true" || v === "1");

export const oidcEnvShape = {
  /** Setting the issuer turns single sign-on on; without it, the rest is ignored. */
  OIDC_ISSUER_URL: z.url({ error: "must be the issuer's URL, e.g. https://sso.example.com/realms/acme" }).optional(),
  OIDC_CLIENT_ID: z.string().min(1).optional(),
  OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  OIDC_SCOPES: z
    .string()
    .default("openid profile email")
    .refine((s) => s.split(/\s+/).includes("openid"), { error: 'must include "openid"' }),
  OIDC_GROUPS_CLAIM: z
    .string()
    .regex(/^[^.\s]+(\.[^.\s]+)*$/, { error: "must be a claim name or a dotted path such as realm_access.roles" })
    .default("groups"),
  OIDC_ROLE_MAPPING: z.string().default(""),
  OIDC_DEFAULT_ROLE: z.enum(["none", ...ROLES], { error: `must be none or one of ${ROLES.join(", ")}` }).default("none"),
  OIDC_DISPLAY_NAME: z.string().min(1).max(60).default("Single sign-on"),
  /** Only for a test identity provider on this machine, which serves plain http. */
  OIDC_ALLOW_INSECURE_HTTP: bool.default(false),
};

const oidcEnvSchema = z.object(oidcEnvShape);
export type OidcEnv = z.infer<typeof oidcEnvSchema>;

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"]);

/** The checks across variables; `report(variable, message)` is called once per problem. */
export function checkOidcEnv(env: OidcEnv, report: (variable: keyof OidcEnv, message: string) => void): void {
  for (const problem of parseRoleMapping(env.OIDC_ROLE_MAPPING).problems) report("OIDC_ROLE_MAPPING", problem);
  if (!env.OIDC_ISSUER_URL) return;
  if (!env.OIDC_CLIENT_ID) report("OIDC_CLIENT_ID", "required when OIDC_ISSUER_URL is set");
  const issuer = new URL(env.OIDC_ISSUER_URL);
  if (issuer.protocol === "http:") {
    // Tokens and the client secret would cross the network in clear text; only a provider on this
    // machine (the test IdP) is excused, and only when asked for explicitly.
    if (!env.OIDC_ALLOW_INSECURE_HTTP) report("OIDC_ISSUER_URL", "must use https (OIDC_ALLOW_INSECURE_HTTP=true allows http for a provider on 127.0.0.1)");
    else if (!LOOPBACK_HOSTS.has(issuer.hostname)) report("OIDC_ALLOW_INSECURE_HTTP", `allows http only for 127.0.0.1 or localhost, not ${issuer.hostname}`);
  } else if (issuer.protocol !== "https:") {
    report("OIDC_ISSUER_URL", "must be an https URL");
  }
}

/** The configuration from already-checked variables, or null when single sign-on is off. */
export function oidcConfigFromEnv(env: OidcEnv): OidcConfig | null {
  if (!env.OIDC_ISSUER_URL || !env.OIDC_CLIENT_ID) return null;
  return {
    issuerUrl: new URL(env.OIDC_ISSUER_URL),
    clientId: env.OIDC_CLIENT_ID,
    clientSecret: env.OIDC_CLIENT_SECRET,
    scopes: env.OIDC_SCOPES.split(/\s+/).filter(Boolean).join(" "),
    groupsClaim: env.OIDC_GROUPS_CLAIM,
    roleMapping: parseRoleMapping(env.OIDC_ROLE_MAPPING).entries,
    defaultRole: env.OIDC_DEFAULT_ROLE === "none" ? null : env.OIDC_DEFAULT_ROLE,
    displayName: env.OIDC_DISPLAY_NAME,
    allowInsecureHttp: env.OIDC_ALLOW_INSECURE_HTTP,
  };
}

/** Parses the OIDC variables of `source`; null when OIDC_ISSUER_URL is unset; ConfigError naming each bad variable. */
export function parseOidcConfig(source: Record<string, string | undefined>): OidcConfig | null {
  // Empty strings count as unset, as in src/env.ts.
  const cleaned = Object.fromEntries(Object.entries(source).filter(([k, v]) => k.startsWith("OIDC_") && v !== undefined && v !== ""));
  const parsed = oidcEnvSchema.safeParse(cleaned);
  if (!parsed.success) throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`));
  const problems: string[] = [];
  checkOidcEnv(parsed.data, (variable, message) => problems.push(`${variable}: ${message}`));
  if (problems.length) throw new ConfigError(problems);
  return oidcConfigFromEnv(parsed.data);
}

/** What Settings may show: everything but the secret. */
export function describeOidcConfig(config: OidcConfig) {
  const { clientSecret, issuerUrl, ...rest } = config;
  return { ...rest, issuerUrl: issuerUrl.href, hasClientSecret: Boolean(clientSecret) };
}
