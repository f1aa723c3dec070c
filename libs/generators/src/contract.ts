/**
 * The generator plugin contract. Every text-to-image backend — ours or a third party's npm package —
 * implements `ImageGenerator` and exports a `GeneratorPlugin` that builds it from configuration.
 */

/** What a generator can do; the fan-out uses it to refuse requests a generator cannot serve. */
export interface GeneratorCapabilities {
  textToImage: boolean;
  imageToImage: boolean;
  /** Accepted output sizes in pixels; `multipleOf` when the backend needs e.g. multiples of 8. */
  sizes: { minWidth: number; maxWidth: number; minHeight: number; maxHeight: number; multipleOf: number };
  /** Most images one `generate` call returns; the fan-out splits larger requests. */
  maxImagesPerCall: number;
  seed: boolean;
  negativePrompt: boolean;
  /**
   * Takes `GenerationRequest.mask` with an image-to-image request and repaints only where it says
   * (inpainting). Absent means false: such a generator is never sent a mask.
   */
  inpainting?: boolean;
}

/** An input image for image-to-image requests, already checked to be a real image. */
export interface SourceImage {
  bytes: Uint8Array;
  mimeType: string;
  width: number;
  height: number;
}

export interface GenerationRequest {
  prompt: string;
  negativePrompt?: string;
  /** How many images this call should return (≤ capabilities.maxImagesPerCall). */
  count: number;
  width?: number;
  height?: number;
  /** Seed of the first image; the others use seed + 1, seed + 2, … where the backend takes seeds. */
  seed?: number;
  /** Present for image-to-image (edits). */
  image?: SourceImage;
  /** Image-to-image: how far to move from the source, 0–1, where the backend supports it. */
  strength?: number;
  /**
   * Inpainting, with `image`: where to repaint, as a greyscale PNG of the source's size, white = repaint,
   * black = keep (grey between, a feathered edge). Sent only to generators with capabilities.inpainting;
   * each converts it to its backend's convention.
   */
  mask?: SourceImage;
  /** Backend-specific parameters passed through unchanged (steps, guidance scale, …). */
  parameters?: Record<string, unknown>;
}

/** One image as the backend returned it, before clipsmith has checked it. */
export interface GeneratedImage {
  bytes: Uint8Array;
  /** The content type the backend claimed. */
  mimeType: string;
  /** The seed actually used, or null when the backend does not report or take one. */
  seed: number | null;
  /** The parameters actually sent, so the candidate can be reproduced. */
  parameters: Record<string, unknown>;
  model: string;
}

export interface RetryEvent {
  /** 1 for the first retry. */
  attempt: number;
  /** The status that caused it, or null for a network error. */
  status: number | null;
  delayMs: number;
}

export interface GenerateContext {
  /** Aborted when the caller goes away or a timeout fires: stop outstanding work. */
  signal: AbortSignal;
  /** Called before each retry, so the host can count and measure them. */
  onRetry?: (event: RetryEvent) => void;
}

export interface ImageGenerator {
  /** The id requests use to name it (from configuration). */
  readonly id: string;
  /** Which plugin built it, e.g. `huggingface`. */
  readonly kind: string;
  readonly capabilities: GeneratorCapabilities;
  generate(request: GenerationRequest, context: GenerateContext): Promise<GeneratedImage[]>;
  /** Releases sockets, sessions, … at shutdown. */
  close?(): Promise<void>;
}

/** What a plugin may rely on from its host. */
export interface GeneratorEnvironment {
  /** Process environment, for tokens such as HF_TOKEN. */
  env: Readonly<Record<string, string | undefined>>;
  /** The fetch to use for HTTP, so hosts and tests can route it. */
  fetch: typeof fetch;
}

/** A plugin module's default export (or named export `plugin`). */
export interface GeneratorPlugin {
  /** The `use:` name it answers to, e.g. `huggingface`. */
  readonly name: string;
  /** Validates options (throwing an Error whose message names the bad key) and builds the generator. */
  create(id: string, options: Record<string, unknown>, environment: GeneratorEnvironment): ImageGenerator;
}
