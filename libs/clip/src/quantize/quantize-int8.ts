/**
 * Signed-int8 dynamic quantisation of an ONNX graph, the same rewrite as tools/bench-model/quantize_int8.py
 * (same nodes, names and values): every MatMul, and Gemm, whose weight is a constant fp32 matrix becomes
 *
 *     DynamicQuantizeLinear(activation) -> MatMulInteger(uint8 activation, int8 weight) -> Cast -> Mul(scale)
 *
 * with symmetric int8 weights (zero point 0), one scale per output column or one per matrix. The activation is
 * quantised once per tensor and shared by the MatMuls that read it.
 */
import {
  AttributeType,
  floatValues,
  OnnxFormatError,
  TensorDataType,
  type OnnxAttribute,
  type OnnxGraph,
  type OnnxNode,
  type OnnxTensor,
} from './onnx-model.js';

export interface Int8Settings {
  /** One scale per output column (else one per matrix). */
  perColumn: boolean;
  /** The largest weight magnitude: 127, or 63 for reduce-range. */
  limit: number;
  /** Matrices with fewer elements stay fp32. */
  minElements: number;
}

/** A row-major fp32 matrix. */
interface Matrix {
  values: Float32Array;
  rows: number;
  columns: number;
}

/** 1.5 · 2^52: past 2^52 doubles are integers, so adding it rounds as IEEE does, halves to even. */
const ROUNDING_BIAS = 2 ** 52 + 2 ** 51;

/** numpy's rint, the nearest integer with halves to the even one, for |x| < 2^51. */
export function roundHalfEven(x: number): number {
  return x + ROUNDING_BIAS - ROUNDING_BIAS;
}

/** Symmetric int8 weights and their scales, in float32 arithmetic as numpy does it. */
export function quantizeWeight(
  { values, rows, columns }: Matrix,
  perColumn: boolean,
  limit: number,
): { weights: Int8Array; scales: Float32Array } {
  const peaks = new Float32Array(perColumn ? columns : 1);
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < columns; c++) {
      const k = perColumn ? c : 0;
      peaks[k] = Math.max(peaks[k]!, Math.abs(values[r * columns + c]!));
    }
  const scales = peaks.map((peak) => (peak > 0 ? Math.fround(peak / limit) : 1));
  const weights = new Int8Array(values.length);
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < columns; c++) {
      const i = r * columns + c;
      const q = roundHalfEven(Math.fround(values[i]! / scales[perColumn ? c : 0]!));
      weights[i] = Math.min(limit, Math.max(-limit, q));
    }
  return { weights, scales };
}

function transpose({ values, rows, columns }: Matrix): Matrix {
  const transposed = new Float32Array(values.length);
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < columns; c++) transposed[c * rows + r] = values[r * columns + c]!;
  return { values: transposed, rows: columns, columns: rows };
}

function makeNode(
  opType: string,
  inputs: string[],
  outputs: string[],
  name: string,
  attributes: OnnxAttribute[] = [],
): OnnxNode {
  return { opType, inputs, outputs, name, attributes };
}

function newTensor(
  name: string,
  dims: number[],
  dataType: number,
  data: Int8Array | Float32Array,
): OnnxTensor {
  const rawData = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return { name, dims, dataType, external: false, rawData };
}

class GraphQuantizer {
  readonly nodes: OnnxNode[] = [];
  readonly newInitializers: OnnxTensor[] = [];
  count = 0;
  private readonly initializers: Map<string, OnnxTensor>;
  /** Activation tensor → its uint8 version, scale and zero point. */
  private readonly dynamic = new Map<string, [string, string, string]>();
  private readonly quantizedOutputs = new Set<string>();

  constructor(
    graph: OnnxGraph,
    private readonly settings: Int8Settings,
  ) {
    this.initializers = new Map(graph.initializers.map((i) => [i.name, i]));
  }

  rewrite(node: OnnxNode): void {
    const [a = '', b = '', bias = ''] = node.inputs;
    const [output = ''] = node.outputs;
    let weight: Matrix | undefined;
    if (node.opType === 'MatMul' && (weight = this.constantMatrix(b))) {
      this.integerMatMul(a, weight, b, output);
    } else if (node.opType === 'Gemm' && (weight = this.gemmWeight(node, b))) {
      const product = bias ? `${output}_product` : output;
      this.integerMatMul(a, weight, b, product);
      if (bias) this.nodes.push(makeNode('Add', [product, bias], [output], `${output}/AddBias`));
    } else if (
      node.opType === 'Add' &&
      node.inputs.length === 2 &&
      this.initializers.has(a) &&
      this.quantizedOutputs.has(b)
    ) {
      // The optimiser folds a bias into the integer MatMul only when it is Add's second input.
      this.nodes.push(makeNode('Add', [b, a], node.outputs, node.name));
    } else {
      this.nodes.push(node);
    }
  }

  private constantMatrix(name: string): Matrix | undefined {
    const tensor = this.initializers.get(name);
    if (!tensor || tensor.dataType !== TensorDataType.float || tensor.dims.length !== 2) return undefined;
    const [rows = 0, columns = 0] = tensor.dims;
    if (rows * columns < this.settings.minElements) return undefined;
    const values = floatValues(tensor);
    if (values.length !== rows * columns)
      throw new OnnxFormatError(
        `initializer ${name} holds ${values.length} values for dims ${rows}×${columns}`,
      );
    return { values, rows, columns };
  }

  private gemmWeight(node: OnnxNode, name: string): Matrix | undefined {
    const attribute = (key: string, fallback: number): number =>
      node.attributes.findLast((a) => a.name === key)?.value ?? fallback;
    if (attribute('transA', 0) !== 0 || attribute('alpha', 1) !== 1 || attribute('beta', 1) !== 1)
      return undefined;
    const weight = this.constantMatrix(name);
    return weight && attribute('transB', 0) ? transpose(weight) : weight;
  }

  /** The uint8 activation, its scale and zero point: one DynamicQuantizeLinear per tensor. */
  private activation(name: string): [string, string, string] {
    let outputs = this.dynamic.get(name);
    if (!outputs) {
      const base = `${name}_dq`;
      outputs = [`${base}_u8`, `${base}_scale`, `${base}_zero_point`];
      this.nodes.push(makeNode('DynamicQuantizeLinear', [name], outputs, `${base}/Quantize`));
      this.dynamic.set(name, outputs);
    }
    return outputs;
  }

  private integerMatMul(a: string, weight: Matrix, weightName: string, output: string): void {
    const { weights, scales } = quantizeWeight(weight, this.settings.perColumn, this.settings.limit);
    const prefix = `${weightName}_int8`;
    const scaleDims = this.settings.perColumn ? [weight.columns] : [];
    this.newInitializers.push(
      newTensor(prefix, [weight.rows, weight.columns], TensorDataType.int8, weights),
      newTensor(`${prefix}_scale`, scaleDims, TensorDataType.float, scales),
      newTensor(`${prefix}_zero_point`, [], TensorDataType.int8, new Int8Array(1)),
    );
    const [aU8, aScale, aZero] = this.activation(a);
    const castToFloat = { name: 'to', type: AttributeType.int, value: TensorDataType.float };
    this.nodes.push(
      makeNode(
        'MatMulInteger',
        [aU8, prefix, aZero, `${prefix}_zero_point`],
        [`${output}_i32`],
        `${output}/MatMulInteger`,
      ),
      makeNode('Mul', [aScale, `${prefix}_scale`], [`${output}_multiplier`], `${output}/MulScales`),
      makeNode('Cast', [`${output}_i32`], [`${output}_f32`], `${output}/Cast`, [castToFloat]),
      makeNode('Mul', [`${output}_f32`, `${output}_multiplier`], [output], `${output}/Rescale`),
    );
    this.quantizedOutputs.add(output);
    this.count++;
  }
}

/**
 * The graph with its constant-weight MatMul and Gemm nodes made integer, initializers no longer read dropped
 * and the int8 weights appended; `matrices` counts the weight matrices quantised.
 */
export function quantizeGraph(
  graph: OnnxGraph,
  settings: Int8Settings,
): { graph: OnnxGraph; matrices: number } {
  const quantizer = new GraphQuantizer(graph, settings);
  for (const node of graph.nodes) quantizer.rewrite(node);
  const used = new Set([...quantizer.nodes.flatMap((n) => n.inputs), ...graph.outputNames]);
  const initializers = [...graph.initializers.filter((i) => used.has(i.name)), ...quantizer.newInitializers];
  return { graph: { ...graph, nodes: quantizer.nodes, initializers }, matrices: quantizer.count };
}
