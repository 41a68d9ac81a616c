// What /metrics keeps between scrapes so a scrape at 50,000 partitions stays under a second:
// - the brokers and replicas: kafka_exporter reads the cluster's metadata at every scrape; here each
//   web process keeps the last answer per cluster and reads it again in the background once it is
//   older than REPLICAS_FRESH_MS, so a scrape waits for the metadata only when it has none recent
//   (REPLICAS_SERVED_MS). A failed read drops what was kept: the replica families are then left out,
//   as they are when the broker does not answer at scrape time, never served ever older.
// - the lag families of each snapshot, rendered when the snapshot arrives (prometheus.ts), while
//   someone scraped in the last few minutes; a scrape that comes while the next snapshot loads or
//   renders is answered from the one rendered before it (ScrapeSnapshots).
import { describeError } from "~/server/errors";
import type { ClusterConnectionConfig, ReplicaState } from "~/server/broker";
import { createLogger } from "~/lib/logger";
import { latestSnapshot, loadingNewerSnapshot, onSnapshotLoaded } from "~/server/services/lag/queries";
import type { LagSnapshot } from "~/server/services/lag/types";
import { prerenderLagFamilies } from "./prometheus";

const log = createLogger("metrics");

/** Re-read in the background after this long. */
export const REPLICAS_FRESH_MS = 15_000;
/** Served while the re-read runs up to this age; older, the scrape waits for the read. */
export const REPLICAS_SERVED_MS = 60_000;

interface Kept {
  value: ReplicaState | undefined;
  at: number;
  reading: Promise<void> | null;
}

/** The last replica state read per cluster, re-read as it ages. `read` is the broker's Metadata read. */
export class ReplicaCache {
  private readonly kept = new Map<string, Kept>();
  constructor(
    private readonly read: (cluster: ClusterConnectionConfig) => Promise<ReplicaState>,
    private readonly clock: () => number = Date.now,
  ) {}

  /** The cluster's brokers and replicas, or undefined when the last read failed (the families are left out). */
  async get(cluster: ClusterConnectionConfig): Promise<ReplicaState | undefined> {
    let kept = this.kept.get(cluster.name);
    if (!kept) this.kept.set(cluster.name, (kept = { value: undefined, at: -Infinity, reading: null }));
    const age = this.clock() - kept.at;
    if (age < REPLICAS_FRESH_MS) return kept.value;
    const entry = kept;
    entry.reading ??= this.read(cluster)
      .then((value) => {
        entry.value = value;
        entry.at = this.clock();
      })
      .catch((error: unknown) => {
        log.warn("metrics: cluster metadata unavailable, replica families left out", { cluster: cluster.name, error: describeError(error) });
        entry.value = undefined;
        entry.at = this.clock();
      })
      .finally(() => {
        entry.reading = null;
      });
    if (age < REPLICAS_SERVED_MS) return entry.value;
    await entry.reading;
    return entry.value;
  }
}

/**
 * The snapshot each scrape renders, per cluster: the newest, except while a newer one than the last
 * rendered is loading or rendering. A scrape then gets the one rendered before, one sample older,
 * rather than wait: at 50,000 partitions those scrapes took 1.3–1.6 s (reading and parsing the new
 * snapshot, then 0.4 s rendering it), the others 0.5–0.7 s. Prometheus marks each scrape with its
 * own time, as kafka_exporter's; the sample's own is in signalbox_sampler_last_sample_timestamp_seconds.
 */
export class ScrapeSnapshots {
  /** The newest snapshot whose families are rendered. */
  private readonly rendered = new Map<string, LagSnapshot>();
  /** takenAt of a newer snapshot that arrived and is being rendered. */
  private readonly rendering = new Map<string, number>();
  constructor(
    private readonly latest: (cluster: string) => Promise<LagSnapshot | null>,
    private readonly loadingNewer: (cluster: string) => boolean,
  ) {}

  get(cluster: string): Promise<LagSnapshot | null> {
    const rendered = this.rendered.get(cluster);
    if (rendered && (this.rendering.has(cluster) || this.loadingNewer(cluster))) return Promise.resolve(rendered);
    return this.latest(cluster);
  }

  /** A snapshot arrived and its families are about to be rendered. */
  arrived(cluster: string, snapshot: LagSnapshot): void {
    if (snapshot.takenAt > (this.rendered.get(cluster)?.takenAt ?? -Infinity)) this.rendering.set(cluster, snapshot.takenAt);
  }

  /** The snapshot's families are rendered (by the prerender, or by a scrape that rendered it itself). */
  renderedNow(cluster: string, snapshot: LagSnapshot): void {
    if (snapshot.takenAt < (this.rendered.get(cluster)?.takenAt ?? -Infinity)) return;
    this.rendered.set(cluster, snapshot);
    if ((this.rendering.get(cluster) ?? Infinity) <= snapshot.takenAt) this.rendering.delete(cluster);
  }

  /** Snapshots stopped being rendered as they arrive (nobody scrapes): what was is no longer one behind. */
  forget(cluster: string): void {
    this.rendered.delete(cluster);
    this.rendering.delete(cluster);
  }
}

export const scrapeSnapshots = new ScrapeSnapshots(latestSnapshot, loadingNewerSnapshot);

/** How long after a scrape the snapshots that arrive are still rendered ahead of the next one. */
const PRERENDER_AFTER_SCRAPE_MS = 5 * 60_000;
let lastScrapeAt = -Infinity;
let listening = false;

/** Called by each scrape: from now on, each snapshot this process loads is rendered as it arrives. */
export function prerenderArrivingSnapshots(): void {
  lastScrapeAt = Date.now();
  if (listening) return;
  listening = true;
  onSnapshotLoaded((cluster, snapshot) => {
    if (Date.now() - lastScrapeAt > PRERENDER_AFTER_SCRAPE_MS) return scrapeSnapshots.forget(cluster);
    scrapeSnapshots.arrived(cluster, snapshot);
    // After the loaders of this snapshot got it: the pages waiting for it answer first.
    setImmediate(() => {
      prerenderLagFamilies(snapshot, { cluster });
      scrapeSnapshots.renderedNow(cluster, snapshot);
    });
  });
}
