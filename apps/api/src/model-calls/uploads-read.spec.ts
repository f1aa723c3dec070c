import { describe, expect, it } from 'vitest';
import type { ImageInput } from '../images/image-input.type.js';
import { withUploadsRead } from './uploads-read.js';

const upload = (name: string) => Promise.resolve({ name }) as unknown as ImageInput['upload'];
const read = async (image: ImageInput): Promise<ImageInput> => ({
  base64: `bytes of ${((await image.upload) as unknown as { name: string }).name}`,
});

describe('withUploadsRead', () => {
  it('reads every upload, wherever it sits, and copies the rest as it is', async () => {
    const input = {
      items: [
        { image: { upload: upload('a.png') }, caption: 'a', references: ['r'] },
        { image: { assetId: 'f'.repeat(64), upload: null }, caption: 'b', references: null },
      ],
      query: { text: undefined, image: { upload: upload('b.png') } },
      k: 3,
    };
    const copy = await withUploadsRead(input, read);
    expect(copy).toEqual({
      items: [
        { image: { base64: 'bytes of a.png' }, caption: 'a', references: ['r'] },
        { image: { assetId: 'f'.repeat(64), upload: null }, caption: 'b', references: null },
      ],
      query: { text: undefined, image: { base64: 'bytes of b.png' } },
      k: 3,
    });
    expect(input.items[0]!.image).toHaveProperty('upload');
  });
});
