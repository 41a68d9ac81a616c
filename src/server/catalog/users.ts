import { getDb } from "./db";
import type { Actor, Role } from "./types";

export interface UserRow extends Actor {
  id: string;
  createdAt: Date;
}

export async function ensureUser(actor: Actor): Promise<UserRow> {
  return getDb().user.upsert({
    where: { email: actor.email },
    create: { email: actor.email, name: actor.name, role: actor.role },
    update: {},
  });
}

export async function listUsers(): Promise<UserRow[]> {
  return getDb().user.findMany({ orderBy: { email: "asc" } });
}

export async function findUserByEmail(email: string): Promise<UserRow | null> {
  return getDb().user.findUnique({ where: { email } });
}

export async function setUserRole(email: string, role: Role): Promise<{ before: Role; after: Role } | null> {
  const db = getDb();
  const user = await db.user.findUnique({ where: { email } });
  if (!user) return null;
  await db.user.update({ where: { email }, data: { role } });
  return { before: user.role, after: role };
}
