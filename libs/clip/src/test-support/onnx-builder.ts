import { ProtoWriter } from '../quantize/protobuf-wire.js';

/** ONNX models written field by field after onnx.proto: the small test models, and the benchmark's CLIP. */

/** TensorProto.DataType values used here. */
export const DataType = { float: 1, int32: 6, int64: 7, bool: 9, float16: 10 } as const;

export interface TensorSpec {
  name: string;
  dims: number[];
  /** TensorProto.DataType: 1 float (default), 7 int64, 10 float16. */
  dataType?: number;
  /** The values; a Float32Array of float data is written as it is, without a copy. */
  values?: ArrayLike<number>;
  /** Keep the data in an external file instead (data_location EXTERNAL). */
  externalFile?: string;
}

export interface NodeSpec {
  op: string;
  inputs: string[];
  outputs: string[];
  name?: string;
  /** INT attributes (negative values allowed: axis -1). */
  ints?: Record<string, number>;
  /** INTS attributes (kernel_shape, strides, perm, axes). */
  intLists?: Record<string, number[]>;
}

/** A graph input or output: its element type (default float) and dims, a string naming a dynamic one. */
export interface ValueSpec {
  name: string;
  dims: (number | string)[];
  dataType?: number;
}

export interface ModelSpec {
  opset?: number;
  graphName?: string;
  producer?: string;
  inputs: ValueSpec[];
  outputs: ValueSpec[];
  nodes: NodeSpec[];
  initializers: TensorSpec[];
}

const AttributeType = { int: 2, ints: 7 } as const;

function tensorBytes(dataType: number, values: ArrayLike<number>): Uint8Array {
  if (dataType === DataType.float && values instanceof Float32Array)
    return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  const data =
    dataType === DataType.float16
      ? new Uint16Array(values.length)
      : dataType === DataType.int64
        ? BigInt64Array.from(Array.from(values, (v) => BigInt(v)))
        : dataType === DataType.int32
          ? Int32Array.from(values)
          : Float32Array.from(values);
  return new Uint8Array(data.buffer);
}

function tensor({
  name,
  dims,
  dataType = DataType.float,
  values = [],
  externalFile,
}: TensorSpec): ProtoWriter {
  const writer = new ProtoWriter();
  for (const dim of dims) writer.varint(1, dim);
  writer.varint(2, dataType).string(8, name);
  if (externalFile) {
    const entry = (key: string, value: string): ProtoWriter =>
      new ProtoWriter().string(1, key).string(2, value);
    return writer.message(13, entry('location', externalFile)).varint(14, 1);
  }
  return writer.bytes(9, tensorBytes(dataType, values));
}

function node({ op, inputs, outputs, name, ints = {}, intLists = {} }: NodeSpec): ProtoWriter {
  const writer = new ProtoWriter();
  for (const input of inputs) writer.string(1, input);
  for (const output of outputs) writer.string(2, output);
  if (name) writer.string(3, name);
  writer.string(4, op);
  for (const [key, value] of Object.entries(ints))
    writer.message(5, new ProtoWriter().string(1, key).int64(3, value).varint(20, AttributeType.int));
  for (const [key, values] of Object.entries(intLists)) {
    const attribute = new ProtoWriter().string(1, key);
    for (const value of values) attribute.int64(8, value);
    writer.message(5, attribute.varint(20, AttributeType.ints));
  }
  return writer;
}

function valueInfo({ name, dims, dataType = DataType.float }: ValueSpec): ProtoWriter {
  const shape = new ProtoWriter();
  for (const dim of dims)
    shape.message(
      1,
      typeof dim === 'string' ? new ProtoWriter().string(2, dim) : new ProtoWriter().varint(1, dim),
    );
  const tensorType = new ProtoWriter().varint(1, dataType).message(2, shape);
  return new ProtoWriter().string(1, name).message(2, new ProtoWriter().message(1, tensorType));
}

export function onnxModel(spec: ModelSpec): Buffer {
  const graph = new ProtoWriter();
  for (const n of spec.nodes) graph.message(1, node(n));
  graph.string(2, spec.graphName ?? 'test-graph');
  for (const t of spec.initializers) graph.message(5, tensor(t));
  for (const input of spec.inputs) graph.message(11, valueInfo(input));
  for (const output of spec.outputs) graph.message(12, valueInfo(output));
  const opset = new ProtoWriter().string(1, '').varint(2, spec.opset ?? 14);
  return new ProtoWriter()
    .varint(1, 8)
    .string(2, spec.producer ?? 'clipsmith-test')
    .message(7, graph)
    .message(8, opset)
    .toBuffer();
}
/** Deterministic values in [-1, 1) (a linear congruential generator), so expectations can be pinned. */
export function pseudoRandom(count: number, seed: number): Float32Array {
  let state = seed >>> 0;
  return Float32Array.from({ length: count }, () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 31 - 1;
  });
}

/**
 * Every rewrite the quantiser knows, on X [2, 8]: a Gemm with transB and bias, a Gemm with transA (left fp32),
 * a MatMul whose bias Add reads the initializer first, a Gemm without bias, and a small MatMul.
 */
export function gemmTestModel(options: { opset?: number } = {}): Buffer {
  const w = (name: string, dims: number[], seed: number): TensorSpec => ({
    name,
    dims,
    values: pseudoRandom(
      dims.reduce((a, b) => a * b, 1),
      seed,
    ),
  });
  return onnxModel({
    opset: options.opset,
    inputs: [{ name: 'X', dims: [2, 8] }],
    outputs: [
      { name: 'Y1', dims: [8, 3] },
      { name: 'Y2', dims: [2, 4] },
      { name: 'Y3', dims: [2, 2] },
    ],
    initializers: [
      w('W0', [4, 8], 1),
      w('B0', [4], 2),
      w('W1', [2, 3], 3),
      w('W2', [8, 4], 4),
      w('B2', [4], 5),
      w('W3', [4, 5], 6),
      w('W4', [5, 2], 7),
    ],
    nodes: [
      { op: 'Gemm', inputs: ['X', 'W0', 'B0'], outputs: ['G0'], name: 'gemm0', ints: { transB: 1 } },
      { op: 'Gemm', inputs: ['X', 'W1'], outputs: ['Y1'], name: 'gemm1', ints: { transA: 1 } },
      { op: 'MatMul', inputs: ['X', 'W2'], outputs: ['M2'], name: 'matmul2' },
      { op: 'Add', inputs: ['B2', 'M2'], outputs: ['Y2'], name: 'add2' },
      { op: 'Gemm', inputs: ['G0', 'W3'], outputs: ['G3'], name: 'gemm3' },
      { op: 'MatMul', inputs: ['G3', 'W4'], outputs: ['Y3'], name: 'matmul4' },
    ],
  });
}
