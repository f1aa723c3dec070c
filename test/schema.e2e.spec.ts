import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

describe('schema.gql', () => {
  it('is what the code-first resolvers emit (run `npm run schema` after changing them)', () => {
    const emitted = execFileSync(process.execPath, ['dist/apps/api/src/graphql/emit-schema.js'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(emitted).toBe(readFileSync(`${ROOT}schema.gql`, 'utf8'));
  });

  it('holds the names and shapes other tools check', () => {
    const schema = readFileSync(`${ROOT}schema.gql`, 'utf8');
    const block = (kind: string, name: string): string => {
      const match = new RegExp(`${kind} ${name} \\{\\n([\\s\\S]*?)\\n\\}`).exec(schema);
      expect(match, `${kind} ${name}`).not.toBeNull();
      return match![1]!;
    };
    const fields = (kind: string, name: string): string[] =>
      block(kind, name)
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => /^\w+[(:]/.test(l))
        .map((l) => l.replace(/ = .*$/, '').trim());
    expect(fields('input', 'ImageInput')).toEqual([
      'assetId: ID',
      'base64: String',
      'upload: Upload',
      'url: String',
    ]);
    expect(fields('input', 'GenerateInput')).toEqual(
      expect.arrayContaining([
        'prompt: String!',
        'negativePrompt: String',
        'count: Int',
        'generators: [String!]',
        'width: Int',
        'height: Int',
        'seed: Int',
        'diversity: Float',
      ]),
    );
    expect(fields('input', 'EditImageInput')).toEqual(
      expect.arrayContaining(['image: ImageInput!', 'instruction: String!', 'mode: EditMode', 'budget: Int']),
    );
    expect(fields('input', 'CaptionItemInput')).toEqual(
      expect.arrayContaining(['image: ImageInput!', 'caption: String!', 'references: [String!]']),
    );
    expect(fields('input', 'ModerationRuleInput')).toEqual(
      expect.arrayContaining(['name: String!', 'description: String!', 'threshold: Float']),
    );
    const mutation = block('type', 'Mutation');
    expect(mutation).toMatch(/editImage\(input: EditImageInput!\): EditResult!/);
    expect(mutation).toMatch(/generate\(input: GenerateInput!\): GenerationResult!/);
    expect(mutation).toMatch(
      /moderate\(image: ImageInput!, policy: ModerationPolicyInput!\): ModerationResult!/,
    );
    expect(mutation).toMatch(/scoreCaptions\(input: ScoreCaptionsInput!\): \[CaptionScore!\]!/);
    const query = block('type', 'Query');
    expect(query).toMatch(/asset\(id: ID!\): Asset\n/);
    expect(query).toMatch(/classify\(\s+image: ImageInput!\s+labels: \[String!\]!/);
    expect(query).toMatch(/generators: \[GeneratorInfo!\]!/);
  });
});
