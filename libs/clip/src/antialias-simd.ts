/**
 * The two passes of `antialias-resample.ts` as WebAssembly SIMD kernels, with the same integer arithmetic
 * (int16 weights, int32 sums, the same rounding and clamping), so the result is the same to the bit; only
 * faster: 8 multiply-adds per instruction instead of one. Built at load time by `wasm-module.ts`.
 */
import type { AxisWeights } from './antialias-resample.js';
import { I32, op, V128, type WasmFunction, wasmModule } from './wasm-module.js';

/** Names locals in declaration order after the parameters, so kernels read by name. */
function localsOf<P extends string, I extends string, V extends string>(
  params: readonly P[],
  ints: readonly I[],
  vectors: readonly V[],
): { index: Record<P | I | V, number>; declared: WasmFunction['locals'] } {
  const index = {} as Record<P | I | V, number>;
  [...params, ...ints, ...vectors].forEach((n, i) => (index[n] = i));
  return {
    index,
    declared: [
      { type: I32, count: ints.length },
      { type: V128, count: vectors.length },
    ],
  };
}

const ZERO = Array.from({ length: 16 }, () => 0);
/** i8x16.shuffle lanes that pick 32-bit lanes (0–3 from the first vector, 4–7 from the second). */
const lanes32 = (picks: readonly number[]): number[] =>
  picks.flatMap((l) => [4 * l, 4 * l + 1, 4 * l + 2, 4 * l + 3]);

/** Swizzle masks splitting 48 bytes of RGB (three vectors) into 16 bytes of one channel; 0x80 gives 0. */
function deinterleaveMasks(channel: number): number[][] {
  return [0, 1, 2].map((part) =>
    Array.from({ length: 16 }, (_, lane) => {
      const byte = lane * 3 + channel - part * 16;
      return byte >= 0 && byte < 16 ? byte : 0x80;
    }),
  );
}

/**
 * Horizontal pass. For each of `rows` rows of packed RGB (`cols` pixels from `src`, `srcStride` bytes
 * apart): split the row into three planes, then for each output pixel x take `chunks` groups of 8 taps
 * from plane offset `firsts[x]` with the zero-padded int16 weights at `weights + x · chunks · 16`, and
 * write 3 bytes to `mid` (rows packed back to back).
 */
function horizontalKernel(): WasmFunction {
  const params = [
    'src',
    'srcStride',
    'cols',
    'rows',
    'planes',
    'planeStride',
    'weights',
    'firsts',
    'chunks',
    'outW',
    'mid',
    'precision',
    'half',
  ] as const;
  const ints = ['y', 's', 'i', 'x', 'f', 'wp', 'c', 'm', 'planeStride2'] as const;
  const vectors = ['accR', 'accG', 'accB', 'w', 'halfV', 'va', 'vb', 'vc', 'sum1', 'sum2'] as const;
  const { index: l, declared } = localsOf(params, ints, vectors);
  const { get, set, i32 } = op;
  const channel = (c: number, address: number[]): number[] => {
    const [m0, m1, m2] = deinterleaveMasks(c);
    return [
      ...address,
      ...get(l.va),
      ...op.v128Const(m0!),
      ...op.i8x16Swizzle(),
      ...get(l.vb),
      ...op.v128Const(m1!),
      ...op.i8x16Swizzle(),
      ...op.v128Or(),
      ...get(l.vc),
      ...op.v128Const(m2!),
      ...op.i8x16Swizzle(),
      ...op.v128Or(),
      ...op.v128Store(),
    ];
  };
  const dotInto = (acc: number, address: number[]): number[] => [
    ...get(acc),
    ...address,
    ...op.v128Load8x8u(),
    ...get(l.w),
    ...op.i32x4DotI16x8s(),
    ...op.i32x4Add(),
    ...set(acc),
  ];
  const shuffle = (a: number, b: number, picks: number[]): number[] => [
    ...get(a),
    ...get(b),
    ...op.i8x16Shuffle(lanes32(picks)),
  ];
  return {
    name: 'horizontal',
    params: params.length,
    locals: declared,
    body: [
      get(l.half),
      op.i32x4Splat(),
      set(l.halfV),
      [...get(l.planeStride), ...get(l.planeStride), ...op.i32Add(), ...set(l.planeStride2)],
      [...get(l.mid), ...set(l.m), ...i32(0), ...set(l.y)],
      op.block(),
      op.loop(),
      [...get(l.y), ...get(l.rows), ...op.i32GeS(), ...op.brIf(1)],
      // Split the row into planes, 16 pixels at a time (reading up to 47 bytes past its end: padding).
      [...get(l.src), ...get(l.y), ...get(l.srcStride), ...op.i32Mul(), ...op.i32Add(), ...set(l.s)],
      [...i32(0), ...set(l.i)],
      op.block(),
      op.loop(),
      [...get(l.i), ...get(l.cols), ...op.i32GeS(), ...op.brIf(1)],
      [...get(l.s), ...op.v128Load(0), ...set(l.va)],
      [...get(l.s), ...op.v128Load(16), ...set(l.vb)],
      [...get(l.s), ...op.v128Load(32), ...set(l.vc)],
      channel(0, [...get(l.planes), ...get(l.i), ...op.i32Add()]),
      channel(1, [...get(l.planes), ...get(l.planeStride), ...op.i32Add(), ...get(l.i), ...op.i32Add()]),
      channel(2, [...get(l.planes), ...get(l.planeStride2), ...op.i32Add(), ...get(l.i), ...op.i32Add()]),
      [...get(l.s), ...i32(48), ...op.i32Add(), ...set(l.s)],
      [...get(l.i), ...i32(16), ...op.i32Add(), ...set(l.i)],
      op.br(0),
      op.end(),
      op.end(),
      // Each output pixel: three 8-tap dot products per chunk, one per plane.
      [...i32(0), ...set(l.x)],
      op.block(),
      op.loop(),
      [...get(l.x), ...get(l.outW), ...op.i32GeS(), ...op.brIf(1)],
      [...get(l.planes), ...get(l.firsts), ...get(l.x), ...i32(4), ...op.i32Mul(), ...op.i32Add()],
      [...op.i32Load(), ...op.i32Add(), ...set(l.f)],
      [...get(l.weights), ...get(l.x), ...get(l.chunks), ...op.i32Mul(), ...i32(16), ...op.i32Mul()],
      [...op.i32Add(), ...set(l.wp)],
      [...op.v128Const(ZERO), ...set(l.accR), ...op.v128Const(ZERO), ...set(l.accG)],
      [...op.v128Const(ZERO), ...set(l.accB), ...i32(0), ...set(l.c)],
      op.block(),
      op.loop(),
      [...get(l.c), ...get(l.chunks), ...op.i32GeS(), ...op.brIf(1)],
      [...get(l.wp), ...op.v128Load(), ...set(l.w)],
      dotInto(l.accR, get(l.f)),
      dotInto(l.accG, [...get(l.f), ...get(l.planeStride), ...op.i32Add()]),
      dotInto(l.accB, [...get(l.f), ...get(l.planeStride2), ...op.i32Add()]),
      [...get(l.f), ...i32(8), ...op.i32Add(), ...set(l.f)],
      [...get(l.wp), ...i32(16), ...op.i32Add(), ...set(l.wp)],
      [...get(l.c), ...i32(1), ...op.i32Add(), ...set(l.c)],
      op.br(0),
      op.end(),
      op.end(),
      // Horizontal sums into [R, G, B, B]: [r0+r2, g0+g2, r1+r3, g1+g3] and [b0+b2, b1+b3, ...].
      [...shuffle(l.accR, l.accG, [0, 4, 1, 5]), ...shuffle(l.accR, l.accG, [2, 6, 3, 7]), ...op.i32x4Add()],
      set(l.sum1),
      [...get(l.accB), ...shuffle(l.accB, l.accB, [2, 3, 0, 1]), ...op.i32x4Add(), ...set(l.sum2)],
      get(l.m),
      [...shuffle(l.sum1, l.sum2, [0, 1, 4, 5]), ...shuffle(l.sum1, l.sum2, [2, 3, 5, 4]), ...op.i32x4Add()],
      // (sum + half) >> precision, saturated to 0–255 by the two unsigned narrowings.
      [...get(l.halfV), ...op.i32x4Add(), ...get(l.precision), ...op.i32x4ShrS()],
      [...op.tee(l.sum1), ...get(l.sum1), ...op.i16x8NarrowI32x4u()],
      [...op.tee(l.sum1), ...get(l.sum1), ...op.i8x16NarrowI16x8u()],
      // Four bytes stored, the fourth overwritten by the next pixel (or landing in padding).
      [...op.i32x4ExtractLane(0), ...op.i32Store()],
      [...get(l.m), ...i32(3), ...op.i32Add(), ...set(l.m)],
      [...get(l.x), ...i32(1), ...op.i32Add(), ...set(l.x)],
      op.br(0),
      op.end(),
      op.end(),
      [...get(l.y), ...i32(1), ...op.i32Add(), ...set(l.y)],
      op.br(0),
      op.end(),
      op.end(),
    ],
  };
}

/**
 * Vertical pass over packed rows `stride` bytes wide: output row y sums `counts[y]` rows from byte offset
 * `firsts[y]` of `mid` with the int16 weights at `weights + y · taps · 2`, 16 bytes at a time.
 */
function verticalKernel(): WasmFunction {
  const params = [
    'mid',
    'stride',
    'firsts',
    'counts',
    'weights',
    'taps',
    'outH',
    'out',
    'precision',
    'half',
  ] as const;
  const ints = ['y', 'base', 'n', 'c', 'p', 'k', 'wp', 'wr', 'o'] as const;
  const vectors = ['a0', 'a1', 'a2', 'a3', 'v', 'lo', 'hi', 'w', 'halfV'] as const;
  const { index: l, declared } = localsOf(params, ints, vectors);
  const { get, set, i32 } = op;
  const accumulate = (acc: number, half: number, high: boolean): number[] => [
    ...get(acc),
    ...get(half),
    ...get(l.w),
    ...(high ? op.i32x4ExtmulHighI16x8s() : op.i32x4ExtmulLowI16x8s()),
    ...op.i32x4Add(),
    ...set(acc),
  ];
  const rounded = (acc: number): number[] => [
    ...get(acc),
    ...get(l.halfV),
    ...op.i32x4Add(),
    ...get(l.precision),
    ...op.i32x4ShrS(),
  ];
  return {
    name: 'vertical',
    params: params.length,
    locals: declared,
    body: [
      [...get(l.half), ...op.i32x4Splat(), ...set(l.halfV)],
      [...i32(0), ...set(l.y), ...get(l.out), ...set(l.o)],
      op.block(),
      op.loop(),
      [...get(l.y), ...get(l.outH), ...op.i32GeS(), ...op.brIf(1)],
      [...get(l.mid), ...get(l.firsts), ...get(l.y), ...i32(4), ...op.i32Mul(), ...op.i32Add()],
      [...op.i32Load(), ...op.i32Add(), ...set(l.base)],
      [
        ...get(l.counts),
        ...get(l.y),
        ...i32(4),
        ...op.i32Mul(),
        ...op.i32Add(),
        ...op.i32Load(),
        ...set(l.n),
      ],
      [...get(l.weights), ...get(l.y), ...get(l.taps), ...op.i32Mul(), ...i32(2), ...op.i32Mul()],
      [...op.i32Add(), ...set(l.wr), ...i32(0), ...set(l.c)],
      op.block(),
      op.loop(),
      [...get(l.c), ...get(l.stride), ...op.i32GeS(), ...op.brIf(1)],
      [...op.v128Const(ZERO), ...set(l.a0), ...op.v128Const(ZERO), ...set(l.a1)],
      [...op.v128Const(ZERO), ...set(l.a2), ...op.v128Const(ZERO), ...set(l.a3)],
      [...get(l.base), ...get(l.c), ...op.i32Add(), ...set(l.p)],
      [...get(l.wr), ...set(l.wp), ...i32(0), ...set(l.k)],
      op.block(),
      op.loop(),
      [...get(l.k), ...get(l.n), ...op.i32GeS(), ...op.brIf(1)],
      [...get(l.p), ...op.v128Load(), ...op.tee(l.v), ...op.i16x8ExtendLowI8x16u(), ...set(l.lo)],
      [...get(l.v), ...op.i16x8ExtendHighI8x16u(), ...set(l.hi)],
      [...get(l.wp), ...op.i32Load16s(), ...op.i16x8Splat(), ...set(l.w)],
      accumulate(l.a0, l.lo, false),
      accumulate(l.a1, l.lo, true),
      accumulate(l.a2, l.hi, false),
      accumulate(l.a3, l.hi, true),
      [...get(l.p), ...get(l.stride), ...op.i32Add(), ...set(l.p)],
      [...get(l.wp), ...i32(2), ...op.i32Add(), ...set(l.wp)],
      [...get(l.k), ...i32(1), ...op.i32Add(), ...set(l.k)],
      op.br(0),
      op.end(),
      op.end(),
      // 16 bytes stored; past the row's end they land in the next row (written later) or padding.
      [...get(l.o), ...get(l.c), ...op.i32Add()],
      [...rounded(l.a0), ...rounded(l.a1), ...op.i16x8NarrowI32x4u()],
      [...rounded(l.a2), ...rounded(l.a3), ...op.i16x8NarrowI32x4u()],
      [...op.i8x16NarrowI16x8u(), ...op.v128Store()],
      [...get(l.c), ...i32(16), ...op.i32Add(), ...set(l.c)],
      op.br(0),
      op.end(),
      op.end(),
      [...get(l.o), ...get(l.stride), ...op.i32Add(), ...set(l.o)],
      [...get(l.y), ...i32(1), ...op.i32Add(), ...set(l.y)],
      op.br(0),
      op.end(),
      op.end(),
    ],
  };
}

/** The part of the WebAssembly API used here (the project's `lib` has no DOM types, which declare it). */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  Memory: new (descriptor: { initial: number }) => WasmMemory;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}
const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

interface Kernels {
  memory: WasmMemory;
  horizontal: (...args: number[]) => void;
  vertical: (...args: number[]) => void;
}

let kernels: Kernels | null | undefined;

/** The compiled kernels, or null where WebAssembly SIMD is unavailable (the JS passes are used then). */
function loadKernels(): Kernels | null {
  if (kernels !== undefined) return kernels;
  try {
    const memory = new wasm.Memory({ initial: 1 });
    const module = new wasm.Module(wasmModule([horizontalKernel(), verticalKernel()]));
    const exports = new wasm.Instance(module, { env: { memory } }).exports as Record<
      string,
      (...args: number[]) => void
    >;
    kernels = { memory, horizontal: exports['horizontal']!, vertical: exports['vertical']! };
  } catch {
    kernels = null;
  }
  return kernels;
}

export function simdAvailable(): boolean {
  return loadKernels() !== null;
}

/** Bump allocation in the kernels' memory, 16-byte aligned, growing it when needed. */
class Arena {
  private top = 0;
  constructor(private readonly memory: WasmMemory) {}

  alloc(bytes: number): number {
    const at = this.top;
    this.top = (at + bytes + 64 + 15) & ~15;
    return at;
  }

  ensure(): void {
    const missing = this.top - this.memory.buffer.byteLength;
    if (missing > 0) this.memory.grow(Math.ceil(missing / 65536));
  }
}

/** Largest strip of source rows copied into the kernels' memory at once. */
const STRIP_BYTES = 4 * 1024 * 1024;

export interface SimdResampleJob {
  /** Packed RGB rows of the source and its width in pixels. */
  src: Uint8Array;
  srcWidth: number;
  /** The input rows the vertical pass reads: [rowFrom, rowTo). */
  rowFrom: number;
  rowTo: number;
  /** Horizontal weights, or null when the width is unchanged (the window's columns are copied). */
  horizontal: AxisWeights | null;
  /** Vertical weights, or null when the height is unchanged. */
  vertical: AxisWeights | null;
  left: number;
  top: number;
  width: number;
  height: number;
}

/**
 * Both passes of the resampler on the SIMD kernels; returns the window's packed RGB, or null when the
 * kernels are unavailable. Synchronous and not re-entrant (JavaScript runs one call at a time).
 */
export function resampleSimd(job: SimdResampleJob): Uint8Array | null {
  const k = loadKernels();
  if (!k) return null;
  const { horizontal: h, vertical: v, width, height } = job;
  const rows = job.rowTo - job.rowFrom;
  const colFrom = h ? h.first[job.left]! : job.left;
  const last = job.left + width - 1;
  const colTo = h ? h.first[last]! + h.count[last]! : job.left + width;
  const cols = colTo - colFrom;
  const chunks = h ? Math.ceil(h.taps / 8) : 0;
  const planeStride = ((cols + 15) & ~15) + chunks * 8 + 32;
  const stride = width * 3;

  // The source goes in by strips of rows, so a huge image does not grow the kernels' memory (which never
  // shrinks) by its whole size: what stays is a strip, the intermediate rows and the output.
  const stripRows = Math.max(1, Math.min(rows, Math.floor(STRIP_BYTES / (cols * 3))));
  const arena = new Arena(k.memory);
  const wH = arena.alloc(width * chunks * 16);
  const fH = arena.alloc(width * 4);
  const src = arena.alloc(stripRows * cols * 3);
  const planes = arena.alloc(3 * planeStride);
  const mid = arena.alloc(rows * stride);
  const vTaps = v ? v.taps : 0;
  const wV = arena.alloc(height * vTaps * 2);
  const fV = arena.alloc(height * 4);
  const cV = arena.alloc(height * 4);
  const out = arena.alloc(height * stride);
  arena.ensure();
  const bytes = new Uint8Array(k.memory.buffer);

  if (h) {
    const weights = new Int16Array(k.memory.buffer, wH, width * chunks * 8);
    const firsts = new Int32Array(k.memory.buffer, fH, width);
    weights.fill(0);
    for (let x = 0; x < width; x++) {
      const o = x + job.left;
      firsts[x] = h.first[o]! - colFrom;
      const n = h.count[o]!;
      for (let t = 0; t < n; t++) weights[x * chunks * 8 + t] = h.weights[o * h.taps + t]!;
    }
    for (let row = 0; row < rows; row += stripRows) {
      const n = Math.min(stripRows, rows - row);
      copyRows(bytes, src, job.src, job.srcWidth, colFrom, cols, job.rowFrom + row, n);
      k.horizontal(
        src,
        cols * 3,
        cols,
        n,
        planes,
        planeStride,
        wH,
        fH,
        chunks,
        width,
        mid + row * stride,
        h.precision,
        1 << (h.precision - 1),
      );
    }
  } else {
    copyRows(bytes, mid, job.src, job.srcWidth, colFrom, width, job.rowFrom, rows);
  }
  if (!v)
    return bytes.slice(
      mid + (job.top - job.rowFrom) * stride,
      mid + (job.top - job.rowFrom + height) * stride,
    );

  const weights = new Int16Array(k.memory.buffer, wV, height * vTaps);
  const firsts = new Int32Array(k.memory.buffer, fV, height);
  const counts = new Int32Array(k.memory.buffer, cV, height);
  for (let y = 0; y < height; y++) {
    const o = y + job.top;
    firsts[y] = (v.first[o]! - job.rowFrom) * stride;
    counts[y] = v.count[o]!;
    for (let t = 0; t < vTaps; t++) weights[y * vTaps + t] = v.weights[o * vTaps + t]!;
  }
  k.vertical(mid, stride, fV, cV, wV, vTaps, height, out, v.precision, 1 << (v.precision - 1));
  return bytes.slice(out, out + height * stride);
}

function copyRows(
  memory: Uint8Array,
  at: number,
  src: Uint8Array,
  srcWidth: number,
  colFrom: number,
  cols: number,
  rowFrom: number,
  rows: number,
): void {
  const rowBytes = cols * 3;
  if (cols === srcWidth) {
    const start = rowFrom * srcWidth * 3;
    memory.set(src.subarray(start, start + rows * rowBytes), at);
    return;
  }
  for (let y = 0; y < rows; y++) {
    const start = ((y + rowFrom) * srcWidth + colFrom) * 3;
    memory.set(src.subarray(start, start + rowBytes), at + y * rowBytes);
  }
}
