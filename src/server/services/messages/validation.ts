// Schema validation of message values: by default against the schema catalog, so every message
// whose event type the catalog knows carries a badge; one it does not know carries none rather than
// a made-up one. Tests swap the validator with setPayloadValidator.
import { validateEventPayload } from "~/server/services/schemas/validate-payload";

export interface ValidationResult {
  status: "valid" | "invalid" | "unknown-type";
  errors: { path: string; message: string }[];
}

/** Validates a decoded JSON value against the schema of its event type; null when it cannot say. */
export type PayloadValidator = (eventType: string, value: unknown) => Promise<ValidationResult | null>;

/** The catalog's verdict; event types the catalog does not know get no badge. */
export const catalogValidator: PayloadValidator = async (eventType, value) => {
  // Event types and their schemas are the same for every cluster (only topic bindings differ).
  const result = await validateEventPayload("", eventType, value);
  return result.status === "unknown-type" ? null : { status: result.status, errors: result.errors };
};

let current: PayloadValidator | null = catalogValidator;

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
