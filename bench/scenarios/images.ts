/** Images: encoded JPEG bytes → normalised embeddings, in calls of `batch` images, one caller, per runner. */
import { readFile } from 'node:fs/promises';
import ort from 'onnxruntime-node';
import sharp from 'sharp';
import {
  DEFAULT_IMAGE_LIMITS,
  ImagePreprocessor,
  load,
  type ModelDtype,
  parsePreprocessConfig,
  type ResizeMode,
} from '#clip';
import type { Runner } from '../runner-child.js';
import { chunks, normalize } from '../stats.js';
import { modelId, onnxFile, sessionOptions, transformersJs, verifySessions } from '../transformers-js.js';

export interface ImagesRunnerSpec {
  runner: 'clipsmith' | 'transformers.js' | 'floor';
  dtype: ModelDtype;
  resizeMode: ResizeMode;
  modelDir: string;
  threads: number;
  sets: { size: number; paths: string[] }[];
  /** Images per pass, by batch size (the workload `${size}/${batch}` embeds that many in calls of `batch`). */
  items: Record<string, number>;
}

type Embedder = (images: Buffer[]) => Promise<unknown>;

/** Workloads `${size}/${batch}`: the set's first `items[batch]` images, embedded in calls of `batch`. */
export async function imagesRunner(spec: ImagesRunnerSpec): Promise<Runner> {
  const { embed, check, prepare } = await embedder(spec);
  const workloads: Runner['workloads'] = {};
  for (const { size, paths } of spec.sets) {
    const all = await Promise.all(paths.map((p) => readFile(p)));
    for (const [batchKey, items] of Object.entries(spec.items)) {
      const batch = Number(batchKey);
      if (all.length < items) throw new Error(`${items} images of ${size}² wanted, ${all.length} there`);
      const calls = chunks(all.slice(0, items), batch);
      const ready = prepare ? await prepare(calls) : calls;
      workloads[`${size}/${batch}`] = async () => {
        for (const call of ready) await embed(call as Buffer[]);
        return { items, calls: calls.length };
      };
    }
  }
  return { workloads, check };
}

async function embedder(args: ImagesRunnerSpec): Promise<{
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
      cacheBytes: 0,
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
