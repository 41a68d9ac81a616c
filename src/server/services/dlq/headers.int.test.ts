// Integration: each dead-letter header convention, produced to the real broker with its real binary
// encodings (Spring's big-endian int and long), read back and parsed to the right origin and error;
// and Spring Kafka failures wrapped by the listener container in each of its forms, indexed and
// grouped together with the same failure unwrapped.
import { beforeAll, describe, expect, it } from "vitest";
import { closeConnectionsAfterAll } from "../../../../scripts/lib/test-support";
import { getEnv } from "~/env";
import { createProducer, ensureTopics, fetchRecords, type HeaderValue } from "~/server/broker";
import { listWrappedDlqFailures, setDlqReasons } from "~/server/catalog";
import { clusterFromEnv } from "~/server/services/clusters/active-cluster";
import { HEADER_FIXTURES, int32, int64 } from "./__fixtures__/dlq-headers.fixtures";
import { listDlqGroups } from "./dlq";
import { readDlqHeaders } from "./headers";
import { catchUpDlqIndex, regroupWrappedReasons } from "./indexer";

const cluster = clusterFromEnv(getEnv());
const topic = `it-dlq-headers-${Date.now()}.DLQ`;
const springDlq = `it-dlq-spring-${Date.now()}.DLT`;

const LEFE = "org.springframework.kafka.listener.ListenerExecutionFailedException";
const TIMEOUT = "com.acme.payments.GatewayTimeoutException";

/** A record as Spring Kafka's DeadLetterPublishingRecoverer writes it: binary origin headers, text exception headers. */
function springDeadLetter(i: number, exception: { fqcn: string; causeFqcn?: string; message: string }): { key: string; value: string; headers: Record<string, HeaderValue[]> } {
  const text = (v: string) => [Buffer.from(v, "utf8")];
  return {
    key: `payment-${i}`,
    value: JSON.stringify({ eventId: `evt-${i}`, eventType: "PaymentRequested", data: { amount: i } }),
    headers: {
      "kafka_dlt-original-topic": text("payments"),
      "kafka_dlt-original-partition": [int32(0)],
      "kafka_dlt-original-offset": [int64(BigInt(i))],
      "kafka_dlt-original-timestamp": [int64(BigInt(Date.now()))],
      "kafka_dlt-original-consumer-group": text("payment-service"),
      "kafka_dlt-exception-fqcn": text(exception.fqcn),
      ...(exception.causeFqcn ? { "kafka_dlt-exception-cause-fqcn": text(exception.causeFqcn) } : {}),
      "kafka_dlt-exception-message": text(exception.message),
      "kafka_dlt-exception-stacktrace": text(`${exception.fqcn}: ${exception.message}\n\tat com.acme.payments.PaymentListener.onPayment(PaymentListener.java:40)`),
    },
  };
}

beforeAll(async () => {
  await ensureTopics(cluster, [{ topic, numPartitions: 1 }, { topic: springDlq, numPartitions: 1 }]);
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

describe("Spring Kafka failures wrapped by the listener container", () => {
  it("land in one reason group with the same failure unwrapped, also when they were indexed under the earlier rule", async () => {
    const message = (ms: number) => `Payment gateway did not answer within ${ms} ms`;
    const producer = await createProducer(cluster);
    await producer.send(springDlq, [
      // spring-kafka 3.x, a record listener: the container's wrapper, the root cause's class and message.
      springDeadLetter(0, { fqcn: LEFE, causeFqcn: TIMEOUT, message: `Listener failed; ${message(3000)}` }),
      // A @KafkaListener method.
      springDeadLetter(1, { fqcn: LEFE, causeFqcn: TIMEOUT, message: `Listener method 'public void com.acme.payments.PaymentListener.onPayment(java.lang.String)' threw exception; ${message(3100)}` }),
      // spring-kafka 2.x on Spring Framework 5.
      springDeadLetter(2, { fqcn: LEFE, causeFqcn: TIMEOUT, message: `Listener failed; nested exception is ${TIMEOUT}: ${message(3200)}` }),
      // The same failure, not wrapped.
      springDeadLetter(3, { fqcn: TIMEOUT, message: message(900) }),
      // Another failure stays apart.
      springDeadLetter(4, { fqcn: LEFE, causeFqcn: "com.acme.payments.CardExpiredException", message: "Listener failed; Card 4 expired" }),
    ]);
    await producer.disconnect();
    await catchUpDlqIndex(cluster, springDlq);

    const grouped = async () => (await listDlqGroups(cluster, springDlq)).groups.map((g) => [g.reason, g.count]);
    const expected = [
      [`${TIMEOUT}: Payment gateway did not answer within <n> ms`, 4],
      ["com.acme.payments.CardExpiredException: Card <n> expired", 1],
    ];
    expect(await grouped()).toEqual(expected);

    // Records indexed before reasons came from the cause kept the wrapper in their reason; the
    // worker regroups them once when it starts.
    const wrapped = (await listWrappedDlqFailures(null, 10_000)).filter((r) => r.topic === springDlq);
    expect(wrapped).toHaveLength(4);
    await setDlqReasons(wrapped.map((r) => ({ ...r, reason: `${r.errorClass}: ${r.errorMessage}` })));
    expect(await grouped()).toHaveLength(5);
    expect(await regroupWrappedReasons()).toBeGreaterThanOrEqual(4);
    expect(await grouped()).toEqual(expected);
  });
});
