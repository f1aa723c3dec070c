import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { DEFAULT_IMAGE_LIMITS } from './image-probe.js';
import { ImagePreprocessor } from './image-preprocessor.js';
import { shrinkOnLoadSize } from './jpeg-shrink-on-load.js';
import { parsePreprocessConfig } from './model-config.js';
import { readModelJson } from './model-files.js';
import { imagePath, PARITY_MODEL } from './test-support/parity-fixture.js';

const config = parsePreprocessConfig(await readModelJson(PARITY_MODEL, 'preprocessor_config.json', true));

describe('JPEG shrink-on-load for the fast resize', () => {
  it('picks the smallest DCT scale that keeps twice the target, and the size sharp reaches with it', () => {
    expect(shrinkOnLoadSize(1024, 1024, 224)).toEqual({ width: 341, height: 341, scale: 2 });
    expect(shrinkOnLoadSize(4032, 3024, 224)).toEqual({ width: 805, height: 604, scale: 4 });
    expect(shrinkOnLoadSize(8000, 6000, 224)).toEqual({ width: 888, height: 666, scale: 8 });
    // Too small to shrink and still keep the margin: decoded at full size.
    expect(shrinkOnLoadSize(640, 480, 224)).toBeNull();
    expect(shrinkOnLoadSize(895, 2000, 224)).toBeNull();
  });

  it('stays close to the exact pixels of a large photograph, and is not them', async () => {
    // The fixture's photograph at 3× (1920 × 1440): large enough for a DCT scale of 2.
    const photo = await sharp(imagePath('landscape_640x480.jpg'))
      .resize(1920, 1440, { kernel: 'lanczos3' })
      .jpeg({ quality: 90 })
      .toBuffer();
    const [exact, fast] = await Promise.all(
      (['exact', 'fast'] as const).map((mode) =>
        new ImagePreprocessor(config, DEFAULT_IMAGE_LIMITS, mode).pixelValues(photo),
      ),
    );
    let dot = 0;
    let ee = 0;
    let ff = 0;
    let differ = 0;
    for (let i = 0; i < exact!.length; i++) {
      dot += exact![i]! * fast![i]!;
      ee += exact![i]! ** 2;
      ff += fast![i]! ** 2;
      if (exact![i] !== fast![i]) differ++;
    }
    expect(dot / Math.sqrt(ee * ff)).toBeGreaterThan(0.9999);
    expect(differ).toBeGreaterThan(0);
  });
});
