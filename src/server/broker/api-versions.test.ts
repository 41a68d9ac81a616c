import { describe, expect, it } from "vitest";
import { encodeApiVersionsRequest, parseApiVersionsResponse, releaseOfMetadataVersion } from "./api-versions";

// An ApiVersions v3 response as a Kafka 4.4 broker frames it (header v0, flexible body), built by hand.
function response(options: { errorCode?: number; features?: [string, number][] }): Buffer {
  const parts: number[] = [];
  const int16 = (n: number) => parts.push((n >> 8) & 0xff, n & 0xff);
  const int32 = (n: number) => parts.push((n >>> 24) & 0xff, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff);
  int32(7); // correlation id
  int16(options.errorCode ?? 0);
  parts.push(3); // two api keys
  for (const key of [0, 18]) {
    int16(key); int16(0); int16(11); parts.push(0);
  }
  int32(0); // throttle
  const features = options.features ?? [];
  const tag: number[] = [features.length + 1];
  for (const [name, level] of features) {
    tag.push(name.length + 1, ...Buffer.from(name), (level >> 8) & 0xff, level & 0xff, 0, 1, 0);
  }
  parts.push(2); // two tagged fields: an unrelated one (FinalizedFeaturesEpoch), then FinalizedFeatures
  parts.push(1, 8, 0, 0, 0, 0, 0, 0, 0, 5);
  parts.push(2, tag.length, ...tag);
  return Buffer.from(parts);
}

describe("ApiVersions v3", () => {
  it("frames the request with its size, api key 18 and version 3", () => {
    const request = encodeApiVersionsRequest(42, "signalbox");
    expect(request.readInt32BE(0)).toBe(request.length - 4);
    expect(request.readInt16BE(4)).toBe(18);
    expect(request.readInt16BE(6)).toBe(3);
    expect(request.readInt32BE(8)).toBe(42);
  });

  it("reads the finalized features after the api keys and the unrelated tags", () => {
    const parsed = parseApiVersionsResponse(response({ features: [["transaction.version", 2], ["metadata.version", 33]] }));
    expect(parsed?.correlationId).toBe(7);
    expect(parsed?.finalizedFeatures.get("metadata.version")).toBe(33);
    expect(parsed?.finalizedFeatures.get("transaction.version")).toBe(2);
  });

  it("returns null when the broker answers with an error code", () => {
    expect(parseApiVersionsResponse(response({ errorCode: 35 }))).toBeNull();
  });

  it("maps metadata.version levels to releases, and says nothing about unknown ones", () => {
    expect(releaseOfMetadataVersion(21)).toBe("3.9");
    expect(releaseOfMetadataVersion(33)).toBe("4.4");
    expect(releaseOfMetadataVersion(999)).toBeNull();
  });
});
