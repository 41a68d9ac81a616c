// A JSON request body, bounded while it is read, and only with a JSON content type: a cross-site
// HTML form can send text/plain or form encodings, never application/json, so refusing them closes
// that door even before the Origin check.
import { BodyTooLargeError, readBodyLimited } from "./limits";

const JSON_TYPES = ["application/json", "application/vnd.schemaregistry.v1+json", "application/vnd.schemaregistry+json"];

export function isJsonContentType(header: string | null): boolean {
  const type = (header ?? "").split(";")[0]!.trim().toLowerCase();
  return JSON_TYPES.includes(type);
}

/** Nesting deeper than this is refused before JSON.parse builds it. */
const MAX_DEPTH = 200;

function nestingProblem(text: string): string | null {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      if (++depth > MAX_DEPTH) return `The JSON is nested more than ${MAX_DEPTH} levels deep.`;
    } else if (c === 125 || c === 93) depth--;
  }
  return null;
}

export type JsonBody = { ok: true; value: unknown; empty: boolean } | { ok: false; status: number; error: string };

export async function readJsonBody(request: Request, limitBytes: number, options: { allowEmpty?: boolean } = {}): Promise<JsonBody> {
  let raw: Buffer;
  try {
    raw = await readBodyLimited(request, limitBytes);
  } catch (error) {
    if (error instanceof BodyTooLargeError) return { ok: false, status: 413, error: error.message };
    throw error;
  }
  if (raw.length === 0 && options.allowEmpty) return { ok: true, value: undefined, empty: true };
  if (!isJsonContentType(request.headers.get("content-type"))) {
    return { ok: false, status: 415, error: `The body must be JSON (Content-Type: application/json or application/vnd.schemaregistry.v1+json), not "${(request.headers.get("content-type") ?? "none").slice(0, 100)}".` };
  }
  const text = raw.toString("utf8");
  const deep = nestingProblem(text);
  if (deep) return { ok: false, status: 400, error: deep };
  try {
    return { ok: true, value: JSON.parse(text), empty: false };
  } catch (error) {
    return { ok: false, status: 400, error: `The request body is not JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
}
