// Secrets at rest (a cluster's SASL password, its TLS private key and that key's passphrase):
// AES-256-GCM through node:crypto, with a key from the environment. Each ciphertext names the key
// that sealed it, so keys can be rotated: the new key seals, the previous ones still open, and
// `npm run --silent secrets -- rotate` re-seals everything under the new key.
//
// Format: sb1.<key id>.<iv>.<auth tag>.<ciphertext>, base64url parts. The associated data binds a
// ciphertext to the row and field it was written for, so one cannot be copied into another.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { AppError } from "~/server/errors";

const PREFIX = "sb1";
const KEY_BYTES = 32;
const IV_BYTES = 12;

export interface SecretKey {
  /** 16 hex characters of a hash of the key: names it without revealing it. */
  id: string;
  key: Buffer;
}

export interface Keyring {
  /** Seals new secrets; null when SIGNALBOX_SECRET_KEY is not set. */
  current: SecretKey | null;
  /** Still open old ciphertexts (SIGNALBOX_SECRET_KEYS_PREVIOUS). */
  previous: SecretKey[];
}

/** Decodes a base64 key of 32 bytes; the message names what is wrong, for the configuration error. */
export function parseSecretKey(base64: string): SecretKey {
  const key = Buffer.from(base64.trim(), "base64");
  if (key.length !== KEY_BYTES || key.toString("base64").replace(/=+$/, "") !== base64.trim().replace(/=+$/, "")) {
    throw new Error(`must be ${KEY_BYTES} bytes in base64 (openssl rand -base64 32), got ${key.length} bytes`);
  }
  return { id: createHash("sha256").update("signalbox secret key id\0").update(key).digest("hex").slice(0, 16), key };
}

export function isSealed(value: string): boolean {
  return value.startsWith(`${PREFIX}.`);
}

/** The id of the key that sealed `value`. */
export function sealedKeyId(value: string): string | null {
  return isSealed(value) ? (value.split(".")[1] ?? null) : null;
}

export function seal(plaintext: string, keyring: Keyring, context: string): string {
  if (!keyring.current) throw missingKeyError();
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", keyring.current.key, iv);
  cipher.setAAD(Buffer.from(context, "utf8"));
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return [PREFIX, keyring.current.id, iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), ciphertext.toString("base64url")].join(".");
}

export function open(sealed: string, keyring: Keyring, context: string): string {
  const [prefix, keyId, iv, tag, ciphertext] = sealed.split(".");
  if (prefix !== PREFIX || !keyId || iv === undefined || tag === undefined || ciphertext === undefined) {
    throw new AppError("INTERNAL", "A stored secret is not in Signalbox's sealed format.");
  }
  const key = [keyring.current, ...keyring.previous].find((k) => k?.id === keyId);
  if (!key) {
    throw new AppError(
      "INTERNAL",
      `A stored secret was sealed with key ${keyId}, which is neither SIGNALBOX_SECRET_KEY nor in SIGNALBOX_SECRET_KEYS_PREVIOUS; set that key again (see docs/clusters.md, "Rotating the key").`,
    );
  }
  try {
    const decipher = createDecipheriv("aes-256-gcm", key.key, Buffer.from(iv, "base64url"));
    decipher.setAAD(Buffer.from(context, "utf8"));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64url")), decipher.final()]).toString("utf8");
  } catch (cause) {
    throw new AppError("INTERNAL", `A stored secret does not open with key ${keyId}: it was changed, or belongs to another row or field.`, { cause });
  }
}

export function missingKeyError(): AppError {
  return new AppError(
    "BAD_REQUEST",
    "Signalbox will not store a secret unencrypted, and SIGNALBOX_SECRET_KEY is not set. Set it to 32 random bytes in base64 (openssl rand -base64 32) and restart; see docs/clusters.md.",
  );
}
