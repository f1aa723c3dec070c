import { DEFAULT_IMAGE_LIMITS, decodeRgb } from '#clip';
import { sceneImage } from '../../edits/test-support/scenes.js';

/** The moderation specs' plain-ground scene: a red star left of a blue circle on yellow, 256 px, decoded. */
export async function starAndCircle() {
  const drawn = await sceneImage(
    {
      objects: [
        { colour: 'red', shape: 'star' },
        { colour: 'blue', shape: 'circle' },
      ],
      background: 'yellow',
      relation: 'left of',
      style: 'plain',
    },
    3,
  );
  return { ...drawn, image: await decodeRgb(drawn.bytes, DEFAULT_IMAGE_LIMITS) };
}
