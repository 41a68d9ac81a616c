// Schema references (Confluent's `references`): a version's schema names another subject's version
// under a name (an Avro full name, a JSON Schema $ref, a Protobuf import path). Stored format-neutral;
// which names mean what is the formats' business (services/schemas/references.ts).
import "server-only";
import { getDb } from "./db";
import type { Prisma } from "./generated/prisma/client";
import type { SchemaType } from "./types";

export interface StoredReference {
  name: string;
  /** The subject as the client named it. */
  subject: string;
  version: number;
  /** The SchemaVersion row it resolved to. */
  referencedVersionId: string;
}

export interface ReferenceRow extends StoredReference {
  schemaVersionId: string;
  position: number;
  referenced: { eventType: string; version: number; schemaId: number; schemaType: SchemaType; schema: string; deletedAt: Date | null };
}

export async function storeReferences(tx: Prisma.TransactionClient, schemaVersionId: string, references: StoredReference[]): Promise<void> {
  if (references.length === 0) return;
  await tx.schemaReference.createMany({ data: references.map((r, position) => ({ schemaVersionId, position, ...r })) });
}

/** The references of these versions, in registration order per version. */
export async function listReferencesOf(schemaVersionIds: string[]): Promise<ReferenceRow[]> {
  if (schemaVersionIds.length === 0) return [];
  const rows = await getDb().schemaReference.findMany({
    where: { schemaVersionId: { in: schemaVersionIds } },
    orderBy: [{ schemaVersionId: "asc" }, { position: "asc" }],
    include: { referencedVersion: { include: { eventType: { select: { name: true } } } } },
  });
  return rows.map((r) => ({
    schemaVersionId: r.schemaVersionId,
    position: r.position,
    name: r.name,
    subject: r.subject,
    version: r.version,
    referencedVersionId: r.referencedVersionId,
    referenced: {
      eventType: r.referencedVersion.eventType.name,
      version: r.referencedVersion.version,
      schemaId: r.referencedVersion.schemaId,
      schemaType: r.referencedVersion.schemaType,
      schema: r.referencedVersion.schema,
      deletedAt: r.referencedVersion.deletedAt,
    },
  }));
}

export interface Referrer {
  eventType: string;
  version: number;
  schemaId: number;
  deleted: boolean;
}

/** The versions whose references name one of these versions. */
export async function listReferrersOf(schemaVersionIds: string[], tx?: Prisma.TransactionClient): Promise<Referrer[]> {
  const rows = await (tx ?? getDb()).schemaReference.findMany({
    where: { referencedVersionId: { in: schemaVersionIds } },
    select: { schemaVersion: { select: { id: true, version: true, schemaId: true, deletedAt: true, eventType: { select: { name: true } } } } },
  });
  const seen = new Map<string, Referrer>();
  for (const { schemaVersion: v } of rows) seen.set(v.id, { eventType: v.eventType.name, version: v.version, schemaId: v.schemaId, deleted: v.deletedAt !== null });
  return [...seen.values()].sort((a, b) => a.schemaId - b.schemaId || a.eventType.localeCompare(b.eventType) || a.version - b.version);
}
