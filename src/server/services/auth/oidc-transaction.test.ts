import { describe, expect, it } from "vitest";
import { OidcError } from "./oidc-error";
import { OIDC_TRANSACTION_TTL_MS, openTransaction, sealTransaction, type OidcTransaction } from "./oidc-transaction";

const key = "a-session-secret-of-at-least-32-bytes!!";
const createdAt = Date.parse("2026-12-06T10:00:00Z");
const transaction: OidcTransaction = {
  state: "state-123",
  nonce: "nonce-456",
  codeVerifier: "v".repeat(43),
  redirectUri: "https://signalbox.example.com/api/auth/oidc/callback",
  returnTo: "/groups?cluster=local",
  createdAt,
};

function failureOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof OidcError) return error.failure;
    throw error;
  }
  throw new Error("expected an OidcError");
}

describe("sealTransaction / openTransaction", () => {
  it("round-trips within ten minutes", () => {
    const sealed = sealTransaction(transaction, key);
    expect(openTransaction(sealed, key, createdAt + OIDC_TRANSACTION_TTL_MS)).toEqual(transaction);
  });

  it("hides the code verifier and state", () => {
    const sealed = sealTransaction(transaction, key);
    expect(sealed).not.toContain("state-123");
    expect(Buffer.from(sealed.slice(3), "base64url").toString("latin1")).not.toContain(transaction.codeVerifier);
    // A fresh IV each time: two seals of one transaction differ.
    expect(sealTransaction(transaction, key)).not.toBe(sealed);
  });

  it("refuses a sealed value with any byte changed", () => {
    const sealed = sealTransaction(transaction, key);
    const raw = Buffer.from(sealed.slice(3), "base64url");
    for (const at of [0, 12, raw.length - 20, raw.length - 1]) {
      const tampered = Buffer.from(raw);
      tampered[at] = tampered[at]! ^ 0x01;
      expect(failureOf(() => openTransaction(`v1.${tampered.toString("base64url")}`, key, createdAt))).toBe("TRANSACTION_INVALID");
    }
  });

  it("refuses another key, garbage and truncation", () => {
    const sealed = sealTransaction(transaction, key);
    expect(failureOf(() => openTransaction(sealed, `${key}-other`, createdAt))).toBe("TRANSACTION_INVALID");
    expect(failureOf(() => openTransaction("v1.bm90LWEtdHJhbnNhY3Rpb24", key, createdAt))).toBe("TRANSACTION_INVALID");
    expect(failureOf(() => openTransaction(sealed.slice(0, -4), key, createdAt))).toBe("TRANSACTION_INVALID");
    expect(failureOf(() => openTransaction(sealed.replace(/^v1/, "v2"), key, createdAt))).toBe("TRANSACTION_INVALID");
    expect(failureOf(() => openTransaction("", key, createdAt))).toBe("TRANSACTION_INVALID");
  });

  it("refuses a transaction older than ten minutes", () => {
    const sealed = sealTransaction(transaction, key);
    expect(failureOf(() => openTransaction(sealed, key, createdAt + OIDC_TRANSACTION_TTL_MS + 1))).toBe("TRANSACTION_EXPIRED");
  });

  it("refuses a key shorter than 32 bytes", () => {
    expect(() => sealTransaction(transaction, "short")).toThrow(/at least 32 bytes/);
  });
});
