/**
 * The protobuf wire format, as much as editing an ONNX file takes. A message is read as a list of fields
 * whose bytes are views into the original buffer (never copied), so a field that is not changed is written
 * back byte for byte; a message being written is a list of chunks, so large payloads are not copied either.
 */

export const WireType = { varint: 0, fixed64: 1, lengthDelimited: 2, fixed32: 5 } as const;
export type WireType = (typeof WireType)[keyof typeof WireType];

export interface WireField {
  number: number;
  wireType: WireType;
  /** The whole field as encoded, tag included. */
  raw: Uint8Array;
  /** The value of a varint field (exact up to 2^53); 0 for the other wire types. */
  value: number;
  /** The content of a length-delimited field, the 8 or 4 bytes of a fixed-width one; empty for a varint. */
  payload: Uint8Array;
}

/** Bytes that are not a protobuf message: truncated, or a field the wire format does not allow. */
export class WireFormatError extends Error {
  override readonly name = 'WireFormatError';
}

const FIXED_WIDTH: Partial<Record<number, number>> = { [WireType.fixed64]: 8, [WireType.fixed32]: 4 };

class Cursor {
  offset = 0;
  constructor(readonly bytes: Uint8Array) {}

  varint(): number {
    let value = 0;
    for (let shift = 0; shift < 70; shift += 7) {
      if (this.offset >= this.bytes.length)
        throw new WireFormatError(`truncated varint at byte ${this.offset}`);
      const byte = this.bytes[this.offset++]!;
      value += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return value;
    }
    throw new WireFormatError(`varint longer than 10 bytes before byte ${this.offset}`);
  }

  take(length: number, what: string): Uint8Array {
    const left = this.bytes.length - this.offset;
    if (length > left) throw new WireFormatError(`truncated ${what}: ${length} bytes needed, ${left} left`);
    const slice = this.bytes.subarray(this.offset, this.offset + length);
    this.offset += length;
    return slice;
  }
}

/** The fields of one message, in the order they are encoded. */
export function readFields(bytes: Uint8Array): WireField[] {
  const cursor = new Cursor(bytes);
  const fields: WireField[] = [];
  while (cursor.offset < bytes.length) {
    const start = cursor.offset;
    const tag = cursor.varint();
    const number = Math.floor(tag / 8);
    const wireType = tag % 8;
    if (number === 0) throw new WireFormatError(`field number 0 at byte ${start}`);
    let value = 0;
    let payload: Uint8Array;
    if (wireType === WireType.varint) {
      value = cursor.varint();
      payload = bytes.subarray(cursor.offset, cursor.offset);
    } else if (wireType === WireType.lengthDelimited) {
      payload = cursor.take(cursor.varint(), `field ${number}`);
    } else {
      const width = FIXED_WIDTH[wireType];
      if (width === undefined)
        throw new WireFormatError(`field ${number} at byte ${start} has unsupported wire type ${wireType}`);
      payload = cursor.take(width, `field ${number}`);
    }
    fields.push({
      number,
      wireType: wireType as WireType,
      raw: bytes.subarray(start, cursor.offset),
      value,
      payload,
    });
  }
  return fields;
}

/** The values of a repeated varint field, packed (one length-delimited field) or not (one field each). */
export function readVarints(fields: WireField[], number: number): number[] {
  const values: number[] = [];
  for (const field of fields) {
    if (field.number !== number) continue;
    if (field.wireType === WireType.varint) {
      values.push(field.value);
    } else if (field.wireType === WireType.lengthDelimited) {
      const cursor = new Cursor(field.payload);
      while (cursor.offset < field.payload.length) values.push(cursor.varint());
    }
  }
  return values;
}

const utf8 = new TextDecoder();
const utf8Encoder = new TextEncoder();

export function decodeString(payload: Uint8Array): string {
  return utf8.decode(payload);
}

function encodeVarint(value: number): Uint8Array {
  if (!Number.isSafeInteger(value) || value < 0)
    throw new RangeError(`cannot encode ${value} as a varint: only non-negative safe integers`);
  const bytes: number[] = [];
  while (value >= 0x80) {
    bytes.push((value % 0x80) | 0x80);
    value = Math.floor(value / 0x80);
  }
  bytes.push(value);
  return Uint8Array.from(bytes);
}

/** A message being encoded: its bytes as a list of chunks. */
export class ProtoWriter {
  readonly chunks: Uint8Array[] = [];
  byteLength = 0;

  /** Bytes already encoded, such as a field as it was read. */
  raw(bytes: Uint8Array): this {
    this.chunks.push(bytes);
    this.byteLength += bytes.length;
    return this;
  }

  varint(number: number, value: number): this {
    return this.tag(number, WireType.varint).raw(encodeVarint(value));
  }

  /** An int64 field: a negative value as its 64-bit two's complement, ten bytes, as protobuf encodes it. */
  int64(number: number, value: number): this {
    if (value >= 0) return this.varint(number, value);
    if (!Number.isSafeInteger(value)) throw new RangeError(`cannot encode ${value} as an int64`);
    let rest = BigInt.asUintN(64, BigInt(value));
    const bytes: number[] = [];
    while (rest >= 0x80n) {
      bytes.push(Number(rest & 0x7fn) | 0x80);
      rest >>= 7n;
    }
    bytes.push(Number(rest));
    return this.tag(number, WireType.varint).raw(Uint8Array.from(bytes));
  }

  bytes(number: number, payload: Uint8Array): this {
    return this.tag(number, WireType.lengthDelimited).raw(encodeVarint(payload.length)).raw(payload);
  }

  string(number: number, text: string): this {
    return this.bytes(number, utf8Encoder.encode(text));
  }

  message(number: number, message: ProtoWriter): this {
    this.tag(number, WireType.lengthDelimited).raw(encodeVarint(message.byteLength));
    for (const chunk of message.chunks) this.raw(chunk);
    return this;
  }

  toBuffer(): Buffer {
    return Buffer.concat(this.chunks, this.byteLength);
  }

  private tag(number: number, wireType: WireType): this {
    return this.raw(encodeVarint(number * 8 + wireType));
  }
}
