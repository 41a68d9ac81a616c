// Confluent's wire format for schema-registry-aware messages: magic byte 0, the schema id as a
// 4-byte big-endian integer, then the payload (for JSON Schema, the JSON text).

const MAGIC_BYTE = 0;
const HEADER_BYTES = 5;

/** The schema id and payload of a framed message, or null when the bytes are not in the wire format. */
export function parseConfluentFrame(buf: Uint8Array): { schemaId: number; payload: Uint8Array } | null {
  if (buf.length < HEADER_BYTES || buf[0] !== MAGIC_BYTE) return null;
  const schemaId = new DataView(buf.buffer, buf.byteOffset, buf.byteLength).getInt32(1, false);
  // Registry ids are positive; a negative id means these bytes only happen to start with 0.
  if (schemaId <= 0) return null;
  return { schemaId, payload: buf.subarray(HEADER_BYTES) };
}

export function encodeConfluentFrame(schemaId: number, payload: Uint8Array): Uint8Array {
  if (!Number.isInteger(schemaId) || schemaId <= 0 || schemaId > 0x7fffffff) throw new RangeError(`A schema id is a positive 32-bit integer, got ${schemaId}.`);
  const frame = new Uint8Array(HEADER_BYTES + payload.length);
  frame[0] = MAGIC_BYTE;
  new DataView(frame.buffer).setInt32(1, schemaId, false);
  frame.set(payload, HEADER_BYTES);
  return frame;
}
