// The canonical form of a schema: the same JSON with object keys sorted and no whitespace. Two texts
// that differ only in formatting or key order are one schema (one fingerprint, one registry id).
import { createHash } from "node:crypto";

export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.keys(value as Record<string, unknown>)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
    return `{${entries.join(",")}}`;
  }
  return JSON.stringify(value);
}

export function fingerprintOf(schema: unknown): string {
  return createHash("sha256").update(canonicalJson(schema)).digest("hex");
}
