import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

export interface RssSample {
  /** ms since the probe started. */
  at: number;
  /** MiB. */
  rss: number;
}

/** The resident set of a process, in MiB, from /proc (Linux); null once it has gone. */
export function rssOf(pid: number): number | null {
  try {
    const kb = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Number(kb) / 1024 : null;
  } catch {
    return null;
  }
}

/** Samples a process's RSS every `everyMs` until stopped. */
export function sampleRss(pid: number, everyMs = 500): { stop(): RssSample[] } {
  const started = Date.now();
  const samples: RssSample[] = [];
  const take = (): void => {
    const rss = rssOf(pid);
    if (rss !== null) samples.push({ at: Date.now() - started, rss });
  };
  take();
  const timer = setInterval(take, everyMs);
  return {
    stop() {
      clearInterval(timer);
      take();
      return samples;
    },
  };
}

export interface HealthReport {
  probes: number;
  failures: number;
  /** Slowest answer, ms. */
  slowestMs: number;
}

/** Asks `/healthz` every `everyMs` until stopped; an answer other than 200 within `timeoutMs` fails. */
export function probeHealth(url: string, everyMs = 250, timeoutMs = 5000): { stop(): Promise<HealthReport> } {
  const report: HealthReport = { probes: 0, failures: 0, slowestMs: 0 };
  let running = true;
  const loop = (async () => {
    while (running) {
      const started = Date.now();
      const ok = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(timeoutMs) }).then(
        async (response) => (await response.arrayBuffer(), response.status === 200),
        () => false,
      );
      report.probes++;
      if (!ok) report.failures++;
      report.slowestMs = Math.max(report.slowestMs, Date.now() - started);
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return report;
    },
  };
}

/**
 * Growth after warm-up: the median RSS of the last quarter of the samples minus that of the second
 * quarter (the first is warm-up: model sessions, caches, JIT). MiB.
 */
export function rssGrowth(samples: readonly RssSample[]): number {
  const quarter = Math.floor(samples.length / 4);
  if (quarter < 1) return 0;
  const median = (part: readonly RssSample[]): number => {
    const sorted = part.map((s) => s.rss).sort((a, b) => a - b);
    return sorted[sorted.length >> 1]!;
  };
  return median(samples.slice(-quarter)) - median(samples.slice(quarter, 2 * quarter));
}

/** The samples after warm-up: all but the first quarter (as `rssGrowth` counts it). */
export function afterWarmUp(samples: readonly RssSample[]): RssSample[] {
  return samples.slice(Math.floor(samples.length / 4));
}

/** Least-squares slope of RSS over time, MiB per minute (0 for fewer than two samples). */
export function rssSlope(samples: readonly RssSample[]): number {
  return slopePerMinute(samples, (s) => s.rss);
}

/** Least-squares slope of `valueOf` over the samples' `at` (ms), per minute; 0 for fewer than two. */
export function slopePerMinute<T extends { at: number }>(
  samples: readonly T[],
  valueOf: (s: T) => number,
): number {
  if (samples.length < 2) return 0;
  const mean = (f: (s: T) => number) => samples.reduce((sum, s) => sum + f(s), 0) / samples.length;
  const [at, value] = [mean((s) => s.at), mean(valueOf)];
  const covariance = samples.reduce((sum, s) => sum + (s.at - at) * (valueOf(s) - value), 0);
  const variance = samples.reduce((sum, s) => sum + (s.at - at) ** 2, 0);
  return variance === 0 ? 0 : (covariance / variance) * 60_000;
}

export interface HeapSample {
  /** ms since the probe started. */
  at: number;
  /** V8's heap in use, MiB. */
  heapUsedMb: number;
  /** Memory V8 tracks outside its heap (Buffers, what native addons report), MiB. */
  externalMb: number;
}

/**
 * Reads the app's heap figures from its `/metrics` (prom-client's default metrics) every `everyMs`:
 * beside RSS they tell a JavaScript leak (heap used climbing) from the allocator's native memory.
 */
export function sampleHeap(url: string, everyMs = 5000): { stop(): Promise<HeapSample[]> } {
  const started = Date.now();
  const samples: HeapSample[] = [];
  const stopped = new AbortController();
  const gauge = (text: string, name: string): number =>
    Number(new RegExp(`^clipsmith_${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN) / 2 ** 20;
  const loop = (async () => {
    while (!stopped.signal.aborted) {
      const text = await fetch(`${url}/metrics`).then(
        (response) => response.text(),
        () => '',
      );
      const heapUsedMb = gauge(text, 'nodejs_heap_size_used_bytes');
      const externalMb = gauge(text, 'nodejs_external_memory_bytes');
      if (Number.isFinite(heapUsedMb)) samples.push({ at: Date.now() - started, heapUsedMb, externalMb });
      await sleep(everyMs, undefined, { signal: stopped.signal }).catch(() => undefined);
    }
  })();
  return {
    async stop() {
      stopped.abort();
      await loop;
      return samples;
    },
  };
}
