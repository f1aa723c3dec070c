import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningApp, startApp, waitForOk } from './support/app-process.js';
import { gql } from './support/graphql-client.js';

/*
 * One image, one decode: an image is verified (decoded to pixels) once where it enters, and those pixels
 * serve CLIP, the edit operators and the store. clipsmith_image_decodes_total{stage} counts every decode.
 */

let app: RunningApp;
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'clipsmith-e2e-decodes-'));
  // The embedding cache off: a cached embedding would hide a decode the request still needs.
  app = await startApp({ DATA_DIR: dataDir, CLIP_CACHE_BYTES: '0' });
  await waitForOk(app.url, '/readyz');
});
afterAll(async () => {
  await app?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

/** clipsmith_image_decodes_total by stage, as /metrics says now. */
async function decodes(): Promise<Record<string, number>> {
  const text = await (await fetch(`${app.url}/metrics`)).text();
  const counts: Record<string, number> = {};
  for (const [, stage, value] of text.matchAll(/^clipsmith_image_decodes_total\{stage="([^"]+)"\} (\S+)$/gm))
    counts[stage!] = Number(value);
  return counts;
}

/** The decodes a piece of work made, by stage (stages it did not touch left out). */
async function decodesDuring(work: () => Promise<void>): Promise<Record<string, number>> {
  const before = await decodes();
  await work();
  const after = await decodes();
  return Object.fromEntries(
    Object.entries(after)
      .map(([stage, n]) => [stage, n - (before[stage] ?? 0)] as const)
      .filter(([, n]) => n > 0),
  );
}

const GENERATE = `mutation($seed: Int!) { generate(input: {
  prompt: "a red circle on a white background", count: 6, seed: $seed }) {
  candidates { asset { id } } errors { code message } } }`;

const EDIT = `mutation($image: ImageInput!) { editImage(input: {
  image: $image, instruction: "make the circle green", budget: 12 }) {
  accepted asset { id } operations { name } } }`;

describe('image decodes', () => {
  let assetId = '';

  it('decodes each generate candidate once, where it is checked', async () => {
    const counted = await decodesDuring(async () => {
      const { data, errors } = await gql<{ generate: { candidates: { asset: { id: string } }[] } }>(
        app.url,
        GENERATE,
        { seed: 11 },
      );
      expect(errors).toBeUndefined();
      expect(data!.generate.candidates).toHaveLength(6);
      assetId = data!.generate.candidates[0]!.asset.id;
    });
    expect(counted).toEqual({ verify: 6 });
  });

  it('decodes an editImage source once, for the search, the checks and the store', async () => {
    const counted = await decodesDuring(async () => {
      const { data, errors } = await gql<{ editImage: { asset: { id: string } } }>(app.url, EDIT, {
        image: { assetId },
      });
      expect(errors).toBeUndefined();
      expect(data!.editImage.asset.id).not.toBe(assetId);
    });
    expect(counted).toEqual({ verify: 1 });
  });

  it('decodes a base64 source once, though it is also stored as an upload', async () => {
    const png = await (await fetch(`${app.url}/assets/${assetId}`)).arrayBuffer();
    const counted = await decodesDuring(async () => {
      const { errors } = await gql(app.url, EDIT, {
        image: { base64: Buffer.from(png).toString('base64') },
      });
      expect(errors).toBeUndefined();
    });
    expect(counted).toEqual({ verify: 1 });
  });
});
