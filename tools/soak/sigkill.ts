import { rm } from 'node:fs/promises';
import { startFlakyUpstream } from './flaky-upstream.js';
import { runLoad } from './load.js';
import { seededRng } from './prng.js';
import { checkStore, jobsSettled, missingAssets, storeFiles } from './stored-assets.js';
import { seedAssets, soakDataDir, startSoakApp } from './soak-app.js';
import { Workload } from './workload.js';

export interface SigkillOptions {
  /** How many times the server is killed. */
  kills: number;
  callers: number;
  seed: number;
  /** The kill comes at a random moment up to this long after each round's first write is answered, ms. */
  maxRunMs: number;
}

export interface SigkillReport {
  kills: number;
  /** Assets reported stored over all rounds, each checked after every restart. */
  assetsReported: number;
  /** Temp files the kills left, all removed by the next start. */
  tempFilesLeft: number;
  /** Files a kill left without their row (harmless: storing the bytes again adopts them). */
  orphanFiles: number;
  rows: number;
  problems: string[];
}

/**
 * Uploads and generations, SIGKILLed at random moments, `kills` times over one data folder. After
 * each restart, once the jobs it took up again have run: the database opens and is intact, every row has its file and the file hashes to the
 * id, no temp file remains, and every asset reported stored before any kill is still there.
 */
export async function sigkillDuringWrites(options: SigkillOptions): Promise<SigkillReport> {
  const rng = seededRng(options.seed);
  const upstream = await startFlakyUpstream(rng, 0);
  const dataDir = await soakDataDir(upstream);
  const reported = new Set<string>();
  const report: SigkillReport = {
    kills: 0,
    assetsReported: 0,
    tempFilesLeft: 0,
    orphanFiles: 0,
    rows: 0,
    problems: [],
  };
  try {
    let app = await startSoakApp(dataDir);
    const known = await seedAssets(app.url, rng, 2);
    known.forEach((id) => reported.add(id));
    for (let round = 1; round <= options.kills; round++) {
      const workload = new Workload({
        rng,
        known,
        generators: ['local'],
        flaky: [],
        ops: ['upload', 'upload', 'generate'],
      });
      const stop = new AbortController();
      let firstStored!: () => void;
      const writing = new Promise<void>((resolve) => (firstStored = resolve));
      const load = runLoad({
        url: app.url,
        callers: options.callers,
        durationMs: 10 * 60_000,
        workload,
        signal: stop.signal,
        // An asset counts as stored once its answer has arrived, not before.
        onOutcome: (outcome) => {
          outcome.assets.forEach((id) => reported.add(id));
          if (outcome.assets.length > 0) firstStored();
        },
      });
      // Once writes are under way (the first has been answered), at a random moment.
      await Promise.race([writing, load]);
      const killAfter = rng.int(options.maxRunMs);
      await new Promise((resolve) => setTimeout(resolve, killAfter));
      await app.stop('SIGKILL');
      stop.abort();
      await load;
      report.kills++;
      report.tempFilesLeft += (await storeFiles(dataDir)).tempFiles;

      app = await startSoakApp(dataDir);
      await jobsSettled(dataDir);
      const store = await checkStore(dataDir);
      const missing = await missingAssets(app.url, reported);
      const where = `after kill ${round} (${killAfter} ms into the writes)`;
      report.problems.push(...store.problems.map((p) => `${where}: ${p}`));
      report.problems.push(...missing.map((id) => `${where}: asset ${id} was reported stored but is gone`));
      report.orphanFiles = store.orphanFiles;
      report.rows = store.rows;
    }
    await app.stop();
    report.assetsReported = reported.size;
    return report;
  } finally {
    await upstream.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}
