/**
 * The two towers of a Hugging Face CLIP as ONNX graphs, written in TypeScript: the operators and shapes of an
 * optimum / transformers export (opset 14; layer norm, quick_gelu and attention spelt out in primitive ops as
 * torch exports them; dynamic batch and sequence length), so onnxruntime fuses them the way it fuses a real
 * export. The weights come from a `WeightSource` (random for the benchmark, an export's own in the tests).
 *
 * A MatMul weight is named after its module (`…self_attn.q_proj.weight`) but laid out [in, out], as an export
 * stores it; everything else keeps transformers' parameter layout.
 */
import { DataType, type NodeSpec, onnxModel, type TensorSpec } from '#clip/test-support';

export interface TowerConfig {
  hiddenSize: number;
  layers: number;
  heads: number;
  intermediateSize: number;
  layerNormEps: number;
}

export interface ClipConfig {
  projectionDim: number;
  vision: TowerConfig & { imageSize: number; patchSize: number; channels: number };
  text: TowerConfig & { vocabSize: number; maxPositions: number };
}

/** openai/clip-vit-base-patch32's sizes. */
export const VIT_B32: ClipConfig = {
  projectionDim: 512,
  vision: {
    hiddenSize: 768,
    layers: 12,
    heads: 12,
    intermediateSize: 3072,
    layerNormEps: 1e-5,
    imageSize: 224,
    patchSize: 32,
    channels: 3,
  },
  text: {
    hiddenSize: 512,
    layers: 12,
    heads: 8,
    intermediateSize: 2048,
    layerNormEps: 1e-5,
    vocabSize: 49408,
    maxPositions: 77,
  },
};

/** What a parameter is, so a source can initialise it the way transformers does. */
export type ParameterKind =
  | 'attention-in'
  | 'attention-out'
  | 'fc1'
  | 'fc2'
  | 'bias'
  | 'norm-weight'
  | 'norm-bias'
  | 'class-embedding'
  | 'patch-embedding'
  | 'position-embedding'
  | 'token-embedding'
  | 'projection';

export type WeightSource = (
  name: string,
  dims: number[],
  kind: ParameterKind,
  tower: TowerConfig,
) => Float32Array;

const OPSET = 14;

/** Builds one graph: nodes with generated output names, parameters and constants as initializers. */
class GraphBuilder {
  readonly nodes: NodeSpec[] = [];
  readonly initializers: TensorSpec[] = [];
  private count = 0;

  constructor(
    private readonly weights: WeightSource,
    private readonly tower: TowerConfig,
  ) {}

  op(
    op: string,
    inputs: string[],
    scope: string,
    attributes: Omit<NodeSpec, 'op' | 'inputs' | 'outputs'> = {},
    output?: string,
  ): string {
    const name = `${scope}/${op}_${this.count++}`;
    const out = output ?? `${name}_output_0`;
    this.nodes.push({ op, inputs, outputs: [out], name, ...attributes });
    return out;
  }

  param(name: string, dims: number[], kind: ParameterKind): string {
    const values = this.weights(name, dims, kind, this.tower);
    const size = dims.reduce((a, b) => a * b, 1);
    if (values.length !== size) throw new Error(`${name}: ${values.length} values for dims [${dims}]`);
    this.initializers.push({ name, dims, values });
    return name;
  }

  floats(name: string, dims: number[], values: ArrayLike<number>): string {
    this.initializers.push({ name, dims, values: Float32Array.from(values) });
    return name;
  }

  int64s(name: string, values: number[], scalar = false): string {
    this.initializers.push({ name, dims: scalar ? [] : [values.length], dataType: DataType.int64, values });
    return name;
  }

  linear(
    x: string,
    prefix: string,
    inputs: number,
    outputs: number,
    kind: ParameterKind,
    bias = true,
  ): string {
    const scope = `/${prefix.replaceAll('.', '/')}`;
    const product = this.op('MatMul', [x, this.param(`${prefix}.weight`, [inputs, outputs], kind)], scope);
    return bias ? this.op('Add', [this.param(`${prefix}.bias`, [outputs], 'bias'), product], scope) : product;
  }

  /** LayerNorm as torch exports it at opset 14: mean, centred, variance, root, divide, scale, shift. */
  layerNorm(x: string, prefix: string, width: number): string {
    const scope = `/${prefix.replaceAll('.', '/')}`;
    const mean = this.op('ReduceMean', [x], scope, { intLists: { axes: [-1] } });
    const centred = this.op('Sub', [x, mean], scope);
    const squared = this.op('Pow', [centred, this.floats(`${prefix}.two`, [], [2])], scope);
    const variance = this.op('ReduceMean', [squared], scope, { intLists: { axes: [-1] } });
    const eps = this.floats(`${prefix}.eps`, [], [this.tower.layerNormEps]);
    const root = this.op('Sqrt', [this.op('Add', [variance, eps], scope)], scope);
    const normed = this.op('Div', [centred, root], scope);
    const scaled = this.op('Mul', [normed, this.param(`${prefix}.weight`, [width], 'norm-weight')], scope);
    return this.op('Add', [scaled, this.param(`${prefix}.bias`, [width], 'norm-bias')], scope);
  }

  /**
   * One pre-LN encoder layer over x [B, N, W]. `batchAndLength` is the int64 [B, N] the head reshapes need;
   * `mask` an additive [N, N] attention mask (the text tower's causal one).
   */
  encoderLayer(x: string, prefix: string, batchAndLength: string, mask: string | null): string {
    const { hiddenSize: width, heads, intermediateSize } = this.tower;
    const headDim = width / heads;
    const scope = `/${prefix.replaceAll('.', '/')}/self_attn`;
    const normed = this.layerNorm(x, `${prefix}.layer_norm1`, width);
    const attn = `${prefix}.self_attn`;
    const q = this.linear(normed, `${attn}.q_proj`, width, width, 'attention-in');
    const k = this.linear(normed, `${attn}.k_proj`, width, width, 'attention-in');
    const v = this.linear(normed, `${attn}.v_proj`, width, width, 'attention-in');
    const headShape = this.op(
      'Concat',
      [batchAndLength, this.int64s(`${attn}.head_dims`, [heads, headDim])],
      scope,
      {
        ints: { axis: 0 },
      },
    );
    const split = (t: string, perm: number[]): string =>
      this.op('Transpose', [this.op('Reshape', [t, headShape], scope)], scope, { intLists: { perm } });
    // Scaled dot-product attention as exported: √scale on q and on kᵀ.
    const rootScale = this.floats(`${attn}.root_scale`, [], [Math.sqrt(headDim ** -0.5)]);
    const qh = this.op('Mul', [split(q, [0, 2, 1, 3]), rootScale], scope);
    const kt = this.op('Mul', [split(k, [0, 2, 3, 1]), rootScale], scope);
    const vh = split(v, [0, 2, 1, 3]);
    let scores = this.op('MatMul', [qh, kt], scope);
    if (mask) scores = this.op('Add', [scores, mask], scope);
    const probabilities = this.op('Softmax', [scores], scope, { ints: { axis: -1 } });
    const context = this.op('Transpose', [this.op('MatMul', [probabilities, vh], scope)], scope, {
      intLists: { perm: [0, 2, 1, 3] },
    });
    const flatShape = this.op('Concat', [batchAndLength, this.int64s(`${attn}.width`, [width])], scope, {
      ints: { axis: 0 },
    });
    const merged = this.op('Reshape', [context, flatShape], scope);
    const attended = this.op(
      'Add',
      [x, this.linear(merged, `${attn}.out_proj`, width, width, 'attention-out')],
      `/${prefix.replaceAll('.', '/')}`,
    );

    const mlpScope = `/${prefix.replaceAll('.', '/')}/mlp`;
    const hidden = this.linear(
      this.layerNorm(attended, `${prefix}.layer_norm2`, width),
      `${prefix}.mlp.fc1`,
      width,
      intermediateSize,
      'fc1',
    );
    const gate = this.op(
      'Sigmoid',
      [this.op('Mul', [hidden, this.floats(`${prefix}.mlp.gelu_factor`, [], [1.702])], mlpScope)],
      mlpScope,
    );
    const activated = this.op('Mul', [hidden, gate], mlpScope);
    const out = this.linear(activated, `${prefix}.mlp.fc2`, intermediateSize, width, 'fc2');
    return this.op('Add', [attended, out], `/${prefix.replaceAll('.', '/')}`);
  }

  /** Element `index` of a 1-D int64 tensor: as a scalar, and as a one-element 1-D tensor (as exported). */
  dim(shape: string, index: number, scope: string): { scalar: string; vector: string } {
    const scalar = this.op('Gather', [shape, this.int64s(`${scope}.dim${index}`, [index], true)], scope, {
      ints: { axis: 0 },
    });
    return { scalar, vector: this.op('Unsqueeze', [scalar, this.int64s(`${scope}.axes0`, [0])], scope) };
  }
}

/** pixel_values [B, C, S, S] → image_embeds [B, P] (CLIPVisionModelWithProjection), and last_hidden_state. */
export function visionModel(config: ClipConfig, weights: WeightSource): Buffer {
  const c = config.vision;
  const g = new GraphBuilder(weights, c);
  const p = 'vision_model';
  const grid = c.imageSize / c.patchSize;
  const positions = grid * grid + 1;
  const scope = `/${p}/embeddings`;
  const batch = g.dim(g.op('Shape', ['pixel_values'], scope), 0, `${p}.embeddings.batch`).vector;
  const patches = g.op(
    'Conv',
    [
      'pixel_values',
      g.param(
        `${p}.embeddings.patch_embedding.weight`,
        [c.hiddenSize, c.channels, c.patchSize, c.patchSize],
        'patch-embedding',
      ),
    ],
    scope,
    {
      ints: { group: 1 },
      intLists: {
        kernel_shape: [c.patchSize, c.patchSize],
        strides: [c.patchSize, c.patchSize],
        pads: [0, 0, 0, 0],
        dilations: [1, 1],
      },
    },
  );
  const flatShape = g.op(
    'Concat',
    [batch, g.int64s(`${p}.embeddings.flat_dims`, [c.hiddenSize, -1])],
    scope,
    { ints: { axis: 0 } },
  );
  const tokens = g.op('Transpose', [g.op('Reshape', [patches, flatShape], scope)], scope, {
    intLists: { perm: [0, 2, 1] },
  });
  const classShape = g.op(
    'Concat',
    [batch, g.int64s(`${p}.embeddings.class_dims`, [1, c.hiddenSize])],
    scope,
    { ints: { axis: 0 } },
  );
  const classToken = g.op(
    'Expand',
    [g.param(`${p}.embeddings.class_embedding`, [c.hiddenSize], 'class-embedding'), classShape],
    scope,
  );
  const sequence = g.op('Concat', [classToken, tokens], scope, { ints: { axis: 1 } });
  const positionIds = g.int64s(
    `${p}.embeddings.position_ids`,
    Array.from({ length: positions }, (_, i) => i),
  );
  const positionTable = g.param(
    `${p}.embeddings.position_embedding.weight`,
    [positions, c.hiddenSize],
    'position-embedding',
  );
  const embedded = g.op('Add', [sequence, g.op('Gather', [positionTable, positionIds], scope)], scope);
  const batchAndLength = g.op('Concat', [batch, g.int64s(`${p}.positions`, [positions])], `/${p}/encoder`, {
    ints: { axis: 0 },
  });
  let x = g.layerNorm(embedded, `${p}.pre_layrnorm`, c.hiddenSize);
  for (let i = 0; i < c.layers; i++) x = g.encoderLayer(x, `${p}.encoder.layers.${i}`, batchAndLength, null);
  const lastHidden = g.op('Identity', [x], `/${p}`, {}, 'last_hidden_state');
  const pooled = g.op('Gather', [lastHidden, g.int64s(`${p}.class_index`, [0], true)], `/${p}`, {
    ints: { axis: 1 },
  });
  const normed = g.layerNorm(pooled, `${p}.post_layernorm`, c.hiddenSize);
  g.nodes.push({
    op: 'MatMul',
    inputs: [normed, g.param('visual_projection.weight', [c.hiddenSize, config.projectionDim], 'projection')],
    outputs: ['image_embeds'],
    name: '/visual_projection/MatMul',
  });
  return onnxModel({
    opset: OPSET,
    producer: 'clipsmith bench-model',
    graphName: 'vision_model',
    inputs: [{ name: 'pixel_values', dims: ['batch_size', c.channels, c.imageSize, c.imageSize] }],
    outputs: [
      { name: 'image_embeds', dims: ['batch_size', config.projectionDim] },
      { name: 'last_hidden_state', dims: ['batch_size', positions, c.hiddenSize] },
    ],
    nodes: g.nodes,
    initializers: g.initializers,
  });
}

/**
 * input_ids [B, L] → text_embeds [B, P] (CLIPTextModelWithProjection), and last_hidden_state. Causal
 * attention; pooled at the first end token, found as the argmax of the ids (transformers' rule when the end
 * token has the largest id).
 */
export function textModel(config: ClipConfig, weights: WeightSource): Buffer {
  const c = config.text;
  const g = new GraphBuilder(weights, c);
  const p = 'text_model';
  const scope = `/${p}/embeddings`;
  const shape = g.op('Shape', ['input_ids'], scope);
  const batch = g.dim(shape, 0, `${p}.embeddings.batch`);
  const length = g.dim(shape, 1, `${p}.embeddings.length`);
  const zero = g.int64s(`${p}.zero`, [0]);
  const one = g.int64s(`${p}.one`, [1]);
  const allPositions = g.int64s(
    `${p}.embeddings.position_ids`,
    Array.from({ length: c.maxPositions }, (_, i) => i),
  );
  const positionIds = g.op('Slice', [allPositions, zero, length.vector, zero, one], scope);
  const tokenTable = g.param(
    `${p}.embeddings.token_embedding.weight`,
    [c.vocabSize, c.hiddenSize],
    'token-embedding',
  );
  const positionTable = g.param(
    `${p}.embeddings.position_embedding.weight`,
    [c.maxPositions, c.hiddenSize],
    'position-embedding',
  );
  const embedded = g.op(
    'Add',
    [g.op('Gather', [tokenTable, 'input_ids'], scope), g.op('Gather', [positionTable, positionIds], scope)],
    scope,
  );

  // The causal mask: 0 where a token may look (column ≤ row), float32's lowest elsewhere.
  const maskScope = `/${p}/causal_mask`;
  const range = g.op(
    'Range',
    [g.int64s(`${p}.range_start`, [0], true), length.scalar, g.int64s(`${p}.range_step`, [1], true)],
    maskScope,
  );
  const rows = g.op('Unsqueeze', [range, one], maskScope);
  const columns = g.op('Unsqueeze', [range, zero], maskScope);
  const allowed = g.op('LessOrEqual', [columns, rows], maskScope);
  const mask = g.op(
    'Where',
    [
      allowed,
      g.floats(`${p}.mask_open`, [], [0]),
      g.floats(`${p}.mask_closed`, [], [-3.4028234663852886e38]),
    ],
    maskScope,
  );

  const batchAndLength = g.op('Concat', [batch.vector, length.vector], `/${p}/encoder`, {
    ints: { axis: 0 },
  });
  let x = embedded;
  for (let i = 0; i < c.layers; i++) x = g.encoderLayer(x, `${p}.encoder.layers.${i}`, batchAndLength, mask);
  const lastHidden = g.layerNorm(x, `${p}.final_layer_norm`, c.hiddenSize);
  g.nodes.push({
    op: 'Identity',
    inputs: [lastHidden],
    outputs: ['last_hidden_state'],
    name: `/${p}/last_hidden_state`,
  });

  // Pooling: row b · L + argmax(ids[b]) of the flattened [B·L, W] states.
  const poolScope = `/${p}/pooler`;
  const endToken = g.op(
    'ArgMax',
    [g.op('Cast', ['input_ids'], poolScope, { ints: { to: DataType.int32 } })],
    poolScope,
    {
      ints: { axis: -1, keepdims: 0, select_last_index: 0 },
    },
  );
  const rowStarts = g.op(
    'Mul',
    [
      g.op(
        'Range',
        [g.int64s(`${p}.pool_start`, [0], true), batch.scalar, g.int64s(`${p}.pool_step`, [1], true)],
        poolScope,
      ),
      length.scalar,
    ],
    poolScope,
  );
  const flat = g.op('Flatten', ['last_hidden_state'], poolScope, { ints: { axis: 2 } });
  const pooled = g.op('Gather', [flat, g.op('Add', [endToken, rowStarts], poolScope)], poolScope, {
    ints: { axis: 0 },
  });
  g.nodes.push({
    op: 'MatMul',
    inputs: [pooled, g.param('text_projection.weight', [c.hiddenSize, config.projectionDim], 'projection')],
    outputs: ['text_embeds'],
    name: '/text_projection/MatMul',
  });
  return onnxModel({
    opset: OPSET,
    producer: 'clipsmith bench-model',
    graphName: 'text_model',
    inputs: [{ name: 'input_ids', dims: ['batch_size', 'sequence_length'], dataType: DataType.int64 }],
    outputs: [
      { name: 'text_embeds', dims: ['batch_size', config.projectionDim] },
      { name: 'last_hidden_state', dims: ['batch_size', 'sequence_length', c.hiddenSize] },
    ],
    nodes: g.nodes,
    initializers: g.initializers,
  });
}
