import { createHash } from 'node:crypto';
import ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { gemmTestModel, pseudoRandom } from '../test-support/onnx-builder.js';
import { readModel, writeModel } from './onnx-model.js';
import { quantizeGraph, quantizeWeight, roundHalfEven, type Int8Settings } from './quantize-int8.js';

const DEFAULTS: Int8Settings = { perColumn: true, limit: 127, minElements: 0 };

function quantizeBytes(bytes: Uint8Array, settings = DEFAULTS): { bytes: Buffer; matrices: number } {
  const model = readModel(bytes);
  const { graph, matrices } = quantizeGraph(model.graph, settings);
  return { bytes: writeModel({ ...model, graph }).toBuffer(), matrices };
}

async function run(bytes: Uint8Array, x: Float32Array): Promise<Record<string, Float32Array>> {
  const session = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 1 });
  const results = await session.run({ X: new ort.Tensor('float32', x, [2, 8]) });
  await session.release();
  return Object.fromEntries(Object.entries(results).map(([name, t]) => [name, t.data as Float32Array]));
}

describe('int8 weights', () => {
  it('rounds halves to even, as numpy.rint does', () => {
    const cases = [-2.5, -1.5, 0.5, 1.5, 2.5, 126.5, -126.5, 2.4999999, 2.5000001, -3.7, 0, 127];
    expect(cases.map(roundHalfEven)).toEqual([-2, -2, 0, 2, 2, 126, -126, 2, 3, -4, 0, 127]);
    expect(Math.abs(roundHalfEven(-0.5))).toBe(0);
  });

  it('scales each column by its peak, symmetric, in float32 as numpy does', () => {
    // numpy: per column w / scale = [127, -15.875, 0, 31.75, 63.5, 0, -63.5, -127, 0] (halves go to even);
    // per tensor (limit 63) 2 / float32(4 / 63) = 31.499998 (rounds to 31); a zero column keeps scale 1.
    const values = Float32Array.from([1, -0.5, 0, 0.25, 2, 0, -0.5, -4, 0]);
    const perColumn = quantizeWeight({ values, rows: 3, columns: 3 }, true, 127);
    expect([...perColumn.scales]).toEqual([Math.fround(1 / 127), Math.fround(4 / 127), 1]);
    expect([...perColumn.weights]).toEqual([127, -16, 0, 32, 64, 0, -64, -127, 0]);
    const perTensor = quantizeWeight({ values, rows: 3, columns: 3 }, false, 63);
    expect([...perTensor.scales]).toEqual([Math.fround(4 / 63)]);
    expect([...perTensor.weights]).toEqual([16, -8, 0, 4, 31, 0, -8, -63, 0]);
  });
});

describe('quantizing a graph', () => {
  it('rewrites MatMul and Gemm (transB, bias) and reorders a bias Add, as quantize_int8.py does', () => {
    const source = readModel(gemmTestModel());
    const { graph, matrices } = quantizeGraph(source.graph, DEFAULTS);
    expect(matrices).toBe(4);
    const integerMatMul = (out: string): string[] => [
      `MatMulInteger ${out}/MatMulInteger`,
      `Mul ${out}/MulScales`,
      `Cast ${out}/Cast`,
      `Mul ${out}/Rescale`,
    ];
    expect(graph.nodes.map((n) => `${n.opType} ${n.name}`)).toEqual([
      'DynamicQuantizeLinear X_dq/Quantize',
      ...integerMatMul('G0_product'),
      'Add G0/AddBias',
      'Gemm gemm1',
      ...integerMatMul('M2'),
      'Add add2',
      'DynamicQuantizeLinear G0_dq/Quantize',
      ...integerMatMul('G3'),
      'DynamicQuantizeLinear G3_dq/Quantize',
      ...integerMatMul('Y3'),
    ]);
    expect(graph.nodes.find((n) => n.name === 'add2')?.inputs).toEqual(['M2', 'B2']);
    expect(graph.nodes.find((n) => n.name === 'G0_product/MatMulInteger')?.inputs).toEqual([
      'X_dq_u8',
      'W0_int8',
      'X_dq_zero_point',
      'W0_int8_zero_point',
    ]);
    const int8 = (weight: string, dims: string, scaleDims: string): string[] => [
      `${weight}_int8 [${dims}]`,
      `${weight}_int8_scale [${scaleDims}]`,
      `${weight}_int8_zero_point []`,
    ];
    expect(graph.initializers.map((i) => `${i.name} [${i.dims.join(',')}]`)).toEqual([
      'B0 [4]',
      'W1 [2,3]',
      'B2 [4]',
      ...int8('W0', '8,4', '4'),
      ...int8('W2', '8,4', '4'),
      ...int8('W3', '4,5', '5'),
      ...int8('W4', '5,2', '2'),
    ]);
  });

  it('produces the bytes quantize_int8.py writes for it', () => {
    // sha256 of `quantize_int8.py --model DIR` where DIR/onnx/model.onnx is gemmTestModel() (python3-onnx 1.12).
    const { bytes } = quantizeBytes(gemmTestModel());
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(
      'eeb0b8073c82be8578857095e1c773c957ff351fafca90898d768d8707cdba33',
    );
  });

  it('leaves matrices under minElements in fp32', () => {
    const { graph, matrices } = quantizeGraph(readModel(gemmTestModel()).graph, {
      ...DEFAULTS,
      minElements: 21,
    });
    expect(matrices).toBe(2);
    expect(
      graph.nodes.filter((n) => n.opType === 'Gemm' || n.opType === 'MatMul').map((n) => n.name),
    ).toEqual(['gemm1', 'gemm3', 'matmul4']);
  });

  it('runs in onnxruntime close to the fp32 graph', async () => {
    const x = pseudoRandom(16, 99);
    const fp32 = await run(gemmTestModel(), x);
    for (const settings of [DEFAULTS, { ...DEFAULTS, perColumn: false }, { ...DEFAULTS, limit: 63 }]) {
      const int8 = await run(quantizeBytes(gemmTestModel(), settings).bytes, x);
      expect(Object.keys(int8).sort()).toEqual(['Y1', 'Y2', 'Y3']);
      expect(int8.Y1).toEqual(fp32.Y1);
      for (const name of ['Y2', 'Y3']) {
        const peak = Math.max(...fp32[name]!.map(Math.abs));
        fp32[name]!.forEach((v, i) => expect(Math.abs(int8[name]![i]! - v)).toBeLessThan(0.05 * peak));
      }
    }
  });
});
