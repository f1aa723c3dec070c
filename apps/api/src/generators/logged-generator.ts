import { GeneratorError, type ImageGenerator } from '#generators';
import type { Logger } from '@nestjs/common';

/**
 * The same generator, writing one debug line per call (and per upstream retry): which generator, how
 * many images, how long, and how it ended. It runs in the caller's requestContext, so each line names
 * the request it served.
 */
export function loggedGenerator(generator: ImageGenerator, logger: Logger): ImageGenerator {
  const { id, kind } = generator;
  return {
    id,
    kind,
    capabilities: generator.capabilities,
    async generate(request, context) {
      const started = performance.now();
      const line = { generator: id, kind, count: request.count, edit: request.image !== undefined };
      const ms = (): number => Math.round(performance.now() - started);
      try {
        const images = await generator.generate(request, {
          ...context,
          onRetry: (event) => {
            logger.debug({ msg: 'generator retry', generator: id, ...event });
            context.onRetry?.(event);
          },
        });
        logger.debug({ msg: 'generator call', ...line, images: images.length, ms: ms() });
        return images;
      } catch (error) {
        const code = error instanceof GeneratorError ? error.code : 'UNKNOWN';
        logger.debug({ msg: 'generator call', ...line, error: code, message: String(error), ms: ms() });
        throw error;
      }
    },
  };
}
