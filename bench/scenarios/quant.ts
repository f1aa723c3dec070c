/** Signed int8 against fp32: cosine of the embeddings, on the parity fixture and on the benchmark set. */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { load } from '#clip';
import { cosine, round } from '../stats.js';

export interface QuantArgs {
  /** Folders holding fp32 and _int8 towers (the fixture's, quantised into a temporary folder). */
  cases: { name: string; dir: string; images: string[]; texts: string[] }[];
  threads: number;
}

export interface CosineSummary {
  min: number;
  mean: number;
  count: number;
}

export type QuantResult = Record<string, { images: CosineSummary; texts: CosineSummary }>;

function summary(a: Float32Array[], b: Float32Array[]): CosineSummary {
  const c = a.map((v, i) => cosine(v, b[i]!));
  return {
    min: round(Math.min(...c), 6),
    mean: round(c.reduce((s, x) => s + x, 0) / c.length, 6),
    count: c.length,
  };
}

export async function runQuant(args: QuantArgs): Promise<QuantResult> {
  const out: QuantResult = {};
  for (const c of args.cases) {
    const images = await Promise.all(c.images.map((p) => readFile(p)));
    const embed = async (dtype: 'fp32' | 'int8'): Promise<[Float32Array[], Float32Array[]]> => {
      const engine = await load(c.dir, { dtype, intraOpNumThreads: args.threads, cacheBytes: 0 });
      const result: [Float32Array[], Float32Array[]] = [
        await engine.embedImages(images),
        await engine.embedTexts(c.texts),
      ];
      await engine.dispose();
      return result;
    };
    const [fpImages, fpTexts] = await embed('fp32');
    const [qImages, qTexts] = await embed('int8');
    out[c.name] = { images: summary(fpImages, qImages), texts: summary(fpTexts, qTexts) };
  }
  return out;
}

/** The parity fixture's images and texts (from its reference.json). */
export async function fixtureCase(fixture: string, dir: string): Promise<QuantArgs['cases'][number]> {
  const reference = JSON.parse(await readFile(join(fixture, 'reference.json'), 'utf8')) as {
    texts: { text: string }[];
  };
  const images = (await readdir(join(fixture, 'images'))).sort().map((f) => join(fixture, 'images', f));
  return { name: 'parity fixture', dir, images, texts: reference.texts.map((t) => t.text) };
}
