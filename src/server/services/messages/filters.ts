// Server-side filters over records, shared by the message browser, trace and replay jobs. A filter
// set compiles once into a predicate; each record's value is decoded and parsed at most once.
import { z } from "zod";
import type { FetchedRecord } from "~/server/broker";
import { asText, envelopeColumns, type EnvelopeColumns } from "./decode";

export const JSON_PATH_OPERATORS = ["=", "!=", "contains", ">", "<"] as const;
export type JsonPathOperator = (typeof JSON_PATH_OPERATORS)[number];

const text = z.string().trim().max(1000);

/** The latest instant a JavaScript Date can hold; later "timestamps" are typing mistakes, not times. */
export const MAX_EPOCH_MS = 8_640_000_000_000_000;
/** An instant as epoch milliseconds, as the filters, trace and replay windows take it. */
export const epochMs = z.number().int().nonnegative().max(MAX_EPOCH_MS);

export const messageFilterSchema = z
  .object({
    key: text.optional(),
    keyMatch: z.enum(["equals", "contains"]).default("equals"),
    headerName: z.string().max(1000).optional(),
    headerValue: z.string().max(1000).optional(),
    eventType: text.optional(),
    /** Epoch ms, inclusive. */
    from: epochMs.optional(),
    /** Epoch ms, exclusive. */
    to: epochMs.optional(),
    jsonPath: text.optional(),
    jsonOperator: z.enum(JSON_PATH_OPERATORS).default("="),
    jsonValue: z.string().max(1000).optional(),
    text: text.optional(),
    /** Matches the envelope's correlation id (value or header); used by trace and available to replay. */
    correlationId: text.optional(),
  })
  .superRefine((f, ctx) => {
    if (f.from !== undefined && f.to !== undefined && f.from >= f.to) ctx.addIssue({ code: "custom", path: ["to"], message: "The time range ends before it starts." });
    if (f.jsonPath && parseJsonPath(f.jsonPath) === null) ctx.addIssue({ code: "custom", path: ["jsonPath"], message: `"${f.jsonPath}" is not a JSON path; write it like data.customerId or $.data.items[0].sku.` });
    if (f.jsonPath && f.jsonValue === undefined) ctx.addIssue({ code: "custom", path: ["jsonValue"], message: "A JSON path filter needs a value to compare with." });
    if (f.jsonPath && (f.jsonOperator === ">" || f.jsonOperator === "<") && f.jsonValue !== undefined && !Number.isFinite(Number(f.jsonValue)))
      ctx.addIssue({ code: "custom", path: ["jsonValue"], message: `${f.jsonOperator} compares numbers; "${f.jsonValue}" is not a number.` });
  });

export type MessageFilter = z.input<typeof messageFilterSchema>;
/** A parsed filter (defaults filled in): what the services take. */
export type ParsedMessageFilter = z.output<typeof messageFilterSchema>;
/** Matches every record. */
export const NO_MESSAGE_FILTER: ParsedMessageFilter = { keyMatch: "equals", jsonOperator: "=" };

/** `data.items[0].sku`, `$.data.customerId`, `["odd key"].x` → path segments; null when malformed. */
export function parseJsonPath(path: string): (string | number)[] | null {
  let rest = path.trim().replace(/^\$\.?/, "");
  const segments: (string | number)[] = [];
  while (rest.length > 0) {
    let m: RegExpMatchArray | null;
    if ((m = rest.match(/^\.?([A-Za-z_$][\w$-]*)/))) segments.push(m[1]!);
    else if ((m = rest.match(/^\[(\d+)\]/))) segments.push(Number(m[1]));
    else if ((m = rest.match(/^\[\s*"((?:[^"\\]|\\.)*)"\s*\]/))) segments.push(JSON.parse(`"${m[1]}"`) as string);
    else return null;
    rest = rest.slice(m[0].length);
  }
  return segments.length > 0 ? segments : null;
}

function readPath(value: unknown, path: (string | number)[]): { found: boolean; value: unknown } {
  let current = value;
  for (const segment of path) {
    if (current === null || typeof current !== "object") return { found: false, value: undefined };
    if (typeof segment === "number") {
      if (!Array.isArray(current) || segment >= current.length) return { found: false, value: undefined };
      current = current[segment];
    } else {
      if (!Object.prototype.hasOwnProperty.call(current, segment)) return { found: false, value: undefined };
      current = (current as Record<string, unknown>)[segment];
    }
  }
  return { found: true, value: current };
}

function scalarText(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

/**
 * Compares a JSON value with what the user typed. `=`/`!=` compare numbers numerically and
 * everything else by its text ("42" equals 42, "true" equals true); `contains` looks into strings
 * and arrays; `>`/`<` are numeric. A path the value does not have never matches.
 */
export function compareJson(actual: unknown, operator: JsonPathOperator, expected: string): boolean {
  const expectedNumber = expected.trim() === "" ? NaN : Number(expected);
  switch (operator) {
    case "=":
    case "!=": {
      const equal = typeof actual === "number" && Number.isFinite(expectedNumber) ? actual === expectedNumber : scalarText(actual) === expected;
      return operator === "=" ? equal : !equal;
    }
    case "contains":
      if (typeof actual === "string") return actual.includes(expected);
      if (Array.isArray(actual)) return actual.some((item) => compareJson(item, "=", expected));
      return false;
    case ">":
    case "<":
      if (typeof actual !== "number" || !Number.isFinite(expectedNumber)) return false;
      return operator === ">" ? actual > expectedNumber : actual < expectedNumber;
  }
}

/** A record with its decoded parts computed on first use. */
export class RecordView {
  private valueText?: string | null;
  private valueJson?: { ok: boolean; value: unknown };
  private columns?: EnvelopeColumns;
  constructor(readonly record: FetchedRecord) {}

  get text(): string | null {
    if (this.valueText === undefined) this.valueText = this.record.value ? asText(this.record.value) : null;
    return this.valueText;
  }

  get json(): { ok: boolean; value: unknown } {
    if (!this.valueJson) {
      const text = this.text;
      try {
        this.valueJson = text === null ? { ok: false, value: undefined } : { ok: true, value: JSON.parse(text) };
      } catch {
        this.valueJson = { ok: false, value: undefined };
      }
    }
    return this.valueJson;
  }

  get envelope(): EnvelopeColumns {
    this.columns ??= envelopeColumns(this.record, this.json);
    return this.columns;
  }

  /** Whether `needle` occurs in the raw value or any header value: a cheap test before parsing. */
  mayContain(needle: Buffer): boolean {
    if (this.record.value?.includes(needle)) return true;
    return this.record.headers.some((h) => h.value?.includes(needle));
  }
}

export type RecordPredicate = (view: RecordView) => boolean;

export function isEmptyFilter(filter: MessageFilter | undefined): boolean {
  if (!filter) return true;
  return !filter.key && !filter.headerName && !filter.eventType && filter.from === undefined && filter.to === undefined && !filter.jsonPath && !filter.text && !filter.correlationId;
}

/**
 * The bytes a string takes inside JSON text, for a cheap "can it be there at all" test. Only for
 * plain ASCII without quotes or backslashes, which every JSON writer spells one way; null otherwise.
 */
function jsonNeedle(text: string): Buffer | null {
  return /^[\x20-\x7e]*$/.test(text) && !/["\\]/.test(text) ? Buffer.from(text) : null;
}

/** Compiles a filter set (parsed by `messageFilterSchema` at the router) into one predicate; every part must match. */
export function compileFilter(filter: ParsedMessageFilter = NO_MESSAGE_FILTER): RecordPredicate {
  const checks: RecordPredicate[] = [];

  if (filter.from !== undefined) checks.push((v) => v.record.timestamp >= filter.from!);
  if (filter.to !== undefined) checks.push((v) => v.record.timestamp < filter.to!);

  if (filter.key) {
    const wanted = filter.key;
    checks.push((v) => {
      const key = v.record.key ? asText(v.record.key) : null;
      if (key === null) return false;
      return filter.keyMatch === "contains" ? key.includes(wanted) : key === wanted;
    });
  }

  if (filter.headerName) {
    const name = filter.headerName;
    const value = filter.headerValue;
    checks.push((v) => v.record.headers.some((h) => h.key === name && (value === undefined || value === "" || (h.value !== null && asText(h.value) === value))));
  }

  if (filter.eventType) {
    const type = filter.eventType;
    const needle = jsonNeedle(type);
    checks.push((v) => (!needle || v.mayContain(needle)) && v.envelope.eventType === type);
  }

  if (filter.correlationId) {
    const id = filter.correlationId;
    const needle = jsonNeedle(id);
    checks.push((v) => (!needle || v.mayContain(needle)) && v.envelope.correlationId === id);
  }

  if (filter.jsonPath) {
    const path = parseJsonPath(filter.jsonPath)!;
    const operator = filter.jsonOperator;
    const expected = filter.jsonValue ?? "";
    // "=" and "contains" with text can only match when the text occurs in the raw JSON (escaped as
    // JSON escapes it): most records are ruled out without parsing. Numbers have many spellings.
    const needle = (operator === "=" || operator === "contains") && expected !== "" && !Number.isFinite(Number(expected)) && expected !== "true" && expected !== "false" && expected !== "null" ? jsonNeedle(expected) : null;
    checks.push((v) => {
      if (needle && !v.record.value?.includes(needle)) return false;
      const json = v.json;
      if (!json.ok) return false;
      const found = readPath(json.value, path);
      return found.found && compareJson(found.value, operator, expected);
    });
  }

  if (filter.text) {
    const needle = filter.text.toLowerCase();
    checks.push((v) => {
      if (v.text?.toLowerCase().includes(needle)) return true;
      const key = v.record.key ? asText(v.record.key) : null;
      if (key?.toLowerCase().includes(needle)) return true;
      return v.record.headers.some((h) => h.key.toLowerCase().includes(needle) || (h.value !== null && asText(h.value)?.toLowerCase().includes(needle)));
    });
  }

  if (checks.length === 0) return () => true;
  return (view) => checks.every((check) => check(view));
}
