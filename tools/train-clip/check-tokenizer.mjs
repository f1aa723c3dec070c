// Checks that the Python tokenizer of tools/train-clip gives the ids clipsmith's engine gives.
//
//   node tools/train-clip/check-tokenizer.mjs MODEL_DIR CASES.json
//
// CASES.json: [{ "text": "...", "ids": [...] }, ...] as written by `export.py --tokenizer-cases`. The ids
// here are made the way libs/clip/src/tokenizer.ts makes them: @huggingface/tokenizers' encode without
// special tokens, truncated to model_max_length - 2 and wrapped in the start and end tokens.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Tokenizer } from '@huggingface/tokenizers';

const [dir, casesFile] = process.argv.slice(2);
if (!dir || !casesFile) {
  console.error('usage: node tools/train-clip/check-tokenizer.mjs MODEL_DIR CASES.json');
  process.exit(2);
}
const json = (name) => JSON.parse(readFileSync(join(dir, name), 'utf8'));
const config = json('tokenizer_config.json');
const tokenizer = new Tokenizer(json('tokenizer.json'), config);
const startId = tokenizer.token_to_id(config.bos_token);
const endId = tokenizer.token_to_id(config.eos_token);
const maxLength = config.model_max_length;

const cases = JSON.parse(readFileSync(casesFile, 'utf8'));
let mismatches = 0;
for (const { text, ids } of cases) {
  const body = tokenizer.encode(text, { add_special_tokens: false }).ids;
  const js = [startId, ...body.slice(0, maxLength - 2), endId];
  if (js.length !== ids.length || js.some((id, i) => id !== ids[i])) {
    mismatches++;
    if (mismatches <= 10) console.error(`mismatch for ${JSON.stringify(text)}: js ${js} python ${ids}`);
  }
}
console.log(JSON.stringify({ cases: cases.length, mismatches }));
process.exit(mismatches === 0 ? 0 : 1);
