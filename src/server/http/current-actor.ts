// The actor of the page being rendered (server components), from the request's cookie.
import "server-only";
import { headers } from "next/headers";
import { getEnv } from "~/env";
import type { Actor } from "~/server/catalog";
import { actorFromHeaders } from "./request-actor";

export async function currentActor(): Promise<Actor | null> {
  return actorFromHeaders(await headers(), getEnv());
}
