import { spawnSync } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { bundledModelDir } from '../bundled-model.js';
import { type Calibration, CALIBRATION_FILE } from '../calibration/calibration.js';
import { cosineSimilarity } from '../scores.js';
import { imagePath, PARITY_MODEL, reference } from '../test-support/parity-fixture.js';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

/** Runs the CLI exactly as the README shows: `npm run --silent cli -- ARGS`. */
function cli(args: string[], input?: string): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync('npm', ['run', '--silent', 'cli', '--', ...args], {
    cwd: ROOT,
    input,
    encoding: 'utf8',
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function json<T>(args: string[], input?: string): T {
  const result = cli(args, input);
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  return JSON.parse(result.stdout) as T;
}

describe('clipsmith cli', () => {
  it('tokenizes to the reference ids', () => {
    const [cat, hello] = reference.texts.filter(
      (t) => t.text === 'a photo of a cat' || t.text.startsWith('Hello'),
    );
    const rows = json<{ input: string; ids: number[] }[]>([
      'tokenize',
      '--model',
      PARITY_MODEL,
      '--text',
      cat!.text,
      '--text',
      hello!.text,
    ]);
    expect(rows).toEqual([
      { input: cat!.text, ids: cat!.input_ids },
      { input: hello!.text, ids: hello!.input_ids },
    ]);
  });

  it('embeds images and texts in the order given, matching the reference', () => {
    const image = 'rgba_256.png';
    const text = reference.texts[2]!;
    const rows = json<{ input: string; kind: string; embedding: number[] }[]>([
      'embed',
      '--model',
      PARITY_MODEL,
      '--text',
      text.text,
      '--image',
      imagePath(image),
    ]);
    expect(rows.map((r) => [r.input, r.kind])).toEqual([
      [text.text, 'text'],
      [imagePath(image), 'image'],
    ]);
    expect(cosineSimilarity(rows[0]!.embedding, text.text_embeds)).toBeGreaterThan(0.99999);
    expect(
      cosineSimilarity(rows[1]!.embedding, reference.images[image]!.reference.image_embeds_torch),
    ).toBeGreaterThan(0.9999);
    expect(Math.hypot(...rows[1]!.embedding)).toBeCloseTo(1, 5);
  });

  it('classifies, sorted by probability', () => {
    const labels = ['a cat', 'a dog', 'a red circle'];
    const rows = json<{ label: string; probability: number; similarity: number }[]>([
      'classify',
      '--model',
      PARITY_MODEL,
      '--image',
      imagePath('square_224.png'),
      ...labels.flatMap((l) => ['--label', l]),
    ]);
    expect(rows.map((r) => r.label).sort()).toEqual([...labels].sort());
    expect(rows.reduce((sum, r) => sum + r.probability, 0)).toBeCloseTo(1, 9);
    for (let i = 1; i < rows.length; i++)
      expect(rows[i - 1]!.probability).toBeGreaterThanOrEqual(rows[i]!.probability);
  });

  it('reads thousands of inputs from a file and from stdin, beyond what a command line can carry', async () => {
    const texts = Array.from({ length: 3000 }, (_, i) => `prompt number ${i} about a red circle`);
    const file = join(await mkdtemp(join(tmpdir(), 'clipsmith-cli-')), 'texts.txt');
    await writeFile(file, texts.join('\n'));
    const fromFile = json<{ input: string; ids: number[] }[]>([
      'tokenize',
      '--model',
      PARITY_MODEL,
      '--texts-from',
      file,
    ]);
    expect(fromFile).toHaveLength(3000);
    expect(fromFile[2999]!.input).toBe(texts[2999]);
    const fromStdin = json<{ input: string; embedding: number[] }[]>(
      ['embed', '--model', PARITY_MODEL, '--texts-from', '-'],
      texts.slice(0, 500).join('\n'),
    );
    expect(fromStdin).toHaveLength(500);
  });

  it('quantizes a model folder to signed int8 that embed loads', async () => {
    const out = await mkdtemp(join(tmpdir(), 'clipsmith-cli-'));
    const result = json<{ dir: string; files: { output: string; matrices: number }[] }>([
      'quantize',
      PARITY_MODEL,
      '--out',
      out,
      '--per-tensor',
    ]);
    expect(result.dir).toBe(out);
    expect(result.files.map((f) => [f.output, f.matrices])).toEqual([
      [join(out, 'onnx/text_model_int8.onnx'), 13],
      [join(out, 'onnx/vision_model_int8.onnx'), 13],
      [join(out, 'onnx/model_int8.onnx'), 26],
    ]);
    const [row] = json<{ embedding: number[] }[]>([
      'embed',
      '--model',
      out,
      '--dtype',
      'int8',
      '--text',
      'a cat',
    ]);
    expect(row!.embedding).toHaveLength(16);
    const usage = cli(['quantize', '--out', out]);
    expect([usage.status, usage.stdout]).toEqual([2, '']);
    expect(usage.stderr).toMatch(/quantize needs the DIR of a model folder/);
    await rm(out, { recursive: true, force: true });
  });

  it('reports errors on stderr only, with a non-zero exit', () => {
    const missing = cli(['embed', '--model', PARITY_MODEL, '--image', '/nonexistent.png']);
    expect([missing.status, missing.stdout]).toEqual([1, '']);
    expect(missing.stderr).toMatch(
      /^error \[BAD_IMAGE\]: image 0: cannot read image file \/nonexistent\.png/,
    );
    const noModel = cli(['tokenize', '--model', '/nonexistent', '--text', 'x']);
    expect([noModel.status, noModel.stdout]).toEqual([1, '']);
    expect(noModel.stderr).toMatch(/MODEL_FILE_MISSING.*does not exist/);
    const usage = cli(['classify', '--model', PARITY_MODEL, '--label', 'a']);
    expect([usage.status, usage.stdout]).toEqual([2, '']);
    expect(usage.stderr).toMatch(/classify takes exactly one --image[\s\S]*usage:/);
    const badDtype = cli(['tokenize', '--dtype', 'fp64', '--text', 'x']);
    expect(badDtype.status).toBe(2);
  });

  it('calibrates a model from an image–caption folder, and classify then reports percentiles', async () => {
    const { procedural } = await import('#generators');
    const work = await mkdtemp(join(tmpdir(), 'clipsmith-cli-'));
    const model = join(work, 'model');
    await cp(bundledModelDir(), model, { recursive: true, filter: (p) => !p.endsWith(CALIBRATION_FILE) });
    const pairs = join(work, 'pairs');
    await mkdir(pairs);
    const lines: string[] = [];
    for (let i = 0; i < 24; i++) {
      const { image, caption } = await procedural.captionedScene(5, i);
      const raw = { width: image.rgb.width, height: image.rgb.height, channels: 3 } as const;
      await sharp(image.rgb.data, { raw })
        .png()
        .toFile(join(pairs, `${i}.png`));
      lines.push(JSON.stringify({ image: `${i}.png`, caption }));
    }
    await writeFile(join(pairs, 'captions.jsonl'), lines.join('\n') + '\n');
    const summary = json<{ path: string; counts: { matching: number; mismatched: number } }>([
      'calibrate',
      '--model',
      model,
      '--pairs',
      pairs,
    ]);
    expect(summary.path).toBe(join(model, CALIBRATION_FILE));
    expect(summary.counts.matching).toBe(24);
    const written = JSON.parse(await readFile(summary.path, 'utf8')) as Calibration;
    expect(written.source).toEqual({ kind: 'folder', folder: 'pairs' });
    const rows = json<{ label: string; percentile: number | null }[]>([
      'classify',
      '--model',
      model,
      '--image',
      join(pairs, '0.png'),
      '--label',
      JSON.parse(lines[0]!).caption,
      '--label',
      JSON.parse(lines[1]!).caption,
    ]);
    expect(rows.map((r) => typeof r.percentile)).toEqual(['number', 'number']);
    expect(rows[0]!.percentile).toBeGreaterThan(rows[1]!.percentile!);
    const both = cli(['calibrate', '--model', model, '--pairs', pairs, '--seed', '3']);
    expect([both.status, both.stdout]).toEqual([2, '']);
    expect(both.stderr).toMatch(/--pairs FOLDER or --scenes\/--seed, not both/);
    await rm(work, { recursive: true, force: true });
  });
});
