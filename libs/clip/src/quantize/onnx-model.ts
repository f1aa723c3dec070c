/**
 * An ONNX model (onnx.proto) read for editing its main graph: nodes and initializers are parsed as far as
 * the quantiser looks into them and keep their encoded bytes; everything else stays as it was read, so
 * writing the model back changes only the nodes and initializers that were replaced.
 */
import {
  decodeString,
  ProtoWriter,
  readFields,
  readVarints,
  WireFormatError,
  WireType,
  type WireField,
} from './protobuf-wire.js';

/** Bytes that are not an ONNX model the quantiser can read. */
export class OnnxFormatError extends Error {
  override readonly name = 'OnnxFormatError';
}

/** Field numbers of onnx.proto. */
const MODEL = { graph: 7, opsetImport: 8 } as const;
const OPSET = { domain: 1, version: 2 } as const;
const GRAPH = { node: 1, initializer: 5, output: 12 } as const;
const VALUE_INFO = { name: 1 } as const;
const NODE = { input: 1, output: 2, name: 3, opType: 4, attribute: 5 } as const;
const ATTRIBUTE = { name: 1, f: 2, i: 3, type: 20 } as const;
const TENSOR = { dims: 1, dataType: 2, floatData: 4, name: 8, rawData: 9, dataLocation: 14 } as const;

export const AttributeType = { float: 1, int: 2 } as const;
export const TensorDataType = { float: 1, int8: 3, float16: 10 } as const;
const EXTERNAL_DATA_LOCATION = 1;

export interface OnnxAttribute {
  name: string;
  /** AttributeProto.AttributeType; only FLOAT and INT values are read. */
  type: number;
  value: number;
}

export interface OnnxNode {
  opType: string;
  name: string;
  inputs: string[];
  outputs: string[];
  attributes: OnnxAttribute[];
  /** The graph's field holding the node as read; a node made by the quantiser is encoded from the fields above. */
  encoded?: Uint8Array;
}

export interface OnnxTensor {
  name: string;
  dims: number[];
  dataType: number;
  /** The weights live in an external data file. */
  external: boolean;
  /** raw_data of a tensor made by the quantiser. */
  rawData?: Uint8Array;
  /** The fields of a tensor as read, and the graph's field holding it. */
  fields?: WireField[];
  encoded?: Uint8Array;
}

export interface OnnxGraph {
  nodes: OnnxNode[];
  initializers: OnnxTensor[];
  outputNames: string[];
  /** Every field of the GraphProto, in file order. */
  fields: WireField[];
}

export interface OnnxModel {
  /** Version of the default (ai.onnx) operator set; 0 when the model imports none. */
  opset: number;
  graph: OnnxGraph;
  /** Every field of the ModelProto, in file order. */
  fields: WireField[];
}

const stringsOf = (fields: WireField[], number: number): string[] =>
  fields.filter((f) => f.number === number).map((f) => decodeString(f.payload));

const stringOf = (fields: WireField[], number: number): string => stringsOf(fields, number).at(-1) ?? '';

const varintOf = (fields: WireField[], number: number): number =>
  fields.findLast((f) => f.number === number && f.wireType === WireType.varint)?.value ?? 0;

function readAttribute(encoded: Uint8Array): OnnxAttribute {
  const fields = readFields(encoded);
  const type = varintOf(fields, ATTRIBUTE.type);
  const float = fields.findLast((f) => f.number === ATTRIBUTE.f && f.wireType === WireType.fixed32);
  const value =
    type === AttributeType.float
      ? float
        ? new DataView(float.payload.buffer, float.payload.byteOffset).getFloat32(0, true)
        : 0
      : type === AttributeType.int
        ? varintOf(fields, ATTRIBUTE.i)
        : NaN;
  return { name: stringOf(fields, ATTRIBUTE.name), type, value };
}

function readNode(field: WireField): OnnxNode {
  const fields = readFields(field.payload);
  return {
    opType: stringOf(fields, NODE.opType),
    name: stringOf(fields, NODE.name),
    inputs: stringsOf(fields, NODE.input),
    outputs: stringsOf(fields, NODE.output),
    attributes: fields.filter((f) => f.number === NODE.attribute).map((f) => readAttribute(f.payload)),
    encoded: field.raw,
  };
}

function readTensor(field: WireField): OnnxTensor {
  const fields = readFields(field.payload);
  return {
    name: stringOf(fields, TENSOR.name),
    dims: readVarints(fields, TENSOR.dims),
    dataType: varintOf(fields, TENSOR.dataType),
    external: varintOf(fields, TENSOR.dataLocation) === EXTERNAL_DATA_LOCATION,
    fields,
    encoded: field.raw,
  };
}

function readGraph(encoded: Uint8Array): OnnxGraph {
  const fields = readFields(encoded);
  const repeated = (number: number): WireField[] => fields.filter((f) => f.number === number);
  return {
    nodes: repeated(GRAPH.node).map(readNode),
    initializers: repeated(GRAPH.initializer).map(readTensor),
    outputNames: repeated(GRAPH.output).map((f) => stringOf(readFields(f.payload), VALUE_INFO.name)),
    fields,
  };
}

/** Parses a ModelProto; throws OnnxFormatError on bytes that are not one. */
export function readModel(bytes: Uint8Array): OnnxModel {
  try {
    return readModelFields(readFields(bytes));
  } catch (error) {
    if (error instanceof WireFormatError) throw new OnnxFormatError(error.message, { cause: error });
    throw error;
  }
}

function readModelFields(fields: WireField[]): OnnxModel {
  const graphs = fields.filter((f) => f.number === MODEL.graph && f.wireType === WireType.lengthDelimited);
  if (graphs.length !== 1) throw new OnnxFormatError(`the model holds ${graphs.length} graphs instead of 1`);
  const opsets = fields
    .filter((f) => f.number === MODEL.opsetImport)
    .map((f) => readFields(f.payload))
    .map((opset) => ({ domain: stringOf(opset, OPSET.domain), version: varintOf(opset, OPSET.version) }));
  return {
    opset: opsets.find((o) => o.domain === '' || o.domain === 'ai.onnx')?.version ?? 0,
    graph: readGraph(graphs[0]!.payload),
    fields,
  };
}

/** The values of a FLOAT tensor held in the model (raw_data or float_data), for a little-endian host. */
export function floatValues(tensor: OnnxTensor): Float32Array {
  const fields = tensor.fields ?? [];
  const raw = fields.findLast((f) => f.number === TENSOR.rawData);
  const bytes = raw
    ? raw.payload
    : Buffer.concat(fields.filter((f) => f.number === TENSOR.floatData).map((f) => f.payload));
  if (bytes.length % 4 !== 0)
    throw new OnnxFormatError(`tensor ${tensor.name} holds ${bytes.length} bytes of float32`);
  return new Float32Array(new Uint8Array(bytes).buffer);
}

function writeNode(node: OnnxNode): Uint8Array | ProtoWriter {
  if (node.encoded) return node.encoded;
  const writer = new ProtoWriter();
  for (const input of node.inputs) writer.string(NODE.input, input);
  for (const output of node.outputs) writer.string(NODE.output, output);
  if (node.name) writer.string(NODE.name, node.name);
  writer.string(NODE.opType, node.opType);
  for (const attribute of node.attributes) {
    if (attribute.type !== AttributeType.int) throw new Error(`cannot write attribute ${attribute.name}`);
    const encoded = new ProtoWriter()
      .string(ATTRIBUTE.name, attribute.name)
      .varint(ATTRIBUTE.i, attribute.value)
      .varint(ATTRIBUTE.type, attribute.type);
    writer.message(NODE.attribute, encoded);
  }
  return writer;
}

function writeTensor(tensor: OnnxTensor): Uint8Array | ProtoWriter {
  if (tensor.encoded) return tensor.encoded;
  const writer = new ProtoWriter();
  for (const dim of tensor.dims) writer.varint(TENSOR.dims, dim);
  writer.varint(TENSOR.dataType, tensor.dataType);
  if (tensor.name) writer.string(TENSOR.name, tensor.name);
  return writer.bytes(TENSOR.rawData, tensor.rawData ?? new Uint8Array());
}

/**
 * Writes `fields` in order, each repeated field in `replacements` replaced by its items (an encoded field, or
 * a new message): they go in place of the first field numbered the same or higher, as in a canonical encoding.
 */
function writeReplacing(
  writer: ProtoWriter,
  fields: WireField[],
  replacements: Map<number, (Uint8Array | ProtoWriter)[]>,
): void {
  const pending = new Map(replacements);
  const flush = (upTo: number): void => {
    for (const [number, items] of pending) {
      if (number > upTo) continue;
      for (const item of items)
        if (item instanceof ProtoWriter) writer.message(number, item);
        else writer.raw(item);
      pending.delete(number);
    }
  };
  for (const field of fields) {
    flush(field.number);
    if (!replacements.has(field.number)) writer.raw(field.raw);
  }
  flush(Infinity);
}

/** Encodes the model: its graph from `graph.nodes` and `graph.initializers`, every other field as read. */
export function writeModel(model: OnnxModel): ProtoWriter {
  const graph = new ProtoWriter();
  writeReplacing(
    graph,
    model.graph.fields,
    new Map([
      [GRAPH.node, model.graph.nodes.map(writeNode)],
      [GRAPH.initializer, model.graph.initializers.map(writeTensor)],
    ]),
  );
  const writer = new ProtoWriter();
  writeReplacing(writer, model.fields, new Map([[MODEL.graph, [graph]]]));
  return writer;
}
