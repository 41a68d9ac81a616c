// The brokers area's rules, without I/O: the cluster-wide view built from metadata and log dirs,
// and which configuration changes Signalbox sends to a broker at all.
import type { BrokerLogDirs, ConfigEntry, PartitionReplicas, RackedBroker } from "~/server/broker";

/** At most this many partitions are listed per problem; the counts are always complete. */
export const MAX_LISTED_PARTITIONS = 500;

export interface BrokerRow extends RackedBroker {
  /** The broker Metadata names as controller (on KRaft, any live broker: the quorum is not named there). */
  controller: boolean;
  partitionsLed: number;
  replicas: number;
  /** Partitions this broker should hold but is not in sync for. */
  outOfSync: number;
  /** The log dirs' sizes summed; null when its dirs could not be read. */
  logDirBytes: number | null;
  logDirs: number | null;
}

export interface PartitionProblem {
  topic: string;
  partition: number;
  leader: number;
  replicas: number[];
  isr: number[];
}

export interface PartitionHealth {
  underReplicated: { count: number; partitions: PartitionProblem[] };
  offline: { count: number; partitions: PartitionProblem[] };
}

export function brokerRows(brokers: RackedBroker[], controllerId: number | null, partitions: PartitionReplicas[], logDirs: BrokerLogDirs[] | null): BrokerRow[] {
  return brokers.map((b) => {
    const dirs = logDirs?.find((l) => l.nodeId === b.nodeId);
    const readable = dirs && !dirs.unavailable;
    let partitionsLed = 0;
    let replicas = 0;
    let outOfSync = 0;
    for (const p of partitions) {
      if (p.leader === b.nodeId) partitionsLed += 1;
      if (p.replicas.includes(b.nodeId)) {
        replicas += 1;
        if (!p.isr.includes(b.nodeId)) outOfSync += 1;
      }
    }
    return {
      ...b,
      controller: controllerId === b.nodeId,
      partitionsLed,
      replicas,
      outOfSync,
      logDirBytes: readable ? dirs.dirs.reduce((sum, d) => sum + d.sizeBytes, 0) : null,
      logDirs: readable ? dirs.dirs.length : null,
    };
  });
}

/** Under-replicated (fewer in-sync replicas than replicas) and offline (no leader) partitions, cluster-wide, internal topics included. */
export function partitionHealth(partitions: PartitionReplicas[]): PartitionHealth {
  const byName = (a: PartitionReplicas, b: PartitionReplicas) => a.topic.localeCompare(b.topic) || a.partition - b.partition;
  const strip = (p: PartitionReplicas): PartitionProblem => ({ topic: p.topic, partition: p.partition, leader: p.leader, replicas: p.replicas, isr: p.isr });
  const under = partitions.filter((p) => p.isr.length < p.replicas.length).sort(byName);
  const offline = partitions.filter((p) => p.leader < 0).sort(byName);
  return {
    underReplicated: { count: under.length, partitions: under.slice(0, MAX_LISTED_PARTITIONS).map(strip) },
    offline: { count: offline.length, partitions: offline.slice(0, MAX_LISTED_PARTITIONS).map(strip) },
  };
}

/**
 * Why Signalbox will not send this change to the broker, or null. A broker marks every setting it
 * cannot change while running as read-only; a sensitive one cannot be shown before or after, and
 * only a per-broker dynamic value can be removed.
 */
export function brokerConfigRefusal(nodeId: number, entry: ConfigEntry | undefined, change: { kind: "set" | "remove"; name: string }): string | null {
  if (!entry) return `Broker ${nodeId} has no setting named ${change.name}.`;
  if (entry.readOnly) return `${change.name} cannot be changed while broker ${nodeId} runs (it is read-only): set it in server.properties and restart the broker.`;
  if (entry.sensitive) return `${change.name} is sensitive: Signalbox neither shows nor changes it; use kafka-configs.`;
  if (change.kind === "remove" && entry.source !== "dynamic-broker") return `${change.name} has no dynamic value on broker ${nodeId} to remove (its value comes from ${entry.source}).`;
  return null;
}
