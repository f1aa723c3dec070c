/** What one request of the soak came to. */
export interface Outcome {
  op: string;
  /** The `X-Request-Id` it was sent with. */
  requestId: string;
  /** ms since the epoch when it was sent. */
  startedAt: number;
  ms: number;
  /** HTTP status; null when no answer came (refused, reset, timed out). */
  status: number | null;
  /** Error codes of the answer (GraphQL `extensions.code`s, or the REST body's `code`). */
  codes: string[];
  /** Why no answer came, or why it was not a JSON answer. */
  failure?: string;
  /** Generator failures listed beside the candidates of a `generate` (not errors of the request). */
  generatorCodes: string[];
  /** Assets the answer reported stored. */
  assets: string[];
  /** The job the answer reported queued (`submitGenerate`). */
  job?: string;
}

export type Verdict = 'ok' | 'documented-error' | 'bad';

/**
 * ok: a 2xx without errors. documented-error: every code documented, none INTERNAL, and a 5xx only with
 * a documented code. bad: anything else, no answer included.
 */
export function verdictOf(outcome: Outcome, documented: ReadonlySet<string>): Verdict {
  if (outcome.status === null || outcome.failure) return 'bad';
  if (outcome.codes.length === 0) return outcome.status < 300 ? 'ok' : 'bad';
  const fine = outcome.codes.every((code) => documented.has(code) && code !== 'INTERNAL');
  return fine ? 'documented-error' : 'bad';
}

/** One line per kind of bad outcome, for reports. */
export function describeOutcome(outcome: Outcome): string {
  const answer = outcome.status === null ? 'no answer' : `HTTP ${outcome.status}`;
  const codes = outcome.codes.length > 0 ? ` ${outcome.codes.join(',')}` : '';
  return `${outcome.op}: ${answer}${codes}${outcome.failure ? ` (${outcome.failure})` : ''}`;
}

/** The bad outcomes of a run, one line per kind with its count (`3× editImage: no answer (…)`). */
export function badOutcomeLines(outcomes: readonly Outcome[], documented: ReadonlySet<string>): string[] {
  const bad = new Map<string, number>();
  for (const outcome of outcomes.filter((o) => verdictOf(o, documented) === 'bad')) {
    const line = describeOutcome(outcome);
    bad.set(line, (bad.get(line) ?? 0) + 1);
  }
  return [...bad].map(([line, n]) => `${n}× ${line}`);
}
