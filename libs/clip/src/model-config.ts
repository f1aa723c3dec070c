import { ModelLoadError } from './errors.js';

/** How CLIPImageProcessor turns a picture into pixel_values, read from preprocessor_config.json. */
export interface PreprocessConfig {
  /** Resize target: the shortest edge, or an exact size; null when do_resize is false. */
  resize: { shortestEdge: number } | { height: number; width: number } | null;
  crop: { height: number; width: number } | null;
  /** PIL resample code: 0 nearest, 1 lanczos, 2 bilinear, 3 bicubic. */
  resample: number;
  rescaleFactor: number | null;
  mean: [number, number, number] | null;
  std: [number, number, number] | null;
}

/** What the engine needs from config.json. */
export interface ModelConfig {
  modelType: string;
  projectionDim: number | null;
  /** A trained logit scale that clipsmith's own exporter writes; absent in Hugging Face exports. */
  trainedLogitScale: number | null;
}

type Json = Record<string, unknown>;

function fail(file: string, key: string, why: string): never {
  throw new ModelLoadError('MODEL_INVALID', `${file}: "${key}" ${why}`);
}

function positiveInt(file: string, key: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0)
    fail(file, key, 'must be a positive integer');
  return value;
}

/** Accepts `224`, `{shortest_edge: 224}` or `{height, width}` as the processor configs in the wild do. */
function parseSize(file: string, key: string, value: unknown): PreprocessConfig['resize'] {
  if (typeof value === 'number') return { shortestEdge: positiveInt(file, key, value) };
  if (typeof value !== 'object' || value === null) fail(file, key, 'must be a number or an object');
  const size = value as Json;
  if (size['shortest_edge'] !== undefined)
    return { shortestEdge: positiveInt(file, key, size['shortest_edge']) };
  return {
    height: positiveInt(file, `${key}.height`, size['height']),
    width: positiveInt(file, `${key}.width`, size['width']),
  };
}

function triple(file: string, key: string, value: unknown): [number, number, number] {
  if (!Array.isArray(value) || value.length !== 3 || !value.every((v) => typeof v === 'number'))
    fail(file, key, 'must be a list of 3 numbers');
  return value as [number, number, number];
}

export function parsePreprocessConfig(json: Json): PreprocessConfig {
  const file = 'preprocessor_config.json';
  const flag = (key: string): boolean => json[key] !== false;
  const resize = flag('do_resize') ? parseSize(file, 'size', json['size'] ?? { shortest_edge: 224 }) : null;
  let crop: PreprocessConfig['crop'] = null;
  if (flag('do_center_crop') && json['crop_size'] !== undefined) {
    const c = parseSize(file, 'crop_size', json['crop_size']);
    crop = c && 'shortestEdge' in c ? { height: c.shortestEdge, width: c.shortestEdge } : c;
  }
  const normalize = flag('do_normalize');
  return {
    resize,
    crop,
    resample: typeof json['resample'] === 'number' ? json['resample'] : 3,
    rescaleFactor: flag('do_rescale')
      ? typeof json['rescale_factor'] === 'number'
        ? json['rescale_factor']
        : 1 / 255
      : null,
    mean: normalize ? triple(file, 'image_mean', json['image_mean']) : null,
    std: normalize ? triple(file, 'image_std', json['image_std']) : null,
  };
}

export function parseModelConfig(json: Json): ModelConfig {
  const dim = json['projection_dim'];
  const scale = json['clipsmith_logit_scale'];
  return {
    modelType: typeof json['model_type'] === 'string' ? json['model_type'] : 'unknown',
    projectionDim: typeof dim === 'number' ? dim : null,
    trainedLogitScale: typeof scale === 'number' && scale > 0 ? scale : null,
  };
}

/** The square or rectangular size the vision tower is fed. */
export function modelInputSize(config: PreprocessConfig): { height: number; width: number } {
  if (config.crop) return config.crop;
  if (config.resize && 'height' in config.resize) return config.resize;
  throw new ModelLoadError(
    'MODEL_INVALID',
    'preprocessor_config.json: without crop_size, size must give height and width so every image has one shape',
  );
}
