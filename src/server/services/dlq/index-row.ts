// What the DLQ index keeps of one dead-lettered record: the parts lists, groups, filters and charts
// need, read once when the record is indexed. Text goes into PostgreSQL, which refuses NUL
// characters, and long values are cut: the record itself stays in Kafka for the detail view.
import type { FetchedRecord } from "~/server/broker";
import type { DlqIndexRow } from "~/server/catalog";
import { asText, envelopeColumns } from "~/server/services/messages/decode";
import { readDlqHeaders, redriveAttempt, type DlqError } from "./headers";
import { failureReason } from "./reasons";

export const PREVIEW_CHARS = 240;
const MAX_KEY = 500;
const MAX_ID = 500;
const MAX_MESSAGE = 4000;

/** Text PostgreSQL accepts (NUL replaced), at most `max` characters (cut with "…"). */
export function storableText(text: string | null, max: number): string | null {
  if (text === null) return null;
  const clean = text.includes("\u0000") ? text.replace(/\u0000/g, "\ufffd") : text;
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}

/** An integer a PostgreSQL int column holds; anything else (a header claiming 2^40 attempts) is unknown. */
export function int32(value: number | null): number | null {
  return value !== null && Number.isInteger(value) && value >= -2_147_483_648 && value <= 2_147_483_647 ? value : null;
}

/** A key as text, or as hex when it is binary. */
export function keyText(key: Buffer | null): string | null {
  return key ? (asText(key) ?? key.toString("hex")) : null;
}

export function valuePreview(value: Buffer | null): string {
  if (!value || value.length === 0) return "";
  const text = asText(value);
  if (text === null) return `<${value.length} bytes of binary>`;
  return storableText(text, PREVIEW_CHARS)!;
}

/** The reason column: the failure's grouping key as the index stores it. */
export function reasonText(error: DlqError): string {
  return storableText(failureReason(error), MAX_MESSAGE)!;
}

export function toIndexRow(record: FetchedRecord): DlqIndexRow {
  const reading = readDlqHeaders(record.headers);
  const envelope = envelopeColumns(record);
  const origin = reading.origin;
  return {
    partition: record.partition,
    offset: record.offset,
    timestamp: record.timestamp,
    key: storableText(keyText(record.key), MAX_KEY),
    eventType: storableText(envelope.eventType, MAX_ID),
    eventId: storableText(envelope.eventId, MAX_ID),
    correlationId: storableText(envelope.correlationId, MAX_ID),
    convention: reading.convention,
    errorClass: storableText(reading.error.errorClass, MAX_ID),
    errorMessage: storableText(reading.error.message, MAX_MESSAGE),
    reason: reasonText(reading.error),
    originTopic: storableText(origin.topic, MAX_ID),
    originPartition: int32(origin.partition),
    originOffset: storableText(origin.offset, 40),
    attempts: int32(reading.attempts),
    redriveAttempts: int32(redriveAttempt(record.headers)) ?? 0,
    preview: valuePreview(record.value),
    valueBytes: record.value?.length ?? 0,
  };
}
