/** What every benchmark section shares: the machine's load around it, its timing, and a child process to run in. */
import { fork, spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import type { Scenario } from './child.js';
import { round } from './stats.js';

export interface MachineLoad {
  loadavg: number[];
  busiest: string[];
}

/** Load average and what else is busy, so every number can be read against the machine's state. */
export function machineLoad(): MachineLoad {
  const ps = spawnSync('ps', ['-eo', 'pcpu,args', '--sort=-pcpu', '--no-headers'], { encoding: 'utf8' });
  const busiest = (ps.stdout ?? '')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && Number(l.split(/\s+/)[0]) >= 5)
    .slice(0, 5)
    .map((l) => l.slice(0, 140));
  return { loadavg: loadavg().map((v) => round(v)), busiest };
}

export interface Section<T> {
  result: T;
  seconds: number;
  loadBefore: MachineLoad;
  loadAfter: MachineLoad;
}

export async function timed<T>(name: string, work: () => Promise<T>): Promise<Section<T>> {
  const loadBefore = machineLoad();
  console.error(`bench: ${name} (load ${loadBefore.loadavg.join(' ')})`);
  const started = performance.now();
  const result = await work();
  return {
    result,
    seconds: round((performance.now() - started) / 1000),
    loadBefore,
    loadAfter: machineLoad(),
  };
}

/** Runs a scenario in a forked process of its own (same loader flags, and --expose-gc). */
export function inChild<T>(scenario: Scenario): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = fork(new URL('./child.ts', import.meta.url), [], {
      execArgv: [...process.execArgv, '--expose-gc'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    child.once('message', (message: { ok: boolean; result?: T; error?: string }) => {
      if (message.ok) resolve(message.result as T);
      else reject(new Error(message.error));
    });
    child.once('exit', (code) => {
      if (code !== 0) reject(new Error(`${scenario.kind} scenario exited with ${code}`));
    });
    child.send(scenario);
  });
}
