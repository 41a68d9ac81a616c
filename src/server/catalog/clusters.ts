import "server-only";
import { getDb } from "./db";
import type { PublicCluster } from "./types";

const publicSelect = {
  id: true,
  name: true,
  bootstrapServers: true,
  ssl: true,
  saslMechanism: true,
  saslUsername: true,
  saslPassword: true,
  isDefault: true,
  updatedAt: true,
} as const;

export async function listClusters(): Promise<PublicCluster[]> {
  const rows = await getDb().cluster.findMany({ select: publicSelect, orderBy: { name: "asc" } });
  // The password is read only to say whether one is set; it is dropped here, before leaving the catalog.
  return rows.map(({ saslPassword, ...rest }) => ({ ...rest, hasSaslPassword: Boolean(saslPassword) }));
}

export interface ClusterInput {
  name: string;
  bootstrapServers: string[];
  ssl: boolean;
  saslMechanism?: string | null;
  saslUsername?: string | null;
  saslPassword?: string | null;
  isDefault?: boolean;
}

/** Creates or updates a cluster by name. Returns whether anything changed, for the audit log. */
export async function upsertCluster(input: ClusterInput): Promise<{ id: string; changed: boolean }> {
  const db = getDb();
  const existing = await db.cluster.findUnique({ where: { name: input.name } });
  const data = {
    bootstrapServers: input.bootstrapServers,
    ssl: input.ssl,
    saslMechanism: input.saslMechanism ?? null,
    saslUsername: input.saslUsername ?? null,
    saslPassword: input.saslPassword ?? null,
    isDefault: input.isDefault ?? false,
  };
  if (!existing) {
    const created = await db.cluster.create({ data: { name: input.name, ...data } });
    return { id: created.id, changed: true };
  }
  const changed =
    JSON.stringify(existing.bootstrapServers) !== JSON.stringify(data.bootstrapServers) ||
    existing.ssl !== data.ssl ||
    existing.saslMechanism !== data.saslMechanism ||
    existing.saslUsername !== data.saslUsername ||
    existing.saslPassword !== data.saslPassword ||
    existing.isDefault !== data.isDefault;
  if (changed) await db.cluster.update({ where: { id: existing.id }, data });
  return { id: existing.id, changed };
}
