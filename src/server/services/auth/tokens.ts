// API tokens for tools. The secret is `sbx_<id>_<random>`: the id finds the row without a scan, and
// only the hash of the whole secret is stored. A tool sends it as a Bearer token, or as HTTP Basic
// with the token's name as the user (what Confluent clients' basic.auth.user.info sends).
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { createApiToken, findApiTokenById, findApiTokenByName, listApiTokens, markApiTokenUsed, revokeApiToken, type Actor, type ApiTokenRow, type Role } from "~/server/catalog";
import { ROLES } from "~/server/catalog/types";
import { AppError, parseOrExplain } from "~/server/errors";
import type { ClientInfo } from "./sessions";
import { grantsFor } from "./grants";
import { hashSecret, newSecret, secretMatches } from "./secrets";

export const tokenInput = z.object({
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, { error: "1–64 letters, digits, dots, dashes or underscores, starting with a letter or digit" }),
  role: z.enum(ROLES),
});

export async function createToken(actor: Actor, input: { name: string; role: Role }): Promise<{ name: string; role: Role; secret: string }> {
  const { name, role } = parseOrExplain(tokenInput, input, "token");
  const id = randomUUID().replaceAll("-", "");
  const secret = `sbx_${id}_${newSecret()}`;
  const created = await createApiToken(
    { id, name, role, secretHash: hashSecret(secret), createdById: actor.userId ?? null },
    { actor, action: "token.create", targetType: "token", targetId: name, details: { role } },
  );
  if (!created) throw new AppError("CONFLICT", `A token named "${name}" exists already; revoke it or choose another name.`);
  return { name, role, secret };
}

export async function revokeToken(actor: Actor, name: string): Promise<void> {
  if (!(await revokeApiToken(name, new Date(), { actor, action: "token.revoke", targetType: "token", targetId: name }))) {
    throw new AppError("NOT_FOUND", `No active token named "${name}".`);
  }
}

export const listTokens = listApiTokens;

export type TokenCredential = { kind: "bearer"; secret: string } | { kind: "basic"; name: string; secret: string };

/** The actor a token stands for, or null when it is unknown, wrong or revoked. */
export async function tokenActor(credential: TokenCredential, client: ClientInfo, now = new Date()): Promise<Actor | null> {
  if (credential.secret.length > 200) return null;
  let token: ApiTokenRow | null;
  if (credential.kind === "basic") {
    token = await findApiTokenByName(credential.name);
  } else {
    const id = /^sbx_([0-9a-f]{32})_/.exec(credential.secret)?.[1];
    token = id ? await findApiTokenById(id) : null;
  }
  if (!token || token.revokedAt || !secretMatches(credential.secret, token.secretHash)) return null;
  const actor: Actor = {
    email: token.createdBy?.email ?? `token:${token.name}`,
    name: `${token.name} (token)`,
    role: token.role,
    kind: "token",
    tokenName: token.name,
    userId: token.createdBy?.id,
    method: "token",
    clientIp: client.ip,
    userAgent: client.userAgent,
    grants: await grantsFor({ role: token.role, tokenName: token.name }),
  };
  // lastUsedAt is written at most once a minute; the first use is audited.
  if (!token.lastUsedAt) await markApiTokenUsed(token.id, now, { actor, action: "token.first-use", targetType: "token", targetId: token.name });
  else if (now.getTime() - token.lastUsedAt.getTime() > 60_000) await markApiTokenUsed(token.id, now, null);
  return actor;
}
