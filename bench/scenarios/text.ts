/** Text: prompts → normalised embeddings, unique prompts (no cache) and a repeated-prompt workload. */
import { load } from '#clip';
import { longPrompts, shortPrompts } from '../prompts.js';
import type { Runner } from '../runner-child.js';
import { chunks, round } from '../stats.js';
import { modelId, onnxFile, sessionOptions, transformersJs, verifySessions } from '../transformers-js.js';

export interface TextRunnerSpec {
  runner: 'clipsmith' | 'transformers.js';
  modelDir: string;
  threads: number;
  /** Prompts per pass, by batch size. */
  items: Record<string, number>;
  /** Passes each workload will run (warm-up included): every pass embeds prompts not seen before. */
  passes: number;
  /** Calls of the cached workload per pass. */
  cachedCalls: number;
}

/**
 * Workloads `${kind}/${batch}` (kind short or long): fresh prompts in calls of `batch`. clipsmith runs
 * with its cache off there, and also has `cached/1`: 32 prompts asked for again and again, one per call,
 * from an engine whose cache holds them.
 */
export async function textRunner(spec: TextRunnerSpec): Promise<Runner> {
  let embed: (texts: string[]) => Promise<unknown>;
  let check: (() => Promise<unknown>) | undefined;
  let countTokens: (text: string) => number;
  const workloads: Runner['workloads'] = {};
  if (spec.runner === 'clipsmith') {
    const engine = await load(spec.modelDir, { intraOpNumThreads: spec.threads, cacheBytes: 0 });
    embed = (texts) => engine.embedTexts(texts);
    countTokens = (text) => engine.tokenize([text])[0]!.length;
    const cached = await load(spec.modelDir, { intraOpNumThreads: spec.threads });
    const prompts = shortPrompts(32, 7);
    await cached.embedTexts(prompts);
    workloads['cached/1'] = async () => {
      for (let i = 0; i < spec.cachedCalls; i++) await cached.embedTexts([prompts[i % prompts.length]!]);
      return { items: spec.cachedCalls, calls: spec.cachedCalls };
    };
    check = async () => ({ cache: cached.cacheStats });
  } else {
    const tjs = await transformersJs(spec.modelDir);
    const id = modelId(spec.modelDir);
    const tokenizer = await tjs.AutoTokenizer.from_pretrained(id);
    const model = await tjs.CLIPTextModelWithProjection.from_pretrained(id, {
      dtype: 'fp32',
      device: 'cpu',
      session_options: sessionOptions(spec.threads),
    });
    embed = async (texts) => {
      const inputs = tokenizer(texts, { padding: true, truncation: true });
      const { text_embeds } = (await model(inputs)) as {
        text_embeds: { normalize: (p: number, dim: number) => { tolist: () => number[][] } };
      };
      return text_embeds.normalize(2, -1).tolist();
    };
    countTokens = (text) => (tokenizer.encode(text) as number[]).length;
    check = () => verifySessions(onnxFile(spec.modelDir, 'text'));
  }
  const kinds = { short: shortPrompts, long: longPrompts } as const;
  for (const [kind, make] of Object.entries(kinds)) {
    for (const [batchKey, items] of Object.entries(spec.items)) {
      const batch = Number(batchKey);
      // The same prompts for both runners, fresh in every pass: nothing but the model is measured.
      const pool = make(items * spec.passes, 1000 + batch);
      let turn = 0;
      workloads[`${kind}/${batch}`] = async () => {
        const texts = pool.slice((turn % spec.passes) * items, ((turn % spec.passes) + 1) * items);
        turn++;
        for (const call of chunks(texts, batch)) await embed(call);
        return { items, calls: Math.ceil(items / batch) };
      };
    }
  }
  const average = (texts: string[]): number =>
    round(texts.reduce((n, t) => n + countTokens(t), 0) / texts.length);
  const tokens = { short: average(shortPrompts(64, 1)), long: average(longPrompts(16, 1)) };
  return { workloads, check: async () => ({ tokens, ...((await check?.()) as object) }) };
}
