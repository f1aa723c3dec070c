import { readFile } from 'node:fs/promises';
import { isAbsolute, join, normalize } from 'node:path';
import { ClipError } from '../errors.js';
import type { CalibrationPair } from './measure.js';

/** The file of a caption folder that lists its pairs. */
export const CAPTIONS_FILE = 'captions.jsonl';

/**
 * Reads an image–caption folder: DIR/captions.jsonl holds one JSON object per line,
 * `{"image": "cat.jpg", "caption": "a cat asleep on a sofa"}`, with the image path relative to DIR.
 * An image may have several lines (several captions); its captions never count as mismatched with it.
 */
export async function readCaptionFolder(dir: string): Promise<CalibrationPair[]> {
  const path = join(dir, CAPTIONS_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new ClipError(
      'BAD_INPUT',
      `${path} is missing: a caption folder holds images and ${CAPTIONS_FILE} ({"image","caption"} per line)`,
      { cause },
    );
  }
  const pairs: CalibrationPair[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '') return;
    const where = `${path}:${i + 1}`;
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch (cause) {
      throw new ClipError('BAD_INPUT', `${where}: not JSON: ${(cause as Error).message}`, { cause });
    }
    const { image, caption } = (row ?? {}) as { image?: unknown; caption?: unknown };
    if (typeof image !== 'string' || image === '' || typeof caption !== 'string' || caption.trim() === '')
      throw new ClipError('BAD_INPUT', `${where}: needs a non-empty "image" path and "caption" text`);
    const relative = normalize(image);
    if (isAbsolute(relative) || relative.startsWith('..'))
      throw new ClipError('BAD_INPUT', `${where}: "image" must be a path inside the folder, got ${image}`);
    pairs.push({ image: { path: join(dir, relative) }, caption: caption.trim(), group: relative });
  });
  return pairs;
}
