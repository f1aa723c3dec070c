import sharp from 'sharp';
import type {
  GenerateContext,
  GeneratedImage,
  GenerationRequest,
  GeneratorCapabilities,
  ImageGenerator,
} from '../contract.js';

/** A PNG of one colour, as a backend would return it. */
export async function solidPng(width = 32, height = 32, colour = '#336699'): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: colour } })
    .png()
    .toBuffer();
}

export const OPEN_CAPABILITIES: GeneratorCapabilities = {
  textToImage: true,
  imageToImage: false,
  sizes: { minWidth: 8, maxWidth: 1024, minHeight: 8, maxHeight: 1024, multipleOf: 8 },
  maxImagesPerCall: 2,
  seed: true,
  negativePrompt: true,
};

/**
 * A stand-in for a third-party plugin whose behaviour each test scripts: what the outside world does
 * (answers, fails, hangs, returns garbage), never what our own code does.
 */
export class ScriptedGenerator implements ImageGenerator {
  readonly kind = 'scripted';
  readonly calls: GenerationRequest[] = [];
  /** Calls that saw their signal abort while outstanding. */
  aborted = 0;

  constructor(
    readonly id: string,
    private readonly script: (request: GenerationRequest, signal: AbortSignal) => Promise<GeneratedImage[]>,
    readonly capabilities: GeneratorCapabilities = OPEN_CAPABILITIES,
  ) {}

  generate(request: GenerationRequest, { signal }: GenerateContext): Promise<GeneratedImage[]> {
    this.calls.push(request);
    signal.addEventListener('abort', () => this.aborted++, { once: true });
    return this.script(request, signal);
  }
}

/** A script that returns `count` real PNGs, one per seed. */
export function pngs(colour = '#336699'): (request: GenerationRequest) => Promise<GeneratedImage[]> {
  return async (request) =>
    Promise.all(
      Array.from({ length: request.count }, async (_, i) => ({
        bytes: await solidPng(request.width ?? 32, request.height ?? 32, colour),
        mimeType: 'image/png',
        seed: (request.seed ?? 0) + i,
        parameters: { prompt: request.prompt },
        model: 'scripted-1',
      })),
    );
}

/** A script that never answers unless aborted, and ignores the abort if told to. */
export function hangs(
  ignoreAbort = false,
): (request: GenerationRequest, signal: AbortSignal) => Promise<never> {
  return (_request, signal) =>
    new Promise((_resolve, reject) => {
      if (!ignoreAbort)
        signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
    });
}
