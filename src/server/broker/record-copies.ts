// Copies of records made from their bytes: a replay without a filter copies whole fetched batches,
// so each copy's key, value and headers are the source's bytes as they are, followed by the headers
// every copy gets. No object per record or header, no decoding: the profile of a 200k-record replay
// had a fifth of its time in garbage collection, mostly for the objects each record and its copy
// were made of (docs/messages-and-replay.md).
//
// A copy is written as Kafka's record (magic 2) with a timestamp delta of 0 and its place in the
// batch as offset delta, exactly as the produce encoder writes a record without a timestamp: the
// batch's first timestamp is the time it is sent, as for every other copy.
import "server-only";
import type { RawRecordBatch } from "./fetch-v4";
import { BATCH, BATCH_HEADER } from "./record-batch";
import { MAX_BATCH_BYTES } from "./transactional-writer";
import type { RecordHeader } from "./types";
import { sizeOfVarInt, VarintCursor } from "./varint";

/** The headers each copy gets after its own. */
export interface CopyHeaders {
  /** `key`, with `prefix` followed by the source record's offset (in decimal) as its value. */
  sourceOffset: { key: string; prefix: string };
  /** Then these, as they are. */
  fixed: RecordHeader[];
}

/** Copies encoded as the records of one batch, back to back, offset deltas from 0. */
export interface EncodedCopies {
  body: Buffer;
  count: number;
  /** The buffer `body` is the start of: given back with `CopyEncoder.reuse` once sent. */
  storage: Buffer;
}

export interface CopiesOfRange {
  /** The copies in batches of at most `maxBatchBytes` (a record bigger than that goes alone). */
  runs: EncodedCopies[];
  /** Source records in the range (each has one copy). */
  count: number;
  /** The last source offset copied; -1 when none was. */
  lastOffset: number;
}

function decimalDigits(n: number): number {
  let digits = 1;
  while (n >= 10) {
    n = Math.floor(n / 10);
    digits += 1;
  }
  return digits;
}

/** Writes `n` in decimal, `digits` long, at the cursor (a copy's source offset, without a string). */
function writeDecimal(w: VarintCursor, n: number, digits: number) {
  for (let i = digits - 1; i >= 0; i--) {
    w.buf[w.at + i] = 48 + (n % 10);
    n = Math.floor(n / 10);
  }
  w.at += digits;
}

export interface CopyEncoder {
  /** The copies of the records in `[from, to)` of uncompressed batches. */
  encode(batches: RawRecordBatch[], range: { from: number; to: number }): CopiesOfRange;
  /**
   * Takes back the buffers of runs that were sent (their produce request answered), for the next
   * copies. A replay writes a batch's worth of new buffers about every 6 ms; made anew, they are
   * hundreds of megabytes that V8 collects with a garbage collection every few tens of
   * milliseconds ("external memory pressure"). A run not given back is simply collected.
   */
  reuse(runs: EncodedCopies[]): void;
}

/** Buffers kept for reuse per encoder: a writer has at most a chunk's runs out (4 MB of source). */
const KEPT_BUFFERS = 8;

/** A `CopyEncoder` whose copies each end with `headers`, in batches of at most `maxBatchBytes`. */
export function copyEncoder(headers: CopyHeaders, maxBatchBytes = MAX_BATCH_BYTES): CopyEncoder {
  const offsetKey = Buffer.from(headers.sourceOffset.key, "utf8");
  const prefix = Buffer.from(headers.sourceOffset.prefix, "utf8");
  const fixedParts: Buffer[] = [];
  for (const h of headers.fixed) {
    const key = Buffer.from(h.key, "utf8");
    const w = new VarintCursor(Buffer.alloc(10 + key.length + 10 + (h.value?.length ?? 0)));
    w.writeVarInt(key.length);
    w.copy(key);
    if (h.value === null) w.writeVarInt(-1);
    else {
      w.writeVarInt(h.value.length);
      w.copy(h.value);
    }
    fixedParts.push(w.buf.subarray(0, w.at));
  }
  const fixed = Buffer.concat(fixedParts);
  const added = 1 + headers.fixed.length;
  /** The most the added headers take per copy (an offset has at most 16 digits below 2^53). */
  const perCopy = 10 + offsetKey.length + 10 + prefix.length + 16 + fixed.length;
  const bodyLimit = maxBatchBytes - BATCH_HEADER;

  const kept: Buffer[] = [];
  /** A buffer for a run: a kept one when it is big enough, or a new one of `size` bytes. */
  const storageFor = (size: number) => (size <= bodyLimit && kept.length > 0 ? kept.pop()! : Buffer.allocUnsafe(size));

  const encode: CopyEncoder["encode"] = (batches, range) => {
    const runs: EncodedCopies[] = [];
    const read = new VarintCursor(Buffer.alloc(0));
    let out: VarintCursor | null = null;
    let inRun = 0;
    let count = 0;
    let lastOffset = -1;
    // What the copies can take at most: their sources' bytes, the added headers, and a few bytes
    // more per record where a length grows. A run's buffer is never bigger than what is left.
    let left = 0;
    for (const { bytes } of batches) left += bytes.length + bytes.readInt32BE(BATCH.recordCount) * (perCopy + 12);
    for (const { bytes, baseOffset } of batches) {
      const records = bytes.readInt32BE(BATCH.recordCount);
      read.reset(bytes, BATCH_HEADER);
      for (let n = 0; n < records; n++) {
        const length = read.varint();
        const recordStart = read.at;
        const recordEnd = recordStart + length;
        if (recordEnd > bytes.length) throw new RangeError("A record batch is truncated or malformed: a record runs past its end.");
        read.at += 1; // attributes
        read.varint(); // timestamp delta: a copy is stamped when it is sent
        const offset = baseOffset + read.varint();
        const keyAndValueStart = read.at;
        const keyLength = read.varint();
        if (keyLength > 0) read.at += keyLength;
        const valueLength = read.varint();
        if (valueLength > 0) read.at += valueLength;
        const keyAndValueEnd = read.at;
        const headerCount = read.varint();
        const headersStart = read.at;
        if (headersStart > recordEnd || headerCount < 0) throw new RangeError("A record batch is truncated or malformed: a record's fields run past its end.");
        read.at = recordEnd;
        if (offset < range.from || offset >= range.to) continue;

        const digits = decimalDigits(offset);
        // Everything but the offset delta, which depends on the copy's place in its batch.
        const rest = 2 + (keyAndValueEnd - keyAndValueStart) + sizeOfVarInt(headerCount + added) + (recordEnd - headersStart) + sizeOfVarInt(offsetKey.length) + offsetKey.length + sizeOfVarInt(prefix.length + digits) + prefix.length + digits + fixed.length;
        let body = rest + sizeOfVarInt(inRun);
        // A run ends at the batch limit, or where its buffer ends (sized to what is left, which the
        // bound above never undershoots; a write past a buffer's end would be lost without a word).
        if (out && out.at + sizeOfVarInt(body) + body > Math.min(bodyLimit, out.buf.length)) {
          left -= out.at;
          runs.push({ body: out.buf.subarray(0, out.at), count: inRun, storage: out.buf });
          out = null;
          inRun = 0;
          body = rest + sizeOfVarInt(0);
        }
        out ??= new VarintCursor(storageFor(Math.max(Math.min(bodyLimit, left), sizeOfVarInt(body) + body)));
        out.writeVarInt(body);
        out.byte(0); // attributes
        out.byte(0); // timestamp delta
        out.writeVarInt(inRun);
        out.copy(bytes, keyAndValueStart, keyAndValueEnd);
        out.writeVarInt(headerCount + added);
        out.copy(bytes, headersStart, recordEnd);
        out.writeVarInt(offsetKey.length);
        out.copy(offsetKey);
        out.writeVarInt(prefix.length + digits);
        out.copy(prefix);
        writeDecimal(out, offset, digits);
        out.copy(fixed);
        inRun += 1;
        count += 1;
        lastOffset = offset;
      }
    }
    if (out && inRun > 0) runs.push({ body: out.buf.subarray(0, out.at), count: inRun, storage: out.buf });
    return { runs, count, lastOffset };
  };

  return {
    encode,
    reuse(runs) {
      // Only full-size buffers are worth keeping; a short one was sized for a chunk's tail.
      for (const run of runs) if (run.storage.length === bodyLimit && kept.length < KEPT_BUFFERS && !kept.includes(run.storage)) kept.push(run.storage);
    },
  };
}
