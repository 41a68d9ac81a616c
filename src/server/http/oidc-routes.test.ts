import { describe, expect, it } from "vitest";
import { redirectUri } from "./oidc-routes";

const request = (url: string, headers: Record<string, string>) => new Request(url, { headers });

describe("the redirect URI of a sign-on", () => {
  it("is on the host the browser asked for, not on the one Next.js reports in request.url", () => {
    // What `next start -H 127.0.0.1` hands a route when the browser is at 127.0.0.1:3600.
    expect(redirectUri(request("http://localhost:3600/api/auth/oidc/start", { host: "127.0.0.1:3600" }), undefined)).toBe("http://127.0.0.1:3600/api/auth/oidc/callback");
  });

  it("is https behind a proxy that says so", () => {
    expect(redirectUri(request("http://localhost:3000/api/auth/oidc/start", { host: "signalbox.example.com", "x-forwarded-proto": "https" }), undefined)).toBe(
      "https://signalbox.example.com/api/auth/oidc/callback",
    );
  });

  it("is SIGNALBOX_PUBLIC_URL's when set, whatever the request says", () => {
    expect(redirectUri(request("http://localhost:3000/api/auth/oidc/start", { host: "127.0.0.1:3000" }), "https://signalbox.example.com")).toBe("https://signalbox.example.com/api/auth/oidc/callback");
  });
});
