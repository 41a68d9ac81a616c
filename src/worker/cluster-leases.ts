// How several workers share the per-cluster loops. Each loop of each cluster runs under its own
// advisory-lock lease (a key derived from the loop's and the cluster's names), so every cluster is
// sampled by exactly one worker, and a cluster's loops move to another worker when their holder dies
// (PostgreSQL drops a dead session's locks). A worker takes at most its share of one loop's leases,
// ceil(clusters / live workers): alone it takes every cluster, and when a second worker comes up the
// first hands over its excess, one lease after a round, so neither holds every cluster.
import type { ClusterConnectionConfig } from "~/server/broker";

/** Above job locks' fixed high part (0x5b0c_0000_0000 + id) and the fixed singleton keys: no collision. */
const CLUSTER_LEASE_BASE = 0x5b0d_0000_0000;

/** FNV-1a, 32 bits: stable across processes and versions, which a lease key must be. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** The advisory-lock key of loop `loop` for cluster `cluster`: the same in every worker. */
export function clusterLeaseKey(loop: string, cluster: string): number {
  return CLUSTER_LEASE_BASE + fnv1a(`${loop}\u0000${cluster}`);
}

/** How many of one loop's cluster leases a worker may hold: an even split among the live workers, rounded up. */
export function leaseShare(clusters: number, liveWorkers: number): number {
  if (clusters <= 0) return 0;
  return Math.ceil(clusters / Math.max(1, liveWorkers));
}

/**
 * One worker's count of the leases it holds of one loop (the sampler's, say), against its share.
 * Single-threaded JavaScript makes each check-and-count atomic: of several loops over their share
 * at once, exactly the excess hands over.
 */
export class LeaseBudget {
  private count = 0;
  private limit: number;

  constructor(share = Number.POSITIVE_INFINITY) {
    this.limit = share;
  }

  get held(): number {
    return this.count;
  }

  get share(): number {
    return this.limit;
  }

  set share(value: number) {
    this.limit = value;
  }

  /** Whether a loop that holds no lease may try to take one. */
  mayTake(): boolean {
    return this.count < this.limit;
  }

  took(): void {
    this.count += 1;
  }

  gave(): void {
    this.count = Math.max(0, this.count - 1);
  }

  /** True (and counted as given) when this worker holds more than its share: the caller releases its lease. */
  handOver(): boolean {
    if (this.count <= this.limit) return false;
    this.count -= 1;
    return true;
  }
}

/** What identifies a cluster's connection: a change (Settings edited its address or secrets) restarts its loops. */
export function connectionFingerprint(cluster: ClusterConnectionConfig): string {
  return JSON.stringify([cluster.brokers, cluster.clientId, cluster.ssl, cluster.tls, cluster.sasl, cluster.connectionTimeoutMs]);
}

/** Which clusters' loops to start and which to stop, given those running (name → fingerprint) and the clusters known now. */
export function planClusterLoops(running: ReadonlyMap<string, string>, wanted: ClusterConnectionConfig[]): { start: ClusterConnectionConfig[]; stop: string[] } {
  const wantedByName = new Map(wanted.map((c) => [c.name, c]));
  const stop = [...running].filter(([name, fingerprint]) => {
    const now = wantedByName.get(name);
    return !now || connectionFingerprint(now) !== fingerprint;
  });
  const stopped = new Set(stop.map(([name]) => name));
  const start = [...wantedByName.values()].filter((c) => !running.has(c.name) || stopped.has(c.name));
  return { start, stop: stop.map(([name]) => name) };
}
