// The Signalbox side of single sign-on: the identity the provider vouched for becomes a user (found
// by the provider's subject), with the role its groups map to, and a session like any other.
import { upsertOidcAccount } from "~/server/catalog";
import type { OidcConfig } from "./oidc-config";
import { highestRole, rolesFromGroups } from "./oidc-groups";
import type { OidcIdentity } from "./oidc";
import { startSession, type ClientInfo, type SessionPolicy } from "./sessions";

export async function signInWithIdentity(config: OidcConfig, identity: OidcIdentity, client: ClientInfo, policy: SessionPolicy) {
  const grant = highestRole(rolesFromGroups(identity.groups, config.roleMapping, config.defaultRole));
  // No mapped group: the person still signs in, sees that they have no role, and an admin can give one.
  const roleSource = grant ? (grant.fromGroups.length ? `oidc:${grant.fromGroups.join(",")}` : "oidc:default") : "oidc:none";
  const user = await upsertOidcAccount({ subject: `${identity.issuer}#${identity.subject}`, email: identity.email.toLowerCase(), name: identity.name, role: grant?.role ?? null, roleSource, groups: identity.groups.slice(0, 200) });
  if (user.disabled) return { ok: false as const, message: "This account is disabled in Signalbox. Ask an admin to enable it." };
  const session = await startSession({ id: user.id, email: identity.email.toLowerCase(), name: identity.name, role: user.role }, "oidc", client, policy);
  return { ok: true as const, ...session };
}
