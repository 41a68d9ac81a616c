import { describe, expect, it } from "vitest";
import { parseRoleMapping } from "./oidc-config";
import { groupsFromClaims, highestRole, rolesFromGroups } from "./oidc-groups";

describe("groupsFromClaims", () => {
  it("reads a top-level array", () => {
    expect(groupsFromClaims({ groups: ["kafka-ops", "everyone"] }, "groups")).toEqual(["kafka-ops", "everyone"]);
  });

  it("walks a dotted path such as Keycloak's realm_access.roles", () => {
    const claims = { realm_access: { roles: ["signalbox-admins", "offline_access"] }, groups: ["ignored"] };
    expect(groupsFromClaims(claims, "realm_access.roles")).toEqual(["signalbox-admins", "offline_access"]);
  });

  it("takes a single string as one group", () => {
    expect(groupsFromClaims({ groups: "support" }, "groups")).toEqual(["support"]);
    expect(groupsFromClaims({ org: { team: "architects" } }, "org.team")).toEqual(["architects"]);
  });

  it("prefers a claim whose name contains dots over walking it", () => {
    const claims = { "https://acme.com/groups": ["architects"], https: { "//acme": "nope" } };
    expect(groupsFromClaims(claims, "https://acme.com/groups")).toEqual(["architects"]);
  });

  it("gives no groups when the claim is missing, null or of another shape", () => {
    expect(groupsFromClaims({}, "groups")).toEqual([]);
    expect(groupsFromClaims({ realm_access: null }, "realm_access.roles")).toEqual([]);
    expect(groupsFromClaims({ realm_access: "admins" }, "realm_access.roles")).toEqual([]);
    expect(groupsFromClaims({ groups: 42 }, "groups")).toEqual([]);
    expect(groupsFromClaims({ groups: { admins: true } }, "groups")).toEqual([]);
    expect(groupsFromClaims({ groups: "" }, "groups")).toEqual([]);
  });

  it("drops non-strings and repeats from an array", () => {
    expect(groupsFromClaims({ groups: ["a", 1, null, "a", "", "b"] }, "groups")).toEqual(["a", "b"]);
  });

  it("does not reach into the prototype", () => {
    expect(groupsFromClaims({}, "constructor")).toEqual([]);
    expect(groupsFromClaims({ groups: [] }, "groups.constructor.name")).toEqual([]);
  });
});

describe("rolesFromGroups", () => {
  const mapping = parseRoleMapping("signalbox-admins=admin,kafka-ops=operator,architects=architect,support=support,everyone=viewer,sre=operator").entries;

  it("grants each mapped role once, in mapping order, naming the groups that gave it", () => {
    expect(rolesFromGroups(["everyone", "sre", "kafka-ops", "unrelated"], mapping, null)).toEqual([
      { role: "operator", fromGroups: ["kafka-ops", "sre"] },
      { role: "viewer", fromGroups: ["everyone"] },
    ]);
  });

  it("falls back to the default role when no group is mapped", () => {
    expect(rolesFromGroups(["unrelated"], mapping, "viewer")).toEqual([{ role: "viewer", fromGroups: [] }]);
    expect(rolesFromGroups([], mapping, "viewer")).toEqual([{ role: "viewer", fromGroups: [] }]);
  });

  it("grants nothing with default role none", () => {
    expect(rolesFromGroups(["unrelated"], mapping, null)).toEqual([]);
    expect(rolesFromGroups(["everyone"], [], null)).toEqual([]);
  });

  it("does not add the default role to mapped ones", () => {
    expect(rolesFromGroups(["support"], mapping, "viewer")).toEqual([{ role: "support", fromGroups: ["support"] }]);
  });

  it("matches group names exactly", () => {
    expect(rolesFromGroups(["/signalbox-admins", "Signalbox-Admins"], mapping, null)).toEqual([]);
  });
});

describe("highestRole", () => {
  it("picks admin wherever it stands, since it covers every area", () => {
    const grants = rolesFromGroups(["everyone", "signalbox-admins"], parseRoleMapping("everyone=viewer,signalbox-admins=admin").entries, null);
    expect(highestRole(grants)).toEqual({ role: "admin", fromGroups: ["signalbox-admins"] });
  });

  it("otherwise picks the first role in mapping order", () => {
    const mapping = parseRoleMapping("architects=architect,kafka-ops=operator").entries;
    expect(highestRole(rolesFromGroups(["kafka-ops", "architects"], mapping, null))?.role).toBe("architect");
  });

  it("is null when nothing was granted", () => {
    expect(highestRole([])).toBeNull();
  });
});
