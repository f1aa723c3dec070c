/** Where preprocessing time goes: CPU milliseconds per image for each stage, one image at a time. */
import { readFile } from 'node:fs/promises';
import ort from 'onnxruntime-node';
import sharp from 'sharp';
import { resampleRgb } from '../../libs/clip/src/antialias-resample.js';
import { ImagePreprocessor } from '../../libs/clip/src/image-preprocessor.js';
import { DEFAULT_IMAGE_LIMITS, decodeRgb, probeImage } from '../../libs/clip/src/image-probe.js';
import { parsePreprocessConfig } from '../../libs/clip/src/model-config.js';
import { round } from '../stats.js';

export interface StagesArgs {
  modelDir: string;
  threads: number;
  sets: { size: number; paths: string[] }[];
}

export interface StagesResult {
  /** size → stage → CPU ms per image (this process, all threads). */
  cpuMsPerImage: Record<string, Record<string, number>>;
  /** The fp32 floor at batch 32: CPU time over wall time (2 = both cores busy throughout). */
  floorCpuPerWall: number;
  floorCpuMsPerImage: number;
}

async function cpuPer<T>(items: readonly T[], work: (item: T) => unknown): Promise<number> {
  for (const item of items.slice(0, 2)) await work(item);
  const start = process.cpuUsage();
  for (const item of items) await work(item);
  const used = process.cpuUsage(start);
  return round((used.user + used.system) / 1000 / items.length);
}

export async function runStages(args: StagesArgs): Promise<StagesResult> {
  const config = parsePreprocessConfig(
    JSON.parse(await readFile(`${args.modelDir}/preprocessor_config.json`, 'utf8')) as Record<
      string,
      unknown
    >,
  );
  const exact = new ImagePreprocessor(config, DEFAULT_IMAGE_LIMITS, 'exact');
  const fast = new ImagePreprocessor(config, DEFAULT_IMAGE_LIMITS, 'fast');
  const limits = DEFAULT_IMAGE_LIMITS;
  const cpuMsPerImage: StagesResult['cpuMsPerImage'] = {};
  for (const { size, paths } of args.sets) {
    const images = await Promise.all(paths.slice(0, 16).map((p) => readFile(p)));
    const decoded = await Promise.all(images.map((b) => decodeRgb(b, limits)));
    const edge = 224;
    const window = { left: 0, top: 0, width: edge, height: edge };
    const out = new Float32Array(exact.tensorSize);
    cpuMsPerImage[String(size)] = {
      'probe (sharp metadata)': await cpuPer(images, (b) => probeImage(b, limits)),
      'decode (sharp, libjpeg-turbo)': await cpuPer(images, (b) => decodeRgb(b, limits)),
      'exact resize, SIMD': await cpuPer(decoded, (rgb) =>
        resampleRgb(rgb, edge, edge, window, 'bicubic', 'simd'),
      ),
      'exact resize, JavaScript': await cpuPer(decoded, (rgb) =>
        resampleRgb(rgb, edge, edge, window, 'bicubic', 'js'),
      ),
      'exact, whole (bytes → tensor)': await cpuPer(images, (b) => exact.preprocess({ bytes: b }, out)),
      'fast, whole (bytes → tensor)': await cpuPer(images, (b) => fast.preprocess({ bytes: b }, out)),
      'sharp with shrink-on-load (other pixels: not allowed in exact mode)': await cpuPer(images, (b) =>
        sharp(b).resize(edge, edge, { kernel: 'cubic' }).raw().toBuffer(),
      ),
    };
  }
  const session = await ort.InferenceSession.create(`${args.modelDir}/onnx/vision_model.onnx`, {
    graphOptimizationLevel: 'all',
    executionMode: 'sequential',
    intraOpNumThreads: args.threads,
    interOpNumThreads: 1,
  });
  const feeds = {
    pixel_values: new ort.Tensor('float32', new Float32Array(32 * exact.tensorSize), [32, 3, 224, 224]),
  };
  await session.run(feeds);
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (let i = 0; i < 2; i++) await session.run(feeds);
  const wall = performance.now() - started;
  const used = process.cpuUsage(cpu);
  await session.release();
  return {
    cpuMsPerImage,
    floorCpuPerWall: round((used.user + used.system) / 1000 / wall),
    floorCpuMsPerImage: round((used.user + used.system) / 1000 / 64),
  };
}
