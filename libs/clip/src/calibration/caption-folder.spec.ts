import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCaptionFolder } from './caption-folder.js';

async function folder(lines: string[]): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'clipsmith-pairs-'));
  await writeFile(join(dir, 'captions.jsonl'), lines.join('\n'));
  return dir;
}

describe('readCaptionFolder', () => {
  it('reads one pair per line, grouped by image', async () => {
    const dir = await folder([
      '{"image": "a.png", "caption": " a cat "}',
      '',
      '{"image": "./a.png", "caption": "a cat asleep"}',
      '{"image": "sub/b.jpg", "caption": "a dog"}',
    ]);
    expect(await readCaptionFolder(dir)).toEqual([
      { image: { path: join(dir, 'a.png') }, caption: 'a cat', group: 'a.png' },
      { image: { path: join(dir, 'a.png') }, caption: 'a cat asleep', group: 'a.png' },
      { image: { path: join(dir, 'sub/b.jpg') }, caption: 'a dog', group: 'sub/b.jpg' },
    ]);
  });

  it('names the file and line of a bad row', async () => {
    const cases: [string, RegExp][] = [
      ['{"image": "a.png"', /captions\.jsonl:2: not JSON/],
      [
        '{"image": "a.png", "caption": ""}',
        /captions\.jsonl:2: needs a non-empty "image" path and "caption"/,
      ],
      [
        '{"image": "../a.png", "caption": "x"}',
        /captions\.jsonl:2: "image" must be a path inside the folder/,
      ],
      ['{"image": "/etc/passwd", "caption": "x"}', /must be a path inside the folder/],
    ];
    for (const [line, message] of cases) {
      const dir = await folder(['{"image": "ok.png", "caption": "fine"}', line]);
      await expect(readCaptionFolder(dir)).rejects.toMatchObject({ code: 'BAD_INPUT', message });
    }
  });

  it('says what a caption folder holds when captions.jsonl is missing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'clipsmith-pairs-'));
    await expect(readCaptionFolder(dir)).rejects.toThrow(
      /captions\.jsonl is missing: a caption folder holds/,
    );
  });
});
