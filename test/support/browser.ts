import { mkdtempSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';

/** Debian's chromium (`.ci/run` installs it); playwright-core drives it and downloads nothing. */
export const CHROMIUM = '/usr/bin/chromium';
const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Browser {
  context: BrowserContext;
  page: Page;
  /** Requests the page tried to send anywhere but `origin`: refused, and listed here. */
  offsite: string[];
  /** Errors the page threw or logged. */
  pageErrors: string[];
  close(): Promise<void>;
}

/**
 * Real headless Chromium on a fresh profile, `width` pixels wide, allowed to talk to `origin` only: any
 * other request is aborted and recorded, so a test can say the page needs nothing beyond the machine.
 */
export async function openBrowser(origin: string, width = 1280, height = 900): Promise<Browser> {
  const profile = await mkdtemp(join(tmpdir(), 'clipsmith-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    viewport: { width, height },
    colorScheme: 'light',
  });
  const offsite: string[] = [];
  const pageErrors: string[] = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(origin) || url.startsWith('data:') || url.startsWith('blob:')) return route.continue();
    offsite.push(url);
    return route.abort();
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(message.text());
  });
  return {
    context,
    page,
    offsite,
    pageErrors,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/**
 * The little of the DOM the in-page checks use, typed by hand: these functions run in Chromium, and the
 * repository's Node tsconfig has no DOM library.
 */
interface PageWindow {
  innerWidth: number;
  document: { documentElement: { scrollWidth: number } };
}
interface PageImage {
  naturalWidth: number;
  decode(): Promise<void>;
}

/**
 * Starts recording every value the page's progress bar takes, as React writes them; the function it
 * returns reads them back as [value, max], the indeterminate ones left out.
 */
export async function recordProgress(page: Page): Promise<() => Promise<[number, number][]>> {
  await page.evaluate(() => {
    const w = globalThis as unknown as ProgressWindow;
    w.progressSeen = [];
    new w.MutationObserver(() => {
      const bar = w.document.querySelector('[role="progressbar"], progress');
      const text = bar ? `${bar.getAttribute('value') ?? '-'}/${bar.getAttribute('max') ?? '-'}` : null;
      if (text && w.progressSeen.at(-1) !== text) w.progressSeen.push(text);
    }).observe(w.document.body, { subtree: true, childList: true, attributes: true });
  });
  return async () =>
    (await page.evaluate(() => (globalThis as unknown as ProgressWindow).progressSeen))
      .filter((v) => !v.startsWith('-'))
      .map((v) => v.split('/').map(Number) as [number, number]);
}

interface ProgressWindow {
  progressSeen: string[];
  MutationObserver: new (callback: () => void) => { observe(target: unknown, options: object): void };
  document: {
    body: unknown;
    querySelector(selector: string): { getAttribute(name: string): string | null } | null;
  };
}

/** How far the page's content reaches beyond the window: 0 when nothing scrolls sideways. */
export function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => {
    const w = globalThis as unknown as PageWindow;
    return w.document.documentElement.scrollWidth - w.innerWidth;
  });
}

/** The natural widths of the images matching `selector` once decoded (0: it failed to decode). */
export function decodedWidths(page: Page, selector: string): Promise<number[]> {
  return page.$$eval(selector, (images) =>
    Promise.all(
      (images as unknown as PageImage[]).map((img) =>
        img.decode().then(
          () => img.naturalWidth,
          () => 0,
        ),
      ),
    ),
  );
}

/**
 * Where the browser tests save their screenshots: `docs/screenshots` (what the README shows) when
 * `UPDATE_SCREENSHOTS=1` (`npm run screenshots`), else a temp folder, so a test run leaves the tree clean.
 */
export const SCREENSHOTS =
  process.env['UPDATE_SCREENSHOTS'] === '1'
    ? join(import.meta.dirname, '..', '..', 'docs', 'screenshots')
    : mkdtempSync(join(tmpdir(), 'clipsmith-screenshots-'));
