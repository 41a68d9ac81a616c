// Validates one message value against an event type's schema, for the message browser and the DLQ
// (fix-and-redrive refuses a value that does not validate). Accepts the raw bytes as consumed
// (plain JSON or Confluent's wire format), a JSON string, or an already parsed value.
import { decodeValue } from "./decode-value";
import { validateParsed } from "./formats";
import type { ValueError } from "./json-schema";
import { cachedSchemaSet, latestOf, lookupIn } from "./schema-sets";

export interface PayloadValidation {
  status: "valid" | "invalid" | "unknown-type";
  /** JSON Pointer paths into the value, "/" for the value itself. */
  errors: ValueError[];
  /** The version validated against: the one a framed value names, else the latest; null when none applied. */
  schemaVersion: number | null;
}

/**
 * `clusterName` is accepted for the callers' sake: event types and their schemas are the same for
 * every cluster today (only topic bindings are per cluster).
 */
export async function validateEventPayload(clusterName: string, eventType: string, value: Uint8Array | string | unknown): Promise<PayloadValidation> {
  void clusterName;
  const set = await cachedSchemaSet(eventType);
  if (!set || !latestOf(set)) return { status: "unknown-type", errors: [], schemaVersion: null };

  let json: unknown;
  let schema = latestOf(set)!;
  if (value instanceof Uint8Array || typeof value === "string") {
    const decoded = decodeValue(typeof value === "string" ? new TextEncoder().encode(value) : value, lookupIn(set));
    if (decoded.kind === "not-json") return { status: "invalid", errors: [{ path: "/", message: decoded.reason }], schemaVersion: null };
    if (decoded.schemaId !== null) {
      const named = set.versions.find((v) => v.schemaId === decoded.schemaId);
      if (!named) return { status: "invalid", errors: [{ path: "/", message: `names schema id ${decoded.schemaId}, which is not a version of ${eventType}` }], schemaVersion: null };
      schema = named;
    }
    json = decoded.value;
  } else json = value;

  const errors = validateParsed(schema.parsed, json);
  return { status: errors.length === 0 ? "valid" : "invalid", errors, schemaVersion: schema.version };
}
