// Schema validation of message values is pluggable: the schema catalog (built separately) registers
// a validator at start-up, and the message browser shows a badge whenever one answers. Until one is
// registered, messages carry no badge rather than a made-up one.
export interface ValidationResult {
  status: "valid" | "invalid" | "unknown-type";
  errors: { path: string; message: string }[];
}

/** Validates a decoded JSON value against the schema of its event type; null when it cannot say. */
export type PayloadValidator = (eventType: string, value: unknown) => Promise<ValidationResult | null>;

let current: PayloadValidator | null = null;

export function setPayloadValidator(validator: PayloadValidator | null): void {
  current = validator;
}

export function getPayloadValidator(): PayloadValidator | null {
  return current;
}

/** Runs the registered validator; a validator that throws yields no badge instead of breaking the browser. */
export async function validatePayload(eventType: string | null, value: { ok: boolean; value: unknown }, validator = current): Promise<ValidationResult | null> {
  if (!validator || !eventType || !value.ok) return null;
  try {
    return await validator(eventType, value.value);
  } catch {
    return null;
  }
}
