// The request of a produce from the console: one record, typed by a person (or copied from one).
import { z } from "zod";

/** A record value a person types or pastes: 1 MiB, Kafka's default max.message.bytes. */
export const PRODUCE_MAX_VALUE_BYTES = 1024 * 1024;
const KEY_MAX_BYTES = 16 * 1024;
const HEADER_MAX_BYTES = 16 * 1024;
const MAX_HEADERS = 64;

const bytes = (max: number, what: string) => z.string().refine((s) => Buffer.byteLength(s, "utf8") <= max, `${what} is larger than ${max / 1024} KiB.`);

export const produceRequestSchema = z.object({
  topic: z.string().min(1).max(249),
  /** Null: Kafka's partitioner chooses (murmur2 of the key, as the Java client does). */
  partition: z.number().int().nonnegative().nullable().default(null),
  key: bytes(KEY_MAX_BYTES, "The key").nullable().default(null),
  headers: z
    .array(z.object({ key: z.string().min(1, "A header needs a name.").max(256), value: bytes(HEADER_MAX_BYTES, "A header value") }))
    .max(MAX_HEADERS, `At most ${MAX_HEADERS} headers.`)
    .default([]),
  /**
   * A registry schema id: the JSON value is encoded with that schema and framed as Confluent's
   * serializers do (Avro, Protobuf or JSON Schema). Null: the value is written as typed.
   */
  schemaId: z.number({ error: "The schema id is a whole number: a registry id." }).int("The schema id is a whole number: a registry id.").positive("A registry schema id is 1 or more.").max(2 ** 31 - 1, "A registry schema id fits in 32 bits.").nullable().default(null),
  /** Null writes a tombstone (a record without a value: compaction deletes its key). */
  value: bytes(PRODUCE_MAX_VALUE_BYTES, "The value").nullable(),
  /** One per submission in the browser: a repeated submit returns the first write instead of writing again. */
  idempotencyKey: z.uuid().optional(),
});
export type ProduceRequest = z.output<typeof produceRequestSchema>;
