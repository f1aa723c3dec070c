/** Memory: RSS before and after embedding many distinct images in a loop, with a cache too small to matter. */
import sharp from 'sharp';
import { load } from '#clip';
import { photoLikeRgb } from '../images.js';
import { round } from '../stats.js';

export interface MemoryArgs {
  modelDir: string;
  threads: number;
  images: number;
  size: number;
  batch: number;
}

export interface MemoryResult {
  images: number;
  rssBeforeMb: number;
  rssAfterMb: number;
  rssGrowthMb: number;
  heapAfterMb: number;
  /** [images done, RSS MB] along the way. */
  curve: [number, number][];
  seconds: number;
}

const mb = (bytes: number): number => round(bytes / 2 ** 20, 4);

function settle(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

export async function runMemory(args: MemoryArgs): Promise<MemoryResult> {
  const engine = await load(args.modelDir, { intraOpNumThreads: args.threads, cacheBytes: 64 * 1024 });
  const bases = Array.from({ length: 16 }, (_, i) => photoLikeRgb(args.size, args.size, 500 + i));
  /** Image n: a base picture with n written into it as a 16 × 2 block code, so pixels and bytes differ. */
  const jpeg = (n: number): Promise<Buffer> => {
    const rgb = Uint8Array.from(bases[n % bases.length]!);
    for (let bit = 0; bit < 32; bit++) {
      const on = ((n >>> bit) & 1) === 1;
      const x0 = (bit % 16) * 8;
      const y0 = Math.floor(bit / 16) * 8;
      for (let y = y0; y < y0 + 8; y++)
        rgb.fill(on ? 255 : 0, (y * args.size + x0) * 3, (y * args.size + x0 + 8) * 3);
    }
    return sharp(rgb, { raw: { width: args.size, height: args.size, channels: 3 } })
      .jpeg({ quality: 90 })
      .toBuffer();
  };
  const batchOf = (start: number): Promise<Buffer[]> =>
    Promise.all(Array.from({ length: args.batch }, (_, i) => jpeg(start + i)));
  // Warm up (first allocations, JIT, onnxruntime arenas) before the baseline.
  let n = 0;
  for (let w = 0; w < 3; w++, n += args.batch) await engine.embedImages(await batchOf(1_000_000 + n));
  settle();
  const before = process.memoryUsage().rss;
  const curve: [number, number][] = [[0, mb(before)]];
  const started = performance.now();
  let next = batchOf(0);
  for (let done = 0; done < args.images;) {
    const images = await next;
    const count = Math.min(args.batch, args.images - done);
    if (done + args.batch < args.images) next = batchOf(done + args.batch);
    await engine.embedImages(images.slice(0, count));
    done += count;
    if (done % 1000 < args.batch || done === args.images) curve.push([done, mb(process.memoryUsage().rss)]);
  }
  const seconds = (performance.now() - started) / 1000;
  settle();
  const after = process.memoryUsage();
  await engine.dispose();
  return {
    images: args.images,
    rssBeforeMb: mb(before),
    rssAfterMb: mb(after.rss),
    rssGrowthMb: mb(after.rss - before),
    heapAfterMb: mb(after.heapUsed),
    curve,
    seconds: round(seconds),
  };
}
