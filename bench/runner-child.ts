/**
 * A runner's own process (rounds.ts forks it): set up once (model loaded, every workload run once to warm
 * up), then timed one workload pass at a time on request, wall and CPU time of the whole process.
 */
import { imagesRunner, type ImagesRunnerSpec } from './scenarios/images.js';
import { stagesRunner, type StagesRunnerSpec } from './scenarios/stages.js';
import { textRunner, type TextRunnerSpec } from './scenarios/text.js';
import type { Measurement } from './rounds.js';

export type RunnerSpec =
  | ({ kind: 'images' } & ImagesRunnerSpec)
  | ({ kind: 'text' } & TextRunnerSpec)
  | ({ kind: 'stages' } & StagesRunnerSpec);

/** One pass of a workload: how many items in how many calls, and any figures of its own. */
export interface Pass {
  items: number;
  calls: number;
  extra?: Record<string, number>;
}

export interface Runner {
  workloads: Record<string, () => Promise<Pass>>;
  check?: () => Promise<unknown>;
}

function makeRunner(spec: RunnerSpec): Promise<Runner> {
  switch (spec.kind) {
    case 'images':
      return imagesRunner(spec);
    case 'text':
      return textRunner(spec);
    case 'stages':
      return stagesRunner(spec);
  }
}

type Request =
  | { type: 'setup'; spec: RunnerSpec; workloads: string[] }
  | { type: 'measure'; workload: string }
  | { type: 'finish' };

let runner: Runner | null = null;

async function measure(workload: string): Promise<Measurement> {
  const run = runner?.workloads[workload];
  if (!run) throw new Error(`no workload ${workload}`);
  (globalThis as { gc?: () => void }).gc?.();
  const cpu = process.cpuUsage();
  const started = performance.now();
  const pass = await run();
  const wallMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return { ...pass, wallMs, cpuMs: (used.user + used.system) / 1000 };
}

async function handle(request: Request): Promise<unknown> {
  switch (request.type) {
    case 'setup': {
      runner = await makeRunner(request.spec);
      for (const w of request.workloads) await measure(w);
      return { type: 'ready' };
    }
    case 'measure':
      return { type: 'measured', measurement: await measure(request.workload) };
    case 'finish':
      return { type: 'finished', check: await runner?.check?.() };
  }
}

process.on('message', (request: Request) => {
  handle(request).then(
    (reply) => process.send!(reply),
    (error: unknown) => process.send!({ type: 'failed', error: (error as Error).stack ?? String(error) }),
  );
});
