import { send } from './client.js';
import { documentedCodes } from './documented-codes.js';
import { graphqlCase } from './graphql-cases.js';
import { describeOutcome, verdictOf } from './outcome.js';
import { seededRng } from './prng.js';
import type { RunningApp } from '../../test/support/app-process.js';
import type { FuzzReport } from './fuzz-images.js';

/** Random, malformed, deep and huge GraphQL requests: every answer a result or a documented error. */
export async function fuzzGraphql(
  app: RunningApp,
  options: { cases: number; seed: number },
): Promise<FuzzReport> {
  const rng = seededRng(options.seed);
  const documented = documentedCodes();
  const report: FuzzReport = { cases: 0, accepted: 0, refused: {}, maxRssMb: 0, problems: [] };
  for (let i = 0; i < options.cases; i++) {
    const request = graphqlCase(rng);
    const outcome = await send(app.url, request);
    report.cases++;
    const verdict = verdictOf(outcome, documented);
    if (verdict === 'bad' || (outcome.status ?? 0) >= 500)
      report.problems.push(`case ${i} (seed ${options.seed}): ${describeOutcome(outcome)}`);
    else if (verdict === 'ok') report.accepted++;
    else for (const code of outcome.codes) report.refused[code] = (report.refused[code] ?? 0) + 1;
  }
  if (app.process.exitCode !== null) report.problems.push(`the server died (exit ${app.process.exitCode})`);
  return report;
}
