// The event envelope every Signalbox-aware service uses (see ARCHITECTURE.md, "Event envelope").
import { randomUUID } from "node:crypto";

export interface EventEnvelope<TData = unknown> {
  eventId: string;
  eventType: string;
  timestamp: string;
  version: number;
  source: string;
  data: TData;
  metadata: { correlationId: string; causationId: string | null };
}

export function createEnvelope<TData>(input: {
  eventType: string;
  source: string;
  data: TData;
  version?: number;
  /** The event this one is a consequence of; its correlation id is carried over. */
  causedBy?: Pick<EventEnvelope, "eventId" | "metadata">;
  now?: Date;
}): EventEnvelope<TData> {
  const eventId = randomUUID();
  return {
    eventId,
    eventType: input.eventType,
    timestamp: (input.now ?? new Date()).toISOString(),
    version: input.version ?? 1,
    source: input.source,
    data: input.data,
    metadata: {
      correlationId: input.causedBy?.metadata.correlationId ?? eventId,
      causationId: input.causedBy?.eventId ?? null,
    },
  };
}

/** Envelope fields mirrored into headers, so tools can route and trace without parsing the value. */
export function envelopeHeaders(envelope: EventEnvelope): Record<string, string> {
  const headers: Record<string, string> = {
    eventId: envelope.eventId,
    eventType: envelope.eventType,
    source: envelope.source,
    correlationId: envelope.metadata.correlationId,
  };
  if (envelope.metadata.causationId) headers.causationId = envelope.metadata.causationId;
  return headers;
}

/**
 * The value of a record's header `name` (the envelope's mirrored fields, above, and others). Kafka
 * keeps repeated keys; the last one wins, as in Java's `Headers.lastHeader`.
 */
export function lastHeader(headers: readonly { key: string; value: Buffer | null }[], name: string): Buffer | null {
  for (let i = headers.length - 1; i >= 0; i -= 1) {
    const h = headers[i]!;
    if (h.key === name && h.value !== null) return h.value;
  }
  return null;
}

/** Reads an envelope from a JSON value; returns null for anything that is not one. */
export function parseEnvelope(value: Buffer | string | null): EventEnvelope | null {
  if (value === null) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(typeof value === "string" ? value : value.toString("utf8"));
  } catch {
    return null;
  }
  return envelopeFromObject(parsed);
}

/** The envelope of an already parsed JSON value; null for anything that is not one. */
export function envelopeFromObject(parsed: unknown): EventEnvelope | null {
  if (!parsed || typeof parsed !== "object") return null;
  const candidate = parsed as Partial<EventEnvelope>;
  if (typeof candidate.eventId !== "string" || typeof candidate.eventType !== "string") return null;
  return {
    eventId: candidate.eventId,
    eventType: candidate.eventType,
    timestamp: typeof candidate.timestamp === "string" ? candidate.timestamp : "",
    version: typeof candidate.version === "number" ? candidate.version : 1,
    source: typeof candidate.source === "string" ? candidate.source : "",
    data: candidate.data,
    metadata: {
      correlationId: typeof candidate.metadata?.correlationId === "string" ? candidate.metadata.correlationId : candidate.eventId,
      causationId: typeof candidate.metadata?.causationId === "string" ? candidate.metadata.causationId : null,
    },
  };
}
