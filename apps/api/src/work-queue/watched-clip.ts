import type { ClipPort } from '#guidance';

/**
 * A ClipPort for one job: every call first checks `signal` (a cancelled job stops at its next model
 * call), and images are sent one per call so `onImages` hears each one scored. The work queue batches
 * them again across every caller, so nothing is lost by it.
 */
export function watchedClip(
  clip: ClipPort,
  signal: AbortSignal,
  onImages?: (done: number, total: number) => void,
): ClipPort {
  let done = 0;
  let total = 0;
  return {
    info: clip.info,
    embedTexts(texts) {
      signal.throwIfAborted();
      return clip.embedTexts(texts);
    },
    async embedImages(images) {
      signal.throwIfAborted();
      if (!onImages) return clip.embedImages(images);
      total += images.length;
      onImages(done, total);
      return Promise.all(
        images.map(async (image) => {
          const [embedding] = await clip.embedImages([image]);
          onImages(++done, total);
          return embedding!;
        }),
      );
    },
  };
}
