import { ProtoWriter } from '../quantize/protobuf-wire.js';

/** Small ONNX models for tests, encoded field by field after onnx.proto. */

export interface TensorSpec {
  name: string;
  dims: number[];
  /** TensorProto.DataType: 1 float, 10 float16. */
  dataType?: number;
  values?: ArrayLike<number>;
  /** Keep the data in an external file instead (data_location EXTERNAL). */
  externalFile?: string;
}

export interface NodeSpec {
  op: string;
  inputs: string[];
  outputs: string[];
  name?: string;
  ints?: Record<string, number>;
}

export interface ModelSpec {
  opset?: number;
  inputs: { name: string; dims: number[] }[];
  outputs: { name: string; dims: number[] }[];
  nodes: NodeSpec[];
  initializers: TensorSpec[];
}

function tensor({ name, dims, dataType = 1, values = [], externalFile }: TensorSpec): ProtoWriter {
  const writer = new ProtoWriter();
  for (const dim of dims) writer.varint(1, dim);
  writer.varint(2, dataType).string(8, name);
  if (externalFile) {
    const entry = (key: string, value: string): ProtoWriter =>
      new ProtoWriter().string(1, key).string(2, value);
    return writer.message(13, entry('location', externalFile)).varint(14, 1);
  }
  const data = dataType === 10 ? new Uint16Array(values.length) : Float32Array.from(values);
  return writer.bytes(9, new Uint8Array(data.buffer));
}

function node({ op, inputs, outputs, name, ints = {} }: NodeSpec): ProtoWriter {
  const writer = new ProtoWriter();
  for (const input of inputs) writer.string(1, input);
  for (const output of outputs) writer.string(2, output);
  if (name) writer.string(3, name);
  writer.string(4, op);
  for (const [key, value] of Object.entries(ints))
    writer.message(5, new ProtoWriter().string(1, key).varint(3, value).varint(20, 2));
  return writer;
}

function valueInfo({ name, dims }: { name: string; dims: number[] }): ProtoWriter {
  const shape = new ProtoWriter();
  for (const dim of dims) shape.message(1, new ProtoWriter().varint(1, dim));
  const tensorType = new ProtoWriter().varint(1, 1).message(2, shape);
  return new ProtoWriter().string(1, name).message(2, new ProtoWriter().message(1, tensorType));
}

export function onnxModel(spec: ModelSpec): Buffer {
  const graph = new ProtoWriter();
  for (const n of spec.nodes) graph.message(1, node(n));
  graph.string(2, 'test-graph');
  for (const t of spec.initializers) graph.message(5, tensor(t));
  for (const input of spec.inputs) graph.message(11, valueInfo(input));
  for (const output of spec.outputs) graph.message(12, valueInfo(output));
  const opset = new ProtoWriter().string(1, '').varint(2, spec.opset ?? 14);
  return new ProtoWriter()
    .varint(1, 8)
    .string(2, 'clipsmith-test')
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
