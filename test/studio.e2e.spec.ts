import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from './support/app-process.js';
import {
  type Browser,
  decodedWidths,
  horizontalOverflow,
  recordProgress,
  SCREENSHOTS,
} from './support/browser.js';
import { gql } from './support/graphql-client.js';
import { startStudio, type Studio } from './support/studio.js';

/** Screenshots the README shows, rewritten by every run so they always show the page as it is. */

let studio: Studio;
let app: RunningApp;
let browser: Browser;

beforeAll(async () => {
  studio = await startStudio();
  ({ app, browser } = studio);
});

afterAll(() => studio?.stop());

describe('the Studio page over HTTP', () => {
  it('answers its own paths with the page and leaves the API’s paths as they were', async () => {
    for (const path of ['/', '/edit', '/gallery/some-asset', '/graphiql']) {
      const response = await fetch(app.url + path);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      expect(response.headers.get('cache-control')).toBe('no-cache');
    }
    const unknown = await fetch(app.url + '/nowhere');
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ code: 'NOT_FOUND' });
    const page = await (await fetch(app.url + '/')).text();
    const script = /src="(\/static\/[^"]+\.js)"/.exec(page)?.[1];
    const bundle = await fetch(app.url + script);
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get('cache-control')).toMatch(/immutable/);
  });

  it('sends a browser that opens /graphql to the bundled GraphiQL; API clients still get GraphQL', async () => {
    const browserVisit = await fetch(app.url + '/graphql', {
      headers: { accept: 'text/html' },
      redirect: 'manual',
    });
    expect(browserVisit.status).toBe(302);
    expect(browserVisit.headers.get('location')).toBe('/graphiql');
    const query = await fetch(app.url + '/graphql?query=%7Bmodels%7Bready%7D%7D', {
      headers: { accept: 'application/json', 'apollo-require-preflight': 'true' },
    });
    expect(await query.json()).toEqual({ data: { models: [{ ready: true }] } });
  });
});

describe('the Studio page in Chromium', () => {
  /** Candidate 1 of the first generation: the later views work on it. */
  let candidateId = '';

  it('is served at / and generates candidates, best first, every image decoded', async () => {
    const { page } = browser;
    await page.goto(app.url + '/');
    await page.getByLabel('Prompt', { exact: true }).fill('a red circle on a blue background');
    await page.getByLabel('Count').fill('4');
    await page.getByLabel('Seed').fill('7');
    await page.getByRole('button', { name: 'Generate', exact: true }).click();
    await page.getByAltText('Candidate 1', { exact: true }).waitFor({ timeout: 60_000 });
    for (const n of [2, 3, 4])
      expect(await page.getByAltText(`Candidate ${n}`, { exact: true }).count()).toBe(1);
    const widths = await decodedWidths(page, 'img[alt^="Candidate "]');
    expect(widths).toHaveLength(4);
    expect(widths.every((w) => w > 0)).toBe(true);
    const href = await page.getByRole('link', { name: 'Candidate 1', exact: true }).getAttribute('href');
    candidateId = new URL(href!, app.url).searchParams.get('asset')!;
    expect(candidateId).toMatch(/^[0-9a-f]{64}$/);
    await page.screenshot({ path: join(SCREENSHOTS, 'generate.png'), fullPage: true });
  });

  /** The result of editing Candidate 1: the asset page lists it among the candidate's edits. */
  let editedId = '';

  it('edits a candidate as a job, the bar counting evaluations of the budget, then before and after, the verdict and the search', async () => {
    const { page } = browser;
    await page.getByAltText('Candidate 1', { exact: true }).click();
    await page.getByLabel('Instruction', { exact: true }).fill('make the background green');
    await page.getByLabel('Budget').fill('48');
    const seen = await recordProgress(page);
    const edit = page.getByRole('button', { name: 'Edit', exact: true });
    expect(await edit.count()).toBe(1);
    await edit.click();
    await page.getByAltText('After', { exact: true }).waitFor({ timeout: 90_000 });
    expect(await page.getByRole('progressbar').count()).toBe(0);
    const evaluations = (await seen()).filter(([, total]) => total === 48);
    expect(evaluations.some(([done]) => done > 0 && done < 48)).toBe(true);
    const done = evaluations.map(([d]) => d);
    expect(done).toEqual([...done].sort((a, b) => a - b));

    const widths = await decodedWidths(page, 'img[alt="Before"], img[alt="After"]');
    expect(widths).toHaveLength(2);
    expect(widths.every((w) => w > 0)).toBe(true);
    for (const name of ['Before', 'After'])
      expect(await page.getByAltText(name, { exact: true }).isVisible()).toBe(true);
    expect(['accepted', 'not accepted']).toContain(await page.locator('.verdict').innerText());
    expect(await page.getByRole('img', { name: /^Search path: \d+ tries/ }).count()).toBe(1);
    const afterSrc = await page.getByAltText('After', { exact: true }).getAttribute('src');
    editedId = /\/assets\/([0-9a-f]{64})/.exec(afterSrc!)![1]!;

    // The slider moves the line between them from the keyboard.
    const slider = page.getByRole('slider', { name: 'Compare' });
    const clip = () =>
      page
        .getByAltText('After', { exact: true })
        .evaluate((img) => (globalThis as unknown as StyledWindow).getComputedStyle(img).clipPath);
    await slider.focus();
    await page.keyboard.press('Home');
    expect([await slider.getAttribute('aria-valuetext'), await clip()]).toEqual([
      '0% before, 100% after',
      'inset(0px 0px 0px 0%)',
    ]);
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    expect(await slider.getAttribute('aria-valuetext')).toBe('2% before, 98% after');
    await page.keyboard.press('End');
    expect(await clip()).toBe('inset(0px 0px 0px 100%)');
    await slider.fill('50');
    await slider.blur();
    // A full-page shot draws the sticky header where the page is scrolled to: from the top, it is on top.
    await page.evaluate(() =>
      (globalThis as unknown as { scrollTo(x: number, y: number): void }).scrollTo(0, 0),
    );
    await page.screenshot({ path: join(SCREENSHOTS, 'edit.png'), fullPage: true });

    // Continuing works on the result, and the lineage leads back to the candidate.
    await page.getByRole('button', { name: 'Continue from the result' }).click();
    const lineage = page.getByRole('navigation', { name: 'Lineage' });
    const history = lineage.getByRole('list', { name: 'From the original' });
    await history.waitFor();
    expect(await history.getByRole('link').count()).toBe(2);
    expect(await history.getByRole('link').first().getAttribute('href')).toBe(`/edit?asset=${candidateId}`);
  });

  it('moderates an image against a rule in words and lays the heat map and the region over it', async () => {
    const { page } = browser;
    await page.goto(`${app.url}/edit?asset=${candidateId}`);
    await page.getByRole('link', { name: 'Moderate this image' }).click();
    await page.getByLabel('Name', { exact: true }).fill('red shape');
    await page.getByLabel('Description', { exact: true }).fill('a red diamond');
    await page.getByLabel('Threshold').fill('0.3');
    await page.getByRole('button', { name: 'Moderate', exact: true }).click();
    await page.getByAltText(/^Heat map of /).waitFor({ timeout: 60_000 });
    expect((await decodedWidths(page, 'img[alt^="Heat map of "]'))[0]).toBeGreaterThan(0);
    const verdicts = page.getByRole('region', { name: 'Verdicts' });
    expect(await verdicts.getByText('red shape').count()).toBe(1);
    const verdict = await verdicts.getByText(/^(flagged|passes)$/).innerText();
    expect(await page.getByRole('img', { name: 'Region flagged by red shape' }).count()).toBe(
      verdict === 'flagged' ? 1 : 0,
    );
    await page.screenshot({ path: join(SCREENSHOTS, 'moderate.png'), fullPage: true });
  });

  it('scores captions of an image, with RefCLIPScore against references, and keeps them on it', async () => {
    const { page } = browser;
    await page.goto(`${app.url}/captions?asset=${candidateId}`);
    await page
      .getByLabel('Captions (one per line)')
      .fill('a red diamond on a blue background\na green triangle');
    await page.getByLabel(/^References/).fill('a red shape on blue');
    await page.getByLabel(/^Keep them on the image/).check();
    await page.getByRole('button', { name: 'Score captions' }).click();
    const scores = page.getByRole('region', { name: 'Caption scores' });
    await scores.waitFor({ timeout: 30_000 });
    expect(await scores.getByRole('listitem').count()).toBe(2);
    expect(await scores.getByText('RefCLIPScore').count()).toBe(2);
    await page.screenshot({ path: join(SCREENSHOTS, 'captions.png'), fullPage: true });
  });

  it('pages through the gallery as it scrolls, every image decoded', async () => {
    const { page } = browser;
    const more = await gql(app.url, GENERATE_MANY, { prompt: 'a yellow square on a white background' });
    expect(more.errors).toBeUndefined();
    // Short enough that the end of the first page is below the fold.
    await page.setViewportSize({ width: 1280, height: 700 });
    await page.goto(`${app.url}/gallery`);
    const cards = page.getByRole('list', { name: 'Assets' }).locator('img');
    const loadMore = page.getByRole('button', { name: 'Load more' });
    await loadMore.waitFor();
    expect(await cards.count()).toBe(12);
    await loadMore.scrollIntoViewIfNeeded();
    const end = page.getByText(/^All \d+ shown\.$/);
    await end.waitFor();
    const total = Number(/\d+/.exec(await end.innerText())![0]);
    expect(total).toBeGreaterThan(12);
    expect(await cards.count()).toBe(total);
    const widths = await decodedWidths(page, '[aria-label="Assets"] img');
    expect(widths.every((w) => w > 0)).toBe(true);
    await page.getByRole('heading', { name: 'Gallery' }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SCREENSHOTS, 'gallery.png') });

    await page.getByLabel('Prompt contains').fill('red circle');
    await page.getByText(/^All \d+ shown\.$/).waitFor();
    const kept = await cards.evaluateAll((images) => images.map((i) => i.getAttribute('alt')));
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.every((alt) => alt!.includes('red circle'))).toBe(true);
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('finds the generated asset by text; its page shows its stored captions, captions by retrieval and its edits', async () => {
    const { page } = browser;
    await page.getByLabel('Search by text').fill('a red circle on a blue background');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    const results = page.getByRole('list', { name: 'Search results' });
    const hit = results.locator(`a[href="/gallery/${candidateId}"]`);
    await hit.waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'search.png') });
    await hit.click();
    const captions = page.getByRole('region', { name: 'Captions by retrieval' });
    await captions.getByRole('listitem').first().waitFor({ timeout: 30_000 });
    expect(await captions.getByRole('listitem').count()).toBe(5);
    expect(
      await page.getByText('a red circle on a blue background', { exact: true }).count(),
    ).toBeGreaterThan(0);

    // What the Captions view kept on it, in the order scored, each with its scores.
    const stored = page.getByRole('region', { name: 'Stored captions' });
    await stored.getByRole('listitem').first().waitFor();
    expect(
      await stored
        .getByRole('listitem')
        .evaluateAll((items) => items.map((li) => li.querySelector('p')!.textContent)),
    ).toEqual(['a red diamond on a blue background', 'a green triangle']);
    expect(await stored.getByText('RefCLIPScore').count()).toBe(2);

    // Its edit, a link to the edit's own page, which leads back.
    const edits = page
      .getByRole('navigation', { name: 'Lineage' })
      .getByRole('list', { name: 'Made from this image' });
    await edits.locator(`a[href="/gallery/${editedId}"]`).waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'asset.png'), fullPage: true });
    await edits.locator(`a[href="/gallery/${editedId}"]`).click();
    const history = page
      .getByRole('navigation', { name: 'Lineage' })
      .getByRole('list', { name: 'From the original' });
    await history.locator(`a[href="/gallery/${candidateId}"]`).waitFor();
    expect(await page.getByRole('heading', { name: 'make the background green' }).count()).toBe(1);
  });

  it('is usable from the keyboard: type a prompt, generate, open a candidate', async () => {
    const { page } = browser;
    await page.goto(app.url + '/');
    const focusOn = async (name: string): Promise<void> => {
      for (let i = 0; i < 40; i++) {
        if (
          (await page.evaluate(
            () =>
              (globalThis as unknown as FocusedDocument).document.activeElement?.getAttribute('data-name') ??
              null,
          )) === name
        )
          return;
        await page.keyboard.press('Tab');
      }
      throw new Error(`Tab never reached ${name}`);
    };
    await page.getByLabel('Prompt', { exact: true }).evaluate((e) => e.setAttribute('data-name', 'prompt'));
    await focusOn('prompt');
    await page.keyboard.type('a green triangle');
    await page.keyboard.press('Control+Enter');
    const first = page.getByRole('link', { name: 'Candidate 1', exact: true });
    await first.waitFor({ timeout: 60_000 });
    await first.evaluate((e) => e.setAttribute('data-name', 'candidate'));
    await focusOn('candidate');
    await page.keyboard.press('Enter');
    await page.getByLabel('Instruction', { exact: true }).waitFor();
  });

  it('fits a 375 px wide window on every view without scrolling sideways', async () => {
    const { page } = browser;
    await page.setViewportSize({ width: 375, height: 800 });
    try {
      for (const path of [
        '/',
        `/edit?asset=${candidateId}`,
        `/moderate?asset=${candidateId}`,
        `/captions?asset=${candidateId}`,
        '/gallery',
        `/gallery/${candidateId}`,
      ]) {
        await page.goto(app.url + path);
        await page.locator('main h1').first().waitFor();
        await page.waitForLoadState('networkidle');
        expect([path, await horizontalOverflow(page)]).toEqual([path, 0]);
      }
      await page.goto(app.url + '/');
      await page.getByLabel('Prompt', { exact: true }).fill('a red circle on a blue background');
      await page.getByLabel('Count').fill('2');
      await page.getByRole('button', { name: 'Generate', exact: true }).click();
      await page.getByAltText('Candidate 2', { exact: true }).waitFor({ timeout: 60_000 });
      expect(await horizontalOverflow(page)).toBe(0);
      await page
        .locator('.card')
        .first()
        .evaluate((card) => card.scrollIntoView({ block: 'end' }));
      await page.screenshot({ path: join(SCREENSHOTS, 'generate-375.png') });
      // An edit's result too: the compare frame, its slider and the scores stack.
      await page.getByAltText('Candidate 1', { exact: true }).click();
      await page.getByLabel('Instruction', { exact: true }).fill('make the background green');
      await page.getByLabel('Budget').fill('8');
      await page.getByRole('button', { name: 'Edit', exact: true }).click();
      await page.getByAltText('After', { exact: true }).waitFor({ timeout: 90_000 });
      expect(await horizontalOverflow(page)).toBe(0);
    } finally {
      await page.setViewportSize({ width: 1280, height: 900 });
    }
  });

  it('loads the bundled GraphiQL at /graphiql, offline', async () => {
    const { page } = browser;
    await page.goto(app.url + '/graphiql');
    await page.locator('.graphiql-container').waitFor({ timeout: 60_000 });
    // The schema is built in: the documentation explorer knows the API without asking the server.
    await page.getByRole('button', { name: /documentation explorer/i }).click();
    await page.getByText('Mutation', { exact: true }).first().waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'graphiql.png') });
  });

  it('asked nothing of any other host, and threw no errors', () => {
    expect(browser.offsite).toEqual([]);
    expect(browser.pageErrors).toEqual([]);
  });
});

/** What the slider test reads in the page (the Node tsconfig has no DOM library). */
interface StyledWindow {
  getComputedStyle(element: unknown): { clipPath: string };
}

/** What the keyboard test reads in the page (the Node tsconfig has no DOM library). */
interface FocusedDocument {
  document: { activeElement: { getAttribute(name: string): string | null } | null };
}

const GENERATE_MANY = `mutation($prompt: String!) { generate(input: { prompt: $prompt, count: 12, seed: 100 }) { id } }`;
