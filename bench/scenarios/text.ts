/** Text: prompts → normalised embeddings, unique prompts (no cache) and a repeated-prompt workload. */
import { load } from '#clip';
import { longPrompts, shortPrompts } from '../prompts.js';
import { chunks, round, type Throughput, throughput } from '../stats.js';
import { modelId, onnxFile, sessionOptions, transformersJs, verifySessions } from '../transformers-js.js';

export interface TextArgs {
  runner: 'clipsmith' | 'transformers.js';
  modelDir: string;
  threads: number;
  batches: number[];
  items: Record<string, number>;
  repeats: number;
  /** Calls of the cached workload per timed run. */
  cachedCalls: number;
}

export interface TextResult {
  /** `${kind}/${batch}` → throughput (texts per second), kind short | long | cached. */
  throughput: Record<string, Throughput>;
  tokens: { short: number; long: number };
  check?: unknown;
}

export async function runText(args: TextArgs): Promise<TextResult> {
  const results: Record<string, Throughput> = {};
  let embed: (texts: string[]) => Promise<unknown>;
  let check: (() => Promise<unknown>) | undefined;
  let countTokens: (text: string) => number;
  if (args.runner === 'clipsmith') {
    const engine = await load(args.modelDir, { intraOpNumThreads: args.threads, cacheSize: 0 });
    embed = (texts) => engine.embedTexts(texts);
    countTokens = (text) => engine.tokenize([text])[0]!.length;
  } else {
    const tjs = await transformersJs(args.modelDir);
    const id = modelId(args.modelDir);
    const tokenizer = await tjs.AutoTokenizer.from_pretrained(id);
    const model = await tjs.CLIPTextModelWithProjection.from_pretrained(id, {
      dtype: 'fp32',
      device: 'cpu',
      session_options: sessionOptions(args.threads),
    });
    embed = async (texts) => {
      const inputs = tokenizer(texts, { padding: true, truncation: true });
      const { text_embeds } = (await model(inputs)) as {
        text_embeds: { normalize: (p: number, dim: number) => { tolist: () => number[][] } };
      };
      return text_embeds.normalize(2, -1).tolist();
    };
    countTokens = (text) => (tokenizer.encode(text) as number[]).length;
    check = () => verifySessions(onnxFile(args.modelDir, 'text'));
  }
  const kinds = { short: shortPrompts, long: longPrompts } as const;
  for (const [kind, make] of Object.entries(kinds)) {
    for (const batch of args.batches) {
      const items = args.items[String(batch)]!;
      // Fresh prompts for every run (no cache here anyway), so nothing but the model is measured.
      const pool = make(items * (args.repeats + 1), 1000 + batch);
      let turn = 0;
      const run = async (): Promise<void> => {
        const texts = pool.slice(turn * items, (turn + 1) * items);
        turn++;
        for (const call of chunks(texts, batch)) await embed(call);
      };
      results[`${kind}/${batch}`] = await throughput(run, items, Math.ceil(items / batch), args.repeats);
    }
  }
  if (args.runner === 'clipsmith') {
    // The repeated-prompt workload: 32 prompts embedded once, then asked for again and again, one per call.
    const engine = await load(args.modelDir, { intraOpNumThreads: args.threads });
    const prompts = shortPrompts(32, 7);
    await engine.embedTexts(prompts);
    const run = async (): Promise<void> => {
      for (let i = 0; i < args.cachedCalls; i++) await engine.embedTexts([prompts[i % prompts.length]!]);
    };
    results['cached/1'] = await throughput(run, args.cachedCalls, args.cachedCalls, args.repeats);
    check = async () => ({ cache: engine.cacheStats });
  }
  const average = (texts: string[]): number =>
    round(texts.reduce((n, t) => n + countTokens(t), 0) / texts.length);
  return {
    throughput: results,
    tokens: { short: average(shortPrompts(64, 1)), long: average(longPrompts(16, 1)) },
    check: await check?.(),
  };
}
