// Runs before every request: refuses foreign Host headers (DNS rebinding) and cross-site writes,
// sends browsers without a session cookie to the sign-in page, and sets the security headers,
// including a Content-Security-Policy whose script nonce is new for every page.
import { NextResponse, type NextRequest } from "next/server";
import { getEnv } from "~/env";
import { legacyRedirect } from "~/lib/cluster-paths";
import { crossSiteProblem, hostAllowed, parseAllowedHosts } from "~/server/http/origin";
import { SESSION_COOKIE } from "~/server/http/request-actor";
import { contentSecurityPolicy, securityHeaders } from "~/server/http/security-headers";

/**
 * Paths that answer without a session: the sign-in flow and the images it shows (the favicon and
 * the logo in public/), the health probe and what checks its own token.
 */
const OPEN_PATHS = [/^\/sign-in(\/|$)/, /^\/api\//, /^\/metrics$/, /^\/_next\//, /^\/favicon\.(ico|svg)$/, /^\/logo\.svg$/];

function withHeaders(response: NextResponse, request: NextRequest, csp: string | null): NextResponse {
  for (const [name, value] of Object.entries(securityHeaders({ https: request.nextUrl.protocol === "https:" || request.headers.get("x-forwarded-proto") === "https" }))) response.headers.set(name, value);
  if (csp) response.headers.set("content-security-policy", csp);
  return response;
}

export function proxy(request: NextRequest): NextResponse {
  const env = getEnv();
  const host = request.headers.get("host");
  if (!hostAllowed(host, parseAllowedHosts(env.ALLOWED_HOSTS))) {
    return withHeaders(new NextResponse(`Misdirected request: "${(host ?? "").slice(0, 100)}" is not a host name of this Signalbox (ALLOWED_HOSTS).\n`, { status: 421, headers: { "content-type": "text/plain; charset=utf-8" } }), request, null);
  }
  const crossSite = crossSiteProblem(request.method, request.headers);
  if (crossSite) {
    return withHeaders(NextResponse.json({ error: `Refused: ${crossSite}.` }, { status: 403 }), request, null);
  }
  const path = request.nextUrl.pathname;
  try {
    decodeURIComponent(path);
  } catch {
    // Next.js would fail on it later with a 500; say what is wrong instead.
    return withHeaders(new NextResponse("Bad request: the path is not validly URL-encoded.\n", { status: 400, headers: { "content-type": "text/plain; charset=utf-8" } }), request, null);
  }
  if (env.SIGNALBOX_AUTH !== "none" && !request.cookies.has(SESSION_COOKIE) && !OPEN_PATHS.some((p) => p.test(path))) {
    const signIn = new URL("/sign-in", request.url);
    if (path !== "/") signIn.searchParams.set("next", `${path}${request.nextUrl.search}`);
    return withHeaders(NextResponse.redirect(signIn, 307), request, null);
  }
  // Cluster pages moved under /c/<cluster>/: an old bookmark lands (after sign-in, whose `next` keeps the old path) on the default cluster's page.
  // Temporary (307): the default cluster may change, and a browser keeps a permanent redirect.
  const moved = legacyRedirect(path, request.nextUrl.search, env.clusters.find((c) => c.isDefault)!.name);
  if (moved) return withHeaders(NextResponse.redirect(new URL(moved, request.url), 307), request, null);
  const isPage = !path.startsWith("/api/") && path !== "/metrics";
  if (!isPage) return withHeaders(NextResponse.next(), request, null);
  // Next.js reads the nonce from the request's CSP header and puts it on its own scripts.
  const nonce = Buffer.from(crypto.randomUUID()).toString("base64");
  const csp = contentSecurityPolicy(nonce, env.NODE_ENV === "development");
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("content-security-policy", csp);
  return withHeaders(NextResponse.next({ request: { headers: requestHeaders } }), request, csp);
}

export const config = {
  // Static build assets are immutable files from this server; everything else passes through here.
  matcher: ["/((?!_next/static|_next/image).*)"],
};
