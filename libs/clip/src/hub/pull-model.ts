import { createHash, type Hash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { HubApiError, listFiles, type ListFileEntry } from '@huggingface/hub';
import { ClipError } from '../errors.js';
import { CONFIG_FILES, DTYPE_SUFFIX, type ModelDtype } from '../model-files.js';

export interface PullProgress {
  /** Path of the file inside the repo, e.g. `onnx/text_model.onnx`. */
  file: string;
  /** Bytes of the file on disk so far, a resumed prefix included. */
  bytes: number;
  total: number;
}

export interface PullOptions {
  /** Hub model id, e.g. `Xenova/clip-vit-base-patch32`. */
  repo: string;
  dtype: ModelDtype;
  /** The model lands in `modelsDir/<namespace>/<name>`. */
  modelsDir: string;
  /** Default: `HF_ENDPOINT`, else https://huggingface.co. */
  hubUrl?: string;
  /** Default: `HF_TOKEN`. Sent only as a Bearer header, never echoed. */
  token?: string;
  /** Branch, tag or commit (default `main`). */
  revision?: string;
  onProgress?: (event: PullProgress) => void;
  signal?: AbortSignal;
}

export interface PulledFile {
  path: string;
  bytes: number;
  verified: 'sha256' | 'git-sha1';
  /** True when the file was already on disk, complete and verified. */
  skipped: boolean;
}

export interface PullResult {
  dir: string;
  files: PulledFile[];
}

interface PullContext {
  repo: string;
  dtype: ModelDtype;
  dir: string;
  hubUrl: string;
  token: string | undefined;
  revision: string;
  onProgress: ((event: PullProgress) => void) | undefined;
  signal: AbortSignal | undefined;
}

/** A file of the repo with the hash the hub vouches for. */
interface RemoteFile {
  path: string;
  size: number;
  algorithm: PulledFile['verified'];
  hash: string;
}

/** Tokenizer files the engine reads when present; old exports lack them. */
const OPTIONAL_FILES = ['tokenizer_config.json', 'special_tokens_map.json'];

/** Hub ids are `name` or `namespace/name`; no segment may start with a dot, so none can escape modelsDir. */
const REPO_ID = /^(?:[\w-][\w.-]*\/)?[\w-][\w.-]*$/;

/**
 * Downloads the files the engine needs for one dtype of a Hub CLIP export into
 * `modelsDir/<repo>`: resumable, verified against the hub's hashes, and never leaving a
 * half-written file under its final name.
 */
export async function pullModel(options: PullOptions): Promise<PullResult> {
  const ctx = resolveContext(options);
  try {
    ctx.signal?.throwIfAborted();
    const files = planFiles(await listRepo(ctx), ctx);
    const pulled: PulledFile[] = [];
    for (const file of files) pulled.push(await pullFile(file, ctx));
    return { dir: ctx.dir, files: pulled };
  } catch (error) {
    throw toPullError(error, ctx);
  }
}

function resolveContext(options: PullOptions): PullContext {
  const { repo } = options;
  if (!REPO_ID.test(repo))
    throw new ClipError('BAD_INPUT', `'${repo}' is not a Hub model id like Xenova/clip-vit-base-patch32`);
  const token = options.token ?? (process.env.HF_TOKEN || undefined);
  // @huggingface/hub rejects other tokens with a TypeError deep inside the listing; say it up front.
  if (token !== undefined && !token.startsWith('hf_'))
    throw new ClipError('BAD_INPUT', 'the Hub token is malformed: Hugging Face access tokens start with hf_');
  return {
    repo,
    dtype: options.dtype,
    dir: join(options.modelsDir, ...repo.split('/')),
    hubUrl: (options.hubUrl ?? process.env.HF_ENDPOINT ?? 'https://huggingface.co').replace(/\/+$/, ''),
    token,
    revision: options.revision ?? 'main',
    onProgress: options.onProgress,
    signal: options.signal,
  };
}

async function listRepo(ctx: PullContext): Promise<Map<string, ListFileEntry>> {
  const entries = new Map<string, ListFileEntry>();
  for await (const entry of listFiles({
    repo: ctx.repo,
    // listFiles puts the revision into the URL as is; a branch like refs/pr/1 needs encoding.
    revision: encodeURIComponent(ctx.revision),
    recursive: true,
    hubUrl: ctx.hubUrl,
    accessToken: ctx.token,
    // listFiles takes no signal; its fetch hook is where abort gets in.
    fetch: (input, init) => fetch(input, { ...init, signal: ctx.signal }),
  })) {
    if (entry.type === 'file') entries.set(entry.path, entry);
  }
  return entries;
}

/** Picks the files to download, failing before any download when the repo cannot make a model. */
function planFiles(entries: Map<string, ListFileEntry>, ctx: PullContext): RemoteFile[] {
  const suffix = DTYPE_SUFFIX[ctx.dtype];
  const split = [`onnx/text_model${suffix}.onnx`, `onnx/vision_model${suffix}.onnx`];
  const combined = `onnx/model${suffix}.onnx`;
  const towers = split.every((p) => entries.has(p)) ? split : entries.has(combined) ? [combined] : undefined;
  if (!towers) {
    const onnx = [...entries.keys()].filter((p) => p.endsWith('.onnx')).sort();
    throw new ClipError(
      'PULL_FAILED',
      `${ctx.repo} has no ${ctx.dtype} weights: neither ${split.join(' + ')} nor ${combined}; ` +
        `its ONNX files are: ${onnx.join(', ') || 'none'}`,
    );
  }
  const missing = CONFIG_FILES.filter((p) => !entries.has(p));
  if (missing.length > 0)
    throw new ClipError(
      'PULL_FAILED',
      `${ctx.repo} is not a CLIP export the engine can load: it lacks ${missing.join(', ')}`,
    );
  const wanted = [...CONFIG_FILES, ...OPTIONAL_FILES.filter((p) => entries.has(p)), ...towers];
  return wanted.map((p) => remoteFile(entries.get(p)!, ctx));
}

function remoteFile(entry: ListFileEntry, ctx: PullContext): RemoteFile {
  // An LFS file's own oid hashes its pointer, not its content: lfs.oid is the content's sha256.
  if (entry.lfs) return { path: entry.path, size: entry.lfs.size, algorithm: 'sha256', hash: entry.lfs.oid };
  if (entry.oid) return { path: entry.path, size: entry.size, algorithm: 'git-sha1', hash: entry.oid };
  throw new ClipError('PULL_FAILED', `the hub lists ${entry.path} of ${ctx.repo} without a hash to verify`);
}

async function pullFile(file: RemoteFile, ctx: PullContext): Promise<PulledFile> {
  const target = join(ctx.dir, ...file.path.split('/'));
  const result = { path: file.path, bytes: file.size, verified: file.algorithm };
  const complete =
    (await sizeOf(target)) === file.size &&
    (await hashFile(newHash(file), target, ctx.signal)).digest('hex') === file.hash;
  if (complete) return { ...result, skipped: true };
  await mkdir(dirname(target), { recursive: true });
  const part = `${target}.part`;
  let offset = (await sizeOf(part)) ?? 0;
  // A .part at least as long as the file is no prefix to resume from: it is what failed last time.
  if (offset >= file.size) {
    await rm(part, { force: true });
    offset = 0;
  }
  const response = await fetch(
    `${ctx.hubUrl}/${ctx.repo}/resolve/${encodeURIComponent(ctx.revision)}/${file.path}`,
    {
      headers: {
        ...(ctx.token ? { Authorization: `Bearer ${ctx.token}` } : {}),
        ...(offset > 0 ? { Range: `bytes=${offset}-` } : {}),
      },
      signal: ctx.signal,
    },
  );
  // 206 continues the .part; 200 means the server ignored the Range, so start over.
  const resumed = response.status === 206;
  if (!resumed && response.status !== 200) {
    await response.body?.cancel();
    throw statusError(response.status, `${file.path} of ${ctx.repo}`, ctx);
  }
  if (resumed && contentRangeStart(response) !== offset) {
    await response.body?.cancel();
    throw new ClipError('PULL_FAILED', `the hub resumed ${file.path} at the wrong byte, not at ${offset}`);
  }
  const hash = resumed ? await hashFile(newHash(file), part, ctx.signal) : newHash(file);
  let bytes = resumed ? offset : 0;
  const body = response.body ? Readable.fromWeb(response.body as NodeReadableStream) : Readable.from([]);
  try {
    await pipeline(
      body,
      async function* (source: AsyncIterable<Buffer>) {
        for await (const chunk of source) {
          hash.update(chunk);
          bytes += chunk.length;
          ctx.onProgress?.({ file: file.path, bytes, total: file.size });
          yield chunk;
        }
      },
      // No signal here: aborting fetch's signal already errors the body mid-stream.
      createWriteStream(part, { flags: resumed ? 'a' : 'w' }),
    );
  } catch (error) {
    if (ctx.signal?.aborted) throw error;
    throw new ClipError(
      'PULL_FAILED',
      `download of ${file.path} from ${ctx.hubUrl} broke off (${describe(error)}); pull again to resume it`,
      { cause: error },
    );
  }
  const actual = hash.digest('hex');
  if (bytes !== file.size || actual !== file.hash) {
    await rm(part, { force: true });
    throw new ClipError(
      'PULL_FAILED',
      `${file.path} of ${ctx.repo} failed verification: expected ${file.algorithm} ${file.hash}, ` +
        `got ${actual} over ${bytes} of ${file.size} bytes; the download was deleted, pull again`,
    );
  }
  await rename(part, target);
  return { ...result, skipped: false };
}

/** sha256 for LFS files; a git blob sha1 (header `blob <size>\0`, then the content) otherwise. */
function newHash(file: RemoteFile): Hash {
  return file.algorithm === 'sha256'
    ? createHash('sha256')
    : createHash('sha1').update(`blob ${file.size}\0`);
}

async function hashFile(hash: Hash, path: string, signal: AbortSignal | undefined): Promise<Hash> {
  for await (const chunk of createReadStream(path, { signal })) hash.update(chunk as Buffer);
  return hash;
}

function sizeOf(path: string): Promise<number | undefined> {
  return stat(path).then(
    (s) => s.size,
    () => undefined,
  );
}

function contentRangeStart(response: Response): number | undefined {
  const match = /^bytes (\d+)-/.exec(response.headers.get('content-range') ?? '');
  return match ? Number(match[1]) : undefined;
}

function statusError(status: number, subject: string, ctx: PullContext, cause?: unknown): ClipError {
  const message =
    status === 401
      ? ctx.token
        ? `the hub at ${ctx.hubUrl} refused the token for ${ctx.repo} (401): check HF_TOKEN`
        : `${ctx.repo} needs a token: set HF_TOKEN (the hub at ${ctx.hubUrl} answered 401, as it also does for a repo that does not exist)`
      : status === 403
        ? `${ctx.repo} is gated or private (403): accept its terms at ${ctx.hubUrl}/${ctx.repo} and set HF_TOKEN to a token that can read it`
        : status === 404
          ? `${subject} not found on ${ctx.hubUrl} (404)`
          : `the hub at ${ctx.hubUrl} answered ${status} for ${subject}`;
  return new ClipError('PULL_FAILED', message, { cause });
}

function toPullError(error: unknown, ctx: PullContext): ClipError {
  if (ctx.signal?.aborted)
    return new ClipError('PULL_FAILED', `pull of ${ctx.repo} was aborted`, { cause: ctx.signal.reason });
  if (error instanceof ClipError) return error;
  if (error instanceof HubApiError)
    return statusError(error.statusCode, `${ctx.repo} at revision ${ctx.revision}`, ctx, error);
  return new ClipError('PULL_FAILED', `cannot reach the hub at ${ctx.hubUrl}: ${describe(error)}`, {
    cause: error,
  });
}

/** fetch's own message is a bare "fetch failed"; the useful part (ECONNREFUSED, …) sits in its cause. */
function describe(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | undefined)?.cause;
  const detail = cause?.code ?? cause?.message ?? (error as Error | undefined)?.message;
  return String(detail ?? error);
}
