// Payload masking (issue 13): the fields a policy names are replaced with MASK_MARKER for every role
// the policy does not let see them (admin always sees them).
//
// Masking works on the record's bytes, before anything is decoded from them: the value is parsed,
// the fields are replaced, and the record carries the masked JSON from then on. Everything the
// screens derive from it (the pretty text, its preview, the envelope columns, filter matches)
// therefore sees only the masked value; there is no second copy of the payload that could leak.
// What is left alone, and why:
// - Values that are not JSON (text, binary, Avro): a path means nothing in them.
// - Keys and headers: policies name paths into the value.
// - A masked record is written back as compact JSON, so its `bytes` are those of the masked JSON,
//   and integers beyond 2^53 in it read as JavaScript numbers (rounded).
import { getEnv } from "~/env";
import type { FetchedRecord } from "~/server/broker";
import type { Role } from "~/server/catalog/types";
import { compileUserGlob } from "~/lib/user-regex";
import { encodeConfluentFrame, parseConfluentFrame } from "~/lib/wire-format";
import { parseMaskPath, type MaskingPolicy, type MaskPath } from "./policies";

export type { MaskingPolicy, MaskPath } from "./policies";

/** What a masked field shows instead of its value: a string whatever the value was, so nothing of it (not even its type or length) shows. */
export const MASK_MARKER = "••• masked";

/** The configured policies (MASKING_POLICIES; none by default). */
export function configuredPolicies(): MaskingPolicy[] {
  return getEnv().MASKING_POLICIES;
}

/** The policies whose topic glob matches `topic`. */
export function policiesFor(topic: string, policies: MaskingPolicy[] = configuredPolicies()): MaskingPolicy[] {
  return policies.filter((p) => compileUserGlob(p.topics)(topic));
}

/**
 * Who reads: one role, null for "anyone who can read the audit log or an index" (every path of every
 * matching policy is hidden), or the roles a reader holds on each topic (its own role and any role
 * binding whose scope covers the topic, services/auth/authorize.ts rolesOn).
 */
export type Reader = Role | null | ((topic: string) => readonly Role[]);

function rolesOf(reader: Reader, topic: string): readonly Role[] {
  if (typeof reader === "function") return reader(topic);
  return reader === null ? [] : [reader];
}

/** The paths of `topic` that `reader` may not read: none for an admin, else those of every policy naming none of its roles. */
export function hiddenPathsFor(topic: string, reader: Reader, policies: MaskingPolicy[] = configuredPolicies()): MaskPath[] {
  const roles = rolesOf(reader, topic);
  if (roles.includes("admin")) return [];
  return policiesFor(topic, policies)
    .filter((p) => !roles.some((role) => p.visibleTo.includes(role)))
    .flatMap((p) => p.paths.map((path) => parseMaskPath(path)!));
}

/** The hidden paths of several topics together (a dead-lettered record: its DLQ and its original topic). */
export function hiddenPathsForTopics(topics: (string | null | undefined)[], reader: Reader, policies: MaskingPolicy[] = configuredPolicies()): MaskPath[] {
  return [...new Set(topics.filter((t): t is string => !!t))].flatMap((topic) => hiddenPathsFor(topic, reader, policies));
}

/**
 * A preview cut from a value (the DLQ index keeps its first 240 characters) for a reader who may not
 * see `paths`: masked when it is whole JSON, otherwise withheld, since a cut document cannot be
 * parsed to find the fields.
 */
export function maskPreview(preview: string, paths: MaskPath[]): string {
  if (paths.length === 0 || preview === "") return preview;
  try {
    return JSON.stringify(maskValue(JSON.parse(preview), paths).value);
  } catch {
    return PREVIEW_WITHHELD;
  }
}

export const PREVIEW_WITHHELD = "(preview withheld: this topic has masked fields; open the record)";

interface Masked {
  value: unknown;
  /** Fields replaced. */
  count: number;
}

function maskAt(node: unknown, path: MaskPath, depth: number): Masked {
  if (depth === path.length) return { value: MASK_MARKER, count: 1 };
  const segment = path[depth]!;
  if (segment.kind === "every") {
    if (!Array.isArray(node)) return { value: node, count: 0 };
    let count = 0;
    const items = node.map((item) => {
      const masked = maskAt(item, path, depth + 1);
      count += masked.count;
      return masked.value;
    });
    return count ? { value: items, count } : { value: node, count: 0 };
  }
  if (node === null || typeof node !== "object" || Array.isArray(node) || !Object.prototype.hasOwnProperty.call(node, segment.name)) return { value: node, count: 0 };
  const child = maskAt((node as Record<string, unknown>)[segment.name], path, depth + 1);
  // A computed key in a literal defines an own property even for "__proto__" (an assignment would set the prototype).
  return child.count ? { value: { ...(node as Record<string, unknown>), [segment.name]: child.value }, count: child.count } : { value: node, count: 0 };
}

/**
 * `value` with every field at `paths` replaced by MASK_MARKER; the rest of the document (its
 * structure, the other fields and their types) is unchanged. A path the value lacks is skipped.
 * The input is not modified: changed objects and arrays are copies.
 */
export function maskValue(value: unknown, paths: MaskPath[]): Masked {
  let current = value;
  let count = 0;
  for (const path of paths) {
    const masked = maskAt(current, path, 0);
    current = masked.value;
    count += masked.count;
  }
  return { value: current, count };
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

function parseJson(bytes: Uint8Array): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(utf8.decode(bytes)) };
  } catch {
    return { ok: false };
  }
}

/** A value's bytes with the fields at `paths` masked, keeping a Confluent frame (and its schema id); the same bytes when nothing was masked or the value is not JSON. */
export function maskPayloadBytes(bytes: Buffer, paths: MaskPath[]): Buffer {
  if (paths.length === 0 || bytes.length === 0) return bytes;
  const frame = bytes.length > 5 ? parseConfluentFrame(bytes) : null;
  const parsed = parseJson(frame ? frame.payload : bytes);
  if (!parsed.ok) return bytes;
  const masked = maskValue(parsed.value, paths);
  if (masked.count === 0) return bytes;
  const json = Buffer.from(JSON.stringify(masked.value), "utf8");
  return frame ? Buffer.from(encodeConfluentFrame(frame.schemaId, json)) : json;
}

/** The record with its value masked at `paths` (the same record when nothing was masked). */
export function maskRecord(record: FetchedRecord, paths: MaskPath[]): FetchedRecord {
  if (paths.length === 0 || !record.value) return record;
  const value = maskPayloadBytes(record.value, paths);
  return value === record.value ? record : { ...record, value };
}

/**
 * JSON text (an edit, a stored "before") with the fields at `paths` masked, pretty-printed as the
 * message view shows JSON; text that is not JSON comes back unchanged.
 */
export function maskJsonText(text: string, paths: MaskPath[]): string {
  if (paths.length === 0) return text;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return text;
  }
  const masked = maskValue(parsed, paths);
  return masked.count ? JSON.stringify(masked.value, null, 2) : text;
}

function restoreAt(edited: unknown, original: unknown, path: MaskPath, depth: number): unknown {
  if (depth === path.length) return edited === MASK_MARKER && original !== undefined ? original : edited;
  const segment = path[depth]!;
  if (segment.kind === "every") {
    if (!Array.isArray(edited) || !Array.isArray(original)) return edited;
    return edited.map((item, i) => restoreAt(item, original[i], path, depth + 1));
  }
  const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);
  if (!isObject(edited) || !Object.prototype.hasOwnProperty.call(edited, segment.name)) return edited;
  const from = isObject(original) && Object.prototype.hasOwnProperty.call(original, segment.name) ? original[segment.name] : undefined;
  return { ...edited, [segment.name]: restoreAt(edited[segment.name], from, path, depth + 1) };
}

/**
 * An edit made on a masked view, with each field at `paths` that still shows MASK_MARKER given back
 * its value from `original`: someone who may not read a field can edit the rest of the payload
 * without wiping it. A field they replaced keeps their value; arrays are matched by index.
 */
export function restoreMasked(edited: unknown, original: unknown, paths: MaskPath[]): unknown {
  return paths.reduce((current, path) => restoreAt(current, original, path, 0), edited);
}

/** Masks records for one role: the paths per topic are worked out once per topic. */
export type RecordMasker = (record: FetchedRecord, alsoTopic?: string | null) => FetchedRecord;

/**
 * The masker for `role`. `alsoTopic` adds another topic's policies (a dead-lettered record is
 * masked under both its DLQ's and its original topic's). A null role masks every policy's paths.
 */
export function maskerFor(reader: Reader, policies: MaskingPolicy[] = configuredPolicies()): RecordMasker {
  if (reader === "admin" || policies.length === 0) return (record) => record;
  const byTopic = new Map<string, MaskPath[]>();
  const pathsOf = (topic: string) => {
    let paths = byTopic.get(topic);
    if (!paths) byTopic.set(topic, (paths = hiddenPathsFor(topic, reader, policies)));
    return paths;
  };
  return (record, alsoTopic) => {
    const paths = alsoTopic && alsoTopic !== record.topic ? [...pathsOf(record.topic), ...pathsOf(alsoTopic)] : pathsOf(record.topic);
    return maskRecord(record, paths);
  };
}

/** The configured policies as an admin's settings page shows them. */
export function describePolicies(policies: MaskingPolicy[] = configuredPolicies()): MaskingPolicy[] {
  return policies.map((p) => ({ name: p.name, topics: p.topics, paths: [...p.paths], visibleTo: [...p.visibleTo] }));
}
