import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PARITY_MODEL } from '../test-support/parity-fixture.js';
import { floatValues, OnnxFormatError, readModel, TensorDataType, writeModel } from './onnx-model.js';

const FIXTURE_FILES = [
  'text_model.onnx',
  'vision_model.onnx',
  'model.onnx',
  'text_model_quantized.onnx',
  'vision_model_quantized.onnx',
];

const fixture = (name: string): Promise<Buffer> => readFile(join(PARITY_MODEL, 'onnx', name));

describe('ONNX models', () => {
  it.each(FIXTURE_FILES)('writes %s back byte for byte', async (name) => {
    const bytes = await fixture(name);
    expect(writeModel(readModel(bytes)).toBuffer().equals(bytes)).toBe(true);
  });

  it('re-encodes the graph around replaced nodes and initializers, leaving the rest as it was', async () => {
    const bytes = await fixture('vision_model.onnx');
    const model = readModel(bytes);
    const { graph } = model;
    const reordered = {
      ...model,
      graph: { ...graph, nodes: [...graph.nodes].reverse(), initializers: graph.initializers.slice(1) },
    };
    const reread = readModel(writeModel(reordered).toBuffer());
    expect(reread.graph.nodes.map((n) => n.name)).toEqual(graph.nodes.map((n) => n.name).reverse());
    expect(reread.graph.initializers.map((i) => i.name)).toEqual(
      graph.initializers.slice(1).map((i) => i.name),
    );
    expect(reread.graph.outputNames).toEqual(graph.outputNames);
    expect(reread.fields.filter((f) => f.number !== 7).map((f) => f.raw)).toEqual(
      model.fields.filter((f) => f.number !== 7).map((f) => f.raw),
    );
  });

  it('reads the opset, nodes, initializers and outputs', async () => {
    const model = readModel(await fixture('text_model.onnx'));
    expect(model.opset).toBe(14);
    expect(model.graph.outputNames).toContain('text_embeds');
    expect(model.graph.nodes.filter((n) => n.opType === 'MatMul')).toHaveLength(17);
    const projection = model.graph.initializers.find(
      (i) => i.dims.length === 2 && i.dataType === TensorDataType.float && i.dims[1] === 16,
    )!;
    expect(floatValues(projection)).toHaveLength(projection.dims[0]! * 16);
    expect(model.graph.initializers.some((i) => i.external)).toBe(false);
  });

  it('refuses bytes that are not a model', async () => {
    const bytes = await fixture('text_model.onnx');
    expect(() => readModel(bytes.subarray(0, bytes.length >> 1))).toThrow(OnnxFormatError);
    expect(() => readModel(bytes.subarray(0, bytes.length >> 1))).toThrow(/truncated field 7/);
    expect(() => readModel(Buffer.from('{"not": "onnx"}'))).toThrow(/unsupported wire type 3/);
    expect(() => readModel(Buffer.from([0x08, 0x07]))).toThrow(/holds 0 graphs/);
  });
});
