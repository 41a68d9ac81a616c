// Kafka's topic id (the UUID a topic gets when it is created, KIP-516): what tells a topic deleted
// and created again under the same name apart from the old one, whose offsets it reuses.
//
// Why this sends its own request: kafkajs 2.2.4 speaks Metadata only up to v6, and the topic id is in
// Metadata v10+ (Kafka 2.8+). The request goes through kafkajs's own broker connection (the internal
// cluster, as the record reader uses), so TLS, SASL and request timeouts are kafkajs's. Metadata
// v10+ uses the flexible header v2, which is header v1 plus a tagged-field section: the encoded body
// starts with that (empty) section, and the response's header tags are skipped before the body.
import "server-only";
import { internalClusterPool, READ_UNCOMMITTED } from "./internal-cluster";
import { negotiateVersion, sendRawRequest, type RawBroker } from "./raw-request";
import type { ClusterConnectionConfig } from "./types";
import { uvarint, WireReader } from "./wire";

const METADATA_KEY = 3;
const MIN_VERSION = 10;
const MAX_VERSION = 12;
const ZERO_UUID = "00000000-0000-0000-0000-000000000000";

interface RawCluster {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  refreshMetadataIfNecessary(): Promise<void>;
  findControllerBroker(): Promise<RawBroker>;
}

const pool = internalClusterPool<RawCluster>(READ_UNCOMMITTED);

/** Encodes a Metadata request body (v10–v12) asking for `topics` by name, header tags first. */
export function encodeMetadataRequest(version: number, topics: string[]): Buffer {
  const parts: Buffer[] = [uvarint(0), uvarint(topics.length + 1)];
  for (const topic of topics) {
    const name = Buffer.from(topic, "utf8");
    parts.push(Buffer.alloc(16), uvarint(name.length + 1), name, uvarint(0));
  }
  parts.push(Buffer.from([0])); // allow_auto_topic_creation: never create a topic by asking about it
  if (version === 10) parts.push(Buffer.from([0])); // include_cluster_authorized_operations (v8–v10)
  parts.push(Buffer.from([0]), uvarint(0)); // include_topic_authorized_operations, body tags
  return Buffer.concat(parts);
}

/**
 * Topic name → topic id from a Metadata response (v10–v12) after its correlation id; absent or
 * errored topics have none. Only the fields before and within the topics are read, which v10–v12
 * lay out alike (v10's cluster_authorized_operations comes after them).
 */
export function parseMetadataTopicIds(payload: Buffer): Map<string, string> {
  const r = new WireReader(payload, "Metadata response");
  r.skipTags(); // response header v1
  r.skip(4); // throttle_time_ms
  const brokers = r.uvarint() - 1;
  for (let i = 0; i < brokers; i++) {
    r.skip(4); // node_id
    r.compactString(); // host
    r.skip(4); // port
    r.compactString(); // rack
    r.skipTags();
  }
  r.compactString(); // cluster_id
  r.skip(4); // controller_id
  const ids = new Map<string, string>();
  const topics = r.uvarint() - 1;
  for (let t = 0; t < topics; t++) {
    const errorCode = r.int16();
    const name = r.compactString();
    const id = r.uuid();
    r.skip(1); // is_internal
    const partitions = r.uvarint() - 1;
    for (let p = 0; p < partitions; p++) {
      r.skip(2 + 4 + 4 + 4); // error_code, partition_index, leader_id, leader_epoch
      for (let list = 0; list < 3; list++) r.skip(4 * (r.uvarint() - 1)); // replica, isr, offline nodes
      r.skipTags();
    }
    r.skip(4); // topic_authorized_operations
    r.skipTags();
    // A topic that does not exist (or may not be described) comes back with an error and the zero id.
    if (errorCode === 0 && name !== null && id !== ZERO_UUID) ids.set(name, id);
  }
  return ids;
}

/**
 * The topic ids of `topics` (absent: no such topic). Null when the broker cannot say (older than
 * Kafka 2.8): callers then fall back to what offsets alone can tell.
 */
export async function fetchTopicIds(config: ClusterConnectionConfig, topics: string[]): Promise<Map<string, string> | null> {
  return pool.use(config, "read topic ids", async (cluster) => {
    // Any broker answers Metadata; the controller is one kafkajs can name once its metadata is loaded.
    await cluster.refreshMetadataIfNecessary();
    const broker = await cluster.findControllerBroker();
    const version = negotiateVersion(broker, METADATA_KEY, { min: MIN_VERSION, max: MAX_VERSION });
    if (version === null) return null;
    return sendRawRequest(broker, { apiKey: METADATA_KEY, apiVersion: version, apiName: "Metadata", body: encodeMetadataRequest(version, topics), parse: parseMetadataTopicIds });
  });
}

export async function fetchTopicId(config: ClusterConnectionConfig, topic: string): Promise<string | null | undefined> {
  const ids = await fetchTopicIds(config, [topic]);
  return ids === null ? undefined : (ids.get(topic) ?? null);
}

export function disconnectTopicIdReaders(): Promise<void> {
  return pool.disconnectAll();
}
