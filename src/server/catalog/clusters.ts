// The clusters table. Sealed secrets leave this module only through findClusterWithSecrets (for the
// broker connection and key rotation); everything else gets PublicCluster, which says only whether
// a secret is set. Changes are audited in their transaction.
import "server-only";
import { writeAudit, type AuditRecord } from "./audit";
import { getDb } from "./db";
import type { Cluster, Prisma } from "./generated/prisma/client";
import type { PublicCluster } from "./types";

/** A row as stored, sealed secrets included. Server only: never return it from a procedure. */
export type ClusterRow = Cluster;

/** The fields a cluster is written with; secrets already sealed by the caller. */
export type ClusterWrite = Omit<ClusterRow, "id" | "createdAt" | "updatedAt" | "connect"> & { connect: { name: string; url: string }[] };

export function toPublicCluster(row: ClusterRow): PublicCluster {
  return {
    id: row.id,
    name: row.name,
    source: row.source === "configuration" ? "configuration" : "settings",
    bootstrapServers: row.bootstrapServers,
    securityProtocol: row.securityProtocol as PublicCluster["securityProtocol"],
    saslMechanism: row.saslMechanism as PublicCluster["saslMechanism"],
    saslUsername: row.saslUsername,
    hasPassword: row.saslPasswordSealed !== null,
    hasTlsCa: row.tlsCa !== null,
    hasTlsCert: row.tlsCert !== null,
    hasTlsKey: row.tlsKeySealed !== null,
    hasTlsKeyPassphrase: row.tlsKeyPassphraseSealed !== null,
    tlsVerifyHostname: row.tlsVerifyHostname,
    label: row.label,
    color: row.color,
    schemaRegistryUrl: row.schemaRegistryUrl,
    schemaRegistryAuthKind: row.schemaRegistryAuthKind === "basic" || row.schemaRegistryAuthKind === "bearer" ? row.schemaRegistryAuthKind : null,
    schemaRegistryUsername: row.schemaRegistryUsername,
    hasSchemaRegistrySecret: row.schemaRegistrySecretSealed !== null,
    hasSchemaRegistryCa: row.schemaRegistryCa !== null,
    connect: connectOfRow(row).map((c) => ({ ...c, basicAuth: false })),
    isDefault: row.isDefault,
    updatedAt: row.updatedAt,
  };
}

/** The row's Kafka Connect clusters ([{ name, url }] as stored; anything else counts as none). */
export function connectOfRow(row: Pick<ClusterRow, "connect">): { name: string; url: string }[] {
  const list = Array.isArray(row.connect) ? row.connect : [];
  return list.flatMap((c) => (c && typeof c === "object" && !Array.isArray(c) && typeof c.name === "string" && typeof c.url === "string" ? [{ name: c.name, url: c.url }] : []));
}

export async function listClusters(): Promise<PublicCluster[]> {
  const rows = await getDb().cluster.findMany({ orderBy: [{ isDefault: "desc" }, { name: "asc" }] });
  return rows.map(toPublicCluster);
}

/** Every cluster with its sealed secrets, default first: for the loops and pages that connect to each. */
export async function listClusterRows(): Promise<ClusterRow[]> {
  return getDb().cluster.findMany({ orderBy: [{ isDefault: "desc" }, { name: "asc" }] });
}

export async function findClusterWithSecrets(id: string): Promise<ClusterRow | null> {
  return getDb().cluster.findUnique({ where: { id } });
}

export async function findClusterByName(name: string): Promise<ClusterRow | null> {
  return getDb().cluster.findUnique({ where: { name } });
}

/** `id` is chosen by the caller: sealed secrets are bound to it. */
export async function createCluster(id: string, data: ClusterWrite, audit: (row: PublicCluster) => AuditRecord): Promise<PublicCluster> {
  return getDb().$transaction(async (tx) => {
    const row = toPublicCluster(await tx.cluster.create({ data: { id, ...data } }));
    await writeAudit(audit(row), tx);
    return row;
  });
}

/** Null when no such cluster exists. `change` sees the row as stored and returns the fields to write. */
export async function updateCluster(
  id: string,
  change: (row: ClusterRow) => Partial<ClusterWrite>,
  audit: (before: PublicCluster, after: PublicCluster) => AuditRecord,
): Promise<PublicCluster | null> {
  return getDb().$transaction(async (tx) => {
    const row = await tx.cluster.findUnique({ where: { id } });
    if (!row) return null;
    const after = toPublicCluster(await tx.cluster.update({ where: { id }, data: change(row) }));
    await writeAudit(audit(toPublicCluster(row), after), tx);
    return after;
  });
}

/** Deletes a cluster `allow` accepts (it throws to refuse); null when none has this id. */
export async function deleteCluster(id: string, allow: (row: PublicCluster) => void, audit: (row: PublicCluster) => AuditRecord): Promise<PublicCluster | null> {
  return getDb().$transaction(async (tx) => {
    const row = await tx.cluster.findUnique({ where: { id } });
    if (!row) return null;
    const cluster = toPublicCluster(row);
    allow(cluster);
    await tx.cluster.delete({ where: { id } });
    await writeAudit(audit(cluster), tx);
    return cluster;
  });
}

export type ConfiguredClusterWrite = Omit<ClusterWrite, "source" | SealedColumn>;

/** The columns that hold sealed secrets (services/secrets). */
export const SEALED_COLUMNS = ["saslPasswordSealed", "tlsKeySealed", "tlsKeyPassphraseSealed", "schemaRegistrySecretSealed"] as const;
export type SealedColumn = (typeof SEALED_COLUMNS)[number];

/**
 * Makes the configured clusters' rows match the configuration: creates and updates them (without
 * secrets: those stay in the configuration), takes over a Settings cluster of the same name, and
 * removes configured rows the configuration no longer names. Each change is audited as `actor`.
 */
export async function syncConfiguredClusters(
  clusters: ConfiguredClusterWrite[],
  audit: (action: "cluster.configure" | "cluster.unconfigure", row: PublicCluster, before: PublicCluster | null) => AuditRecord,
): Promise<{ changed: string[] }> {
  return getDb().$transaction(async (tx) => {
    const changed: string[] = [];
    const names = new Set(clusters.map((c) => c.name));
    if (clusters.some((c) => c.isDefault)) await tx.cluster.updateMany({ where: { isDefault: true, name: { notIn: [...names] } }, data: { isDefault: false } });
    for (const cluster of clusters) {
      const existing = await tx.cluster.findUnique({ where: { name: cluster.name } });
      const data: Prisma.ClusterUncheckedUpdateInput = { ...cluster, source: "configuration", saslPasswordSealed: null, tlsKeySealed: null, tlsKeyPassphraseSealed: null, schemaRegistrySecretSealed: null };
      if (!existing) {
        const row = toPublicCluster(await tx.cluster.create({ data: data as Prisma.ClusterUncheckedCreateInput }));
        await writeAudit(audit("cluster.configure", row, null), tx);
        changed.push(cluster.name);
        continue;
      }
      if (!differs(existing, data)) continue;
      const row = toPublicCluster(await tx.cluster.update({ where: { id: existing.id }, data }));
      await writeAudit(audit("cluster.configure", row, toPublicCluster(existing)), tx);
      changed.push(cluster.name);
    }
    const gone = await tx.cluster.findMany({ where: { source: "configuration", name: { notIn: [...names] } } });
    for (const row of gone) {
      await tx.cluster.delete({ where: { id: row.id } });
      await writeAudit(audit("cluster.unconfigure", toPublicCluster(row), null), tx);
      changed.push(row.name);
    }
    return { changed };
  });
}

function differs(existing: ClusterRow, data: Prisma.ClusterUncheckedUpdateInput): boolean {
  return Object.entries(data).some(([key, value]) => JSON.stringify(existing[key as keyof ClusterRow]) !== JSON.stringify(value));
}

/** Every row with a sealed secret, for re-sealing under a new key. */
export async function listClustersWithSealedSecrets(): Promise<ClusterRow[]> {
  return getDb().cluster.findMany({ where: { OR: SEALED_COLUMNS.map((column) => ({ [column]: { not: null } })) }, orderBy: { name: "asc" } });
}

/** Replaces sealed values, only if they are still the ones read (a concurrent edit wins). */
export async function replaceSealedSecrets(id: string, before: Pick<ClusterRow, SealedColumn>, after: Pick<ClusterRow, SealedColumn>): Promise<boolean> {
  const { count } = await getDb().cluster.updateMany({ where: { id, ...before }, data: after });
  return count === 1;
}
