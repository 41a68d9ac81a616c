// Reads the newest records of a topic without joining a consumer group (no group appears in the
// cluster, nothing is committed): plain Fetch requests to each partition's leader, from
// `high - n` to the high watermark. Used to sample live traffic, e.g. for schema conformance.
import pLimit from "p-limit";
import { withTimeout } from "~/lib/time";
import { AppError } from "../errors";
import { readPartitionOffsets, withRawCluster } from "./offsets";
import type { ClusterConnectionConfig, ConsumedRecord } from "./types";

const READ_COMMITTED = 1;
/** Per fetch and partition; a record larger than this still arrives whole (Kafka returns at least one batch). */
const FETCH_BYTES_PER_PARTITION = 1024 * 1024;
const MAX_FETCHES_PER_PARTITION = 20;

/** The newest `limit` records of a topic (newest first), spread over its partitions. */
export async function readLatestRecords(config: ClusterConnectionConfig, topic: string, limit: number): Promise<ConsumedRecord[]> {
  if (limit <= 0) return [];
  const ranges = (await readPartitionOffsets(config, [topic])).filter((p) => p.high > p.low);
  if (ranges.length === 0) return [];
  const perPartition = Math.ceil(limit / ranges.length);
  const action = `read the latest records of ${topic}`;
  const budgetMs = config.connectionTimeoutMs * 4 + 5000;
  const records = await withTimeout(
    withRawCluster(config, action, async (cluster) => {
      await cluster.addMultipleTargetTopics([topic]);
      const leaders = new Map(cluster.findTopicPartitionMetadata(topic).map((p) => [p.partitionId, p.leader]));
      const parallel = pLimit(4);
      const perRange = await Promise.all(
        ranges.map((range) =>
          parallel(async () => {
            const leader = leaders.get(range.partition);
            if (leader === undefined) return [];
            const broker = await cluster.findBroker({ nodeId: leader });
            const out: ConsumedRecord[] = [];
            let next = Math.max(range.low, range.high - perPartition);
            for (let i = 0; i < MAX_FETCHES_PER_PARTITION && next < range.high; i++) {
              const response = await broker.fetch({
                replicaId: -1,
                isolationLevel: READ_COMMITTED,
                maxWaitTime: 100,
                minBytes: 1,
                maxBytes: FETCH_BYTES_PER_PARTITION * 2,
                topics: [{ topic, partitions: [{ partition: range.partition, fetchOffset: String(next), maxBytes: FETCH_BYTES_PER_PARTITION }] }],
              });
              const messages = response.responses.flatMap((r) => r.partitions).flatMap((p) => p.messages);
              // A fetch returns whole batches, which can start before the offset asked for.
              const fresh = messages.filter((m) => !m.isControlRecord && Number(m.offset) >= next && Number(m.offset) < range.high);
              if (messages.length === 0) break;
              for (const m of fresh) out.push({ topic, partition: range.partition, offset: m.offset, timestamp: m.timestamp, key: m.key, value: m.value, headers: m.headers });
              next = Math.max(next + 1, ...messages.map((m) => Number(m.offset) + 1));
            }
            return out;
          }),
        ),
      );
      return perRange.flat();
    }),
    budgetMs,
    () => new AppError("BROKER_TIMEOUT", `Kafka did not answer within ${budgetMs} ms while trying to ${action}.`),
  );
  return records.sort((a, b) => Number(b.timestamp) - Number(a.timestamp) || Number(b.offset) - Number(a.offset)).slice(0, limit);
}
