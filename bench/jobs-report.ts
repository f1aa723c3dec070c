/** The jobs section of docs/benchmarks.md. */
import type { Section } from './harness.js';
import type { Latency } from './job-watcher.js';
import type { JobsResult } from './jobs.js';

const ms = (v: number): string => (Number.isFinite(v) ? v.toFixed(v < 10 ? 2 : 0) : '–');

const row = (cells: (string | number)[]): string => `| ${cells.join(' | ')} |`;

function latencyRow(label: string, l: Latency): string {
  return row([
    label,
    l.updates,
    `${ms(l.busToClient.p50Ms)} / ${ms(l.busToClient.p99Ms)}`,
    `${ms(l.stepToClient.p50Ms)} / ${ms(l.stepToClient.p99Ms)}`,
    l.unheard,
  ]);
}

export function jobsMarkdown(section: Section<JobsResult>): string {
  const x = section.result;
  const load = `${section.loadBefore.loadavg[0]} → ${section.loadAfter.loadavg[0]}`;
  return `## Jobs (distributed mode)

The built app in distributed mode (bench/jobs.ts, on test/support/cluster.ts: throwaway Redis and PostgreSQL, one
\`api\` node, \`worker\` nodes with \`WORKER_CONCURRENCY\`=${x.workerConcurrency} and \`CLIP_THREADS\`=${x.clipThreads}) on ${x.cores} cores, load ${load}.
A job is \`submitGenerate(count: ${x.candidatesPerJob}, generators: ["local"])\`: ${x.candidatesPerJob} procedural 512² PNGs, each checked, scored by
the bundled model and stored. A timed run submits its jobs at once and follows each over graphql-ws; its rate is
jobs / (first submit → the last job's final update), rounds rotating the order of one and two workers. The two
workers share the machine's ${x.cores} cores (and the API node, Redis, PostgreSQL and the client run there too), so on a
small machine two cannot double one.

${row(['round', 'workers', 'jobs', 'seconds', 'jobs per minute'])}
${row(['---', '---', '---', '---', '---'])}
${x.runs.map((r) => row([r.round, r.workers, r.jobs, r.seconds, r.jobsPerMinute])).join('\n')}

Median: **${x.jobsPerMinute['1']}** jobs per minute with one worker, **${x.jobsPerMinute['2']}** with two
(**${x.twoWorkersGain}×**, per round).

Delivery latency of job updates to a graphql-ws subscriber on the API node. The benchmark process also listens on
the Redis channel the workers publish to, so *bus → client* is the subscriber's receive time minus the time the same
message reached the bus listener, both \`performance.now()\` in one process (it leaves out Redis's own hop, which
the API node's listener shares); *step → client* is the receive time minus the row's \`updatedAt\`, set by the worker
before its write, the re-read and the publish (wall clocks of one machine, millisecond resolution). The first event of
each subscription, read from the table, is not counted.

${row(['while', 'updates', 'bus → client p50 / p99 ms', 'step → client p50 / p99 ms', 'not heard on the bus'])}
${row(['---', '---', '---', '---', '---'])}
${latencyRow('one job at a time', x.latency.alone)}
${latencyRow('timed runs, one worker', x.latency.workers1)}
${latencyRow('timed runs, two workers', x.latency.workers2)}`;
}
