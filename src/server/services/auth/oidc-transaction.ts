// The sign-in attempt between the redirect to the identity provider and its callback. It holds the
// PKCE code verifier, so it travels only sealed (AES-256-GCM: secret and tamper-evident) in a
// short-lived HttpOnly cookie; nothing about it is stored on the server.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { z } from "zod";
import { OidcError } from "./oidc-error";

/** Long enough to sign in with a password manager and a second factor; short enough that a stolen cookie soon dies. */
export const OIDC_TRANSACTION_TTL_MS = 10 * 60_000;

const transactionSchema = z.object({
  state: z.string().min(1),
  nonce: z.string().min(1),
  codeVerifier: z.string().min(43),
  redirectUri: z.url(),
  returnTo: z.string(),
  createdAt: z.number().int(),
});

export type OidcTransaction = z.infer<typeof transactionSchema>;

const VERSION = "v1";
const IV_BYTES = 12;
const TAG_BYTES = 16;
// Binds the ciphertext to this use, so a value sealed for something else under the same secret never opens here.
const AAD = Buffer.from("signalbox/oidc-transaction/v1");

function transactionKey(secret: string | Uint8Array): Buffer {
  const material = typeof secret === "string" ? Buffer.from(secret, "utf8") : Buffer.from(secret);
  if (material.length < 32) throw new Error("The OIDC transaction key must be at least 32 bytes");
  // Derived, so the integrator can pass the session secret it already has without reusing it as-is.
  return Buffer.from(hkdfSync("sha256", material, Buffer.alloc(0), "signalbox oidc transaction", 32));
}

/** `v1.<base64url(iv | ciphertext | tag)>`, safe as a cookie value. */
export function sealTransaction(transaction: OidcTransaction, secret: string | Uint8Array): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", transactionKey(secret), iv);
  cipher.setAAD(AAD);
  const body = Buffer.concat([cipher.update(JSON.stringify(transaction), "utf8"), cipher.final()]);
  return `${VERSION}.${Buffer.concat([iv, body, cipher.getAuthTag()]).toString("base64url")}`;
}

/** The transaction in `sealed`; OidcError TRANSACTION_INVALID if altered or not ours, TRANSACTION_EXPIRED after 10 minutes. */
export function openTransaction(sealed: string, secret: string | Uint8Array, now: Date | number = Date.now()): OidcTransaction {
  const invalid = (cause?: unknown) =>
    new OidcError("TRANSACTION_INVALID", "This sign-in attempt could not be verified. Please start the sign-in again.", { cause });
  const [version, payload] = sealed.split(".");
  if (version !== VERSION || !payload) throw invalid();
  const raw = Buffer.from(payload, "base64url");
  if (raw.length <= IV_BYTES + TAG_BYTES) throw invalid();
  let json: string;
  try {
    const decipher = createDecipheriv("aes-256-gcm", transactionKey(secret), raw.subarray(0, IV_BYTES));
    decipher.setAAD(AAD);
    decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
    json = Buffer.concat([decipher.update(raw.subarray(IV_BYTES, raw.length - TAG_BYTES)), decipher.final()]).toString("utf8");
  } catch (cause) {
    throw invalid(cause);
  }
  const parsed = transactionSchema.safeParse(JSON.parse(json));
  if (!parsed.success) throw invalid();
  const age = Number(now) - parsed.data.createdAt;
  if (age > OIDC_TRANSACTION_TTL_MS) {
    throw new OidcError("TRANSACTION_EXPIRED", "This sign-in attempt took longer than 10 minutes. Please sign in again.");
  }
  return parsed.data;
}
