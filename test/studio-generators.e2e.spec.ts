import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type FakeUpstream, startFakeOpenAI } from '#generators/test-support';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type RunningApp, startApp, waitForOk } from './support/app-process.js';
import { type Browser, decodedWidths, openBrowser, recordProgress, SCREENSHOTS } from './support/browser.js';
import { gql } from './support/graphql-client.js';
import { writeGeneratorsConfig } from './support/generators-config.js';

const OPENAI_KEY = 'sk-studio-e2e';

let app: RunningApp;
let openai: FakeUpstream;
let browser: Browser;
let dataDir: string;

/**
 * Two generators: the procedural one answers at once, the OpenAI-compatible one is a real HTTP server on
 * 127.0.0.1 that each test makes slow or failing, so a job is caught in flight.
 */
beforeAll(async () => {
  openai = await startFakeOpenAI({ apiKey: OPENAI_KEY });
  dataDir = await mkdtemp(join(tmpdir(), 'clipsmith-studio-generators-'));
  const config = await writeGeneratorsConfig(
    dataDir,
    openai,
    OPENAI_KEY,
    'fanOut: { perGeneratorTimeoutMs: 120000, deadlineMs: 120000 }\n',
  );
  app = await startApp({ DATA_DIR: dataDir, CONFIG_FILE: config });
  await waitForOk(app.url, '/readyz');
  browser = await openBrowser(app.url);
});
beforeEach(() => openai.reset());
afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await openai?.close();
  await rm(dataDir, { recursive: true, force: true });
});

async function generate(count: number): Promise<void> {
  const { page } = browser;
  await page.goto(app.url + '/');
  await page.getByLabel('Prompt', { exact: true }).fill('a red circle on a blue background');
  await page.getByLabel('Count').fill(String(count));
  await page.getByRole('button', { name: 'Generate', exact: true }).click();
}

describe('the Studio page with several generators, in Chromium', () => {
  it('moves the progress bar as generator calls answer and candidates are scored', async () => {
    openai.fail('/v1/images', { delayMs: 1500 });
    const { page } = browser;
    await page.goto(app.url + '/');
    const seen = await recordProgress(page);
    await page.getByLabel('Prompt', { exact: true }).fill('a red circle on a blue background');
    await page.getByLabel('Count').fill('2');
    await page.getByRole('button', { name: 'Generate', exact: true }).click();
    await page.getByText(/^generating: 1 of 2$/).waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'generate-progress.png') });
    await page.getByAltText('Candidate 4', { exact: true }).waitFor({ timeout: 60_000 });
    expect(await page.getByRole('progressbar').count()).toBe(0);
    const done = await seen();
    expect(done.length).toBeGreaterThanOrEqual(2);
    expect(done.some(([d, t]) => d < t)).toBe(true);
    expect((await decodedWidths(page, 'img[alt^="Candidate "]')).every((w) => w > 0)).toBe(true);
  });

  it('cancels a running job: the slow generator’s call is let go at once', async () => {
    openai.fail('/v1/images', { delayMs: 110_000 });
    const { page } = browser;
    await generate(2);
    await page.getByRole('progressbar').waitFor();
    await expect.poll(() => openai.requests.length, { timeout: 20_000 }).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.getByText('Cancelled.').waitFor({ timeout: 20_000 });
    expect(await page.getByRole('progressbar').count()).toBe(0);
    expect(await letGoAtOnce()).toBe(true);
  });

  it('cancels a running edit job: the slow generator’s edit call is let go at once', async () => {
    openai.fail('/v1/images', { delayMs: 110_000 });
    const made = await gql(app.url, GENERATE_LOCAL, {});
    expect(made.errors).toBeUndefined();
    const [candidate] = (made.data!['generate'] as { candidates: { asset: { id: string } }[] }).candidates;
    const { page } = browser;
    await page.goto(`${app.url}/edit?asset=${candidate!.asset.id}`);
    await page.getByLabel('Instruction', { exact: true }).fill('make the background green');
    await page.getByLabel('Mode').selectOption('GENERATOR');
    await page.getByRole('button', { name: 'Edit', exact: true }).click();
    await page.getByRole('progressbar').waitFor();
    await expect.poll(() => openai.requests.length, { timeout: 20_000 }).toBeGreaterThan(0);
    expect(openai.requests[0]!.path).toBe('/v1/images/edits');
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.getByText('Cancelled.').waitFor({ timeout: 20_000 });
    expect(await page.getByRole('progressbar').count()).toBe(0);
    expect(await page.getByAltText('After', { exact: true }).count()).toBe(0);
    expect(await letGoAtOnce()).toBe(true);
    const jobs = await gql(app.url, `{ jobs(first: 1) { edges { node { kind state } } } }`, {});
    expect(jobs.data).toEqual({ jobs: { edges: [{ node: { kind: 'edit', state: 'CANCELLED' } }] } });
  });

  it('lists a generator that failed, in words, beside the candidates of the others', async () => {
    openai.fail('/v1/images', { status: 500, message: 'the upstream is down' });
    const { page } = browser;
    await generate(2);
    await page.getByAltText('Candidate 2', { exact: true }).waitFor({ timeout: 60_000 });
    const errors = page.getByRole('region', { name: 'Generator errors' });
    expect(await errors.getByText('oai').count()).toBe(1);
    await page.screenshot({ path: join(SCREENSHOTS, 'generate-errors.png'), fullPage: true });
    expect(browser.offsite).toEqual([]);
  });
});

/** Whether the fake upstream's first call was let go at once, not when the generator's timeout would end it. */
function letGoAtOnce(): Promise<boolean> {
  return Promise.race([
    openai.requests[0]!.abandoned.then(() => true),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 10_000)),
  ]);
}

const GENERATE_LOCAL = `mutation { generate(input: { prompt: "a red circle on a blue background", count: 1, generators: ["local"] }) { candidates { asset { id } } } }`;
