// Reading a dead-lettered record's headers: where it came from (topic, partition, offset, timestamp),
// why it failed (error class, message, stack trace) and how often it was tried. Five conventions are
// recognised; a record with none of them still gets a (mostly empty) reading, so it still shows.
//
// Binary encodings differ by producer: Spring Kafka and the Spring Cloud Stream Kafka binder write
// partitions as 4-byte and offsets/timestamps as 8-byte big-endian integers, while Kafka Connect and
// Signalbox write decimal text. `headerInteger` accepts both, so a tool that deviates still reads.
import type { RecordHeader } from "~/server/broker";
import { bigEndianInteger } from "~/server/services/messages/decode";

export type DlqConvention = "kafka-connect" | "spring-kafka" | "spring-cloud-stream" | "signalbox" | "none";

export interface DlqOrigin {
  topic: string | null;
  partition: number | null;
  /** Text: offsets can pass 2^53. */
  offset: string | null;
  /** Epoch ms of the original record, when the convention records it. */
  timestamp: number | null;
  /** The consumer group that failed to process it (Spring Kafka). */
  consumerGroup: string | null;
}

export interface DlqError {
  errorClass: string | null;
  message: string | null;
  stackTrace: string | null;
}

export interface DlqReading {
  convention: DlqConvention;
  origin: DlqOrigin;
  error: DlqError;
  /** Delivery attempts before it was dead-lettered; null when no header says. */
  attempts: number | null;
}

/** Headers a redrive adds (besides the replay headers `x-replay-of` and `x-replay-job`). */
export const REDRIVE_ATTEMPT_HEADER = "x-redrive-attempt";

const decoder = new TextDecoder("utf-8", { fatal: false });

/** The last value of `name` (Kafka allows repeats; a later one is the newer), or undefined. */
function last(headers: readonly RecordHeader[], name: string): Buffer | null | undefined {
  for (let i = headers.length - 1; i >= 0; i -= 1) if (headers[i]!.key === name) return headers[i]!.value;
  return undefined;
}

function text(value: Buffer | null | undefined): string | null {
  if (!value || value.length === 0) return null;
  return decoder.decode(value);
}

const DECIMAL = /^-?\d{1,20}$/;

/**
 * An integer header as text: decimal text ("42"), or a 4-byte (int) or 8-byte (long) big-endian
 * binary value. Text wins when every byte is a digit: no real partition or offset encodes to all
 * ASCII digits in binary (that would need a value above 800 million).
 */
export function headerInteger(value: Buffer | null | undefined): string | null {
  if (!value || value.length === 0) return null;
  const asText = value.toString("latin1").trim();
  if (DECIMAL.test(asText)) return BigInt(asText).toString();
  return value.length === 4 || value.length === 8 ? bigEndianInteger(value) : null;
}

function headerNumber(value: Buffer | null | undefined): number | null {
  const n = headerInteger(value);
  if (n === null) return null;
  const parsed = Number(n);
  return Number.isSafeInteger(parsed) ? parsed : null;
}

const EMPTY_ORIGIN: DlqOrigin = { topic: null, partition: null, offset: null, timestamp: null, consumerGroup: null };
const EMPTY_ERROR: DlqError = { errorClass: null, message: null, stackTrace: null };

function has(headers: readonly RecordHeader[], prefix: string): boolean {
  return headers.some((h) => h.key.startsWith(prefix));
}

function kafkaConnect(h: readonly RecordHeader[]): DlqReading {
  const p = "__connect.errors.";
  return {
    convention: "kafka-connect",
    origin: { ...EMPTY_ORIGIN, topic: text(last(h, `${p}topic`)), partition: headerNumber(last(h, `${p}partition`)), offset: headerInteger(last(h, `${p}offset`)) },
    error: {
      errorClass: text(last(h, `${p}exception.class.name`)) ?? text(last(h, `${p}class.name`)),
      message: text(last(h, `${p}exception.message`)),
      stackTrace: text(last(h, `${p}exception.stacktrace`)),
    },
    attempts: null,
  };
}

function springKafka(h: readonly RecordHeader[]): DlqReading {
  const o = "kafka_dlt-original-";
  // A key that failed to deserialize is reported under kafka_dlt-key-exception-*; prefer the value's.
  const ex = (name: string) => text(last(h, `kafka_dlt-exception-${name}`)) ?? text(last(h, `kafka_dlt-key-exception-${name}`));
  return {
    convention: "spring-kafka",
    origin: {
      topic: text(last(h, `${o}topic`)),
      partition: headerNumber(last(h, `${o}partition`)),
      offset: headerInteger(last(h, `${o}offset`)),
      timestamp: headerNumber(last(h, `${o}timestamp`)),
      consumerGroup: text(last(h, `${o}consumer-group`)),
    },
    error: { errorClass: ex("cause-fqcn") ?? ex("fqcn"), message: ex("message"), stackTrace: ex("stacktrace") },
    attempts: headerNumber(last(h, "retry_topic-attempts")),
  };
}

function springCloudStream(h: readonly RecordHeader[]): DlqReading {
  return {
    convention: "spring-cloud-stream",
    origin: {
      ...EMPTY_ORIGIN,
      topic: text(last(h, "x-original-topic")),
      partition: headerNumber(last(h, "x-original-partition")),
      offset: headerInteger(last(h, "x-original-offset")),
      timestamp: headerNumber(last(h, "x-original-timestamp")),
    },
    error: { errorClass: text(last(h, "x-exception-fqcn")), message: text(last(h, "x-exception-message")), stackTrace: text(last(h, "x-exception-stacktrace")) },
    attempts: headerNumber(last(h, "deliveryAttempt")),
  };
}

function signalbox(h: readonly RecordHeader[]): DlqReading {
  return {
    convention: "signalbox",
    origin: { ...EMPTY_ORIGIN, topic: text(last(h, "x-original-topic")), partition: headerNumber(last(h, "x-original-partition")), offset: headerInteger(last(h, "x-original-offset")) },
    error: { errorClass: text(last(h, "x-error-class")), message: text(last(h, "x-error-message")), stackTrace: text(last(h, "x-error-stacktrace")) },
    attempts: headerNumber(last(h, "x-attempts")),
  };
}

/** Reads a dead-lettered record's headers by whichever convention they follow. */
export function readDlqHeaders(headers: readonly RecordHeader[]): DlqReading {
  if (has(headers, "__connect.errors.")) return kafkaConnect(headers);
  if (has(headers, "kafka_dlt-")) return springKafka(headers);
  if (has(headers, "x-exception-")) return springCloudStream(headers);
  if (has(headers, "x-error-") || last(headers, "x-original-topic") !== undefined) return signalbox(headers);
  // Spring retry topics without a DLT header yet still count their attempts.
  return { convention: "none", origin: EMPTY_ORIGIN, error: EMPTY_ERROR, attempts: headerNumber(last(headers, "retry_topic-attempts")) };
}

/** How many times Signalbox already redrove this record (0 for one never redriven). */
export function redriveAttempt(headers: readonly RecordHeader[]): number {
  return headerNumber(last(headers, REDRIVE_ATTEMPT_HEADER)) ?? 0;
}
