/** Embeddings are stored as float32 little-endian, whatever the byte order of the host. */
export function encodeVector(vector: Float32Array): Buffer {
  const blob = Buffer.allocUnsafe(vector.length * 4);
  vector.forEach((value, i) => blob.writeFloatLE(value, i * 4));
  return blob;
}

/** Decodes a blob into `into` (by default a new array), which must hold exactly its values. */
export function decodeVector(blob: Buffer, into = new Float32Array(blob.length / 4)): Float32Array {
  if (blob.length !== into.length * 4) {
    throw new Error(`an embedding blob of ${blob.length} bytes does not hold ${into.length} float32s`);
  }
  for (let i = 0; i < into.length; i++) into[i] = blob.readFloatLE(i * 4);
  return into;
}
