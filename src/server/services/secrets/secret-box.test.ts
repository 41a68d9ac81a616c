import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { isSealed, open, parseSecretKey, seal, sealedKeyId, type Keyring } from "./secret-box";

const newKey = () => parseSecretKey(randomBytes(32).toString("base64"));

describe("secret box", () => {
  const current = newKey();
  const keyring: Keyring = { current, previous: [] };

  it("seals to a ciphertext that names its key and hides the plaintext, and opens it again", () => {
    const sealed = seal("hunter2-scram", keyring, "Cluster.c1.saslPassword");
    expect(isSealed(sealed)).toBe(true);
    expect(sealedKeyId(sealed)).toBe(current.id);
    expect(sealed).not.toContain("hunter2");
    expect(Buffer.from(sealed, "utf8").toString("latin1")).not.toContain("hunter2");
    expect(open(sealed, keyring, "Cluster.c1.saslPassword")).toBe("hunter2-scram");
  });

  it("uses a fresh IV each time", () => {
    expect(seal("same", keyring, "x")).not.toBe(seal("same", keyring, "x"));
  });

  it("refuses a ciphertext moved to another row or field", () => {
    const sealed = seal("secret", keyring, "Cluster.c1.saslPassword");
    expect(() => open(sealed, keyring, "Cluster.c2.saslPassword")).toThrow(/does not open .* another row or field/);
    expect(() => open(sealed, keyring, "Cluster.c1.tlsKey")).toThrow(/another row or field/);
  });

  it("refuses a tampered ciphertext", () => {
    const sealed = seal("secret", keyring, "ctx");
    const parts = sealed.split(".");
    const body = Buffer.from(parts[4]!, "base64url");
    body[0] = body[0]! ^ 1;
    parts[4] = body.toString("base64url");
    expect(() => open(parts.join("."), keyring, "ctx")).toThrow(/does not open/);
  });

  it("opens with a previous key after rotation, and names a key it does not have", () => {
    const old = newKey();
    const sealedWithOld = seal("before rotation", { current: old, previous: [] }, "ctx");
    expect(open(sealedWithOld, { current, previous: [old] }, "ctx")).toBe("before rotation");
    expect(() => open(sealedWithOld, keyring, "ctx")).toThrow(new RegExp(`sealed with key ${old.id}.*SIGNALBOX_SECRET_KEYS_PREVIOUS`));
  });

  it("refuses to seal without a key, saying which variable to set", () => {
    expect(() => seal("x", { current: null, previous: [] }, "ctx")).toThrow(/will not store a secret unencrypted.*SIGNALBOX_SECRET_KEY is not set/);
  });

  it("accepts only 32 bytes of base64", () => {
    expect(() => parseSecretKey(randomBytes(16).toString("base64"))).toThrow(/must be 32 bytes in base64.*got 16 bytes/);
    expect(() => parseSecretKey("not base64 at all!")).toThrow(/must be 32 bytes/);
    const key = randomBytes(32);
    expect(parseSecretKey(key.toString("base64")).key.equals(key)).toBe(true);
    expect(parseSecretKey(key.toString("base64")).id).toMatch(/^[0-9a-f]{16}$/);
  });
});
