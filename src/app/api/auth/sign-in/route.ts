// POST /api/auth/sign-in {email, password}: a local account's sign-in. Sets the session cookie.
import { z } from "zod";
import { getEnv } from "~/env";
import { clientInfo } from "~/server/http/request-actor";
import { readJsonBody } from "~/server/http/json-body";
import { sessionCookie } from "~/server/http/session-cookie";
import { describeError } from "~/server/errors";
import { sessionPolicy, signInWithPassword } from "~/server/services/auth/sessions";
import { signInRateLimiter } from "~/server/services/limits/rate-limit";

export const dynamic = "force-dynamic";

const credentials = z.object({ email: z.string().trim().min(1).max(254), password: z.string().min(1).max(200) });

const json = (body: unknown, status: number, headers: Record<string, string> = {}) => Response.json(body, { status, headers: { "cache-control": "no-store", ...headers } });

export async function POST(request: Request): Promise<Response> {
  const env = getEnv();
  if (env.SIGNALBOX_AUTH === "none") return json({ error: "Sign-in is off (SIGNALBOX_AUTH=none)." }, 404);
  const body = await readJsonBody(request, 16 * 1024);
  if (!body.ok) return json({ error: body.error }, body.status);
  const parsed = credentials.safeParse(body.value);
  if (!parsed.success) return json({ error: "Give an email and a password." }, 400);
  const client = clientInfo(request.headers);
  try {
    // Per account and per address, before any password is checked (a guesser gets no answers at all).
    signInRateLimiter({ account: parsed.data.email, address: client.ip ?? "unknown" });
  } catch (error) {
    return json({ error: describeError(error) }, 429);
  }
  const result = await signInWithPassword(parsed.data, client, sessionPolicy(env));
  if (!result.ok) {
    const status = result.reason === "locked" ? 429 : result.reason === "disabled" ? 403 : 401;
    return json({ error: result.message }, status, result.retryAfterSeconds ? { "retry-after": String(result.retryAfterSeconds) } : {});
  }
  return json({ ok: true, user: { email: result.actor.email, name: result.actor.name, role: result.actor.role } }, 200, { "set-cookie": sessionCookie(request, result.token, result.expiresAt) });
}
