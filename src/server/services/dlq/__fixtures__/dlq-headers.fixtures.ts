// Test fixtures: dead-letter header sets as each convention's own producer writes them, byte for byte
// (Spring's big-endian int and long included). Used by headers.test.ts (unit) and headers.int.test.ts
// (broker round trip); production code does not import it.
import type { RecordHeader } from "~/server/broker";

const utf8 = (s: string) => Buffer.from(s, "utf8");
export const int32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
};
export const int64 = (n: bigint) => {
  const b = Buffer.alloc(8);
  b.writeBigInt64BE(n);
  return b;
};

const STACK = "java.lang.IllegalStateException: boom\n\tat com.acme.Payments.charge(Payments.java:42)\n\tat com.acme.Listener.onMessage(Listener.java:17)";

export interface HeaderFixture {
  name: string;
  headers: RecordHeader[];
  expected: {
    convention: string;
    topic: string | null;
    partition: number | null;
    offset: string | null;
    timestamp: number | null;
    errorClass: string | null;
    message: string | null;
    stackTrace: string | null;
    attempts: number | null;
  };
}

export const HEADER_FIXTURES: HeaderFixture[] = [
  {
    name: "Kafka Connect",
    headers: [
      { key: "__connect.errors.topic", value: utf8("orders") },
      { key: "__connect.errors.partition", value: utf8("2") },
      { key: "__connect.errors.offset", value: utf8("9007199254740993") },
      { key: "__connect.errors.connector.name", value: utf8("jdbc-sink") },
      { key: "__connect.errors.task.id", value: utf8("0") },
      { key: "__connect.errors.stage", value: utf8("VALUE_CONVERTER") },
      { key: "__connect.errors.class.name", value: utf8("org.apache.kafka.connect.json.JsonConverter") },
      { key: "__connect.errors.exception.class.name", value: utf8("org.apache.kafka.connect.errors.DataException") },
      { key: "__connect.errors.exception.message", value: utf8("Converting byte[] to Kafka Connect data failed due to serialization error") },
      { key: "__connect.errors.exception.stacktrace", value: utf8(STACK) },
    ],
    expected: {
      convention: "kafka-connect",
      topic: "orders",
      partition: 2,
      offset: "9007199254740993",
      timestamp: null,
      errorClass: "org.apache.kafka.connect.errors.DataException",
      message: "Converting byte[] to Kafka Connect data failed due to serialization error",
      stackTrace: STACK,
      attempts: null,
    },
  },
  {
    name: "Spring Kafka DeadLetterPublishingRecoverer with retry topics",
    headers: [
      { key: "kafka_dlt-original-topic", value: utf8("payments") },
      { key: "kafka_dlt-original-partition", value: int32(7) },
      { key: "kafka_dlt-original-offset", value: int64(4_294_967_301n) },
      { key: "kafka_dlt-original-timestamp", value: int64(1_700_000_000_123n) },
      { key: "kafka_dlt-original-timestamp-type", value: utf8("CreateTime") },
      { key: "kafka_dlt-original-consumer-group", value: utf8("payment-service") },
      { key: "kafka_dlt-exception-fqcn", value: utf8("org.springframework.kafka.listener.ListenerExecutionFailedException") },
      { key: "kafka_dlt-exception-cause-fqcn", value: utf8("java.lang.IllegalStateException") },
      { key: "kafka_dlt-exception-message", value: utf8("Listener failed; nested exception is java.lang.IllegalStateException: boom") },
      { key: "kafka_dlt-exception-stacktrace", value: utf8(STACK) },
      { key: "retry_topic-attempts", value: int32(4) },
    ],
    expected: {
      convention: "spring-kafka",
      topic: "payments",
      partition: 7,
      offset: "4294967301",
      timestamp: 1_700_000_000_123,
      errorClass: "java.lang.IllegalStateException",
      message: "Listener failed; nested exception is java.lang.IllegalStateException: boom",
      stackTrace: STACK,
      attempts: 4,
    },
  },
  {
    name: "Spring Cloud Stream Kafka binder",
    headers: [
      { key: "x-original-topic", value: utf8("inventory") },
      { key: "x-original-partition", value: int32(1) },
      { key: "x-original-offset", value: int64(88n) },
      { key: "x-original-timestamp", value: int64(1_700_000_500_000n) },
      { key: "x-original-timestamp-type", value: utf8("CreateTime") },
      { key: "x-exception-fqcn", value: utf8("org.springframework.messaging.MessageHandlingException") },
      { key: "x-exception-message", value: utf8("error occurred in message handler") },
      { key: "x-exception-stacktrace", value: utf8(STACK) },
    ],
    expected: {
      convention: "spring-cloud-stream",
      topic: "inventory",
      partition: 1,
      offset: "88",
      timestamp: 1_700_000_500_000,
      errorClass: "org.springframework.messaging.MessageHandlingException",
      message: "error occurred in message handler",
      stackTrace: STACK,
      attempts: null,
    },
  },
  {
    name: "Signalbox",
    headers: [
      { key: "eventType", value: utf8("OrderPlaced") },
      { key: "x-original-topic", value: utf8("orders") },
      { key: "x-original-partition", value: utf8("0") },
      { key: "x-original-offset", value: utf8("123") },
      { key: "x-error-class", value: utf8("PaymentGatewayTimeoutException") },
      { key: "x-error-message", value: utf8("Payment gateway did not answer within 3000 ms") },
      { key: "x-attempts", value: utf8("3") },
    ],
    expected: {
      convention: "signalbox",
      topic: "orders",
      partition: 0,
      offset: "123",
      timestamp: null,
      errorClass: "PaymentGatewayTimeoutException",
      message: "Payment gateway did not answer within 3000 ms",
      stackTrace: null,
      attempts: 3,
    },
  },
  {
    name: "no convention",
    headers: [{ key: "eventType", value: utf8("OrderPlaced") }],
    expected: { convention: "none", topic: null, partition: null, offset: null, timestamp: null, errorClass: null, message: null, stackTrace: null, attempts: null },
  },
];
