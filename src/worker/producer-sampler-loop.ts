// The producer sampler's loop in the worker: every TOPOLOGY_PRODUCER_SAMPLE_INTERVAL_MS it reads the
// newest records of partitions that received data and records who produced them, for the topology.
// Per cluster; one worker does a cluster at a time (its own advisory-lock lease), so several workers
// never double the broker reads.
import type { Env } from "~/env";
import { createLogger } from "~/lib/logger";
import { fetchRecords, type ClusterConnectionConfig } from "~/server/broker";
import { recordProducerObservations } from "~/server/catalog";
import { latestSnapshot } from "~/server/services/lag/queries";
import { ProducerSampler } from "~/server/services/topology/producer-sampler";
import { clusterLeaseKey, type LeaseBudget } from "./cluster-leases";
import { runLeasedLoop } from "./leased-loop";

const log = createLogger("producer-sampler");
/** Each sampled partition is read in one fetch of at most this many bytes. */
const FETCH_BYTES_PER_PARTITION = 256 * 1024;

export function runProducerSamplerLoop(env: Env, cluster: ClusterConnectionConfig, budget: LeaseBudget, signal: AbortSignal): Promise<void> {
  const sampler = new ProducerSampler(
    async (topic, positions) => {
      const fetched = await fetchRecords(cluster, topic, positions, { maxBytesPerPartition: FETCH_BYTES_PER_PARTITION });
      return fetched.map((f) => ({ partition: f.partition, records: f.records }));
    },
    { sampleSize: env.TOPOLOGY_PRODUCER_SAMPLE_SIZE, producerHeader: env.TOPOLOGY_PRODUCER_HEADER ?? null, concurrency: 4 },
  );
  let lastSnapshotAt = 0;
  return runLeasedLoop(
    {
      name: "producer-sampler",
      leaseKey: clusterLeaseKey("producer-sampler", cluster.name),
      budget,
      logFields: { cluster: cluster.name },
      intervalMs: env.TOPOLOGY_PRODUCER_SAMPLE_INTERVAL_MS,
      round: async () => {
        const snapshot = await latestSnapshot(cluster.name);
        // Nothing sampled yet (worker just started): look again soon rather than a minute later.
        if (!snapshot || snapshot.takenAt === lastSnapshotAt) return { nextInMs: env.SAMPLER_INTERVAL_MS };
        lastSnapshotAt = snapshot.takenAt;
        const pass = await sampler.pass(snapshot);
        await recordProducerObservations(cluster.name, pass.observations, { sampledAt: new Date(), topics: pass.topicsRead, records: pass.records });
        for (const failure of pass.failures) log.warn("could not sample a topic's recent records", { cluster: cluster.name, ...failure });
        log.debug("producer sampler pass", { cluster: cluster.name, topics: pass.topicsRead, records: pass.records, producers: pass.observations.length });
      },
    },
    signal,
  );
}
