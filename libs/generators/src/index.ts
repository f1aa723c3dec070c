export type {
  GenerateContext,
  GeneratedImage,
  GenerationRequest,
  GeneratorCapabilities,
  GeneratorEnvironment,
  GeneratorPlugin,
  ImageGenerator,
  RetryEvent,
  SourceImage,
} from './contract.js';
export {
  GENERATOR_ERROR_CODES,
  GeneratorConfigError,
  GeneratorError,
  type GeneratorErrorCode,
} from './errors.js';
export {
  DEFAULT_FAN_OUT,
  fanOut,
  type CallProgress,
  type Candidate,
  type FanOutOptions,
  type FanOutResult,
  type GenerationFailure,
  type GeneratorOutcome,
} from './fan-out.js';
export { DEFAULT_GENERATORS, parseGeneratorEntries, type GeneratorEntry } from './generator-config.js';
export { GeneratorRegistry, type RegistryOptions } from './generator-registry.js';
export { checkGeneratedImage } from './image-check.js';
export {
  DEFAULT_RETRY_POLICY,
  requestWithRetry,
  type HttpCall,
  type RetryPolicy,
} from './http/request-with-retry.js';
export { automatic1111Plugin } from './automatic1111/index.js';
export { huggingfacePlugin } from './huggingface/index.js';
export { openaiImagesPlugin } from './openai-images/index.js';
export * as procedural from './procedural/index.js';
export { proceduralPlugin } from './procedural/index.js';

import { automatic1111Plugin } from './automatic1111/index.js';
import type { GeneratorPlugin } from './contract.js';
import { huggingfacePlugin } from './huggingface/index.js';
import { openaiImagesPlugin } from './openai-images/index.js';
import { proceduralPlugin } from './procedural/index.js';

/** The plugins a configuration can name by `use:` without installing anything. */
export const BUILTIN_PLUGINS: readonly GeneratorPlugin[] = [
  proceduralPlugin,
  huggingfacePlugin,
  openaiImagesPlugin,
  automatic1111Plugin,
];
