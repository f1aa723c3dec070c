import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { ClipEngine } from '../clip-engine.js';
import { ClipError } from '../errors.js';
import { cosineSimilarity } from '../scores.js';
import { type FakeHub, startFakeHub } from '../test-support/fake-hub.js';
import { PARITY_MODEL, reference } from '../test-support/parity-fixture.js';
import { type PullOptions, type PullProgress, pullModel } from './pull-model.js';

const REPO = 'Xenova/clip-parity';
const COMBINED_REPO = 'Xenova/clip-combined';
const NO_TOKENIZER_REPO = 'Xenova/clip-no-tokenizer';
const TOKEN = 'hf_fakeTokenThatMustNeverBeEchoed';
const CONFIGS = ['config.json', 'preprocessor_config.json', 'tokenizer.json', 'tokenizer_config.json'];
const FP32_FILES = [...CONFIGS, 'onnx/text_model.onnx', 'onnx/vision_model.onnx'];
const TEXT_MODEL = 'onnx/text_model.onnx';

let hub: FakeHub;
let sources: string;
let modelsDir: string;

/** A repo folder holding some of the parity model's files. */
async function partialRepo(name: string, files: string[]): Promise<string> {
  const dir = join(sources, name);
  await mkdir(join(dir, 'onnx'), { recursive: true });
  for (const file of files) await copyFile(join(PARITY_MODEL, file), join(dir, file));
  return dir;
}

beforeAll(async () => {
  sources = await mkdtemp(join(tmpdir(), 'clipsmith-hub-repos-'));
  hub = await startFakeHub({
    repos: {
      [REPO]: PARITY_MODEL,
      [COMBINED_REPO]: await partialRepo('combined', [...CONFIGS, 'onnx/model.onnx']),
      [NO_TOKENIZER_REPO]: await partialRepo('no-tokenizer', ['config.json', 'onnx/model.onnx']),
    },
    // A small page size makes listFiles follow the Link header across several pages.
    pageSize: 3,
  });
});

afterAll(async () => {
  await hub.close();
  await rm(sources, { recursive: true, force: true });
});

beforeEach(async () => {
  modelsDir = await mkdtemp(join(tmpdir(), 'clipsmith-pull-'));
  hub.requests.length = 0;
  // Nothing here may reach the real hub: a test that forgets hubUrl meets a closed port instead.
  vi.stubEnv('HF_ENDPOINT', 'http://127.0.0.1:9');
  vi.stubEnv('HF_TOKEN', '');
});

afterEach(async () => {
  vi.unstubAllEnvs();
  await rm(modelsDir, { recursive: true, force: true });
});

function pull(options: Partial<PullOptions> = {}) {
  return pullModel({ repo: REPO, dtype: 'fp32', modelsDir, hubUrl: hub.url, ...options });
}

async function pullError(options: Partial<PullOptions> = {}): Promise<ClipError> {
  const error: unknown = await pull(options).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ClipError);
  return error as ClipError;
}

function repoDir(repo = REPO): string {
  return join(modelsDir, ...repo.split('/'));
}

/** Every file under a folder, as sorted slash-separated relative paths. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1))
    .sort();
}

async function sameAsFixture(dir: string, file: string, source = PARITY_MODEL): Promise<boolean> {
  const [got, want] = await Promise.all([readFile(join(dir, file)), readFile(join(source, file))]);
  return got.equals(want);
}

const resolvePath = (file: string, repo = REPO): string => `/${repo}/resolve/main/${file}`;
const resolveRequests = () => hub.requests.filter((r) => r.path.includes('/resolve/'));

describe('pullModel from a fake hub', () => {
  it('pulls exactly the split fp32 files, verified, and the engine loads them', async () => {
    const events: PullProgress[] = [];
    const result = await pull({ onProgress: (e) => events.push(e) });

    const dir = repoDir();
    expect(result.dir).toBe(dir);
    expect(result.files).toEqual(
      await Promise.all(
        FP32_FILES.map(async (path) => ({
          path,
          bytes: (await stat(join(PARITY_MODEL, path))).size,
          verified: path.endsWith('.onnx') ? 'sha256' : 'git-sha1',
          skipped: false,
        })),
      ),
    );
    expect(await filesUnder(dir)).toEqual([...FP32_FILES].sort());
    for (const file of FP32_FILES) expect(await sameAsFixture(dir, file), file).toBe(true);

    expect(hub.requests.filter((r) => r.path.startsWith('/api/')).length).toBeGreaterThan(1);
    expect(resolveRequests().map((r) => r.path)).toEqual(FP32_FILES.map((f) => resolvePath(f)));
    // The LFS files came through the CDN redirect, as on the real hub.
    expect(hub.requests.filter((r) => r.path.startsWith('/cdn-lfs/'))).toHaveLength(2);
    for (const file of FP32_FILES) {
      const last = events.filter((e) => e.file === file).at(-1);
      expect(last, file).toEqual({ file, bytes: last!.total, total: last!.total });
    }

    const engine = await ClipEngine.load(dir, { intraOpNumThreads: 1 });
    try {
      const [embedding] = await engine.embedTexts([reference.texts[0]!.text]);
      expect(cosineSimilarity(embedding!, reference.texts[0]!.text_embeds)).toBeGreaterThanOrEqual(0.99999);
    } finally {
      await engine.dispose();
    }
  });

  it('pulls only the quantized towers for q8, from HF_ENDPOINT when no hubUrl is given', async () => {
    vi.stubEnv('HF_ENDPOINT', hub.url);
    const result = await pullModel({ repo: REPO, dtype: 'q8', modelsDir });
    const expected = [...CONFIGS, 'onnx/text_model_quantized.onnx', 'onnx/vision_model_quantized.onnx'];
    expect(result.files.map((f) => f.path)).toEqual(expected);
    expect(await filesUnder(repoDir())).toEqual([...expected].sort());
    expect(resolveRequests().map((r) => r.path)).toEqual(expected.map((f) => resolvePath(f)));
  });

  it('falls back to onnx/model.onnx when the repo has no split towers', async () => {
    const result = await pull({ repo: COMBINED_REPO });
    const expected = [...CONFIGS, 'onnx/model.onnx'];
    expect(result.files.map((f) => f.path)).toEqual(expected);
    expect(await filesUnder(repoDir(COMBINED_REPO))).toEqual([...expected].sort());
    expect(await sameAsFixture(repoDir(COMBINED_REPO), 'onnx/model.onnx')).toBe(true);

    const engine = await ClipEngine.load(repoDir(COMBINED_REPO), { intraOpNumThreads: 1 });
    try {
      expect(engine.info.files.kind).toBe('combined');
      const [embedding] = await engine.embedTexts([reference.texts[0]!.text]);
      expect(cosineSimilarity(embedding!, reference.texts[0]!.text_embeds)).toBeGreaterThanOrEqual(0.9999);
    } finally {
      await engine.dispose();
    }
  });

  it('fails before any download when the dtype is missing, naming the ONNX files there are', async () => {
    const error = await pullError({ dtype: 'fp16' });
    expect(error.code).toBe('PULL_FAILED');
    expect(error.message).toContain(`${REPO} has no fp16 weights`);
    expect(error.message).toContain(
      'its ONNX files are: onnx/model.onnx, onnx/text_model.onnx, onnx/text_model_quantized.onnx, ' +
        'onnx/vision_model.onnx, onnx/vision_model_quantized.onnx',
    );
    expect(resolveRequests()).toEqual([]);
    expect(existsSync(repoDir())).toBe(false);

    const combined = await pullError({ repo: COMBINED_REPO, dtype: 'q8' });
    expect(combined.message).toMatch(/has no q8 weights: .*its ONNX files are: onnx\/model\.onnx$/);

    const incomplete = await pullError({ repo: NO_TOKENIZER_REPO });
    expect(incomplete.message).toBe(
      `${NO_TOKENIZER_REPO} is not a CLIP export the engine can load: it lacks preprocessor_config.json, tokenizer.json`,
    );
    expect(resolveRequests()).toEqual([]);
  });

  it('resumes a .part left by an earlier pull with a Range request', async () => {
    const full = await readFile(join(PARITY_MODEL, TEXT_MODEL));
    const half = full.length >> 1;
    await mkdir(join(repoDir(), 'onnx'), { recursive: true });
    await writeFile(join(repoDir(), `${TEXT_MODEL}.part`), full.subarray(0, half));
    const events: PullProgress[] = [];

    const result = await pull({ onProgress: (e) => events.push(e) });

    expect(hub.requests).toContainEqual(
      expect.objectContaining({ path: resolvePath(TEXT_MODEL), range: `bytes=${half}-` }),
    );
    expect(events.find((e) => e.file === TEXT_MODEL)!.bytes).toBeGreaterThan(half);
    expect(result.files.find((f) => f.path === TEXT_MODEL)).toEqual({
      path: TEXT_MODEL,
      bytes: full.length,
      verified: 'sha256',
      skipped: false,
    });
    expect(await sameAsFixture(repoDir(), TEXT_MODEL)).toBe(true);
    expect(existsSync(join(repoDir(), `${TEXT_MODEL}.part`))).toBe(false);
  });

  it('deletes a .part whose bytes are not a prefix of the file, so the next pull starts clean', async () => {
    await mkdir(join(repoDir(), 'onnx'), { recursive: true });
    await writeFile(join(repoDir(), `${TEXT_MODEL}.part`), Buffer.alloc(1000, 7));
    const error = await pullError();
    expect(error.message).toMatch(/onnx\/text_model\.onnx of Xenova\/clip-parity failed verification/);
    expect(existsSync(join(repoDir(), `${TEXT_MODEL}.part`))).toBe(false);

    await pull();
    expect(await sameAsFixture(repoDir(), TEXT_MODEL)).toBe(true);
  });

  it('keeps what arrived before a dropped connection and resumes it on the next pull', async () => {
    const total = (await stat(join(PARITY_MODEL, TEXT_MODEL))).size;
    hub.failOnce(TEXT_MODEL, 'drop-mid-body');
    const error = await pullError();
    expect(error.message).toMatch(
      /^download of onnx\/text_model\.onnx from http:\/\/127\.0\.0\.1:\d+ broke off .*pull again to resume it$/,
    );
    const part = join(repoDir(), `${TEXT_MODEL}.part`);
    const kept = (await stat(part)).size;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThanOrEqual(total >> 1);
    expect(existsSync(join(repoDir(), TEXT_MODEL))).toBe(false);

    hub.requests.length = 0;
    const result = await pull();
    expect(hub.requests).toContainEqual(
      expect.objectContaining({ path: resolvePath(TEXT_MODEL), range: `bytes=${kept}-` }),
    );
    // The files finished before the drop are not fetched again.
    expect(result.files.filter((f) => f.skipped).map((f) => f.path)).toEqual(CONFIGS);
    expect(await sameAsFixture(repoDir(), TEXT_MODEL)).toBe(true);
  });

  it.each([
    ['onnx/vision_model.onnx', 'sha256', 64],
    ['tokenizer.json', 'git-sha1', 40],
  ] as const)(
    'rejects a corrupted %s with the %s mismatch and leaves no file',
    async (file, algorithm, len) => {
      const content = await readFile(join(PARITY_MODEL, file));
      const want =
        algorithm === 'sha256'
          ? createHash('sha256').update(content).digest('hex')
          : createHash('sha1').update(`blob ${content.length}\0`).update(content).digest('hex');
      hub.failOnce(file, 'corrupt');

      const error = await pullError();
      const match = new RegExp(
        `^${file.replace('.', '\\.')} of ${REPO} failed verification: expected ${algorithm} ${want}, got ([0-9a-f]{${len}}) `,
      ).exec(error.message);
      expect(match, error.message).not.toBeNull();
      expect(match![1]).not.toBe(want);
      expect(existsSync(join(repoDir(), file))).toBe(false);
      expect(existsSync(join(repoDir(), `${file}.part`))).toBe(false);

      await pull();
      expect(await sameAsFixture(repoDir(), file)).toBe(true);
    },
  );

  it('skips complete files on a second pull and fetches again only one that changed', async () => {
    await pull();
    hub.requests.length = 0;
    const again = await pull();
    expect(again.files.every((f) => f.skipped)).toBe(true);
    expect(hub.requests.filter((r) => !r.path.startsWith('/api/'))).toEqual([]);

    // Same size, one byte different: the hash, not the size, decides.
    const config = join(repoDir(), 'config.json');
    const bytes = await readFile(config);
    bytes[10] = bytes[10]! ^ 1;
    await writeFile(config, bytes);
    hub.requests.length = 0;
    const repaired = await pull();
    expect(repaired.files.filter((f) => !f.skipped).map((f) => f.path)).toEqual(['config.json']);
    expect(resolveRequests().map((r) => r.path)).toEqual([resolvePath('config.json')]);
    expect(await sameAsFixture(repoDir(), 'config.json')).toBe(true);
  });

  it('fails with the hub status when a download is refused', async () => {
    hub.failOnce('preprocessor_config.json', 500);
    const error = await pullError();
    expect(error.message).toMatch(
      /^the hub at http:\/\/127\.0\.0\.1:\d+ answered 500 for preprocessor_config\.json of Xenova\/clip-parity$/,
    );
  });

  it('names a repo or revision the hub does not have', async () => {
    const repo = await pullError({ repo: 'Xenova/no-such-model' });
    expect(repo.message).toBe(`Xenova/no-such-model at revision main not found on ${hub.url} (404)`);
    const revision = await pullError({ revision: 'v9' });
    expect(revision.message).toBe(`${REPO} at revision v9 not found on ${hub.url} (404)`);
  });

  it('names the hub URL when the hub cannot be reached', async () => {
    const gone = await startFakeHub({ repos: {} });
    await gone.close();
    const error = await pullError({ hubUrl: gone.url });
    expect(error.message).toBe(`cannot reach the hub at ${gone.url}: ECONNREFUSED`);
  });

  it('refuses a repo id that could escape the models folder, before any request', async () => {
    const error = await pullError({ repo: '../outside' });
    expect(error.code).toBe('BAD_INPUT');
    expect(hub.requests).toEqual([]);
  });

  it('stops when the signal aborts, keeping the .part to resume', async () => {
    const controller = new AbortController();
    const error = await pullError({
      signal: controller.signal,
      onProgress: (e) => {
        if (e.file === TEXT_MODEL) controller.abort();
      },
    });
    expect(error.message).toBe(`pull of ${REPO} was aborted`);
    expect(existsSync(join(repoDir(), TEXT_MODEL))).toBe(false);
    const kept = (await stat(join(repoDir(), `${TEXT_MODEL}.part`))).size;
    expect(kept).toBeLessThan((await stat(join(PARITY_MODEL, TEXT_MODEL))).size);
    expect(hub.requests.some((r) => r.path.endsWith('vision_model.onnx'))).toBe(false);

    hub.requests.length = 0;
    const before = new AbortController();
    before.abort();
    expect((await pullError({ signal: before.signal })).message).toBe(`pull of ${REPO} was aborted`);
    expect(hub.requests).toEqual([]);
  });
});

describe('pullModel from a hub that wants a token', () => {
  let gated: FakeHub;
  beforeAll(async () => {
    gated = await startFakeHub({ repos: { [REPO]: PARITY_MODEL }, token: TOKEN });
  });
  afterAll(() => gated.close());

  it('asks for HF_TOKEN without one, and never echoes a token it was given', async () => {
    const missing = await pullError({ hubUrl: gated.url });
    expect(missing.code).toBe('PULL_FAILED');
    expect(missing.message).toMatch(/^Xenova\/clip-parity needs a token: set HF_TOKEN/);

    const wrong = 'hf_wrongTokenValue123';
    const refused = await pullError({ hubUrl: gated.url, token: wrong });
    expect(refused.message).toBe(
      `the hub at ${gated.url} refused the token for ${REPO} (401): check HF_TOKEN`,
    );
    expect(JSON.stringify(refused, Object.getOwnPropertyNames(refused))).not.toContain(wrong);

    const malformed = await pullError({ hubUrl: gated.url, token: 'notAHubToken' });
    expect(malformed.code).toBe('BAD_INPUT');
    expect(malformed.message).not.toContain('notAHubToken');
    expect(existsSync(repoDir())).toBe(false);
  });

  it('sends HF_TOKEN as a Bearer header on every hub request', async () => {
    vi.stubEnv('HF_TOKEN', TOKEN);
    gated.requests.length = 0;
    const result = await pull({ hubUrl: gated.url });
    expect(result.files.map((f) => f.path)).toEqual(FP32_FILES);
    const hubRequests = gated.requests.filter((r) => !r.path.startsWith('/cdn-lfs/'));
    expect(hubRequests.filter((r) => r.path.includes('/resolve/'))).toHaveLength(FP32_FILES.length);
    for (const r of hubRequests) expect(r.authorization, r.path).toBe(`Bearer ${TOKEN}`);
  });
});
