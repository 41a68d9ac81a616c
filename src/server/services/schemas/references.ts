// Schema references (Confluent's `references: [{name, subject, version}]`): checking a request's
// references, resolving them to registered versions, and loading the referenced schemas (with
// theirs, transitively) for parsing. Format-neutral: what a name means is the format's business
// (Avro: the full name of a named type; JSON Schema: a `$ref`; Protobuf: an import path).
import { createHash } from "node:crypto";
import { getEventTypeDetail, listReferencesOf, type ReferenceRow, type StoredReference } from "~/server/catalog";
import type { ResolvedReference } from "./resolved-reference";
import { resolveSubject } from "./subjects";

export interface ReferenceInput {
  name: string;
  subject: string;
  /** -1 means the latest version when registering (stored as the number it resolved to). */
  version: number;
}

/** Registry references resolved for registration: what is stored, and the schemas the parser needs. */
export interface PreparedReferences {
  stored: StoredReference[];
  /** Transitively, dependencies first, one per name. */
  resolved: ResolvedReference[];
}

export const MAX_REFERENCES = 100;
/** References of references are followed this deep; deeper chains are refused rather than walked forever. */
const MAX_DEPTH = 20;

/** Checks the shape of a request's `references`; returns the problem in words, or the references. */
export function readReferences(raw: unknown): { ok: true; references: ReferenceInput[] } | { ok: false; problem: string } {
  if (raw === undefined || raw === null) return { ok: true, references: [] };
  if (!Array.isArray(raw)) return { ok: false, problem: "references must be an array of {name, subject, version}" };
  if (raw.length > MAX_REFERENCES) return { ok: false, problem: `at most ${MAX_REFERENCES} references, got ${raw.length}` };
  const references: ReferenceInput[] = [];
  for (const [i, item] of raw.entries()) {
    const r = item as { name?: unknown; subject?: unknown; version?: unknown } | null;
    if (!r || typeof r.name !== "string" || r.name.length === 0 || r.name.length > 500) return { ok: false, problem: `references[${i}].name must be a non-empty string of at most 500 characters` };
    if (typeof r.subject !== "string" || r.subject.length === 0 || r.subject.length > 200) return { ok: false, problem: `references[${i}].subject must be a non-empty string of at most 200 characters` };
    if (typeof r.version !== "number" || !Number.isInteger(r.version) || (r.version < 1 && r.version !== -1) || r.version > 2 ** 31 - 1) {
      return { ok: false, problem: `references[${i}].version must be a version number (or -1 for the latest), got ${JSON.stringify(r.version ?? null)}` };
    }
    if (references.some((x) => x.name === r.name)) return { ok: false, problem: `references[${i}].name "${r.name}" is given twice` };
    references.push({ name: r.name, subject: r.subject, version: r.version });
  }
  return { ok: true, references };
}

/** Resolves each reference to a live registered version and loads what they reference in turn. */
export async function prepareReferences(references: ReferenceInput[], clusterName: string): Promise<{ ok: true; prepared: PreparedReferences } | { ok: false; problem: string }> {
  const stored: StoredReference[] = [];
  const rows: { name: string; versionId: string; schemaType: ResolvedReference["schemaType"]; schema: string }[] = [];
  for (const reference of references) {
    const resolved = await resolveSubject(reference.subject, clusterName);
    const detail = resolved.kind === "event-type" ? await getEventTypeDetail(resolved.eventType) : null;
    const live = detail?.versions.filter((v) => v.deletedAt === null) ?? [];
    const row = reference.version === -1 ? live.at(-1) : live.find((v) => v.version === reference.version);
    if (!row) {
      return { ok: false, problem: `reference "${reference.name}" names subject '${reference.subject}' version ${reference.version === -1 ? "latest" : reference.version}, which is not registered (or is soft-deleted)` };
    }
    stored.push({ name: reference.name, subject: reference.subject, version: row.version, referencedVersionId: row.id });
    rows.push({ name: reference.name, versionId: row.id, schemaType: row.schemaType, schema: row.schema });
  }
  const nested = await referencedSchemasOf(rows.map((r) => r.versionId));
  const resolved: ResolvedReference[] = [];
  for (const row of rows) {
    for (const dependency of nested.get(row.versionId) ?? []) if (!resolved.some((r) => r.name === dependency.name)) resolved.push(dependency);
    if (!resolved.some((r) => r.name === row.name)) resolved.push({ name: row.name, schemaType: row.schemaType, schema: row.schema });
  }
  return { ok: true, prepared: { stored, resolved } };
}

/**
 * The schemas stored versions reference, transitively and dependencies first, by version id:
 * what parsing a stored version needs. Versions without references map to an empty list.
 */
export async function referencedSchemasOf(versionIds: string[]): Promise<Map<string, ResolvedReference[]>> {
  const direct = new Map<string, ReferenceRow[]>();
  let frontier = [...new Set(versionIds)];
  for (let depth = 0; frontier.length > 0; depth++) {
    if (depth > MAX_DEPTH) throw new Error(`Schema references are nested more than ${MAX_DEPTH} deep.`);
    const rows = await listReferencesOf(frontier);
    for (const id of frontier) direct.set(id, []);
    for (const row of rows) direct.get(row.schemaVersionId)!.push(row);
    frontier = [...new Set(rows.map((r) => r.referencedVersionId))].filter((id) => !direct.has(id));
  }
  const result = new Map<string, ResolvedReference[]>();
  for (const root of versionIds) {
    const ordered: ResolvedReference[] = [];
    const visiting = new Set<string>();
    const visit = (id: string) => {
      if (visiting.has(id)) return; // a cycle cannot be registered, but a bad row must not loop forever
      visiting.add(id);
      for (const ref of direct.get(id) ?? []) {
        visit(ref.referencedVersionId);
        if (!ordered.some((r) => r.name === ref.name)) ordered.push({ name: ref.name, schemaType: ref.referenced.schemaType, schema: ref.referenced.schema });
      }
    };
    visit(root);
    result.set(root, ordered);
  }
  return result;
}

/**
 * The same text with other references is another schema (another id), as in Confluent's registry;
 * without references the fingerprint stays the format's own, so existing ids keep matching.
 */
export function fingerprintWithReferences(fingerprint: string, references: Pick<StoredReference, "name" | "subject" | "version">[]): string {
  if (references.length === 0) return fingerprint;
  return createHash("sha256").update(`${fingerprint}\u0000${JSON.stringify(references.map((r) => [r.name, r.subject, r.version]))}`).digest("hex");
}
