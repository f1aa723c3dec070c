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
export { GeneratorConfigError, GeneratorError, type GeneratorErrorCode } from './errors.js';
export {
  DEFAULT_FAN_OUT,
  fanOut,
  type Candidate,
  type FanOutOptions,
  type FanOutResult,
  type GenerationFailure,
  type GeneratorOutcome,
} from './fan-out.js';
export { DEFAULT_GENERATORS, parseGeneratorEntries, type GeneratorEntry } from './generator-config.js';
export { GeneratorRegistry, type RegistryOptions } from './generator-registry.js';
export { checkGeneratedImage, type CheckedImage } from './image-check.js';
export {
  DEFAULT_RETRY_POLICY,
  requestWithRetry,
  type HttpCall,
  type RetryPolicy,
} from './http/request-with-retry.js';
