"use client";
// The signed-in person, as the (console) layout resolved it on the server. Buttons ask `useCan` so a
// viewer never sees a redrive it may not press; the server checks again on every call.
import { createContext, useContext } from "react";
import type { Actor, Role } from "~/server/catalog/types";
import { mayAct, mayActEverywhere, mayActOn, type Resource } from "~/server/services/auth/authorize";

export interface PublicActor {
  email: string;
  name: string;
  role: Role | null;
  method: string | null;
  grants: NonNullable<Actor["grants"]>;
}

const ActorContext = createContext<PublicActor | null>(null);

export function ActorProvider({ actor, children }: { actor: PublicActor; children: React.ReactNode }) {
  return <ActorContext.Provider value={actor}>{children}</ActorContext.Provider>;
}

export function useActor(): PublicActor | null {
  return useContext(ActorContext);
}

/** Whether the signed-in person has `role` (admin has every role), on `resource` when one is named. */
export function useCan(role: Role, resource?: Resource): boolean {
  const actor = useContext(ActorContext);
  if (!actor) return false;
  return resource ? mayActOn(actor, role, resource) : mayAct(actor, role);
}

/** Whether the signed-in person has `role` unscoped: what admin-only procedures (users, ACLs, broker configuration) ask. */
export function useCanEverywhere(role: Role): boolean {
  const actor = useContext(ActorContext);
  return actor ? mayActEverywhere(actor, role) : false;
}
