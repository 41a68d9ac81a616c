// The compression codec of the record batch at a position: kafkajs decodes compressed batches but
// drops their attributes, so a copy could not keep its source's codec. One raw Fetch (v4) per leader
// returns the first batch at each position, and its attributes (bits 0–2) name the codec.
import "server-only";
import { AppError } from "../errors";
import { encodeFetchV4, FETCH_KEY, FETCH_V4, parseFetchV4 } from "./fetch-v4";
import { negotiateVersion, sendRawRequest, type RawBroker } from "./raw-request";
import { withRecordReader, type PartitionPosition } from "./reader";
import type { CompressionCodec } from "./transactional-writer";
import type { ClusterConnectionConfig } from "./types";
import { BATCH, CODEC_MASK, CONTROL, LOG_OVERHEAD, MAGIC_V2 } from "./record-batch";

const CODECS: CompressionCodec[] = ["none", "gzip", "snappy", "lz4", "zstd"];

interface RawCluster {
  addTargetTopic(topic: string): Promise<void>;
  refreshMetadataIfNecessary(): Promise<void>;
  findLeaderForPartitions(topic: string, partitions: number[]): Record<string, number[]>;
  findBroker(args: { nodeId: string }): Promise<RawBroker>;
}


/** Each partition's codec: that of its first data batch (control batches are never compressed); absent when the answer held none. */
export function parseFetchV4Codecs(payload: Buffer): Map<number, CompressionCodec> {
  const codecs = new Map<number, CompressionCodec>();
  // A partition in error simply has no batch.
  for (const { partition, records } of parseFetchV4(payload)) {
    // Batch header: base offset (8), length (4), leader epoch (4), magic (1), crc (4), attributes (2).
    for (let at = 0; at + BATCH.attributes + 2 <= records.length; ) {
      const length = records.readInt32BE(at + BATCH.length);
      const magic = records.readInt8(at + BATCH.magic);
      if (magic < MAGIC_V2) break; // an old message set: its codec sits elsewhere; the copy goes uncompressed
      const attributes = records.readInt16BE(at + BATCH.attributes);
      if (!(attributes & CONTROL)) {
        codecs.set(partition, CODECS[attributes & CODEC_MASK] ?? "none");
        break;
      }
      at += LOG_OVERHEAD + length;
    }
  }
  return codecs;
}

/** The codec of the batch at each of `positions` of `topic`; "none" where it cannot be told. */
export async function batchCodecs(config: ClusterConnectionConfig, topic: string, positions: PartitionPosition[]): Promise<Map<number, CompressionCodec>> {
  const result = new Map<number, CompressionCodec>(positions.map((p) => [p.partition, "none"]));
  if (positions.length === 0) return result;
  await withRecordReader(config, `read the compression of ${topic}`, async (raw) => {
    const cluster = raw as RawCluster;
    await cluster.addTargetTopic(topic);
    await cluster.refreshMetadataIfNecessary();
    const byLeader = cluster.findLeaderForPartitions(topic, positions.map((p) => p.partition));
    await Promise.all(
      Object.entries(byLeader).map(async ([nodeId, partitions]) => {
        const broker = await cluster.findBroker({ nodeId });
        if (negotiateVersion(broker, FETCH_KEY, { min: FETCH_V4, max: FETCH_V4 }) === null) throw new AppError("BROKER_ERROR", `Broker ${nodeId} does not speak Fetch v${FETCH_V4}.`);
        // One partition per request: Kafka returns a whole batch above the size limit only for the
        // first partition with data, so a tiny limit gets exactly the first batch of each.
        for (const position of positions.filter((p) => partitions.includes(p.partition))) {
          const codecs = await sendRawRequest(broker, { apiKey: FETCH_KEY, apiVersion: FETCH_V4, apiName: "Fetch", body: encodeFetchV4(topic, [position], { maxBytesPerPartition: 1 }), parse: parseFetchV4Codecs });
          for (const [partition, codec] of codecs) result.set(partition, codec);
        }
      }),
    );
  });
  return result;
}
