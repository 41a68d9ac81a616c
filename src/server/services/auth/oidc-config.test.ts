import { describe, expect, it } from "vitest";
import { ConfigError } from "~/env";
import { describeOidcConfig, parseOidcConfig, parseRoleMapping } from "./oidc-config";

const base = { OIDC_ISSUER_URL: "https://sso.example.com/realms/acme", OIDC_CLIENT_ID: "signalbox", OIDC_CLIENT_SECRET: "s3cret" };

function problemsOf(source: Record<string, string>): string[] {
  try {
    parseOidcConfig(source);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("parseOidcConfig", () => {
  it("is off (null) without an issuer, even when other OIDC variables are set or empty", () => {
    expect(parseOidcConfig({})).toBeNull();
    expect(parseOidcConfig({ OIDC_ISSUER_URL: "", OIDC_CLIENT_ID: "x" })).toBeNull();
  });

  it("applies the defaults", () => {
    expect(parseOidcConfig(base)).toEqual({
      issuerUrl: new URL(base.OIDC_ISSUER_URL),
      clientId: "signalbox",
      clientSecret: "s3cret",
      scopes: "openid profile email",
      groupsClaim: "groups",
      roleMapping: [],
      defaultRole: null,
      displayName: "Single sign-on",
      allowInsecureHttp: false,
    });
  });

  it("reads every variable", () => {
    const config = parseOidcConfig({
      ...base,
      OIDC_SCOPES: "openid  email groups",
      OIDC_GROUPS_CLAIM: "realm_access.roles",
      OIDC_ROLE_MAPPING: "signalbox-admins=admin, kafka-ops=operator",
      OIDC_DEFAULT_ROLE: "viewer",
      OIDC_DISPLAY_NAME: "Acme SSO",
    });
    expect(config).toMatchObject({
      scopes: "openid email groups",
      groupsClaim: "realm_access.roles",
      roleMapping: [
        { group: "signalbox-admins", role: "admin" },
        { group: "kafka-ops", role: "operator" },
      ],
      defaultRole: "viewer",
      displayName: "Acme SSO",
    });
  });

  it("names each bad variable", () => {
    expect(problemsOf({ ...base, OIDC_SCOPES: "profile email", OIDC_DEFAULT_ROLE: "root" })).toEqual([
      expect.stringMatching(/^OIDC_SCOPES: must include "openid"/),
      expect.stringMatching(/^OIDC_DEFAULT_ROLE: must be none or one of/),
    ]);
    expect(problemsOf({ OIDC_ISSUER_URL: "https://sso.example.com" })).toEqual(["OIDC_CLIENT_ID: required when OIDC_ISSUER_URL is set"]);
    expect(problemsOf({ ...base, OIDC_ROLE_MAPPING: "ops=operator,admins=root,oops" })).toEqual([
      expect.stringContaining('OIDC_ROLE_MAPPING: "admins=root": unknown role "root"'),
      'OIDC_ROLE_MAPPING: "oops" is not group=role',
    ]);
  });

  it("refuses plain http unless allowed, and allows it only on this machine", () => {
    const local = { ...base, OIDC_ISSUER_URL: "http://127.0.0.1:4400" };
    expect(problemsOf(local)).toEqual([expect.stringMatching(/^OIDC_ISSUER_URL: must use https/)]);
    expect(parseOidcConfig({ ...local, OIDC_ALLOW_INSECURE_HTTP: "true" })?.allowInsecureHttp).toBe(true);
    expect(problemsOf({ ...base, OIDC_ISSUER_URL: "http://sso.example.com", OIDC_ALLOW_INSECURE_HTTP: "1" })).toEqual([
      "OIDC_ALLOW_INSECURE_HTTP: allows http only for 127.0.0.1 or localhost, not sso.example.com",
    ]);
  });

  it("keeps the secret out of what Settings may show", () => {
    const shown = describeOidcConfig(parseOidcConfig(base)!);
    expect(JSON.stringify(shown)).not.toContain("s3cret");
    expect(shown).toMatchObject({ issuerUrl: base.OIDC_ISSUER_URL, hasClientSecret: true });
  });
});

describe("parseRoleMapping", () => {
  it("splits at the last '=' so group names may contain one", () => {
    expect(parseRoleMapping("team=ops=operator, everyone = viewer ,").entries).toEqual([
      { group: "team=ops", role: "operator" },
      { group: "everyone", role: "viewer" },
    ]);
  });
});
