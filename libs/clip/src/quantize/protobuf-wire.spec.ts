import { describe, expect, it } from 'vitest';
import { ProtoWriter, readFields, readVarints, WireFormatError, WireType } from './protobuf-wire.js';

const bytes = (...values: number[]): Uint8Array => Uint8Array.from(values);

describe('protobuf wire format', () => {
  it('encodes varints as the protobuf documentation does', () => {
    expect([...new ProtoWriter().varint(1, 150).toBuffer()]).toEqual([0x08, 0x96, 0x01]);
    expect([...new ProtoWriter().string(2, 'testing').toBuffer()]).toEqual([
      0x12, 0x07, 0x74, 0x65, 0x73, 0x74, 0x69, 0x6e, 0x67,
    ]);
    expect(() => new ProtoWriter().varint(1, -1)).toThrow(RangeError);
  });

  it("encodes a negative int64 as ten bytes of two's complement, as protobuf does", () => {
    expect([...new ProtoWriter().int64(1, -1).toBuffer()]).toEqual([
      0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01,
    ]);
    expect([...new ProtoWriter().int64(1, -2).toBuffer()]).toEqual([
      0x08, 0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01,
    ]);
    expect([...new ProtoWriter().int64(1, 150).toBuffer()]).toEqual([0x08, 0x96, 0x01]);
  });

  it.each([0, 1, 127, 128, 300, 2 ** 31, 2 ** 32 + 5, Number.MAX_SAFE_INTEGER])(
    'reads back the varint %d',
    (value) => {
      const [field] = readFields(new ProtoWriter().varint(536_870_911, value).toBuffer());
      expect(field).toMatchObject({ number: 536_870_911, wireType: WireType.varint, value });
    },
  );

  it('reads every wire type, keeping each field as encoded', () => {
    const encoded = bytes(
      0x08,
      0x96,
      0x01, // 1: varint 150
      0x11,
      1,
      2,
      3,
      4,
      5,
      6,
      7,
      8, // 2: fixed64
      0x1a,
      0x02,
      0xaa,
      0xbb, // 3: length-delimited
      0x25,
      9,
      8,
      7,
      6, // 4: fixed32
    );
    const fields = readFields(encoded);
    expect(fields.map((f) => [f.number, f.wireType, f.value, [...f.payload]])).toEqual([
      [1, WireType.varint, 150, []],
      [2, WireType.fixed64, 0, [1, 2, 3, 4, 5, 6, 7, 8]],
      [3, WireType.lengthDelimited, 0, [0xaa, 0xbb]],
      [4, WireType.fixed32, 0, [9, 8, 7, 6]],
    ]);
    expect(Buffer.concat(fields.map((f) => f.raw))).toEqual(Buffer.from(encoded));
  });

  it('reads repeated varints packed and unpacked', () => {
    const unpacked = new ProtoWriter().varint(1, 3).varint(2, 9).varint(1, 270);
    const packed = new ProtoWriter().bytes(1, bytes(3, 0x8e, 0x02));
    expect(readVarints(readFields(unpacked.toBuffer()), 1)).toEqual([3, 270]);
    expect(readVarints(readFields(packed.toBuffer()), 1)).toEqual([3, 270]);
  });

  it('nests messages without copying their chunks', () => {
    const payload = new Uint8Array(1000).fill(7);
    const inner = new ProtoWriter().bytes(1, payload);
    const outer = new ProtoWriter().message(5, inner);
    expect(outer.chunks).toContain(payload);
    const [field] = readFields(outer.toBuffer());
    expect(Buffer.from(readFields(field!.payload)[0]!.payload)).toEqual(Buffer.from(payload));
  });

  it.each([
    ['a truncated varint', bytes(0x08, 0x96), /truncated varint/],
    ['a length past the end', bytes(0x1a, 0x05, 1, 2), /truncated field 3: 5 bytes needed, 2 left/],
    ['a truncated fixed64', bytes(0x11, 1, 2, 3), /truncated field 2/],
    ['a group (wire type 3)', bytes(0x0b), /unsupported wire type 3/],
    ['field number 0', bytes(0x00, 0x01), /field number 0/],
    ['an 11-byte varint', bytes(0x08, ...new Array<number>(10).fill(0xff), 0x01), /longer than 10 bytes/],
  ])('refuses %s', (_, encoded, message) => {
    expect(() => readFields(encoded)).toThrow(WireFormatError);
    expect(() => readFields(encoded)).toThrow(message);
  });
});
