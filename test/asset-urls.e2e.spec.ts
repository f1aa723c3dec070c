import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningApp, startReadyApp } from './support/app-process.js';
import { gql } from './support/graphql-client.js';

const KEY = 'studio-key';
const BEARER = { authorization: `Bearer ${KEY}` };
let app: RunningApp;

beforeAll(async () => {
  app = await startReadyApp({
    API_KEYS: KEY,
    ASSET_URL_SECRET: 'a secret for the test',
    ASSET_URL_TTL_SECONDS: '600',
  });
});
afterAll(() => app?.stop());

async function uploadRed(): Promise<{ id: string; url: string }> {
  const png = await sharp({ create: { width: 32, height: 32, channels: 3, background: '#e01010' } })
    .png()
    .toBuffer();
  const form = new FormData();
  form.set('file', new Blob([png]), 'red.png');
  const response = await fetch(app.url + '/assets', { method: 'POST', body: form, headers: BEARER });
  expect(response.status).toBe(201);
  return (await response.json()) as { id: string; url: string };
}

describe('signed asset URLs (API_KEYS set)', () => {
  it('hands out URLs that load without the key, privately cached, until they expire', async () => {
    const { id, url } = await uploadRed();
    const signed = new URL(url, app.url);
    expect(signed.pathname).toBe(`/assets/${id}`);
    const expires = Number(signed.searchParams.get('expires'));
    expect(expires * 1000 - Date.now()).toBeGreaterThan(590_000);
    expect(expires * 1000 - Date.now()).toBeLessThan(661_000);

    const image = await fetch(signed);
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/png');
    expect(image.headers.get('cache-control')).toBe('private, max-age=31536000, immutable');

    const withKey = await fetch(`${app.url}/assets/${id}`, { headers: BEARER });
    expect([withKey.status, withKey.headers.get('cache-control')]).toEqual([
      200,
      'private, max-age=31536000, immutable',
    ]);
  });

  it('refuses the bare path, a tampered signature, a moved expiry, and another asset’s signature', async () => {
    const { id, url } = await uploadRed();
    const signed = new URL(url, app.url);
    const sig = signed.searchParams.get('sig')!;
    const expires = signed.searchParams.get('expires')!;
    const tampered = `${sig.slice(0, -2)}${sig.endsWith('AA') ? 'BB' : 'AA'}`;
    const other = 'f'.repeat(64);
    for (const path of [
      `/assets/${id}`,
      `/assets/${id}?expires=${expires}&sig=${tampered}`,
      `/assets/${id}?expires=${Number(expires) + 60}&sig=${sig}`,
      `/assets/${id}?expires=${Math.floor(Date.now() / 1000) - 1}&sig=${sig}`,
      `/assets/${other}?expires=${expires}&sig=${sig}`,
    ]) {
      const response = await fetch(app.url + path);
      expect([path, response.status]).toEqual([path, 401]);
    }
    // A signature opens that one asset's bytes, nothing else.
    const graphql = await fetch(`${app.url}/graphql?expires=${expires}&sig=${sig}`, { method: 'POST' });
    expect(graphql.status).not.toBe(200);
  });

  it('signs every URL GraphQL returns', async () => {
    const generated = await gql<{ generate: { candidates: { asset: { id: string; url: string } }[] } }>(
      app.url,
      'mutation { generate(input: { prompt: "a blue square", count: 1, seed: 1 }) { candidates { asset { id url } } } }',
      {},
      BEARER,
    );
    const asset = generated.data!.generate.candidates[0]!.asset;
    expect(asset.url).toMatch(new RegExp(`^/assets/${asset.id}\\?expires=\\d+&sig=[\\w-]+$`));
    expect((await fetch(app.url + asset.url)).status).toBe(200);
  });
});
