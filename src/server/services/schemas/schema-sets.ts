// An event type's schema versions, parsed and compiled once, for validating many values.
import { getEventTypeDetail } from "~/server/catalog";
import { parseSchema, type AnyParsedSchema } from "./formats";
import { referencedSchemasOf } from "./references";

export interface VersionedSchema {
  version: number;
  schemaId: number;
  parsed: AnyParsedSchema;
  /** Soft-deleted: still decodes records that name its id, never "the latest". */
  deleted?: boolean;
}

export interface SchemaSet {
  eventType: string;
  eventTypeId: string;
  /** Oldest first; the last is the latest. */
  versions: VersionedSchema[];
}

export async function loadSchemaSet(eventType: string): Promise<SchemaSet | null> {
  const detail = await getEventTypeDetail(eventType);
  if (!detail) return null;
  const versions: VersionedSchema[] = [];
  const references = await referencedSchemasOf(detail.versions.map((v) => v.id));
  for (const row of detail.versions) {
    const parsed = parseSchema(row.schemaType, row.schema, references.get(row.id));
    // Stored schemas were valid when registered; one that no longer parses is skipped rather than fatal.
    if (parsed.ok) versions.push({ version: row.version, schemaId: row.schemaId, parsed, deleted: row.deletedAt !== null });
  }
  return { eventType: detail.name, eventTypeId: detail.id, versions };
}

/** The newest version that is not soft-deleted: what plain (unframed) values are checked against. */
export const latestOf = (set: SchemaSet): VersionedSchema | undefined => set.versions.filter((v) => !v.deleted).at(-1);

/** The set's schemas by registry id, for decoding the framed records that name them. */
export const lookupIn =
  (...sets: SchemaSet[]) =>
  (schemaId: number): AnyParsedSchema | undefined => {
    for (const set of sets) for (const v of set.versions) if (v.schemaId === schemaId) return v.parsed;
    return undefined;
  };

const TTL_MS = 10_000;
const cache = new Map<string, { at: number; set: Promise<SchemaSet | null> }>();

/** A schema set at most a few seconds old, so validating a stream of messages does not query per message. */
export function cachedSchemaSet(eventType: string, now = Date.now()): Promise<SchemaSet | null> {
  const hit = cache.get(eventType);
  if (hit && now - hit.at < TTL_MS) return hit.set;
  const set = loadSchemaSet(eventType);
  cache.set(eventType, { at: now, set });
  set.catch(() => cache.delete(eventType));
  return set;
}
