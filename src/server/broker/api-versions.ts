// The broker's metadata.version, read from an ApiVersions v3 response over a raw socket.
//
// Why this exists: Signalbox showed the Kafka version from the broker config
// inter.broker.protocol.version, which Kafka 4.0 removed. On 4.x the version is only in the
// cluster's finalized feature "metadata.version" (KIP-584/KIP-778), which brokers report in
// ApiVersions v3+. kafkajs 2.2.4 speaks ApiVersions only up to v2 (no feature tags) and has no
// DescribeFeatures, so this sends the one request itself. ApiVersions is answered before SASL
// authentication, so no credentials are needed; TLS is used when the cluster uses it.
import "server-only";
import net from "node:net";
import tls from "node:tls";
import { int16, int32, uvarint, WireReader } from "./wire";

const API_VERSIONS_KEY = 18;
const API_VERSION = 3;
const FINALIZED_FEATURES_TAG = 2;

/**
 * metadata.version feature level -> release, from org.apache.kafka.server.common.MetadataVersion
 * (printed from kafka-server-common 4.4.0). Levels 1-6 are 3.0-3.3 previews, which Signalbox
 * never met; a level newer than this table is reported as unknown rather than guessed.
 */
const METADATA_VERSION_RELEASES: Record<number, string> = {
  7: "3.3", 8: "3.4", 9: "3.5", 10: "3.5", 11: "3.5", 12: "3.6", 13: "3.6", 14: "3.6",
  15: "3.7", 16: "3.7", 17: "3.7", 18: "3.7", 19: "3.7", 20: "3.8", 21: "3.9",
  22: "4.0", 23: "4.0", 24: "4.0", 25: "4.0", 26: "4.1", 27: "4.1", 28: "4.2", 29: "4.2",
  30: "4.3", 31: "4.4", 32: "4.4", 33: "4.4", 34: "4.5",
};

export function releaseOfMetadataVersion(level: number): string | null {
  return METADATA_VERSION_RELEASES[level] ?? null;
}

export function encodeApiVersionsRequest(correlationId: number, clientId: string): Buffer {
  const client = Buffer.from(clientId, "utf8");
  const software = Buffer.from("signalbox", "utf8");
  const softwareVersion = Buffer.from("1", "utf8");
  const body = Buffer.concat([
    // request header v2: api key, api version, correlation id, client id (nullable STRING), no tags
    int16(API_VERSIONS_KEY), int16(API_VERSION), int32(correlationId), int16(client.length), client, uvarint(0),
    // ApiVersionsRequest v3: client_software_name and _version (COMPACT_STRING), no tags
    uvarint(software.length + 1), software, uvarint(softwareVersion.length + 1), softwareVersion, uvarint(0),
  ]);
  return Buffer.concat([int32(body.length), body]);
}

/** Parses an ApiVersions v3 response (without its size prefix): finalized features, or null on an error code. */
export function parseApiVersionsResponse(frame: Buffer): { correlationId: number; finalizedFeatures: Map<string, number> } | null {
  const r = new WireReader(frame, "ApiVersions response");
  const correlationId = r.int32(); // ApiVersions responses always use header v0, whatever the version
  const errorCode = r.int16();
  if (errorCode !== 0) return null; // e.g. UNSUPPORTED_VERSION from a broker older than 2.4
  const apiKeys = r.uvarint() - 1;
  for (let i = 0; i < apiKeys; i++) {
    r.skip(6); // api_key, min_version, max_version
    r.skipTags();
  }
  r.skip(4); // throttle_time_ms
  const finalizedFeatures = new Map<string, number>();
  const tags = r.uvarint();
  for (let t = 0; t < tags; t++) {
    const tag = r.uvarint();
    const size = r.uvarint();
    if (tag !== FINALIZED_FEATURES_TAG) {
      r.skip(size);
      continue;
    }
    const features = r.uvarint() - 1;
    for (let i = 0; i < features; i++) {
      const name = r.compactString();
      const maxLevel = r.int16();
      r.skip(2); // min_version_level
      r.skipTags();
      if (name !== null) finalizedFeatures.set(name, maxLevel);
    }
  }
  return { correlationId, finalizedFeatures };
}

/** "4.4" for a broker whose finalized metadata.version is 4.4-IVx; null when it cannot tell. */
export async function fetchKafkaRelease(options: { host: string; port: number; tls: tls.ConnectionOptions | null; clientId: string; timeoutMs: number }): Promise<string | null> {
  const frame = await requestOnce(options, encodeApiVersionsRequest(1, options.clientId));
  if (!frame) return null;
  try {
    const level = parseApiVersionsResponse(frame)?.finalizedFeatures.get("metadata.version");
    return level === undefined ? null : releaseOfMetadataVersion(level);
  } catch {
    return null; // a truncated or unexpected answer: the version is optional, never an error
  }
}

function requestOnce(options: { host: string; port: number; tls: tls.ConnectionOptions | null; timeoutMs: number }, request: Buffer): Promise<Buffer | null> {
  return new Promise((resolve) => {
    const socket = options.tls ? tls.connect({ ...options.tls, host: options.host, port: options.port }) : net.connect({ host: options.host, port: options.port });
    let received = Buffer.alloc(0);
    const finish = (result: Buffer | null) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => finish(null), options.timeoutMs);
    socket.once(options.tls ? "secureConnect" : "connect", () => socket.write(request));
    socket.on("data", (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (received.length >= 4 && received.length >= 4 + received.readInt32BE(0)) finish(received.subarray(4, 4 + received.readInt32BE(0)));
    });
    socket.on("error", () => finish(null));
    socket.on("close", () => finish(null));
  });
}
