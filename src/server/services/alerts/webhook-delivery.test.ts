import { describe, expect, it } from "vitest";
import { judgeStatus } from "./webhook-delivery";

describe("judgeStatus", () => {
  it("counts 2xx as delivered", () => {
    expect(judgeStatus(200)).toEqual({ ok: true, reason: "HTTP 200" });
    expect(judgeStatus(204)).toEqual({ ok: true, reason: "HTTP 204" });
  });

  it("refuses every redirect, without retrying", () => {
    for (const status of [301, 302, 303, 307, 308]) expect(judgeStatus(status)).toEqual({ ok: false, reason: `redirect refused (HTTP ${status})`, retry: false });
  });

  it("retries what the receiver may get over (408, 429, 5xx), not other client errors", () => {
    expect(judgeStatus(503)).toEqual({ ok: false, reason: "HTTP 503", retry: true });
    expect(judgeStatus(429)).toEqual({ ok: false, reason: "HTTP 429", retry: true });
    expect(judgeStatus(408)).toEqual({ ok: false, reason: "HTTP 408", retry: true });
    expect(judgeStatus(404)).toEqual({ ok: false, reason: "HTTP 404", retry: false });
    expect(judgeStatus(401)).toEqual({ ok: false, reason: "HTTP 401", retry: false });
  });
});
