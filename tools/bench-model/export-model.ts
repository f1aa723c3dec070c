/**
 * Writes the benchmark model: a CLIP with openai/clip-vit-base-patch32's sizes and random weights, in the
 * Hugging Face ONNX layout the engine and transformers.js load (config.json, preprocessor_config.json, the
 * real CLIP tokenizer (shipped here, gzipped), onnx/text_model.onnx, onnx/vision_model.onnx). No Python: the graphs come from
 * clip-onnx.ts.
 */
import { copyFile, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { random } from '../../bench/images.js';
import {
  type ClipConfig,
  type ParameterKind,
  textModel,
  type TowerConfig,
  visionModel,
  VIT_B32,
  type WeightSource,
} from './clip-onnx.js';

/** Standard normal values from a seeded generator (Box–Muller): the same model every time. */
export function gaussian(seed: number): () => number {
  const uniform = random(seed);
  let spare: number | null = null;
  return () => {
    if (spare !== null) {
      const value = spare;
      spare = null;
      return value;
    }
    const radius = Math.sqrt(-2 * Math.log(1 - uniform()));
    const angle = 2 * Math.PI * uniform();
    spare = radius * Math.sin(angle);
    return radius * Math.cos(angle);
  };
}

/**
 * transformers' CLIP initialisation (factor 1), with small random layer-norm gains and biases so that no
 * parameter is a trivial constant. Only sizes and operators matter for speed; the embeddings mean nothing.
 */
export function randomWeights(seed: number): WeightSource {
  const next = gaussian(seed);
  const std = (name: string, kind: ParameterKind, t: TowerConfig): number => {
    const w = t.hiddenSize;
    const inProjection = w ** -0.5 * (2 * t.layers) ** -0.5;
    switch (kind) {
      case 'attention-in':
      case 'fc2':
        return inProjection;
      case 'attention-out':
      case 'class-embedding':
      case 'projection':
        return w ** -0.5;
      case 'fc1':
        return (2 * w) ** -0.5;
      case 'bias':
      case 'norm-bias':
      case 'patch-embedding':
      case 'token-embedding':
        return 0.02;
      case 'norm-weight':
        return 0.05;
      case 'position-embedding':
        return name.startsWith('text_model') ? 0.01 : 0.02;
    }
  };
  return (name, dims, kind, tower) => {
    const values = new Float32Array(dims.reduce((a, b) => a * b, 1));
    const s = std(name, kind, tower);
    const mean = kind === 'norm-weight' ? 1 : 0;
    for (let i = 0; i < values.length; i++) values[i] = mean + next() * s;
    return values;
  };
}

function configJson(c: ClipConfig): Record<string, unknown> {
  const tower = (t: TowerConfig): Record<string, unknown> => ({
    hidden_act: 'quick_gelu',
    hidden_size: t.hiddenSize,
    num_hidden_layers: t.layers,
    num_attention_heads: t.heads,
    intermediate_size: t.intermediateSize,
    layer_norm_eps: t.layerNormEps,
    projection_dim: c.projectionDim,
  });
  return {
    architectures: ['CLIPModel'],
    model_type: 'clip',
    projection_dim: c.projectionDim,
    logit_scale_init_value: 2.6592,
    initializer_factor: 1.0,
    clipsmith_note: 'random weights: the size of openai/clip-vit-base-patch32, for benchmarks only',
    text_config: {
      model_type: 'clip_text_model',
      ...tower(c.text),
      max_position_embeddings: c.text.maxPositions,
      vocab_size: c.text.vocabSize,
      bos_token_id: 49406,
      eos_token_id: 49407,
      pad_token_id: 1,
    },
    vision_config: {
      model_type: 'clip_vision_model',
      ...tower(c.vision),
      image_size: c.vision.imageSize,
      patch_size: c.vision.patchSize,
      num_channels: c.vision.channels,
    },
  };
}

const PREPROCESSOR_CONFIG = {
  crop_size: { height: 224, width: 224 },
  do_center_crop: true,
  do_convert_rgb: true,
  do_normalize: true,
  do_rescale: true,
  do_resize: true,
  image_mean: [0.48145466, 0.4578275, 0.40821073],
  image_std: [0.26862954, 0.26130258, 0.27577711],
  image_processor_type: 'CLIPImageProcessor',
  processor_class: 'CLIPProcessor',
  resample: 3,
  rescale_factor: 1 / 255,
  size: { shortest_edge: 224 },
};

/** openai/clip-vit-base-patch32's tokenizer (the real 49,408-token BPE), shipped beside this file. */
async function writeClipTokenizer(dir: string): Promise<void> {
  const here = (name: string): URL => new URL(name, import.meta.url);
  await writeFile(join(dir, 'tokenizer.json'), gunzipSync(await readFile(here('clip-tokenizer.json.gz'))));
  await copyFile(here('clip-tokenizer_config.json'), join(dir, 'tokenizer_config.json'));
}

export interface ExportOptions {
  out: string;
  config?: ClipConfig;
  weights?: WeightSource;
}

/** Writes the model folder (through `out.partial`, so an interrupted export leaves nothing half-written). */
export async function exportClip({
  out,
  config = VIT_B32,
  weights = randomWeights(0),
}: ExportOptions): Promise<void> {
  const partial = `${out}.partial`;
  await rm(partial, { recursive: true, force: true });
  await mkdir(join(partial, 'onnx'), { recursive: true });
  const json = (value: unknown): string => JSON.stringify(value, null, 2) + '\n';
  await writeFile(join(partial, 'config.json'), json(configJson(config)));
  await writeFile(join(partial, 'preprocessor_config.json'), json(PREPROCESSOR_CONFIG));
  await writeClipTokenizer(partial);
  // One tower at a time: each holds its weights in memory only while it is written.
  await writeFile(join(partial, 'onnx', 'vision_model.onnx'), visionModel(config, weights));
  await writeFile(join(partial, 'onnx', 'text_model.onnx'), textModel(config, weights));
  await rm(out, { recursive: true, force: true });
  await rename(partial, out);
}
