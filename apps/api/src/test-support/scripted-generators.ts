import { type GeneratorCapabilities, GeneratorError, type GeneratorErrorCode } from '#generators';
import { OPEN_CAPABILITIES, ScriptedGenerator } from '#generators/test-support';
import { sceneBytes } from './service-app.js';

export interface DrawingOptions {
  /** Draw this scene whatever the request asks (an image-to-image stand-in); default: the prompt's. */
  scene?: string;
  /** Over text-to-image, 8 images a call: room for a spec's whole best-of-N in one call. */
  capabilities?: Partial<GeneratorCapabilities>;
}

/**
 * A backend that draws a procedural scene (96 px), one seed per candidate from the request's, as a real
 * backend answers: CLIP ranks real pictures of what was asked.
 */
export function drawingGenerator(id: string, options: DrawingOptions = {}): ScriptedGenerator {
  return new ScriptedGenerator(
    id,
    async (request) =>
      Promise.all(
        Array.from({ length: request.count }, async (_, i) => {
          const seed = (request.seed ?? 0) + i;
          return {
            bytes: await sceneBytes(options.scene ?? request.prompt, seed, 96),
            mimeType: 'image/png',
            seed,
            parameters: { prompt: request.prompt },
            model: `${id}-1`,
          };
        }),
      ),
    { ...OPEN_CAPABILITIES, maxImagesPerCall: 8, ...options.capabilities },
  );
}

/** A backend whose upstream answers every call with this HTTP status, failing with `code`. */
export function failingGenerator(id: string, code: GeneratorErrorCode, status: number): ScriptedGenerator {
  return new ScriptedGenerator(
    id,
    async () => {
      throw new GeneratorError(code, `${id} answered HTTP ${status}`, { status });
    },
    { ...OPEN_CAPABILITIES, maxImagesPerCall: 8 },
  );
}
