// Integration: each dead-letter header convention, produced to the real broker with its real binary
// encodings (Spring's big-endian int and long), read back and parsed to the right origin and error.
import { beforeAll, describe, expect, it } from "vitest";
import { closeConnectionsAfterAll } from "../../../../scripts/lib/test-support";
import { getEnv } from "~/env";
import { createProducer, ensureTopics, fetchRecords, type HeaderValue } from "~/server/broker";
import { clusterFromEnv } from "~/server/services/clusters/active-cluster";
import { HEADER_FIXTURES } from "./header-fixtures";
import { readDlqHeaders } from "./headers";

const cluster = clusterFromEnv(getEnv());
const topic = `it-dlq-headers-${Date.now()}.DLQ`;

beforeAll(async () => {
  await ensureTopics(cluster, [{ topic, numPartitions: 1 }]);
  const producer = await createProducer(cluster);
  await producer.send(
    topic,
    HEADER_FIXTURES.map((f, i) => {
      const headers: Record<string, HeaderValue[]> = {};
      for (const h of f.headers) (headers[h.key] ??= []).push(h.value ?? Buffer.alloc(0));
      return { key: `k-${i}`, value: JSON.stringify({ fixture: f.name }), headers };
    }),
  );
  await producer.disconnect();
});

closeConnectionsAfterAll();

describe("DLQ headers on the real broker", () => {
  it("parses every convention read back from Kafka", async () => {
    const [result] = await fetchRecords(cluster, topic, [{ partition: 0, offset: 0 }], { maxBytesPerPartition: 1024 * 1024 });
    const records = result!.records;
    expect(records).toHaveLength(HEADER_FIXTURES.length);
    for (const [i, fixture] of HEADER_FIXTURES.entries()) {
      const record = records[i]!;
      // The bytes survive the trip: Spring's partition header is still 4 bytes, its offset 8.
      const partitionHeader = record.headers.find((h) => h.key === "kafka_dlt-original-partition");
      if (partitionHeader) expect(partitionHeader.value!.length).toBe(4);
      const r = readDlqHeaders(record.headers);
      expect(
        { convention: r.convention, topic: r.origin.topic, partition: r.origin.partition, offset: r.origin.offset, timestamp: r.origin.timestamp, errorClass: r.error.errorClass, message: r.error.message, stackTrace: r.error.stackTrace, attempts: r.attempts },
        fixture.name,
      ).toEqual(fixture.expected);
    }
  });
});
