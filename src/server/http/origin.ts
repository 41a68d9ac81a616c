// Where a request may come from. Host names are checked against ALLOWED_HOSTS (a foreign Host header
// is how DNS rebinding reaches a server on a private address), and a state-changing request that a
// browser sent with our cookie must come from our own origin (cross-site form posts, CSRF).

/** The host name of a Host header, without its port; lower case. */
export function hostName(host: string): string {
  const value = host.trim().toLowerCase();
  if (value.startsWith("[")) return value.slice(0, value.indexOf("]") + 1);
  return value.split(":")[0] ?? "";
}

export function parseAllowedHosts(setting: string): string[] {
  return setting.split(",").map((h) => h.trim().toLowerCase()).filter(Boolean);
}

/** Whether a Host header names this server. "*" allows all; ".example.com" allows its subdomains. */
export function hostAllowed(host: string | null, allowed: string[]): boolean {
  if (allowed.includes("*")) return true;
  if (!host) return false;
  const name = hostName(host);
  return allowed.some((entry) => entry === name || (entry.startsWith(".") && (name.endsWith(entry) || name === entry.slice(1))));
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Why a state-changing request looks cross-site, or null when it does not. Browsers send
 * Sec-Fetch-Site and Origin on every POST; tools send neither, and authenticate with a token instead
 * of the cookie, so a request without both headers is not a browser's cross-site request.
 */
export function crossSiteProblem(method: string, headers: Headers): string | null {
  if (SAFE_METHODS.has(method.toUpperCase())) return null;
  const site = headers.get("sec-fetch-site");
  if (site && site !== "same-origin" && site !== "none") return `a ${site} request may not change anything here (Sec-Fetch-Site: ${site})`;
  const origin = headers.get("origin");
  if (origin) {
    let originHost: string;
    try {
      originHost = new URL(origin).host.toLowerCase();
    } catch {
      return `the Origin header "${origin.slice(0, 100)}" is not a URL`;
    }
    const host = (headers.get("x-forwarded-host") ?? headers.get("host") ?? "").toLowerCase();
    if (originHost !== host) return `a request from ${origin.slice(0, 100)} may not change anything on ${host}`;
  }
  return null;
}
