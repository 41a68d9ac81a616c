// How Signalbox shows a record's bytes: pretty JSON, UTF-8 text, or hex for binary, with the
// Confluent wire format recognised and its schema id shown. Everything becomes plain text; the UI
// renders it as text, never as HTML.
import { envelopeFromObject, lastHeader, parseEnvelope } from "~/lib/envelope";
import { parseConfluentFrame } from "~/lib/wire-format";
import type { FetchedRecord, RecordHeader } from "~/server/broker";
import type { SchemaType } from "~/server/catalog";
import { decodeFramed } from "~/server/services/schemas/schema-decoding";

export type PayloadEncoding = "null" | "empty" | "json" | "text" | "binary";

export interface DecodedPayload {
  encoding: PayloadEncoding;
  /** What to show: pretty JSON, the text itself, or a hex dump. Cut to the preview limit. */
  text: string;
  /** True when `text` was cut; the full record is one `message` call away. */
  truncated: boolean;
  /** Size of the raw bytes. */
  bytes: number;
  /** Set when the bytes are in the Confluent wire format (magic byte 0 + schema id). */
  schemaId: number | null;
  /** Set when the framed payload was decoded with its schema (Avro), shown as its JSON. */
  schemaType?: SchemaType;
  /** Set when the framed payload could not be decoded: why (unknown id, the cluster's registry unreachable, bytes that do not fit). */
  schemaProblem?: string;
}

/** A record whose framed binary value (Avro) was decoded with its schema: the value is the JSON text. */
export type ReadableRecord = FetchedRecord & { valueFrame?: { schemaId: number; schemaType: SchemaType }; valueProblem?: string };

/**
 * The record as people, filters, masking and validation read it: a Confluent-framed Avro value
 * becomes its JSON text (Avro's JSON encoding), remembering the schema id; everything else is as is.
 * The schema comes from the cluster's registry: its external one when it names one.
 */
export async function readableRecord(record: FetchedRecord, clusterName?: string): Promise<ReadableRecord> {
  const outcome = await decodeFramed(record.value, clusterName);
  if (!outcome) return record;
  if (!outcome.ok) return { ...record, valueProblem: outcome.problem };
  const decoded = outcome.decoding;
  return { ...record, value: Buffer.from(decoded.text, "utf8"), valueFrame: { schemaId: decoded.schemaId, schemaType: decoded.schemaType } };
}

export interface DecodedHeader {
  key: string;
  /** UTF-8 text, or hex when the value is not text; null for a null value. */
  text: string | null;
  encoding: "null" | "text" | "binary";
  /** Binary 2-, 4- and 8-byte values read as big-endian integers (Spring Kafka writes partition and offset that way). */
  number: string | null;
}

export interface EnvelopeColumns {
  eventType: string | null;
  eventId: string | null;
  correlationId: string | null;
  causationId: string | null;
  source: string | null;
}

export interface DecodedMessage {
  topic: string;
  partition: number;
  offset: number;
  timestamp: number;
  key: DecodedPayload;
  value: DecodedPayload;
  headers: DecodedHeader[];
  envelope: EnvelopeColumns;
}

/** Preview size per payload in lists; "show all" asks for one record without the limit. */
export const PREVIEW_CHARS = 2048;

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** UTF-8 text without control characters other than tab, CR and LF; null when the bytes are not that. */
export function asText(bytes: Uint8Array): string | null {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return null;
  }
  return /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(text) ? null : text;
}

/** "0a 1f ff …", 16 bytes per line, for at most `maxBytes` bytes. */
export function hexDump(bytes: Uint8Array, maxBytes: number): string {
  const shown = bytes.subarray(0, maxBytes);
  const lines: string[] = [];
  for (let i = 0; i < shown.length; i += 16) {
    lines.push(
      Array.from(shown.subarray(i, i + 16), (b) => b.toString(16).padStart(2, "0")).join(" "),
    );
  }
  return lines.join("\n");
}

function cut(text: string, limit: number): { text: string; truncated: boolean } {
  return text.length > limit ? { text: text.slice(0, limit), truncated: true } : { text, truncated: false };
}

/** JSON objects and arrays are pretty-printed; a bare string or number stays text. */
function prettyJson(text: string): string | null {
  const trimmed = text.trimStart();
  if (!trimmed.startsWith("{") && !trimmed.startsWith("[")) return null;
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return null;
  }
}

export function decodePayload(bytes: Uint8Array | null, limit = PREVIEW_CHARS): DecodedPayload {
  if (bytes === null) return { encoding: "null", text: "", truncated: false, bytes: 0, schemaId: null };
  if (bytes.length === 0) return { encoding: "empty", text: "", truncated: false, bytes: 0, schemaId: null };
  // A frame with nothing after its header is more likely binary that happens to start with a zero byte.
  const frame = bytes.length > 5 ? parseConfluentFrame(bytes) : null;
  const body = frame ? frame.payload : bytes;
  const schemaId = frame ? frame.schemaId : null;
  const text = asText(body);
  if (text === null) {
    // Two hex digits and a space per byte: show as many bytes as fit the limit.
    const maxBytes = Math.max(16, Math.floor(limit / 3));
    return { encoding: "binary", text: hexDump(body, maxBytes), truncated: body.length > maxBytes, bytes: bytes.length, schemaId };
  }
  // Pretty-printing a huge document only to cut it would waste time: cut first, then show as text.
  const pretty = text.length <= Math.max(limit, 1_000_000) ? prettyJson(text) : null;
  if (pretty !== null) return { encoding: "json", ...cut(pretty, limit), bytes: bytes.length, schemaId };
  return { encoding: "text", ...cut(text, limit), bytes: bytes.length, schemaId };
}

export function decodeHeader(header: RecordHeader): DecodedHeader {
  if (header.value === null) return { key: header.key, text: null, encoding: "null", number: null };
  const text = asText(header.value);
  if (text !== null) return { key: header.key, text, encoding: "text", number: null };
  return { key: header.key, text: hexDump(header.value, 256), encoding: "binary", number: bigEndianInteger(header.value) };
}

export function bigEndianInteger(bytes: Uint8Array): string | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length === 2) return String(view.getInt16(0, false));
  if (bytes.length === 4) return String(view.getInt32(0, false));
  if (bytes.length === 8) return view.getBigInt64(0, false).toString();
  return null;
}

function headerText(headers: RecordHeader[], name: string): string | null {
  const value = lastHeader(headers, name);
  return value ? asText(value) : null;
}

/** The envelope fields, from the value's JSON or, failing that, from headers of the same names. */
export function envelopeColumns(record: Pick<FetchedRecord, "value" | "headers">, parsed?: { ok: boolean; value: unknown }): EnvelopeColumns {
  // A caller that already parsed the value (the filters) passes it, so the JSON is parsed once.
  const envelope = parsed ? (parsed.ok ? envelopeFromObject(parsed.value) : null) : record.value ? parseEnvelope(record.value) : null;
  return {
    eventType: envelope?.eventType ?? headerText(record.headers, "eventType"),
    eventId: envelope?.eventId ?? headerText(record.headers, "eventId"),
    correlationId: envelope?.metadata.correlationId ?? headerText(record.headers, "correlationId"),
    causationId: envelope?.metadata.causationId ?? headerText(record.headers, "causationId"),
    source: envelope?.source || headerText(record.headers, "source"),
  };
}

function valuePayload(record: ReadableRecord, limit: number): DecodedPayload {
  const payload = decodePayload(record.value, limit);
  // The value's bytes on the topic are the frame; what is shown is the JSON decoded from it.
  if (record.valueFrame) return { ...payload, schemaId: record.valueFrame.schemaId, schemaType: record.valueFrame.schemaType };
  return record.valueProblem ? { ...payload, schemaProblem: record.valueProblem } : payload;
}

export function decodeRecord(record: ReadableRecord, limit = PREVIEW_CHARS): DecodedMessage {
  return {
    topic: record.topic,
    partition: record.partition,
    offset: record.offset,
    timestamp: record.timestamp,
    key: decodePayload(record.key, limit),
    value: valuePayload(record, limit),
    headers: record.headers.map(decodeHeader),
    envelope: envelopeColumns(record),
  };
}
