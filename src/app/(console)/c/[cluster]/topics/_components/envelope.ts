// The produce form's envelope helper: pure, so it is unit-tested beside it.

export interface HeaderRow {
  key: string;
  value: string;
}

/**
 * Gives a JSON value the envelope's identity fields: a new eventId and timestamp, this console as
 * the source, and the correlation kept (or started). Anything else is left as typed.
 */
export function fillEnvelope(value: string, now = new Date(), uuid = () => crypto.randomUUID()): { value: string; error: string | null } {
  let parsed: unknown = {};
  if (value.trim()) {
    try {
      parsed = JSON.parse(value);
    } catch {
      return { value, error: "The value is not JSON, so it has no envelope to fill." };
    }
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return { value, error: "The value is not a JSON object, so it has no envelope to fill." };
  const event = parsed as Record<string, unknown>;
  const metadata = typeof event.metadata === "object" && event.metadata !== null ? (event.metadata as Record<string, unknown>) : {};
  const filled = {
    ...event,
    eventId: uuid(),
    eventType: event.eventType ?? "",
    timestamp: now.toISOString(),
    version: event.version ?? 1,
    source: "signalbox-console",
    data: event.data ?? {},
    metadata: { ...metadata, correlationId: metadata.correlationId ?? uuid(), causationId: typeof event.eventId === "string" ? event.eventId : (metadata.causationId ?? null) },
  };
  return { value: JSON.stringify(filled, null, 2), error: null };
}

/** Header names that repeat the envelope (the demo's services and many others write both). */
const ENVELOPE_HEADERS = ["eventId", "eventType", "timestamp", "source", "correlationId", "causationId"] as const;

/** Headers that repeat the envelope take the filled value's fields, so header and value agree. */
export function syncEnvelopeHeaders(headers: HeaderRow[], value: string): HeaderRow[] {
  let event: Record<string, unknown>;
  try {
    event = JSON.parse(value) as Record<string, unknown>;
  } catch {
    return headers;
  }
  const metadata = (event.metadata ?? {}) as Record<string, unknown>;
  const field = (name: (typeof ENVELOPE_HEADERS)[number]) => (name === "correlationId" || name === "causationId" ? metadata[name] : event[name]);
  return headers.map((h) => {
    const name = ENVELOPE_HEADERS.find((n) => n === h.key);
    const v = name ? field(name) : undefined;
    return name && (typeof v === "string" || typeof v === "number") ? { ...h, value: String(v) } : h;
  });
}

