// Fetch (v4, read_committed) without kafkajs's record decoder. kafkajs 2.2.4 turns every record into
// an object with 64-bit offsets and timestamps as strings (through a BigInt wrapper) and its headers
// into an object rebuilt once per header; profiled on a replay of 200k 1 KB records that was 0.46 s of
// a 3.1 s job, before the records were turned into ours (0.2 s more). This decoder reads record
// batches (magic 2) straight into `FetchedRecord`s: keys, values and header values are views of the
// response (as kafkajs's are), offsets and timestamps are numbers, and aborted transactions are
// dropped a batch at a time, as Kafka's own consumer does.
//
// What it does not decode itself it hands to kafkajs's decoders, one batch at a time: compressed
// batches (kafkajs's registered codecs decompress them) and the old message sets (magic 0 and 1).
// `fetch-v4.test.ts` checks it against kafkajs's decoder on the same bytes.
import "server-only";
import { createRequire } from "node:module";
import { READ_COMMITTED } from "./internal-cluster";
import type { PartitionPosition } from "./reader";
import { BATCH, BATCH_HEADER, CODEC_MASK, CONTROL, LOG_APPEND_TIME, LOG_OVERHEAD, MAGIC_V2, TRANSACTIONAL } from "./record-batch";
import type { FetchedRecord, RecordHeader } from "./types";
import { VarintCursor } from "./varint";
import { int32, int64, string, WireReader } from "./wire";

export const FETCH_KEY = 1;
export const FETCH_V4 = 4;

export interface FetchV4Options {
  /** Bytes per partition; Kafka returns at least one whole batch even when it is bigger. */
  maxBytesPerPartition: number;
  /** How long the broker may wait for data; 0 answers at once. */
  maxWaitMs?: number;
}

/** The body of a Fetch v4 request for `positions` of one topic, read_committed. */
export function encodeFetchV4(topic: string, positions: PartitionPosition[], options: FetchV4Options): Buffer {
  return Buffer.concat([
    int32(-1), // replica id: a consumer
    int32(options.maxWaitMs ?? 0),
    int32(1), // min bytes
    int32(Math.min(0x7fffffff, options.maxBytesPerPartition * positions.length)),
    Buffer.from([READ_COMMITTED]),
    int32(1),
    string(topic),
    int32(positions.length),
    ...positions.flatMap((p) => [int32(p.partition), int64(p.offset), int32(options.maxBytesPerPartition)]),
  ]);
}

export interface AbortedTransaction {
  producerId: bigint;
  firstOffset: number;
}

/** One partition of a Fetch v4 response, its records still encoded. */
export interface FetchV4Partition {
  partition: number;
  errorCode: number;
  highWatermark: number;
  lastStableOffset: number;
  abortedTransactions: AbortedTransaction[];
  /** The record batches (or an old message set), as the broker sent them; may end with a partial batch. */
  records: Buffer;
}

/** Splits a Fetch v4 response into its partitions, without decoding a record. */
export function parseFetchV4(payload: Buffer): FetchV4Partition[] {
  const r = new WireReader(payload, "Fetch response");
  const partitions: FetchV4Partition[] = [];
  r.int32(); // throttle time
  const topics = r.int32();
  for (let t = 0; t < topics; t++) {
    r.string();
    const count = r.int32();
    for (let i = 0; i < count; i++) {
      const partition = r.int32();
      const errorCode = r.int16();
      const highWatermark = r.int64();
      const lastStableOffset = r.int64();
      const abortedCount = r.int32();
      const abortedTransactions: AbortedTransaction[] = [];
      for (let a = 0; a < abortedCount; a++) {
        const producerId = payload.readBigInt64BE(r.position);
        r.skip(8);
        abortedTransactions.push({ producerId, firstOffset: r.int64() });
      }
      const size = r.int32();
      let records = payload.subarray(0, 0);
      if (size > 0) {
        // The broker may cut the last batch short at the size limit; what is there is returned.
        const available = Math.min(size, payload.length - r.position);
        records = payload.subarray(r.position, r.position + available);
        r.skip(available);
      }
      partitions.push({ partition, errorCode, highWatermark, lastStableOffset, abortedTransactions, records });
    }
  }
  return partitions;
}

/** A batch's records and what the read_committed filter needs to know about it. */
interface DecodedBatch {
  baseOffset: number;
  lastOffset: number;
  producerId: bigint;
  transactional: boolean;
  control: boolean;
  records: FetchedRecord[];
  /** The batch as sent, when it is a data batch of magic 2 without compression: its records can be copied as bytes. */
  bytes?: Buffer;
}

/**
 * A record batch (magic 2, uncompressed) as the broker sent it, for a copy that takes its records'
 * bytes as they are (`record-copies.ts`). It may hold records before the requested offset.
 */
export interface RawRecordBatch {
  bytes: Buffer;
  baseOffset: number;
}

/** The kafkajs decoders a batch falls back to (compressed, or an old message set). */
interface KafkajsDecoders {
  Decoder: new (buffer: Buffer) => object;
  decodeRecordBatch(decoder: object): Promise<{ records: KafkajsRecord[] }>;
  decodeMessageSet(decoder: object, size: number): Promise<KafkajsRecord[]>;
}

interface KafkajsRecord {
  offset: string;
  timestamp: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, Buffer | null | (Buffer | null)[]>;
  isControlRecord?: boolean;
}

/** Kafka's error for a partition's error code, as kafkajs raises it (so its type names it, e.g. NOT_LEADER_OR_FOLLOWER). */
export function fetchPartitionError(code: number): Error {
  const require = createRequire(import.meta.url);
  const { createErrorFromCode } = require("kafkajs/src/protocol/error.js") as { createErrorFromCode: (code: number) => Error };
  return createErrorFromCode(code);
}

let kafkajsDecoders: KafkajsDecoders | null = null;
function fallbackDecoders(): KafkajsDecoders {
  if (kafkajsDecoders) return kafkajsDecoders;
  const require = createRequire(import.meta.url);
  kafkajsDecoders = {
    Decoder: require("kafkajs/src/protocol/decoder.js") as KafkajsDecoders["Decoder"],
    decodeRecordBatch: require("kafkajs/src/protocol/recordBatch/v0/decoder.js") as KafkajsDecoders["decodeRecordBatch"],
    decodeMessageSet: require("kafkajs/src/protocol/messageSet/decoder.js") as KafkajsDecoders["decodeMessageSet"],
  };
  return kafkajsDecoders;
}

function fromKafkajs(topic: string, partition: number, m: KafkajsRecord): FetchedRecord {
  const headers: RecordHeader[] = [];
  for (const [key, value] of Object.entries(m.headers ?? {})) {
    if (Array.isArray(value)) for (const v of value) headers.push({ key, value: v });
    else headers.push({ key, value: value ?? null });
  }
  return { topic, partition, offset: Number(m.offset), timestamp: Number(m.timestamp), key: m.key, value: m.value, headers };
}

/** The records of an uncompressed batch (magic 2) that starts at `start` of `buf` and ends at `end`. */
function decodeRecords(topic: string, partition: number, buf: Buffer, start: number, end: number): FetchedRecord[] {
  const baseOffset = Number(buf.readBigInt64BE(start));
  const attributes = buf.readInt16BE(start + BATCH.attributes);
  const firstTimestamp = Number(buf.readBigInt64BE(start + BATCH.firstTimestamp));
  const maxTimestamp = Number(buf.readBigInt64BE(start + BATCH.maxTimestamp));
  const count = buf.readInt32BE(start + BATCH.recordCount);
  const logAppendTime = (attributes & LOG_APPEND_TIME) !== 0;
  const view = buf.subarray(0, end);
  const r = new VarintCursor(view, start + BATCH_HEADER);
  const records = new Array<FetchedRecord>(count);
  for (let i = 0; i < count; i++) {
    const length = r.varint();
    const next = r.at + length;
    r.at += 1; // record attributes: unused
    const timestampDelta = r.varint();
    const offsetDelta = r.varint();
    const key = r.bytes();
    const value = r.bytes();
    const headerCount = r.varint();
    const headers = new Array<RecordHeader>(Math.max(0, headerCount));
    for (let h = 0; h < headerCount; h++) {
      const headerKey = r.bytes();
      headers[h] = { key: headerKey ? headerKey.toString("utf8") : "", value: r.bytes() };
    }
    r.at = next;
    records[i] = { topic, partition, offset: baseOffset + offsetDelta, timestamp: logAppendTime ? maxTimestamp : firstTimestamp + timestampDelta, key, value, headers };
  }
  return records;
}

/** Every whole batch of a partition's record data; a partial batch at the end is left out (the next fetch starts at it). */
async function decodeBatches(topic: string, p: FetchV4Partition, keepBytes: boolean): Promise<DecodedBatch[]> {
  const buf = p.records;
  const batches: DecodedBatch[] = [];
  // The magic byte sits at the same place in a batch and in an old message set, whose entries can
  // be shorter than a batch's header.
  for (let at = 0; at + BATCH.magic < buf.length; ) {
    const length = buf.readInt32BE(at + BATCH.length);
    const end = at + LOG_OVERHEAD + length;
    if (end > buf.length) break;
    const magic = buf.readInt8(at + BATCH.magic);
    if (magic >= MAGIC_V2 && at + BATCH_HEADER > end) break;
    if (magic < MAGIC_V2) {
      // An old message set: no transactions, and kafkajs decodes the rest of the data in one go.
      const decoders = fallbackDecoders();
      const rest = buf.subarray(at);
      const messages = await decoders.decodeMessageSet(new decoders.Decoder(rest), rest.length);
      const records = messages.map((m) => fromKafkajs(topic, p.partition, m));
      if (records.length) batches.push({ baseOffset: records[0]!.offset, lastOffset: records[records.length - 1]!.offset, producerId: -1n, transactional: false, control: false, records });
      break;
    }
    const attributes = buf.readInt16BE(at + BATCH.attributes);
    const baseOffset = Number(buf.readBigInt64BE(at));
    const batch: DecodedBatch = {
      baseOffset,
      lastOffset: baseOffset + buf.readInt32BE(at + BATCH.lastOffsetDelta),
      producerId: buf.readBigInt64BE(at + BATCH.producerId),
      transactional: (attributes & TRANSACTIONAL) !== 0,
      control: (attributes & CONTROL) !== 0,
      records: [],
    };
    if (batch.control) {
      // A control batch holds one marker; its key says abort (type 0) or commit (1).
      batch.records = decodeRecords(topic, p.partition, buf, at, end);
    } else if ((attributes & CODEC_MASK) === 0) {
      batch.bytes = buf.subarray(at, end);
      // Decoded later if some batch of the partition cannot be copied as bytes.
      if (!keepBytes) batch.records = decodeRecords(topic, p.partition, buf, at, end);
    } else {
      const decoders = fallbackDecoders();
      const decoded = await decoders.decodeRecordBatch(new decoders.Decoder(buf.subarray(at, end)));
      batch.records = decoded.records.map((m) => fromKafkajs(topic, p.partition, m));
    }
    batches.push(batch);
    at = end;
  }
  return batches;
}

function isAbortMarker(batch: DecodedBatch): boolean {
  const key = batch.records[0]?.key;
  return !!key && key.length >= 4 && key.readInt16BE(2) === 0;
}

export interface DecodedPartition {
  partition: number;
  /** Records at or after `from`, in offset order; control records and aborted transactions left out. */
  records: FetchedRecord[];
  /**
   * Asked for with `keepBytes`, and every batch kept is uncompressed (magic 2): those batches as
   * bytes, in offset order, and no `records`.
   */
  batches?: RawRecordBatch[];
  /** One past the last offset of the last whole batch (markers and aborted batches included); `from` when there was none. */
  nextOffset: number;
  highWatermark: number;
  lastStableOffset: number;
}

/**
 * A partition's records from `from` on, read_committed: a transactional batch is dropped when its
 * producer has an aborted transaction that started at or before the batch's last offset and whose
 * abort marker has not been passed yet (Kafka's consumer does the same). With `keepBytes`, batches
 * that can be copied as bytes are not decoded (see `DecodedPartition.batches`).
 */
export async function decodePartition(topic: string, p: FetchV4Partition, from: number, options: { keepBytes?: boolean } = {}): Promise<DecodedPartition> {
  const batches = await decodeBatches(topic, p, options.keepBytes ?? false);
  const pending = [...p.abortedTransactions].sort((a, b) => a.firstOffset - b.firstOffset);
  const abortedProducers = new Set<bigint>();
  const kept: DecodedBatch[] = [];
  let nextOffset = from;
  for (const batch of batches) {
    nextOffset = Math.max(nextOffset, batch.lastOffset + 1);
    if (batch.control) {
      if (isAbortMarker(batch)) abortedProducers.delete(batch.producerId);
      continue;
    }
    while (pending.length && pending[0]!.firstOffset <= batch.lastOffset) abortedProducers.add(pending.shift()!.producerId);
    if (batch.transactional && abortedProducers.has(batch.producerId)) continue;
    kept.push(batch);
  }
  const result = { partition: p.partition, nextOffset, highWatermark: p.highWatermark, lastStableOffset: p.lastStableOffset };
  if (options.keepBytes && kept.every((b) => b.bytes)) return { ...result, records: [], batches: kept.map((b) => ({ bytes: b.bytes!, baseOffset: b.baseOffset })) };
  const records: FetchedRecord[] = [];
  for (const batch of kept) {
    // Left undecoded for a copy as bytes, but another batch of the partition cannot be copied so.
    if (batch.bytes && batch.records.length === 0) batch.records = decodeRecords(topic, p.partition, batch.bytes, 0, batch.bytes.length);
    for (const record of batch.records) {
      // A batch can start before the requested offset; Kafka's consumer skips those records too.
      if (record.offset >= from) records.push(record);
    }
  }
  return { ...result, records };
}
