// Reads the newest records of a topic without joining a consumer group (no group appears in the
// cluster, nothing is committed), from `high - n` to the high watermark of each partition, through
// the record reader. Used to sample live traffic, e.g. for schema conformance.
import "server-only";
import pLimit from "p-limit";
import { readPartitionOffsets } from "./offsets";
import { fetchRecords } from "./reader";
import type { ClusterConnectionConfig, ConsumedRecord, FetchedRecord } from "./types";

/** Per fetch and partition; a record larger than this still arrives whole (Kafka returns at least one batch). */
const FETCH_BYTES_PER_PARTITION = 1024 * 1024;
const MAX_FETCHES_PER_PARTITION = 20;

function toConsumed(r: FetchedRecord): ConsumedRecord {
  const headers: ConsumedRecord["headers"] = {};
  for (const h of r.headers) {
    if (h.value === null) continue;
    const seen = headers[h.key];
    headers[h.key] = seen === undefined ? h.value : Array.isArray(seen) ? [...seen, h.value] : [seen, h.value];
  }
  return { topic: r.topic, partition: r.partition, offset: String(r.offset), timestamp: String(r.timestamp), key: r.key, value: r.value, headers };
}

/** The newest `limit` records of a topic (newest first), spread over its partitions. */
export async function readLatestRecords(config: ClusterConnectionConfig, topic: string, limit: number): Promise<ConsumedRecord[]> {
  if (limit <= 0) return [];
  const ranges = (await readPartitionOffsets(config, [topic])).filter((p) => p.high > p.low);
  if (ranges.length === 0) return [];
  const perPartition = Math.ceil(limit / ranges.length);
  const parallel = pLimit(4);
  const perRange = await Promise.all(
    ranges.map((range) =>
      parallel(async () => {
        const out: FetchedRecord[] = [];
        let next = Math.max(range.low, range.high - perPartition);
        for (let i = 0; i < MAX_FETCHES_PER_PARTITION && next < range.high; i++) {
          const [result] = await fetchRecords(config, topic, [{ partition: range.partition, offset: next }], { maxBytesPerPartition: FETCH_BYTES_PER_PARTITION });
          if (!result || result.nextOffset <= next) break;
          out.push(...result.records.filter((r) => r.offset < range.high));
          next = result.nextOffset;
        }
        return out;
      }),
    ),
  );
  return perRange
    .flat()
    .sort((a, b) => b.timestamp - a.timestamp || b.offset - a.offset)
    .slice(0, limit)
    .map(toConsumed);
}
