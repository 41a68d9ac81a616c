// The producer sampler's loop in the worker: every TOPOLOGY_PRODUCER_SAMPLE_INTERVAL_MS it reads the
// newest records of partitions that received data and records who produced them, for the topology.
// One worker does it at a time (its own advisory-lock lease), so several workers never double the
// broker reads.
import type { Env } from "~/env";
import { createLogger } from "~/lib/logger";
import { fetchRecords } from "~/server/broker";
import { recordProducerObservations } from "~/server/catalog";
import { clusterFromEnv } from "~/server/services/clusters/active-cluster";
import { latestSnapshot } from "~/server/services/lag/queries";
import { ProducerSampler } from "~/server/services/topology/producer-sampler";
import { runLeasedLoop } from "./leased-loop";

const log = createLogger("producer-sampler");
/** Arbitrary but fixed: the advisory-lock key of the producer sampler lease. */
const PRODUCER_SAMPLER_LEASE_KEY = 0x5b0c5b;
/** Each sampled partition is read in one fetch of at most this many bytes. */
const FETCH_BYTES_PER_PARTITION = 256 * 1024;

export function runProducerSamplerLoop(env: Env, signal: AbortSignal): Promise<void> {
  const cluster = clusterFromEnv(env);
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
      leaseKey: PRODUCER_SAMPLER_LEASE_KEY,
      intervalMs: env.TOPOLOGY_PRODUCER_SAMPLE_INTERVAL_MS,
      round: async () => {
        const snapshot = await latestSnapshot(cluster.name);
        // Nothing sampled yet (worker just started): look again soon rather than a minute later.
        if (!snapshot || snapshot.takenAt === lastSnapshotAt) return { nextInMs: env.SAMPLER_INTERVAL_MS };
        lastSnapshotAt = snapshot.takenAt;
        const pass = await sampler.pass(snapshot);
        await recordProducerObservations(cluster.name, pass.observations, { sampledAt: new Date(), topics: pass.topicsRead, records: pass.records });
        for (const failure of pass.failures) log.warn("could not sample a topic's recent records", failure);
        log.debug("producer sampler pass", { topics: pass.topicsRead, records: pass.records, producers: pass.observations.length });
      },
    },
    signal,
  );
}
