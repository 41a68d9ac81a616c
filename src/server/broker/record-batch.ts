// Kafka's record batch (magic 2) as it lies on the wire and on disk: where each header field sits,
// and what the attribute bits mean. One place for the Fetch decoder, the produce encoder, the codec
// probe and the copies made as bytes.
import "server-only";

/** Byte positions of a batch's header fields, from the batch's start. */
export const BATCH = {
  baseOffset: 0,
  /** The length counts the bytes after this field (from the leader epoch on). */
  length: 8,
  leaderEpoch: 12,
  magic: 16,
  /** The CRC32C covers everything from the attributes to the batch's end. */
  crc: 17,
  attributes: 21,
  lastOffsetDelta: 23,
  firstTimestamp: 27,
  maxTimestamp: 35,
  producerId: 43,
  producerEpoch: 51,
  firstSequence: 53,
  recordCount: 57,
} as const;

/** The header's size: the records start here. */
export const BATCH_HEADER = 61;
/** Base offset and length: what a batch's length does not count. */
export const LOG_OVERHEAD = 12;
export const MAGIC_V2 = 2;

/** Attribute bits. */
export const CODEC_MASK = 0x07;
export const LOG_APPEND_TIME = 0x08;
export const TRANSACTIONAL = 0x10;
export const CONTROL = 0x20;
