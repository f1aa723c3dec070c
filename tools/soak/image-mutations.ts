import sharp from 'sharp';
import type { Rng } from './prng.js';

export const SEED_FORMATS = ['jpeg', 'png', 'webp', 'gif', 'avif', 'tiff'] as const;
export type SeedFormat = (typeof SEED_FORMATS)[number];

/** One small real image per format, made with sharp: the fuzzer's seeds. */
export async function seedImages(): Promise<Record<SeedFormat, Buffer>> {
  const [width, height] = [40, 30];
  const pixels = Buffer.alloc(width * height * 3);
  for (let i = 0; i < width * height; i++) {
    const [x, y] = [i % width, Math.floor(i / width)];
    pixels.set([x * 6, y * 8, (x + y) * 3], i * 3);
  }
  const raw = { raw: { width, height, channels: 3 as const } };
  const entries = await Promise.all(
    SEED_FORMATS.map(
      async (format) => [format, await sharp(pixels, raw).toFormat(format).toBuffer()] as const,
    ),
  );
  return Object.fromEntries(entries) as Record<SeedFormat, Buffer>;
}

export interface Mutation {
  /** How the seed was changed, enough to reproduce it by hand. */
  description: string;
  bytes: Buffer;
}

/** Values that break parsers: zero, the extremes, off-by-one of powers of two. */
const INTERESTING = [0x00, 0x01, 0x7f, 0x80, 0xff, 0xfe];

/**
 * One random mutation of a seed: flipped bits, random bytes, a truncation, a header field set to an
 * extreme (width/height fields where the format has them at known places, else the first 64 bytes),
 * a duplicated or removed chunk.
 */
export function mutate(seed: Buffer, format: SeedFormat, rng: Rng): Mutation {
  const bytes = Buffer.from(seed);
  switch (rng.int(5)) {
    case 0: {
      const flips = 1 + rng.int(8);
      const at = Array.from({ length: flips }, () => rng.int(bytes.length));
      for (const i of at) bytes[i]! ^= 1 << rng.int(8);
      return { description: `${format}: bit flips at ${at.join(',')}`, bytes };
    }
    case 1: {
      const length = rng.int(bytes.length);
      return { description: `${format}: truncated to ${length} bytes`, bytes: bytes.subarray(0, length) };
    }
    case 2: {
      const fields = headerFields(bytes, format);
      const at =
        fields.length > 0 && rng.chance(0.8) ? rng.pick(fields) : rng.int(Math.min(64, bytes.length));
      const value = rng.pick(INTERESTING);
      bytes[at] = value;
      if (at + 1 < bytes.length && rng.chance(0.5)) bytes[at + 1] = value;
      return { description: `${format}: header byte ${at} set to 0x${value.toString(16)}`, bytes };
    }
    case 3: {
      const start = rng.int(bytes.length);
      const length = 1 + rng.int(Math.min(256, bytes.length - start));
      const chunk = bytes.subarray(start, start + length);
      const at = rng.int(bytes.length);
      return {
        description: `${format}: ${length} bytes from ${start} copied in at ${at}`,
        bytes: Buffer.concat([bytes.subarray(0, at), chunk, bytes.subarray(at)]),
      };
    }
    default: {
      const count = 1 + rng.int(32);
      const at = rng.int(bytes.length);
      rng.bytes(count).copy(bytes, at);
      return { description: `${format}: ${count} random bytes at ${at}`, bytes };
    }
  }
}

/** Offsets of the dimension fields, where a parser decides how much memory to ask for. */
function headerFields(bytes: Buffer, format: SeedFormat): number[] {
  switch (format) {
    case 'png':
      return [16, 17, 18, 19, 20, 21, 22, 23, 24, 25]; // IHDR width, height, depth, colour type
    case 'gif':
      return [6, 7, 8, 9, 10]; // logical screen width, height, flags
    case 'jpeg': {
      const sof = bytes.findIndex((b, i) => b === 0xff && (bytes[i + 1] === 0xc0 || bytes[i + 1] === 0xc2));
      return sof < 0 ? [] : [5, 6, 7, 8, 9].map((d) => sof + d); // precision, height, width, components
    }
    case 'webp':
      return [4, 5, 6, 7, 26, 27, 28, 29]; // RIFF size, VP8 frame width/height
    case 'tiff':
      return [2, 3, 4, 5, 6, 7]; // magic, first IFD offset
    case 'avif': {
      const ispe = bytes.indexOf('ispe');
      return ispe < 0 ? [] : [8, 9, 10, 11, 12, 13, 14, 15].map((d) => ispe + d); // image spatial extents
    }
  }
}
