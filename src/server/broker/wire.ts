// Kafka's wire primitives, for the requests kafkajs 2.2.4 cannot make (ApiVersions v3 for the 4.x
// version, Metadata v10+ for topic ids, DescribeLogDirs and IncrementalAlterConfigs for brokers):
// big-endian integers, unsigned varints, compact and classic strings and tagged fields. The reader checks every length, so a truncated answer is refused, never misread.
import "server-only";

export function int16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeInt16BE(n);
  return b;
}

export function int32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
}

export function int64(n: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigInt64BE(BigInt(n));
  return b;
}

/** A classic (int16-length) string; null is length -1. */
export function string(s: string | null): Buffer {
  if (s === null) return int16(-1);
  const bytes = Buffer.from(s, "utf8");
  return Buffer.concat([int16(bytes.length), bytes]);
}

export function uvarint(n: number): Buffer {
  const bytes: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n) byte |= 0x80;
    bytes.push(byte);
  } while (n);
  return Buffer.from(bytes);
}

/** A compact (varint-length) string; null is the compact null. */
export function compactString(s: string | null): Buffer {
  if (s === null) return uvarint(0);
  const bytes = Buffer.from(s, "utf8");
  return Buffer.concat([uvarint(bytes.length + 1), bytes]);
}

export class WireReader {
  private offset = 0;
  /** `what` names the response in the error a truncated one gets. */
  constructor(
    private readonly buffer: Buffer,
    private readonly what: string,
  ) {}
  int8() {
    this.need(1);
    return this.buffer.readInt8(this.offset++);
  }
  int16() {
    this.need(2);
    const v = this.buffer.readInt16BE(this.offset);
    this.offset += 2;
    return v;
  }
  int32() {
    this.need(4);
    const v = this.buffer.readInt32BE(this.offset);
    this.offset += 4;
    return v;
  }
  /** An int64 as a number: sizes in bytes stay far below 2^53. */
  int64() {
    this.need(8);
    const v = this.buffer.readBigInt64BE(this.offset);
    this.offset += 8;
    return Number(v);
  }
  /** A classic (int16-length) string; null for length -1. */
  string(): string | null {
    const length = this.int16();
    if (length < 0) return null;
    this.need(length);
    const s = this.buffer.toString("utf8", this.offset, this.offset + length);
    this.offset += length;
    return s;
  }
  uvarint() {
    let value = 0;
    let shift = 0;
    for (;;) {
      this.need(1);
      const byte = this.buffer.readUInt8(this.offset++);
      value += (byte & 0x7f) * 2 ** shift;
      if (!(byte & 0x80)) return value;
      shift += 7;
    }
  }
  /** A compact (varint-length) string; null for the compact null. */
  compactString(): string | null {
    const length = this.uvarint() - 1;
    if (length < 0) return null;
    this.need(length);
    const s = this.buffer.toString("utf8", this.offset, this.offset + length);
    this.offset += length;
    return s;
  }
  uuid() {
    this.need(16);
    const hex = this.buffer.toString("hex", this.offset, this.offset + 16);
    this.offset += 16;
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }
  /** Bytes read so far. */
  get position(): number {
    return this.offset;
  }
  skip(n: number) {
    this.need(n);
    this.offset += n;
  }
  skipTags() {
    const count = this.uvarint();
    for (let i = 0; i < count; i++) {
      this.uvarint();
      this.skip(this.uvarint());
    }
  }
  private need(n: number) {
    if (this.offset + n > this.buffer.length) throw new RangeError(`${this.what} is truncated`);
  }
}
