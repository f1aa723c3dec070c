import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningApp, startApp, waitForOk } from './app-process.js';
import { type Browser, openBrowser } from './browser.js';

export interface Studio {
  app: RunningApp;
  browser: Browser;
  /** Closes the browser, stops the app and removes its data folder. */
  stop(): Promise<void>;
}

/** The built app on a fresh data folder, ready, with a browser open on its origin. */
export async function startStudio(env: Record<string, string> = {}): Promise<Studio> {
  const dataDir = await mkdtemp(join(tmpdir(), 'clipsmith-studio-'));
  const app = await startApp({ DATA_DIR: dataDir, ...env });
  await waitForOk(app.url, '/readyz');
  const browser = await openBrowser(app.url);
  return {
    app,
    browser,
    async stop() {
      await browser.close();
      await app.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
