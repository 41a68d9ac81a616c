// Producer inference: Kafka does not record who produced a record, so the topology reads it from
// the records themselves: a configured header, the envelope's `source` header, or the `source`
// field of an enveloped JSON value, in that order.
import type { ProducerObservation } from "~/server/catalog";
import { lastHeader, parseEnvelope } from "~/lib/envelope";

const MAX_NAME = 200;

/** The parts of a record read by offset that inference needs; headers in Kafka's order. */
export interface SampledRecord {
  topic: string;
  /** Epoch ms. */
  timestamp: number;
  value: Buffer | null;
  headers: { key: string; value: Buffer | null }[];
}

function headerText(record: Pick<SampledRecord, "headers">, name: string): string | null {
  const value = lastHeader(record.headers, name);
  if (!value) return null;
  const text = value.toString("utf8").trim();
  // A producer name is a short printable identifier; anything else is not evidence.
  return text && text.length <= MAX_NAME && !/[\u0000-\u001f\ufffd]/.test(text) ? text : null;
}

function looksLikeJson(value: Buffer | null): boolean {
  if (!value || value.length === 0) return false;
  const first = value[0];
  return first === 0x7b; // "{": only an object can be an envelope
}

/** Headers that mark a dead-lettered record (Signalbox, Spring Kafka, Kafka Connect). */
const DEAD_LETTER_MARKERS = ["x-original-topic", "kafka_dlt-original-topic", "__connect.errors.topic"];

export function producerOf(record: Pick<SampledRecord, "headers" | "value">, producerHeader: string | null): { service: string; eventType: string } | null {
  const configured = producerHeader ? headerText(record, producerHeader) : null;
  if (record.headers.some((h) => DEAD_LETTER_MARKERS.includes(h.key))) {
    // A dead-lettered record keeps the original event's envelope and headers, so its `source`
    // names who produced the original, not who wrote it here. Only an explicit name counts:
    // the configured header, or the Kafka Connect connector that dead-lettered it.
    const writer = configured ?? headerText(record, "__connect.errors.connector.name");
    return writer ? { service: writer, eventType: headerText(record, "eventType") ?? "" } : null;
  }
  const fromHeader = configured || headerText(record, "source");
  const envelope = looksLikeJson(record.value) ? parseEnvelope(record.value) : null;
  const service = fromHeader ?? (envelope?.source ? envelope.source.slice(0, MAX_NAME) : null);
  if (!service) return null;
  const eventType = headerText(record, "eventType") ?? envelope?.eventType?.slice(0, MAX_NAME) ?? "";
  return { service, eventType };
}

/** Counts producers (and the event types they sent) in a sample of records, per topic. */
export function inferProducers(records: SampledRecord[], producerHeader: string | null): ProducerObservation[] {
  const found = new Map<string, ProducerObservation>();
  for (const record of records) {
    const producer = producerOf(record, producerHeader);
    if (!producer) continue;
    const key = `${record.topic}\u0000${producer.service}\u0000${producer.eventType}`;
    const at = new Date(record.timestamp);
    const seen = found.get(key);
    if (seen) {
      seen.messages += 1;
      if (at > seen.lastSeen) seen.lastSeen = at;
    } else {
      found.set(key, { topic: record.topic, service: producer.service, eventType: producer.eventType, messages: 1, lastSeen: at });
    }
  }
  return [...found.values()];
}
