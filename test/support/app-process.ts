import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MAIN = 'dist/apps/api/src/main.js';

export interface RunningApp {
  url: string;
  process: ChildProcess;
  /** Every log line the app printed, parsed. */
  logs: Record<string, unknown>[];
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Starts the built service (`npm run build` first) as a real process on a free port, and resolves once
 * it logs that it is listening. `env` is added to a clean environment.
 */
export async function startApp(env: Record<string, string>, timeoutMs = 30_000): Promise<RunningApp> {
  const child = spawn(process.execPath, [MAIN], {
    cwd: ROOT,
    env: {
      PATH: process.env['PATH'] ?? '',
      PORT: '0',
      HOST: '127.0.0.1',
      ...allocatorChoice(),
      ...modelOverride(),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Record<string, unknown>[] = [];
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`app did not start in ${timeoutMs} ms: ${JSON.stringify(logs)}`)),
      timeoutMs,
    );
    const onLine = (line: string): void => {
      let entry: Record<string, unknown>;
      try {
        entry = JSON.parse(line) as Record<string, unknown>;
      } catch {
        entry = { raw: line };
      }
      logs.push(entry);
      if (entry['msg'] === 'listening') {
        clearTimeout(timer);
        resolve(String(entry['url']));
      }
    };
    for (const stream of [child.stdout, child.stderr]) {
      let buffered = '';
      stream.setEncoding('utf8').on('data', (chunk: string) => {
        buffered += chunk;
        const lines = buffered.split('\n');
        buffered = lines.pop() ?? '';
        lines.filter(Boolean).forEach(onLine);
      });
    }
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`app exited with ${code} before listening: ${JSON.stringify(logs)}`));
    });
  });
  return {
    url,
    process: child,
    logs,
    async stop(signal = 'SIGTERM') {
      // A process killed by a signal has no exit code, only a signal code.
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill(signal);
      const [code] = (await once(child, 'exit')) as [number | null];
      return code;
    },
  };
}

/** Starts the built service on a fresh data folder (unless `env` names one) and waits until it is ready. */
export async function startReadyApp(env: Record<string, string> = {}): Promise<RunningApp> {
  const app = await startApp({ DATA_DIR: await mkdtemp(join(tmpdir(), 'clipsmith-e2e-')), ...env });
  await waitForOk(app.url, '/readyz');
  return app;
}

/** The C allocator the caller chose (glibc's arena cap, or jemalloc preloaded) reaches the app too: the soak compares them. */
function allocatorChoice(): Record<string, string> {
  const names = ['MALLOC_ARENA_MAX', 'LD_PRELOAD', 'MALLOC_CONF'];
  return Object.fromEntries(names.flatMap((name) => (process.env[name] ? [[name, process.env[name]]] : [])));
}

/** E2E_MODEL_DIR runs the suite against another model folder (a pulled CLIP, say) instead of the bundled one. */
function modelOverride(): Record<string, string> {
  const dir = process.env['E2E_MODEL_DIR'];
  return dir ? { MODEL_DIR: dir } : {};
}

/** Waits until `GET path` answers 200, polling. */
export async function waitForOk(url: string, path: string, timeoutMs = 30_000): Promise<Response> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await fetch(url + path).catch(() => null);
    if (response?.ok) return response;
    if (Date.now() > deadline)
      throw new Error(`${path} not OK after ${timeoutMs} ms (last: ${response?.status})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
