/** Images: encoded JPEG bytes → normalised embeddings, in calls of `batch` images, one caller. */
import { readFile } from 'node:fs/promises';
import ort from 'onnxruntime-node';
import sharp from 'sharp';
import { load, type ModelDtype, type ResizeMode } from '#clip';
import { ImagePreprocessor } from '../../libs/clip/src/image-preprocessor.js';
import { DEFAULT_IMAGE_LIMITS } from '../../libs/clip/src/image-probe.js';
import { parsePreprocessConfig } from '../../libs/clip/src/model-config.js';
import { chunks, normalize, type Throughput, throughput } from '../stats.js';
import { modelId, onnxFile, sessionOptions, transformersJs, verifySessions } from '../transformers-js.js';

export interface ImagesArgs {
  runner: 'clipsmith' | 'transformers.js' | 'floor';
  dtype: ModelDtype;
  resizeMode: ResizeMode;
  modelDir: string;
  threads: number;
  sets: { size: number; paths: string[] }[];
  batches: number[];
  /** Images per timed run, by batch size. */
  items: Record<string, number>;
  repeats: number;
}

export interface ImagesResult {
  /** `${size}/${batch}` → throughput. */
  throughput: Record<string, Throughput>;
  check?: unknown;
}

type Embedder = (images: Buffer[]) => Promise<unknown>;

export async function runImages(args: ImagesArgs): Promise<ImagesResult> {
  const results: Record<string, Throughput> = {};
  const { embed, check, prepare } = await embedder(args);
  for (const { size, paths } of args.sets) {
    const all = await Promise.all(paths.map((p) => readFile(p)));
    for (const batch of args.batches) {
      const items = args.items[String(batch)]!;
      if (all.length < items) throw new Error(`${items} images of ${size}² wanted, ${all.length} there`);
      const calls = chunks(all.slice(0, items), batch);
      const ready = prepare ? await prepare(calls) : calls;
      const run = async (): Promise<void> => {
        for (const call of ready) await embed(call as Buffer[]);
      };
      results[`${size}/${batch}`] = await throughput(run, items, calls.length, args.repeats);
    }
  }
  return { throughput: results, check: await check?.() };
}

async function embedder(args: ImagesArgs): Promise<{
  embed: Embedder;
  check?: () => Promise<unknown>;
  prepare?: (calls: Buffer[][]) => Promise<unknown[]>;
}> {
  if (args.runner === 'clipsmith') {
    const engine = await load(args.modelDir, {
      dtype: args.dtype,
      intraOpNumThreads: args.threads,
      resizeMode: args.resizeMode,
      // Every run re-embeds the same images: the cache must not answer.
      cacheSize: 0,
    });
    return {
      embed: (images) => engine.embedImages(images),
      check: async () => ({ files: engine.info.files, sharpConcurrency: sharp.concurrency() }),
    };
  }
  if (args.runner === 'transformers.js') {
    const tjs = await transformersJs(args.modelDir);
    const id = modelId(args.modelDir);
    const processor = await tjs.AutoProcessor.from_pretrained(id);
    const model = await tjs.CLIPVisionModelWithProjection.from_pretrained(id, {
      dtype: 'fp32',
      device: 'cpu',
      session_options: sessionOptions(args.threads),
    });
    return {
      embed: async (images) => {
        const raw = await Promise.all(images.map((b) => tjs.RawImage.fromBlob(new Blob([b]))));
        const { pixel_values } = (await processor(raw)) as { pixel_values: unknown };
        const { image_embeds } = (await model({ pixel_values })) as {
          image_embeds: { normalize: (p: number, dim: number) => { tolist: () => number[][] } };
        };
        return image_embeds.normalize(2, -1).tolist();
      },
      check: () => verifySessions(onnxFile(args.modelDir, 'vision')),
    };
  }
  // The floor: onnxruntime-node on already-preprocessed tensors, on this thread, same options.
  const suffix = args.dtype === 'int8' ? '_int8' : '';
  const session = await ort.InferenceSession.create(`${args.modelDir}/onnx/vision_model${suffix}.onnx`, {
    graphOptimizationLevel: 'all',
    executionMode: 'sequential',
    ...sessionOptions(args.threads),
  });
  const config = JSON.parse(await readFile(`${args.modelDir}/preprocessor_config.json`, 'utf8')) as Record<
    string,
    unknown
  >;
  const preprocessor = new ImagePreprocessor(parsePreprocessConfig(config), DEFAULT_IMAGE_LIMITS, 'exact');
  const size = preprocessor.tensorSize;
  return {
    prepare: async (calls) =>
      Promise.all(
        calls.map(async (call) => {
          const data = new Float32Array(call.length * size);
          for (let i = 0; i < call.length; i++) data.set(await preprocessor.pixelValues(call[i]!), i * size);
          return data;
        }),
      ),
    embed: async (prepared) => {
      const data = prepared as unknown as Float32Array;
      const count = data.length / size;
      const tensor = new ort.Tensor('float32', data, [count, 3, preprocessor.height, preprocessor.width]);
      const out = await session.run({ pixel_values: tensor });
      const embeds = out['image_embeds']!.data as Float32Array;
      const dim = embeds.length / count;
      return Array.from({ length: count }, (_, i) => normalize(embeds.subarray(i * dim, (i + 1) * dim)));
    },
  };
}
