/** Builds a safetensors file from a header object (or raw header text) and a data section. */
export function fileWith(header: unknown, data: Uint8Array = new Uint8Array(0)): Uint8Array {
  const text = new TextEncoder().encode(typeof header === 'string' ? header : JSON.stringify(header));
  return fileWithHeaderBytes(text, data);
}

export function fileWithHeaderBytes(
  headerBytes: Uint8Array,
  data: Uint8Array,
  declaredLength: bigint = BigInt(headerBytes.byteLength),
): Uint8Array {
  const out = new Uint8Array(8 + headerBytes.byteLength + data.byteLength);
  new DataView(out.buffer).setBigUint64(0, declaredLength, true);
  out.set(headerBytes, 8);
  out.set(data, 8 + headerBytes.byteLength);
  return out;
}
