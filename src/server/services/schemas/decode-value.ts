// What a message value is, for schema checks: JSON (plain, or in Confluent's wire format with a
// schema id; a framed binary payload such as Avro decoded with the schema it names, as JSON), or
// something else with a reason a person understands. Never throws.
import { parseConfluentFrame } from "~/lib/wire-format";
import { decodeWith, type AnyParsedSchema } from "./formats";

/** The schema a registry id names, when the caller knows it. */
export type SchemaLookup = (schemaId: number) => AnyParsedSchema | undefined;

export type DecodedValue =
  | { kind: "json"; value: unknown; schemaId: number | null }
  | { kind: "not-json"; reason: string };

const utf8 = new TextDecoder("utf-8", { fatal: true });

function parseJsonBytes(bytes: Uint8Array): { ok: true; value: unknown } | { ok: false; reason: string } {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return { ok: false, reason: `binary data (${bytes.length} bytes, not UTF-8 text)` };
  }
  if (text.trim() === "") return { ok: false, reason: "empty value" };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, reason: `not JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
}

export function decodeValue(bytes: Uint8Array | null | undefined, lookup?: SchemaLookup): DecodedValue {
  if (bytes === null || bytes === undefined) return { kind: "not-json", reason: "no value (a tombstone)" };
  const frame = parseConfluentFrame(bytes);
  const schema = frame ? lookup?.(frame.schemaId) : undefined;
  if (frame && schema && schema.schemaType !== "JSON") {
    const decoded = decodeWith(schema, frame.payload);
    return decoded.ok ? { kind: "json", value: decoded.value, schemaId: frame.schemaId } : { kind: "not-json", reason: `${schema.schemaType}-framed (schema id ${frame.schemaId}) but ${decoded.reason}` };
  }
  if (frame) {
    const parsed = parseJsonBytes(frame.payload);
    return parsed.ok ? { kind: "json", value: parsed.value, schemaId: frame.schemaId } : { kind: "not-json", reason: `Confluent-framed (schema id ${frame.schemaId}) but the payload is ${parsed.reason}` };
  }
  const parsed = parseJsonBytes(bytes);
  return parsed.ok ? { kind: "json", value: parsed.value, schemaId: null } : { kind: "not-json", reason: parsed.reason };
}

/**
 * Control characters as visible escapes: a preview must read as text, and PostgreSQL's jsonb (where
 * results are stored) refuses a NUL character.
 */
export function printable(text: string): string {
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** The start of a value for people: text when it is text, hex otherwise. Always plain text (rendered as text, never HTML). */
export function previewValue(bytes: Uint8Array | null | undefined, max = 240): string {
  if (!bytes) return "";
  try {
    const text = printable(utf8.decode(bytes.subarray(0, max * 4)));
    return text.length > max ? `${text.slice(0, max)}…` : text;
  } catch {
    const hex = Buffer.from(bytes.subarray(0, 48)).toString("hex").replace(/(..)/g, "$1 ").trim();
    return `hex: ${hex}${bytes.length > 48 ? " …" : ""}`;
  }
}

/** The event type a message says it is: the envelope's `eventType`, else an `eventType` header. */
export function declaredEventType(value: unknown, headers: Record<string, Buffer | Buffer[] | undefined> = {}): string | null {
  if (value && typeof value === "object" && !Array.isArray(value) && typeof (value as { eventType?: unknown }).eventType === "string") {
    return (value as { eventType: string }).eventType;
  }
  const header = headers.eventType;
  const first = Array.isArray(header) ? header[0] : header;
  return first ? first.toString("utf8") : null;
}
