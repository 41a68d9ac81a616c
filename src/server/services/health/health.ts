// The health of Signalbox and what it depends on: Kafka, the catalog database and the worker.
import { describeCluster, type ClusterConnectionConfig } from "~/server/broker";
import { latestWorkerHeartbeat, pingDatabase } from "~/server/catalog";
import { describeError } from "~/server/errors";

export interface KafkaHealth {
  ok: boolean;
  brokers: string[];
  clusterId: string | null;
  controllerId: number | null;
  kafkaVersion: string | null;
  latencyMs: number | null;
  error?: string;
}

export interface DbHealth {
  ok: boolean;
  error?: string;
}

export interface WorkerHealth {
  ok: boolean;
  lastSeen: string | null;
  error?: string;
}

export interface SystemHealth {
  status: "ok" | "degraded";
  checkedAt: string;
  kafka: KafkaHealth;
  db: DbHealth;
  worker: WorkerHealth;
}

export async function checkKafka(cluster: ClusterConnectionConfig): Promise<KafkaHealth> {
  const started = performance.now();
  try {
    const description = await describeCluster(cluster);
    return {
      ok: true,
      brokers: description.brokers.map((b) => `${b.host}:${b.port}`),
      clusterId: description.clusterId,
      controllerId: description.controllerId,
      kafkaVersion: description.kafkaVersion,
      latencyMs: Math.round(performance.now() - started),
    };
  } catch (error) {
    return { ok: false, brokers: cluster.brokers, clusterId: null, controllerId: null, kafkaVersion: null, latencyMs: null, error: describeError(error) };
  }
}

export async function checkDb(): Promise<DbHealth> {
  try {
    await pingDatabase();
    return { ok: true };
  } catch (error) {
    return { ok: false, error: `Database unreachable: ${describeError(error)}` };
  }
}

/** A worker is alive when its last heartbeat is younger than `staleAfterMs`. */
export function judgeWorker(lastSeen: Date | null, now: Date, staleAfterMs: number): WorkerHealth {
  if (!lastSeen) return { ok: false, lastSeen: null, error: "No worker has ever reported. Start one with `npm run worker`." };
  const ageMs = now.getTime() - lastSeen.getTime();
  if (ageMs > staleAfterMs) {
    return { ok: false, lastSeen: lastSeen.toISOString(), error: `Worker silent for ${Math.round(ageMs / 1000)} s.` };
  }
  return { ok: true, lastSeen: lastSeen.toISOString() };
}

export async function checkWorker(now: Date, staleAfterMs: number): Promise<WorkerHealth> {
  try {
    const beat = await latestWorkerHeartbeat();
    return judgeWorker(beat?.lastSeen ?? null, now, staleAfterMs);
  } catch (error) {
    return { ok: false, lastSeen: null, error: `Worker state unknown: ${describeError(error)}` };
  }
}

export async function checkSystemHealth(options: { cluster: ClusterConnectionConfig; workerStaleAfterMs: number; now?: () => Date }): Promise<SystemHealth> {
  const now = options.now ?? (() => new Date());
  const [kafka, db, worker] = await Promise.all([checkKafka(options.cluster), checkDb(), checkWorker(now(), options.workerStaleAfterMs)]);
  return { status: kafka.ok && db.ok && worker.ok ? "ok" : "degraded", checkedAt: now().toISOString(), kafka, db, worker };
}

/** `/api/health` answers 503 whenever any dependency is down, so load balancers and probes notice. */
export function httpStatusOf(health: Pick<SystemHealth, "status">): 200 | 503 {
  return health.status === "ok" ? 200 : 503;
}
