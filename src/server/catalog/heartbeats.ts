import "server-only";
import { getDb } from "./db";

export interface WorkerIdentity {
  id: string;
  host: string;
  pid: number;
  startedAt: Date;
}

export async function recordWorkerHeartbeat(worker: WorkerIdentity, now = new Date()): Promise<void> {
  await getDb().workerHeartbeat.upsert({
    where: { id: worker.id },
    create: { ...worker, lastSeen: now },
    update: { lastSeen: now },
  });
}

/** The most recent heartbeat of any worker, or null when none has ever run. */
export async function latestWorkerHeartbeat(): Promise<{ id: string; lastSeen: Date } | null> {
  return getDb().workerHeartbeat.findFirst({ orderBy: { lastSeen: "desc" }, select: { id: true, lastSeen: true } });
}

/** Forgets workers that have been silent for a day, so the table stays small across restarts. */
export async function pruneWorkerHeartbeats(olderThan: Date): Promise<void> {
  await getDb().workerHeartbeat.deleteMany({ where: { lastSeen: { lt: olderThan } } });
}

/** How many workers sent a heartbeat since `since`: the live workers that share the clusters' leases. */
export async function countLiveWorkers(since: Date): Promise<number> {
  return getDb().workerHeartbeat.count({ where: { lastSeen: { gte: since } } });
}

/** A worker stopping cleanly stops counting as live at once, so the others take its clusters' share without waiting for its heartbeat to age. */
export async function forgetWorkerHeartbeat(id: string): Promise<void> {
  await getDb().workerHeartbeat.deleteMany({ where: { id } });
}
