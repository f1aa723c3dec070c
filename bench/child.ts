/**
 * One single-runner benchmark scenario in a process of its own (`main.ts` forks it): a fresh heap, its own onnxruntime
 * sessions and thread pools, nothing left over from the scenario before. Sends its result and exits.
 */
import { runMemory, type MemoryArgs } from './scenarios/memory.js';
import { runQuant, type QuantArgs } from './scenarios/quant.js';
import { runRerank, type RerankArgs } from './scenarios/rerank.js';

export type Scenario =
  | { kind: 'rerank'; args: RerankArgs }
  | { kind: 'memory'; args: MemoryArgs }
  | { kind: 'quant'; args: QuantArgs };

async function run(scenario: Scenario): Promise<unknown> {
  switch (scenario.kind) {
    case 'rerank':
      return runRerank(scenario.args);
    case 'memory':
      return runMemory(scenario.args);
    case 'quant':
      return runQuant(scenario.args);
  }
}

process.once('message', (scenario: Scenario) => {
  run(scenario).then(
    (result) => process.send!({ ok: true, result }, () => process.exit(0)),
    (error: unknown) =>
      process.send!({ ok: false, error: (error as Error).stack ?? String(error) }, () => process.exit(1)),
  );
});
