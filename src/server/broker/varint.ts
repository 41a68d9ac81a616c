// Kafka's varints as its record format writes them (zig-zag, seven bits a byte, low first), for the
// record readers and writers here: numbers up to 2^53 (lengths, counts, offset and timestamp deltas),
// with JavaScript's numbers rather than 32-bit operators, which would wrap a timestamp delta.
import "server-only";

export const zigZag = (n: number) => (n >= 0 ? n * 2 : -n * 2 - 1);
export const unZigZag = (u: number) => (u % 2 === 0 ? u / 2 : -(u + 1) / 2);

export function sizeOfUVarInt(u: number): number {
  let size = 1;
  while (u >= 0x80) {
    size += 1;
    u = Math.floor(u / 128);
  }
  return size;
}

export const sizeOfVarInt = (n: number) => sizeOfUVarInt(zigZag(n));

/** A position in a buffer, reading or writing varints there; one object per pass, no tuple per read. */
export class VarintCursor {
  constructor(
    public buf: Buffer,
    public at = 0,
  ) {}

  reset(buf: Buffer, at: number) {
    this.buf = buf;
    this.at = at;
  }

  /** A zig-zag varint; a truncated one is refused, never misread. */
  varint(): number {
    let value = 0;
    let scale = 1;
    for (;;) {
      if (this.at >= this.buf.length) throw new RangeError("A record batch is truncated or malformed: a record runs past its end.");
      const byte = this.buf[this.at++]!;
      value += (byte & 0x7f) * scale;
      if (!(byte & 0x80)) return unZigZag(value);
      scale *= 128;
    }
  }

  /** Varint-length bytes as a view of the buffer; null for length -1. */
  bytes(): Buffer | null {
    const length = this.varint();
    if (length < 0) return null;
    if (this.at + length > this.buf.length) throw new RangeError("A record batch is truncated or malformed: a record runs past its end.");
    const value = this.buf.subarray(this.at, this.at + length);
    this.at += length;
    return value;
  }

  writeUVarInt(u: number) {
    while (u >= 0x80) {
      this.buf[this.at++] = (u & 0x7f) | 0x80;
      u = Math.floor(u / 128);
    }
    this.buf[this.at++] = u;
  }

  writeVarInt(n: number) {
    this.writeUVarInt(zigZag(n));
  }

  byte(b: number) {
    this.buf[this.at++] = b;
  }

  copy(from: Buffer, start = 0, end = from.length) {
    this.at += from.copy(this.buf, this.at, start, end);
  }
}
