/** Where preprocessing time goes: CPU milliseconds per image for each stage, one image at a time. */
import { readFile } from 'node:fs/promises';
import {
  DEFAULT_IMAGE_LIMITS,
  decodeRgb,
  ImagePreprocessor,
  parsePreprocessConfig,
  probeImage,
  resampleRgb,
} from '#clip';
import type { Runner } from '../runner-child.js';

export interface StagesRunnerSpec {
  modelDir: string;
  sets: { size: number; paths: string[] }[];
}

/** The stages whose sum is the exact path's preprocessing: what the ceiling adds to inference. */
export const EXACT_STAGES = ['decode (sharp, libjpeg-turbo)', 'exact resize, SIMD'] as const;

async function cpuPer<T>(items: readonly T[], work: (item: T) => unknown): Promise<number> {
  const start = process.cpuUsage();
  for (const item of items) await work(item);
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000 / items.length;
}

/** Workloads `stages/${size}`: each stage once over 16 images, its CPU ms per image reported as extras. */
export async function stagesRunner(spec: StagesRunnerSpec): Promise<Runner> {
  const config = parsePreprocessConfig(
    JSON.parse(await readFile(`${spec.modelDir}/preprocessor_config.json`, 'utf8')) as Record<
      string,
      unknown
    >,
  );
  const exact = new ImagePreprocessor(config, DEFAULT_IMAGE_LIMITS, 'exact');
  const fast = new ImagePreprocessor(config, DEFAULT_IMAGE_LIMITS, 'fast');
  const limits = DEFAULT_IMAGE_LIMITS;
  const workloads: Runner['workloads'] = {};
  for (const { size, paths } of spec.sets) {
    const images = await Promise.all(paths.slice(0, 16).map((p) => readFile(p)));
    const decoded = await Promise.all(images.map((b) => decodeRgb(b, limits)));
    const edge = 224;
    const window = { left: 0, top: 0, width: edge, height: edge };
    const out = new Float32Array(exact.tensorSize);
    const stages: Record<string, () => Promise<number>> = {
      'probe (sharp metadata)': () => cpuPer(images, (b) => probeImage(b, limits)),
      'decode (sharp, libjpeg-turbo)': () => cpuPer(images, (b) => decodeRgb(b, limits)),
      'exact resize, SIMD': () =>
        cpuPer(decoded, (rgb) => resampleRgb(rgb, edge, edge, window, 'bicubic', 'simd')),
      'exact resize, JavaScript': () =>
        cpuPer(decoded, (rgb) => resampleRgb(rgb, edge, edge, window, 'bicubic', 'js')),
      'exact, whole (bytes → tensor)': () => cpuPer(images, (b) => exact.preprocess({ bytes: b }, out)),
      'fast, whole (bytes → tensor)': () => cpuPer(images, (b) => fast.preprocess({ bytes: b }, out)),
    };
    workloads[`stages/${size}`] = async () => {
      const extra: Record<string, number> = {};
      for (const [name, measure] of Object.entries(stages)) extra[name] = await measure();
      return { items: images.length * Object.keys(stages).length, calls: 1, extra };
    };
  }
  return { workloads };
}
