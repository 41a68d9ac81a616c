import "server-only";
import { getDb } from "./db";
import type { Actor } from "./types";

export interface UserRow extends Actor {
  id: string;
  createdAt: Date;
}

const publicUser = { id: true, email: true, name: true, role: true, createdAt: true } as const;

export async function ensureUser(actor: Actor): Promise<UserRow> {
  return getDb().user.upsert({
    where: { email: actor.email },
    create: { email: actor.email, name: actor.name, role: actor.role },
    update: {},
    select: publicUser,
  });
}

export async function findUserByEmail(email: string): Promise<UserRow | null> {
  return getDb().user.findUnique({ where: { email }, select: publicUser });
}
