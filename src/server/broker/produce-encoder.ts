// A faster encoder for kafkajs's produce requests (v3 and later, record batches of magic 2).
//
// kafkajs 2.2.4 (unmaintained since 2023) encodes each record into its own 512-byte zero-filled
// buffer, grows it to the next power of two, does the same for every header, copies them all into a
// batch buffer that grows by doubling, computes zig-zag varlongs through a BigInt wrapper, and the
// CRC32C of every batch in JavaScript. Profiled on a replay of 60k 1 KB records that was a quarter
// of the process's CPU (docs/messages-and-replay.md, Benchmark). This encoder writes the same bytes:
// it sizes each batch first, writes its records straight into one buffer, and computes the CRC32C
// natively (@node-rs/crc32). `produce-encoder.test.ts` checks it byte for byte against kafkajs's own.
//
// It is installed by replacing only the `encode` step of kafkajs's Produce request definition (the
// object its brokers look request versions up in, on every produce call): the request's api key,
// version, response parser, retries, sequence numbers and transactions all stay kafkajs's.
import "server-only";
import { createRequire } from "node:module";
import { crc32c } from "@node-rs/crc32";
import { sizeOfVarInt, VarintCursor } from "./varint";
import { BATCH, BATCH_HEADER, CODEC_MASK, MAGIC_V2, TRANSACTIONAL } from "./record-batch";

type Bytes = Buffer | string | null | undefined;
type HeaderValue = Bytes | Bytes[];

/**
 * Records already encoded (`record-copies.ts`) ride through kafkajs as one message object repeated
 * once per record: kafkajs counts a partition's messages for its sequence numbers, and reads nothing
 * else of them but the partition; this encoder then writes the bytes as the batch's records.
 */
const ENCODED_RECORDS = Symbol("signalbox.encodedRecords");

interface EncodedRecordsMessage {
  value: null;
  partition: number;
  [ENCODED_RECORDS]: Buffer;
}

/** kafkajs messages for `count` records encoded back to back in `body` (offset deltas from 0, timestamp deltas 0), all for `partition`. */
export function encodedRecordMessages(body: Buffer, count: number, partition: number): ProduceMessage[] {
  const message: EncodedRecordsMessage = { value: null, partition, [ENCODED_RECORDS]: body };
  return new Array<ProduceMessage>(count).fill(message);
}

/** The encoded records a batch's messages stand for, or null when they are ordinary messages. */
function encodedRecords(messages: ProduceMessage[]): Buffer | null {
  const first = messages[0] as Partial<EncodedRecordsMessage> | undefined;
  const body = first?.[ENCODED_RECORDS];
  if (!body) return null;
  // Their offset deltas start at 0: another message in the same batch would break the sequence.
  for (const m of messages) if (m !== first) throw new Error("A produce batch mixes records encoded ahead with other messages; each run of encoded records must be sent alone.");
  return body;
}

/** Headers in Kafka's order, as Signalbox keeps them (duplicate keys and null values allowed). */
export type HeaderList = { key: string; value: Buffer | null }[];

export interface ProduceMessage {
  key?: Bytes;
  value: Bytes;
  /** kafkajs's object, or Signalbox's list: a copy is handed to kafkajs as it is, not converted per record. */
  headers?: Record<string, HeaderValue> | HeaderList;
  timestamp?: string | number;
}

export interface ProduceTopicData {
  topic: string;
  partitions: { partition: number; firstSequence?: number; messages: ProduceMessage[] }[];
}

export interface ProduceRequestArgs {
  acks: number;
  timeout: number;
  compression?: number;
  topicData: ProduceTopicData[];
  transactionalId?: string | null;
  /** kafkajs's Long (a BigInt wrapper), a bigint or a number; -1 when not idempotent. */
  producerId?: { value: bigint } | bigint | number | string;
  producerEpoch?: number;
}

/** kafkajs's Encoder: what the connection expects `encode()` to return. */
interface KafkajsEncoder {
  buf: Buffer;
  offset: number;
}

interface Codec {
  compress(encoder: KafkajsEncoder): Promise<Buffer>;
}

interface Kafkajs {
  Encoder: new (initialSize?: number) => KafkajsEncoder;
  lookupCodec(type: number): Codec | null;
  produce: { protocol: (args: { version: number }) => (args: ProduceRequestArgs) => { request: { encode: () => Promise<KafkajsEncoder> }; response: unknown } };
}

function byteLength(value: Bytes): number {
  if (value == null) return -1;
  return Buffer.isBuffer(value) ? value.length : Buffer.byteLength(String(value), "utf8");
}

function sizeOfBytes(value: Bytes): number {
  const length = byteLength(value);
  return length < 0 ? 1 : sizeOfVarInt(length) + length;
}

/** A cursor over a buffer sized in advance. */
class Writer extends VarintCursor {
  /** Varint-length bytes, from a buffer or a string (UTF-8); null as length -1. */
  writeBytes(value: Bytes) {
    if (value == null) {
      this.writeVarInt(-1);
    } else if (Buffer.isBuffer(value)) {
      this.writeVarInt(value.length);
      this.copy(value);
    } else {
      const text = String(value);
      const length = Buffer.byteLength(text, "utf8");
      this.writeVarInt(length);
      this.at += this.buf.write(text, this.at, length, "utf8");
    }
  }
}

/**
 * Header keys repeat from record to record (a replay adds the same two to each copy): each key's
 * UTF-8 bytes are kept, so a record's keys are copied, not encoded again. Bounded, for keys that
 * never repeat.
 */
const headerKeys = new Map<string, Buffer>();
const HEADER_KEYS_KEPT = 1000;
function headerKey(key: string): Buffer {
  let bytes = headerKeys.get(key);
  if (!bytes) {
    bytes = Buffer.from(key, "utf8");
    if (headerKeys.size >= HEADER_KEYS_KEPT) headerKeys.clear();
    headerKeys.set(key, bytes);
  }
  return bytes;
}

function eachHeader(headers: ProduceMessage["headers"], fn: (key: Buffer, value: Bytes) => void) {
  if (!headers) return;
  if (Array.isArray(headers)) {
    for (const h of headers) fn(headerKey(h.key), h.value);
    return;
  }
  for (const key of Object.keys(headers)) {
    const value = headers[key];
    if (Array.isArray(value)) for (const v of value) fn(headerKey(key), v);
    else fn(headerKey(key), value);
  }
}

function headerCount(headers: ProduceMessage["headers"]): number {
  if (!headers) return 0;
  if (Array.isArray(headers)) return headers.length;
  let count = 0;
  eachHeader(headers, () => (count += 1));
  return count;
}

function toBigInt(value: ProduceRequestArgs["producerId"] | undefined, fallback: bigint): bigint {
  if (value === undefined) return fallback;
  if (typeof value === "object") return value.value;
  return BigInt(value);
}

/** Timestamps exactly as kafkajs picks them (its default sort included), so the bytes match. */
function batchTimestamps(messages: ProduceMessage[], now: number) {
  const given = messages
    .map((m) => m.timestamp)
    .filter((t) => t != null)
    .sort();
  const timestamps = given.length === 0 ? [now] : given;
  return { first: timestamps[0]!, max: timestamps[timestamps.length - 1]! };
}

/** Each record's size and timestamp delta: sized first, so the records are written once, in place. */
interface RecordsPlan {
  bodySizes: number[];
  deltas: number[];
  /** Bytes of all the records, back to back. */
  total: number;
}

function planRecords(messages: ProduceMessage[], first: number, now: number): RecordsPlan {
  const bodySizes = new Array<number>(messages.length);
  const deltas = new Array<number>(messages.length);
  let total = 0;
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i]!;
    const delta = Number(m.timestamp || now) - first;
    // The timestamp delta is a varlong on the wire; below 2^53 it is written as any varint is.
    let size = 1 + sizeOfVarInt(delta) + sizeOfVarInt(i) + sizeOfBytes(m.key) + sizeOfBytes(m.value) + sizeOfVarInt(headerCount(m.headers));
    eachHeader(m.headers, (key, value) => {
      size += sizeOfVarInt(key.length) + key.length + sizeOfBytes(value);
    });
    bodySizes[i] = size;
    deltas[i] = delta;
    total += sizeOfVarInt(size) + size;
  }
  return { bodySizes, deltas, total };
}

/** The records of one batch, written back to back from `w`'s position (what a compressed batch compresses). */
function writeRecords(w: Writer, messages: ProduceMessage[], plan: RecordsPlan) {
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i]!;
    w.writeVarInt(plan.bodySizes[i]!);
    w.byte(0); // attributes: none are used
    w.writeVarInt(plan.deltas[i]!);
    w.writeVarInt(i);
    w.writeBytes(m.key);
    w.writeBytes(m.value);
    w.writeVarInt(headerCount(m.headers));
    eachHeader(m.headers, (key, value) => {
      w.writeBytes(key);
      w.writeBytes(value);
    });
  }
}

interface BatchArgs {
  messages: ProduceMessage[];
  compression: number;
  transactional: boolean;
  producerId: bigint;
  producerEpoch: number;
  firstSequence: number;
  now: number;
  kafkajs: Pick<Kafkajs, "Encoder" | "lookupCodec">;
}

/** A batch sized and, when compressed, compressed: ready to be written into the request's buffer. */
interface PlannedBatch {
  args: BatchArgs;
  first: string | number;
  max: string | number;
  /** Uncompressed: the records, written in place. */
  records?: RecordsPlan;
  /** Records encoded ahead, copied in as they are. */
  encoded?: Buffer;
  /** Compressed: the compressed records. */
  compressed?: Buffer;
  /** The whole batch, header included. */
  length: number;
}

async function planBatch(args: BatchArgs): Promise<PlannedBatch> {
  const { messages, compression } = args;
  const { first, max } = batchTimestamps(messages, args.now);
  const encoded = encodedRecords(messages);
  if (encoded && (compression & CODEC_MASK) === 0) return { args, first, max, encoded, length: BATCH_HEADER + encoded.length };
  if (encoded) {
    const compressed = await compress(args, encoded);
    return { args, first, max, compressed, length: BATCH_HEADER + compressed.length };
  }
  const records = planRecords(messages, Number(first), args.now);
  if ((compression & CODEC_MASK) === 0) return { args, first, max, records, length: BATCH_HEADER + records.total };
  const w = new Writer(Buffer.allocUnsafe(records.total));
  writeRecords(w, messages, records);
  const compressed = await compress(args, w.buf);
  return { args, first, max, compressed, length: BATCH_HEADER + compressed.length };
}

/** The records compressed with the batch's codec (kafkajs's codecs, as kafkajs would). */
function compress(args: BatchArgs, records: Buffer): Promise<Buffer> {
  const codec = args.kafkajs.lookupCodec(args.compression);
  const encoder = new args.kafkajs.Encoder(0);
  encoder.buf = records;
  encoder.offset = records.length;
  return codec!.compress(encoder);
}

/**
 * Writes a planned batch at `start` of `buf` (which has room for it), its CRC32C filled in. With
 * `headerOnly`, records encoded ahead are left where they are: only the batch's header is written,
 * and they follow it on the wire.
 */
function writeBatch(batch: PlannedBatch, buf: Buffer, start: number, headerOnly = false) {
  const { args } = batch;
  let at = start;
  at = buf.writeBigInt64BE(0n, at); // first offset: the broker assigns offsets
  at = buf.writeInt32BE(batch.length - 12, at);
  at = buf.writeInt32BE(0, at); // partition leader epoch
  at = buf.writeInt8(MAGIC_V2, at);
  at += 4; // the CRC, below
  at = buf.writeInt16BE((args.compression & CODEC_MASK) | (args.transactional ? TRANSACTIONAL : 0), at);
  at = buf.writeInt32BE(args.messages.length - 1, at);
  at = buf.writeBigInt64BE(BigInt(batch.first), at);
  at = buf.writeBigInt64BE(BigInt(batch.max), at);
  at = buf.writeBigInt64BE(args.producerId, at);
  at = buf.writeInt16BE(args.producerEpoch, at);
  at = buf.writeInt32BE(args.firstSequence, at);
  at = buf.writeInt32BE(args.messages.length, at);
  if (batch.encoded && headerOnly) {
    buf.writeUInt32BE(crc32c(batch.encoded, crc32c(buf.subarray(start + BATCH.attributes, at))), start + BATCH.crc);
    return;
  }
  if (batch.compressed) batch.compressed.copy(buf, at);
  else if (batch.encoded) batch.encoded.copy(buf, at);
  else {
    const w = new Writer(buf, at);
    writeRecords(w, args.messages, batch.records!);
  }
  const end = start + batch.length;
  buf.writeUInt32BE(crc32c(buf.subarray(start + BATCH.attributes, end)), start + BATCH.crc);
}

/** One record batch (magic 2), its CRC32C filled in. */
export async function encodeRecordBatch(args: BatchArgs): Promise<Buffer> {
  const batch = await planBatch(args);
  const buf = Buffer.allocUnsafe(batch.length);
  writeBatch(batch, buf, 0);
  return buf;
}

/**
 * A request whose records encoded ahead stay in their own buffers: its bytes are `parts`, in order.
 * kafkajs's request framing, as patched, sends them in one writev; `buf` joins them for anything else.
 */
class RequestParts implements KafkajsEncoder {
  readonly offset: number;
  constructor(readonly parts: Buffer[]) {
    this.offset = parts.reduce((n, p) => n + p.length, 0);
  }
  get buf(): Buffer {
    return Buffer.concat(this.parts, this.offset);
  }
}

/** The body of a produce request, v3 to v7 (they share one layout). */
export async function encodeProduceRequest(args: ProduceRequestArgs, kafkajs: Pick<Kafkajs, "Encoder" | "lookupCodec">): Promise<KafkajsEncoder> {
  const transactionalId = args.transactionalId ?? null;
  const producerId = toBigInt(args.producerId, -1n);
  const now = Date.now();
  const topics: { name: string; partitions: { partition: number; batch: PlannedBatch }[] }[] = [];
  let size = (transactionalId === null ? 2 : 2 + Buffer.byteLength(transactionalId, "utf8")) + 2 + 4 + 4;
  for (const data of args.topicData) {
    const partitions = [];
    size += 2 + Buffer.byteLength(data.topic, "utf8") + 4;
    for (const p of data.partitions) {
      const batch = await planBatch({
        messages: p.messages,
        compression: args.compression ?? 0,
        transactional: transactionalId !== null && transactionalId !== "",
        producerId,
        producerEpoch: args.producerEpoch ?? 0,
        firstSequence: p.firstSequence ?? 0,
        now,
        kafkajs,
      });
      partitions.push({ partition: p.partition, batch });
      size += 4 + 4 + batch.length;
    }
    topics.push({ name: data.topic, partitions });
  }
  // One buffer for the whole request: each batch is written in place, not built apart and copied in.
  // Records encoded ahead are not copied at all: the request is sent as its parts.
  let apart = 0;
  for (const topic of topics) for (const p of topic.partitions) apart += p.batch.encoded?.length ?? 0;
  const buf = Buffer.allocUnsafe(size - apart);
  const parts: Buffer[] = [];
  let cut = 0;
  let at = 0;
  if (transactionalId === null) at = buf.writeInt16BE(-1, at);
  else {
    at = buf.writeInt16BE(Buffer.byteLength(transactionalId, "utf8"), at);
    at += buf.write(transactionalId, at, "utf8");
  }
  at = buf.writeInt16BE(args.acks, at);
  at = buf.writeInt32BE(args.timeout, at);
  at = buf.writeInt32BE(topics.length, at);
  for (const topic of topics) {
    at = buf.writeInt16BE(Buffer.byteLength(topic.name, "utf8"), at);
    at += buf.write(topic.name, at, "utf8");
    at = buf.writeInt32BE(topic.partitions.length, at);
    for (const p of topic.partitions) {
      at = buf.writeInt32BE(p.partition, at);
      at = buf.writeInt32BE(p.batch.length, at);
      if (p.batch.encoded) {
        writeBatch(p.batch, buf, at, true);
        at += BATCH_HEADER;
        parts.push(buf.subarray(cut, at), p.batch.encoded);
        cut = at;
      } else {
        writeBatch(p.batch, buf, at);
        at += p.batch.length;
      }
    }
  }
  if (parts.length > 0) {
    parts.push(buf.subarray(cut, at));
    return new RequestParts(parts);
  }
  const encoder = new kafkajs.Encoder(0);
  encoder.buf = buf;
  encoder.offset = at;
  return encoder;
}

/** The kafkajs version whose internals this encoder was written and tested against. */
export const KAFKAJS_VERSION = "2.2.4";
const INSTALLED = Symbol.for("signalbox.fastProduceEncoder");

let installedHere = false;

/** Whether this process's produce requests go through `encodeProduceRequest` (which also takes a `HeaderList`). */
export function produceEncoderInstalled(): boolean {
  return installedHere;
}

/** kafkajs's own modules (CommonJS), the ones its clients use. */
export function loadKafkajsInternals(): Kafkajs & { version: string } {
  const require = createRequire(import.meta.url);
  const { version } = require("kafkajs/package.json") as { version: string };
  return {
    version,
    Encoder: require("kafkajs/src/protocol/encoder.js") as Kafkajs["Encoder"],
    lookupCodec: (require("kafkajs/src/protocol/message/compression/index.js") as { lookupCodec: Kafkajs["lookupCodec"] }).lookupCodec,
    produce: require("kafkajs/src/protocol/requests/produce/index.js") as Kafkajs["produce"],
  };
}

/**
 * Makes every kafkajs produce request of this process (v3 and later) encode through
 * `encodeProduceRequest`. Idempotent. Another kafkajs version keeps its own encoder: its internals
 * may differ, and a wrong batch would be refused by the broker (or worse, accepted).
 */
export function installProduceEncoder(): boolean {
  const kafkajs = loadKafkajsInternals();
  if (kafkajs.version !== KAFKAJS_VERSION) return false;
  const definition = kafkajs.produce as Kafkajs["produce"] & { [INSTALLED]?: true };
  if (definition[INSTALLED]) return (installedHere = true);
  const original = definition.protocol;
  definition.protocol = ({ version }) => {
    const make = original({ version });
    if (version < 3) return make;
    return (args) => {
      const built = make(args);
      return { ...built, request: { ...built.request, encode: () => encodeProduceRequest(args, kafkajs) } };
    };
  };
  definition[INSTALLED] = true;
  return (installedHere = true);
}
