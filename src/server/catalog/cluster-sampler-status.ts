// How the worker's last sampling cycle of each cluster went. A cluster that is down, or refuses
// authentication, keeps its last good snapshot in LagSnapshotLatest; this row says it is down, why,
// and since when it was last reached.
import "server-only";
import { getDb } from "./db";

export interface ClusterSamplerStatusRow {
  clusterName: string;
  checkedAt: Date;
  lastSuccessAt: Date | null;
  error: string | null;
  errorCode: string | null;
}

export async function recordSamplerSuccess(clusterName: string, at: Date): Promise<void> {
  const data = { checkedAt: at, lastSuccessAt: at, error: null, errorCode: null };
  await getDb().clusterSamplerStatus.upsert({ where: { clusterName }, create: { clusterName, ...data }, update: data });
}

/** Records a failed cycle; the last success stays as it was. */
export async function recordSamplerFailure(clusterName: string, at: Date, error: string, errorCode: string | null): Promise<void> {
  const data = { checkedAt: at, error, errorCode };
  await getDb().clusterSamplerStatus.upsert({ where: { clusterName }, create: { clusterName, lastSuccessAt: null, ...data }, update: data });
}

export async function readClusterSamplerStatuses(): Promise<ClusterSamplerStatusRow[]> {
  return getDb().clusterSamplerStatus.findMany({ orderBy: { clusterName: "asc" } });
}

export async function readClusterSamplerStatus(clusterName: string): Promise<ClusterSamplerStatusRow | null> {
  return getDb().clusterSamplerStatus.findUnique({ where: { clusterName } });
}
