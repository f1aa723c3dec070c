import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { mkdir, rm, utimes, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { DEFAULT_IMAGE_LIMITS } from '#clip';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assetIdOf } from './asset-id.js';
import { SqlDatabase } from '../database/database.js';
import { AssetRepository } from './asset-repository.js';
import { AssetService } from './asset-service.js';
import { AssetsModule } from './assets.module.js';
import { image, tempDir } from './test-support/fixtures.js';

const MAX_UPLOAD_BYTES = 64 * 1024;

let app: INestApplication;
let url: string;
let dataDir: string;

beforeAll(async () => {
  dataDir = await tempDir();
  const module = AssetsModule.forRoot({
    dataDir,
    databaseUrl: null,
    maxUploadBytes: MAX_UPLOAD_BYTES,
    imageLimits: { ...DEFAULT_IMAGE_LIMITS, maxPixels: 1_000_000 },
  });
  app = await NestFactory.create(module, { logger: false });
  await app.listen(0, '127.0.0.1');
  url = `${await app.getUrl()}/assets`;
});
afterAll(() => app?.close());

function upload(bytes: Uint8Array, fields: Record<string, string> = {}, field = 'file'): Promise<Response> {
  const form = new FormData();
  form.set(field, new Blob([bytes]), 'upload.bin');
  for (const [name, value] of Object.entries(fields)) form.set(name, value);
  return fetch(url, { method: 'POST', body: form });
}

async function expectError(response: Response, status: number, code: string): Promise<string> {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  const body = (await response.json()) as Record<string, unknown>;
  expect(body).toEqual({ code, message: expect.any(String) });
  expect(body['message']).not.toMatch(/\n\s+at /); // no stack
  return body['message'] as string;
}

describe('POST /assets and GET /assets/:id', () => {
  it('stores an upload and serves it back byte for byte, cacheable for good', async () => {
    const bytes = await image(1, 'png', 30, 20);
    const id = assetIdOf(bytes);
    const created = await upload(bytes, { prompt: 'a blue card' });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe(`/assets/${id}`);
    const body = (await created.json()) as Record<string, unknown>;
    expect(body).toEqual({
      id,
      url: `/assets/${id}`,
      mime: 'image/png',
      width: 30,
      height: 20,
      bytes: bytes.length,
      createdAt: expect.any(String),
      source: 'uploaded',
    });
    expect(await app.get(AssetService).get(id)).toMatchObject({ prompt: 'a blue card' });

    const served = await fetch(`${url}/${id}`);
    expect(served.status).toBe(200);
    expect(Buffer.from(await served.arrayBuffer())).toEqual(bytes);
    expect(Object.fromEntries(served.headers)).toMatchObject({
      'content-type': 'image/png',
      'content-length': String(bytes.length),
      etag: `"${id}"`,
      'cache-control': 'public, max-age=31536000, immutable',
      'x-content-type-options': 'nosniff',
    });
  });

  it('answers 201 with the same asset when the same bytes come again', async () => {
    const bytes = await image(2, 'jpeg');
    const first = (await (await upload(bytes)).json()) as { id: string; createdAt: string };
    const again = await upload(bytes, { prompt: 'other words' });
    expect(again.status).toBe(201);
    expect(await again.json()).toMatchObject(first);
  });

  it('answers 304 to a client that has the asset', async () => {
    const bytes = await image(3);
    const { id } = (await (await upload(bytes)).json()) as { id: string };
    for (const ifNoneMatch of [`"${id}"`, `W/"${id}"`, `"other", "${id}"`, '*']) {
      const response = await fetch(`${url}/${id}`, { headers: { 'If-None-Match': ifNoneMatch } });
      expect(response.status).toBe(304);
      expect(response.headers.get('etag')).toBe(`"${id}"`);
      expect(await response.text()).toBe('');
    }
    const stale = await fetch(`${url}/${id}`, { headers: { 'If-None-Match': '"not-it"' } });
    expect(stale.status).toBe(200);
    expect(Buffer.from(await stale.arrayBuffer())).toEqual(bytes);
  });

  it('refuses an upload over the limit with 413 IMAGE_TOO_LARGE, naming the limit', async () => {
    const big = await image(4, 'png', 2, 2);
    const oversized = Buffer.concat([big, Buffer.alloc(MAX_UPLOAD_BYTES)]);
    const message = await expectError(await upload(oversized), 413, 'IMAGE_TOO_LARGE');
    expect(message).toContain(String(MAX_UPLOAD_BYTES));
  });

  it('refuses an image over the pixel limit with 413 IMAGE_TOO_LARGE', async () => {
    const huge = await image(5, 'png', 2000, 1000);
    expect(huge.length).toBeLessThan(MAX_UPLOAD_BYTES);
    expect(await expectError(await upload(huge), 413, 'IMAGE_TOO_LARGE')).toMatch(/limit is 1000000/);
  });

  it('refuses what is not an image with 400 BAD_IMAGE', async () => {
    const message = await expectError(await upload(Buffer.from('%PDF-1.4 not an image')), 400, 'BAD_IMAGE');
    expect(message).toMatch(/not an image/);
  });

  it('refuses an SVG with 415 UNSUPPORTED_IMAGE_FORMAT', async () => {
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>');
    expect(await expectError(await upload(svg), 415, 'UNSUPPORTED_IMAGE_FORMAT')).toMatch(/JPEG, PNG/);
  });

  it('asks for the file when there is none', async () => {
    const noForm = await fetch(url, { method: 'POST', body: JSON.stringify({ file: 'x' }) });
    expect(await expectError(noForm, 400, 'BAD_REQUEST')).toMatch(/"file"/);
    await expectError(await upload(await image(6), {}, 'photo'), 400, 'BAD_REQUEST');
  });

  it.each([
    ['an unknown id', '0'.repeat(64)],
    ['an id in capitals', assetIdOf(Buffer.from('x')).toUpperCase()],
    ['a short id', 'abc'],
    ['an encoded path traversal', '..%2F..%2F..%2Fetc%2Fpasswd'],
    ['an encoded traversal into the database', '..%2Fclipsmith.db'],
    ['a hash with an extension', `${'a'.repeat(64)}.png`],
  ])('answers 404 NOT_FOUND to %s', async (_, id) => {
    await expectError(await fetch(`${url}/${id}`), 404, 'NOT_FOUND');
  });

  it('answers 500 INTERNAL, without details, when a stored file has gone missing', async () => {
    const bytes = await image(7);
    const { id } = (await (await upload(bytes)).json()) as { id: string };
    await rm(join(dataDir, 'assets', id.slice(0, 2), `${id}.png`));
    const response = await fetch(`${url}/${id}`);
    expect(await expectError(response, 500, 'INTERNAL')).not.toMatch(/ENOENT|assets\//);
    expect(response.headers.get('cache-control')).toBeNull();
  });

  it('removes stale temp files at start, and closes the database, WAL merged, at shutdown', async () => {
    const dir = join(dataDir, 'another');
    const temp = join(dir, 'assets', 'ab', `ab${'0'.repeat(62)}.0123456789ab.tmp`);
    await mkdir(dirname(temp), { recursive: true });
    await writeFile(temp, 'half an image');
    const longAgo = new Date(Date.now() - 24 * 60 * 60 * 1000);
    await utimes(temp, longAgo, longAgo);

    const other = await NestFactory.create(
      AssetsModule.forRoot({
        dataDir: dir,
        databaseUrl: null,
        maxUploadBytes: 1024,
        imageLimits: DEFAULT_IMAGE_LIMITS,
      }),
      { logger: false },
    );
    expect(existsSync(temp)).toBe(false);
    const stored = await other.get(AssetService).storeBytes(await image(8), { source: 'heatmap' });
    const repository = other.get(AssetRepository);
    await other.close();
    await expect(repository.get(stored.id)).rejects.toThrow(/destroyed/);
    expect(existsSync(join(dir, 'clipsmith.db-wal'))).toBe(false);
    const reopened = await SqlDatabase.open({ url: null, sqlitePath: join(dir, 'clipsmith.db') });
    expect(await new AssetRepository(reopened).get(stored.id)).toEqual(stored);
    await reopened.close();
  });
});
