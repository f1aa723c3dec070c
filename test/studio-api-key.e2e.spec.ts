import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from './support/app-process.js';
import { type Browser, decodedWidths, SCREENSHOTS } from './support/browser.js';
import { startStudio, type Studio } from './support/studio.js';

const KEY = 'studio-secret-key';

let studio: Studio;
let app: RunningApp;
let browser: Browser;

beforeAll(async () => {
  studio = await startStudio({ API_KEYS: KEY });
  ({ app, browser } = studio);
});

afterAll(() => studio?.stop());

describe('the Studio page on a server with API keys', () => {
  it('asks for a key, refuses a wrong one, and with the right one shows images through signed URLs', async () => {
    const { page } = browser;
    await page.goto(app.url + '/');
    const keyField = page.getByLabel('API key');
    await keyField.waitFor();
    expect(await page.getByLabel('Prompt', { exact: true }).count()).toBe(0);
    await page.screenshot({ path: join(SCREENSHOTS, 'api-key.png') });

    await keyField.fill('not-the-key');
    await page.getByRole('button', { name: 'Use this key' }).click();
    await page.getByText('That key was refused.').waitFor();

    await page.getByLabel('API key').fill(KEY);
    await page.getByRole('button', { name: 'Use this key' }).click();
    await page.getByLabel('Prompt', { exact: true }).fill('a green triangle on a white background');
    await page.getByLabel('Count').fill('2');
    await page.getByRole('button', { name: 'Generate', exact: true }).click();
    await page.getByAltText('Candidate 2', { exact: true }).waitFor({ timeout: 60_000 });
    const widths = await decodedWidths(page, 'img[alt^="Candidate "]');
    expect(widths).toHaveLength(2);
    expect(widths.every((w) => w > 0)).toBe(true);
    const src = await page.getByAltText('Candidate 1', { exact: true }).getAttribute('src');
    expect(src).toMatch(/^\/assets\/[0-9a-f]{64}\?expires=\d+&sig=[\w-]+$/);
  });

  it('asks only once: the key is remembered across reloads', async () => {
    const { page } = browser;
    await page.reload();
    await page.getByLabel('Prompt', { exact: true }).waitFor();
    expect(await page.getByLabel('API key').count()).toBe(0);
    expect(browser.offsite).toEqual([]);
  });
});
