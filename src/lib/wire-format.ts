// The Confluent Schema Registry wire format: magic byte 0, a 4-byte big-endian schema id, then the
// serialized payload. Producers using Confluent's serializers frame every key and value this way.
const MAGIC_BYTE = 0;
const HEADER_BYTES = 5;

/** The schema id and payload of a framed value, or null when `buf` is not in the wire format. */
export function parseConfluentFrame(buf: Uint8Array): { schemaId: number; payload: Uint8Array } | null {
  if (buf.length < HEADER_BYTES || buf[0] !== MAGIC_BYTE) return null;
  const schemaId = new DataView(buf.buffer, buf.byteOffset, buf.byteLength).getInt32(1, false);
  // Registries hand out positive ids; a negative one means this is not a frame but binary that starts with 0.
  if (schemaId < 0) return null;
  return { schemaId, payload: buf.subarray(HEADER_BYTES) };
}

export function encodeConfluentFrame(schemaId: number, payload: Uint8Array): Uint8Array {
  if (!Number.isInteger(schemaId) || schemaId < 0 || schemaId > 0x7fffffff) throw new RangeError(`Schema id must be an integer from 0 to 2147483647, got ${schemaId}`);
  const out = new Uint8Array(HEADER_BYTES + payload.length);
  out[0] = MAGIC_BYTE;
  new DataView(out.buffer).setInt32(1, schemaId, false);
  out.set(payload, HEADER_BYTES);
  return out;
}
