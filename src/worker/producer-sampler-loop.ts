// The producer sampler's loop in the worker: every TOPOLOGY_PRODUCER_SAMPLE_INTERVAL_MS it reads the
// newest records of partitions that received data and records who produced them, for the topology.
// One worker does it at a time (its own advisory-lock lease), so several workers never double the
// broker reads.
import type { Env } from "~/env";
import { createLogger } from "~/lib/logger";
import { sleep } from "~/lib/time";
import { fetchRecords } from "~/server/broker";
import { advisoryLease, recordProducerObservations } from "~/server/catalog";
import { describeError } from "~/server/errors";
import { clusterFromEnv } from "~/server/services/clusters/active-cluster";
import { latestSnapshot } from "~/server/services/lag/queries";
import { ProducerSampler } from "~/server/services/topology/producer-sampler";

const log = createLogger("producer-sampler");
/** Arbitrary but fixed: the advisory-lock key of the producer sampler lease. */
const PRODUCER_SAMPLER_LEASE_KEY = 0x5b0c5b;
/** Each sampled partition is read in one fetch of at most this many bytes. */
const FETCH_BYTES_PER_PARTITION = 256 * 1024;

export async function runProducerSamplerLoop(env: Env, signal: AbortSignal): Promise<void> {
  const cluster = clusterFromEnv(env);
  const sampler = new ProducerSampler(
    async (topic, positions) => {
      const fetched = await fetchRecords(cluster, topic, positions, { maxBytesPerPartition: FETCH_BYTES_PER_PARTITION });
      return fetched.map((f) => ({ partition: f.partition, records: f.records }));
    },
    { sampleSize: env.TOPOLOGY_PRODUCER_SAMPLE_SIZE, producerHeader: env.TOPOLOGY_PRODUCER_HEADER ?? null, concurrency: 4 },
  );
  const lease = advisoryLease(PRODUCER_SAMPLER_LEASE_KEY);
  let lastError: string | null = null;
  let lastSnapshotAt = 0;

  while (!signal.aborted) {
    const started = performance.now();
    let waitMs = env.TOPOLOGY_PRODUCER_SAMPLE_INTERVAL_MS;
    try {
      if (await lease.tryAcquire()) {
        const snapshot = await latestSnapshot(cluster.name);
        if (!snapshot || snapshot.takenAt === lastSnapshotAt) {
          // Nothing sampled yet (worker just started): look again soon rather than a minute later.
          waitMs = Math.min(waitMs, env.SAMPLER_INTERVAL_MS);
        } else {
          lastSnapshotAt = snapshot.takenAt;
          const pass = await sampler.pass(snapshot);
          await recordProducerObservations(cluster.name, pass.observations, { sampledAt: new Date(), topics: pass.topicsRead, records: pass.records });
          for (const failure of pass.failures) log.warn("could not sample a topic's recent records", failure);
          log.debug("producer sampler pass", { topics: pass.topicsRead, records: pass.records, producers: pass.observations.length });
          if (lastError) log.info("producer sampler recovered");
          lastError = null;
        }
      }
    } catch (error) {
      const message = describeError(error);
      if (message !== lastError) log.error("producer sampler pass failed; retrying next interval", { error: message });
      lastError = message;
    }
    await sleep(Math.max(0, waitMs - (performance.now() - started)), signal);
  }
  await lease.release();
}
