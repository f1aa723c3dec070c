/**
 * transformers.js 4.x set up to load the benchmark model from its local folder only, with the same thread
 * count, and a check that it really runs onnxruntime-node on the same ONNX file: every session it creates
 * is recorded (the bytes' SHA-256, the options).
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import ort from 'onnxruntime-node';
import type * as Transformers from '@huggingface/transformers';

export interface SessionRecord {
  sha256: string;
  bytes: number;
  executionProviders: unknown;
  intraOpNumThreads: unknown;
}

export const sessionsCreated: SessionRecord[] = [];

type Create = (model: unknown, options?: Record<string, unknown>) => Promise<ort.InferenceSession>;
const sessionClass = ort.InferenceSession as unknown as { create: Create };
const originalCreate = sessionClass.create.bind(ort.InferenceSession);
sessionClass.create = async (model, options) => {
  const bytes = model instanceof Uint8Array ? model : null;
  sessionsCreated.push({
    sha256: bytes ? createHash('sha256').update(bytes).digest('hex') : `path:${String(model)}`,
    bytes: bytes?.byteLength ?? -1,
    executionProviders: options?.['executionProviders'] ?? 'default (cpu)',
    intraOpNumThreads: options?.['intraOpNumThreads'],
  });
  return originalCreate(model, options);
};

export async function fileSha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export async function transformersJs(modelDir: string): Promise<typeof Transformers> {
  const tjs = await import('@huggingface/transformers');
  tjs.env.allowRemoteModels = false;
  tjs.env.allowLocalModels = true;
  tjs.env.localModelPath = dirname(modelDir) + '/';
  tjs.env.useFSCache = false;
  return tjs;
}

export function modelId(modelDir: string): string {
  return basename(modelDir);
}

export function sessionOptions(threads: number): Record<string, unknown> {
  return { intraOpNumThreads: threads, interOpNumThreads: 1 };
}

/** Whether every session transformers.js created ran the given file's exact bytes. */
export async function verifySessions(
  file: string,
): Promise<{ sameFile: boolean; sessions: SessionRecord[] }> {
  const expected = await fileSha256(file);
  const same = (s: SessionRecord): boolean => s.sha256 === expected || s.sha256 === `path:${file}`;
  return {
    sameFile: sessionsCreated.length > 0 && sessionsCreated.every(same),
    sessions: sessionsCreated.map((s) => ({ ...s })),
  };
}

export const onnxFile = (modelDir: string, tower: 'vision' | 'text'): string =>
  join(modelDir, 'onnx', `${tower}_model.onnx`);
