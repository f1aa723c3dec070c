/**
 * A minimal WebAssembly binary writer: enough to emit a few SIMD kernels from TypeScript, so the module
 * is built from source at load time (no toolchain, no binary blob). Functions take i32 parameters and
 * return nothing; they read and write one memory imported as `env.memory`.
 */

/** Value types. */
export const I32 = 0x7f;
export const V128 = 0x7b;

function uleb(value: number): number[] {
  const out: number[] = [];
  let v = value >>> 0;
  do {
    let byte = v & 0x7f;
    v >>>= 7;
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
  return out;
}

function sleb(value: number): number[] {
  const out: number[] = [];
  let v = value | 0;
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    if ((v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

function name(text: string): number[] {
  const bytes = [...new TextEncoder().encode(text)];
  return [...uleb(bytes.length), ...bytes];
}

function vector(items: number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

function section(id: number, body: number[]): number[] {
  return [id, ...uleb(body.length), ...body];
}

const simd = (op: number, ...immediates: number[]): number[] => [0xfd, ...uleb(op), ...immediates];
/** Memory immediate: alignment exponent 0 (unaligned is fine on every target that has SIMD), offset. */
const memarg = (offset = 0): number[] => [0, ...uleb(offset)];

/** Instructions, each returning its bytes; a function body is their concatenation. */
export const op = {
  block: (): number[] => [0x02, 0x40],
  loop: (): number[] => [0x03, 0x40],
  end: (): number[] => [0x0b],
  br: (depth: number): number[] => [0x0c, ...uleb(depth)],
  brIf: (depth: number): number[] => [0x0d, ...uleb(depth)],
  get: (local: number): number[] => [0x20, ...uleb(local)],
  set: (local: number): number[] => [0x21, ...uleb(local)],
  tee: (local: number): number[] => [0x22, ...uleb(local)],
  i32: (value: number): number[] => [0x41, ...sleb(value)],
  i32Load: (offset = 0): number[] => [0x28, ...memarg(offset)],
  i32Load16s: (offset = 0): number[] => [0x2e, ...memarg(offset)],
  i32Store: (offset = 0): number[] => [0x36, ...memarg(offset)],
  i32Add: (): number[] => [0x6a],
  i32Sub: (): number[] => [0x6b],
  i32Mul: (): number[] => [0x6c],
  i32GeS: (): number[] => [0x4e],
  v128Load: (offset = 0): number[] => simd(0x00, ...memarg(offset)),
  v128Load8x8u: (offset = 0): number[] => simd(0x02, ...memarg(offset)),
  v128Store: (offset = 0): number[] => simd(0x0b, ...memarg(offset)),
  v128Const: (bytes: readonly number[]): number[] => simd(0x0c, ...bytes),
  i8x16Shuffle: (lanes: readonly number[]): number[] => simd(0x0d, ...lanes),
  i8x16Swizzle: (): number[] => simd(0x0e),
  i16x8Splat: (): number[] => simd(0x10),
  i32x4Splat: (): number[] => simd(0x11),
  i32x4ExtractLane: (lane: number): number[] => simd(0x1b, lane),
  v128Or: (): number[] => simd(0x50),
  i8x16NarrowI16x8u: (): number[] => simd(0x66),
  i16x8NarrowI32x4u: (): number[] => simd(0x86),
  i16x8ExtendLowI8x16u: (): number[] => simd(0x89),
  i16x8ExtendHighI8x16u: (): number[] => simd(0x8a),
  i32x4ShrS: (): number[] => simd(0xac),
  i32x4Add: (): number[] => simd(0xae),
  i32x4DotI16x8s: (): number[] => simd(0xba),
  i32x4ExtmulLowI16x8s: (): number[] => simd(0xbc),
  i32x4ExtmulHighI16x8s: (): number[] => simd(0xbd),
};

export interface WasmFunction {
  name: string;
  params: number;
  /** Extra locals after the parameters, by type. */
  locals: { type: number; count: number }[];
  body: number[][];
}

/** A module importing `env.memory` and exporting `functions`, each (i32 × params) → (). */
export function wasmModule(functions: readonly WasmFunction[]): Uint8Array {
  const types = functions.map((f) => [0x60, ...vector(Array.from({ length: f.params }, () => [I32])), 0]);
  const imports = vector([[...name('env'), ...name('memory'), 0x02, 0x00, ...uleb(1)]]);
  const declarations = vector(functions.map((_, i) => uleb(i)));
  const exports = vector(functions.map((f, i) => [...name(f.name), 0x00, ...uleb(i)]));
  const code = vector(
    functions.map((f) => {
      const locals = vector(f.locals.map((l) => [...uleb(l.count), l.type]));
      const body = [...locals, ...f.body.flat(), 0x0b];
      return [...uleb(body.length), ...body];
    }),
  );
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vector(types)),
    ...section(2, imports),
    ...section(3, declarations),
    ...section(7, exports),
    ...section(10, code),
  ]);
}
