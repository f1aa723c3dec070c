export {
  ClipEngine,
  DEFAULT_ENGINE_OPTIONS,
  type ClipEngineOptions,
  type LabelScore,
  type ModelInfo,
} from './clip-engine.js';
export type { CacheStats } from './embedding-cache.js';
export {
  CLIP_ERROR_CODES,
  ClipError,
  CodedError,
  ImageInputError,
  ModelLoadError,
  type ClipErrorCode,
} from './errors.js';
export {
  DEFAULT_IMAGE_LIMITS,
  asImageError,
  mimeTypeOf,
  decodeRgb,
  isVerifiedImage,
  openImage,
  probeImage,
  readImageInput,
  type ImageFormat,
  type ImageInfo,
  type ImageInput,
  type ImageLimits,
} from './image-probe.js';
export {
  sha256Hex,
  verifiedFromPixels,
  verifyImage,
  type DecodedPixels,
  type VerifiedImage,
} from './verified-image.js';
export { IMAGE_DECODE_CHANNEL, type DecodeStage, type ImageDecodeEvent } from './decode-events.js';
export { ImagePreprocessor, RESIZE_MODES, type ResizeMode } from './image-preprocessor.js';
export { parsePreprocessConfig, type PreprocessConfig } from './model-config.js';
export type { RgbImage } from './rgb-image.js';
export { resampleRgb, type AntialiasFilter, type OutputWindow } from './antialias-resample.js';
export { centreCrop, shortestEdgeSize } from './resize-geometry.js';
export { isModelDtype, MODEL_DTYPES, type ModelDtype } from './model-files.js';
export * from './scores.js';
export {
  CALIBRATION_FILE,
  percentileOf,
  readCalibration,
  shareBelow,
  type Calibration,
  type CalibrationSource,
  type SimilarityKind,
} from './calibration/calibration.js';
export {
  measureCalibration,
  MIN_CALIBRATION_PAIRS,
  type CalibrationModel,
  type CalibrationPair,
  type MeasureOptions,
} from './calibration/measure.js';
export { CAPTIONS_FILE, readCaptionFolder } from './calibration/caption-folder.js';
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
