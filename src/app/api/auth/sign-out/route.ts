// POST /api/auth/sign-out: ends this browser's session (a form post from the user menu).
import { getEnv } from "~/env";
import { actorFromHeaders, cookieValue, SESSION_COOKIE } from "~/server/http/request-actor";
import { clearedSessionCookie } from "~/server/http/session-cookie";
import { signOut } from "~/server/services/auth/sessions";

export const dynamic = "force-dynamic";

export async function POST(request: Request): Promise<Response> {
  const token = cookieValue(request.headers, SESSION_COOKIE);
  const actor = await actorFromHeaders(request.headers, getEnv());
  if (token && actor && actor.method !== "none") await signOut(token, actor);
  // 303: the browser follows with a GET to the sign-in page.
  return new Response(null, { status: 303, headers: { location: "/sign-in?signedOut=1", "set-cookie": clearedSessionCookie(request), "cache-control": "no-store" } });
}
