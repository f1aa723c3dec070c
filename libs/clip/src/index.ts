export {
  ClipEngine,
  type ClipEngineOptions,
  type LabelScore,
  type ModelInfo,
  type CacheStats,
} from './clip-engine.js';
export { ClipError, ImageInputError, ModelLoadError, type ClipErrorCode } from './errors.js';
export {
  DEFAULT_IMAGE_LIMITS,
  mimeTypeOf,
  decodeRgb,
  probeImage,
  verifyImage,
  readImageInput,
  type ImageFormat,
  type ImageInfo,
  type ImageInput,
  type ImageLimits,
} from './image-probe.js';
export { type ResizeMode } from './image-preprocessor.js';
export type { RgbImage } from './antialias-resample.js';
export { isModelDtype, type ModelDtype } from './model-files.js';
export * from './scores.js';
export { BUNDLED_MODEL_NAME, bundledModelDir, defaultModelDir } from './bundled-model.js';

import { ClipEngine, type ClipEngineOptions } from './clip-engine.js';

/** Loads a CLIP ONNX export folder: `load(dir, { dtype: 'q8', intraOpNumThreads: 2 })`. */
export function load(dir: string, options?: ClipEngineOptions): Promise<ClipEngine> {
  return ClipEngine.load(dir, options);
}
export {
  pullModel,
  type PullOptions,
  type PullResult,
  type PulledFile,
  type PullProgress,
} from './hub/pull-model.js';
export {
  quantizeModelFolder,
  type QuantizeOptions,
  type QuantizeResult,
  type QuantizedFile,
} from './quantize/quantize-folder.js';
