import type { GeneratedImage, GenerationRequest, GeneratorPlugin, ImageGenerator } from '../contract.js';
import { readEnum, readNumber, rejectUnknownOptions } from '../plugin-options.js';
import { parsePrompt } from './prompt-parser.js';
import { RENDER_SIZE_LIMITS, renderScene } from './render-scene.js';
import { DEFAULT_FIDELITY, realizeScene } from './scene.js';

/** The offline generator: renders the prompt's scene with seeded variation. No network, no token. */
export const proceduralPlugin: GeneratorPlugin = {
  name: 'procedural',
  create(id, options): ImageGenerator {
    rejectUnknownOptions(id, options, ['fidelity', 'format', 'defaultSize']);
    const fidelity = readNumber(id, options, 'fidelity', { min: 0, max: 1, fallback: DEFAULT_FIDELITY });
    const format = readEnum(id, options, 'format', ['png', 'jpeg'] as const, 'png');
    const defaultSize = readNumber(id, options, 'defaultSize', {
      min: RENDER_SIZE_LIMITS.min,
      max: RENDER_SIZE_LIMITS.max,
      fallback: 512,
      integer: true,
    });
    return {
      id,
      kind: 'procedural',
      capabilities: {
        textToImage: true,
        imageToImage: false,
        sizes: {
          minWidth: RENDER_SIZE_LIMITS.min,
          maxWidth: RENDER_SIZE_LIMITS.max,
          minHeight: RENDER_SIZE_LIMITS.min,
          maxHeight: RENDER_SIZE_LIMITS.max,
          multipleOf: 1,
        },
        maxImagesPerCall: 8,
        seed: true,
        negativePrompt: false,
      },
      async generate(request: GenerationRequest, { signal }): Promise<GeneratedImage[]> {
        const sceneRequest = parsePrompt(request.prompt);
        const width = request.width ?? defaultSize;
        const height = request.height ?? defaultSize;
        const firstSeed = request.seed ?? 0;
        const images: GeneratedImage[] = [];
        for (let i = 0; i < request.count; i++) {
          signal.throwIfAborted();
          const seed = firstSeed + i;
          const scene = realizeScene(sceneRequest, { seed, fidelity });
          const rendered = await renderScene(scene, { width, height, format });
          images.push({
            bytes: rendered.bytes,
            mimeType: rendered.mimeType,
            seed,
            // The scene drawn and its object boxes: ground truth for whoever checks what CLIP picked.
            parameters: { width, height, fidelity, format, scene, boxes: rendered.boxes },
            model: 'clipsmith-procedural',
          });
        }
        return images;
      },
    };
  },
};
