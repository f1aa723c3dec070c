import { fileURLToPath } from 'node:url';
import type { z } from 'zod';
import { type SettingDoc, settingDocs } from '../../apps/api/src/config/settings.js';

/** Where the generated table lives: between these two markers of the README. */
export const README_SETTINGS = {
  path: fileURLToPath(new URL('../../README.md', import.meta.url)),
  begin: '<!-- settings:begin (npm run docs:settings) -->',
  end: '<!-- settings:end -->',
};

/** The rows of the README's settings table: variable, default, meaning — all from the schema. */
export function settingsTable(schema: z.ZodObject): string[][] {
  const defaults = schema.parse({}) as Record<string, unknown>;
  return Object.entries(schema.shape).map(([key, field]) => {
    const doc = settingDocs.get(field as z.ZodType);
    if (!doc) throw new Error(`setting ${key} has no documentation`);
    return [`\`${key}\``, doc.shownDefault ?? shownValue(defaults[key], doc.unit), doc.meaning];
  });
}

function shownValue(value: unknown, unit: SettingDoc['unit']): string {
  if (value === undefined || (Array.isArray(value) && value.length === 0)) return 'none';
  if (unit === 'bytes' && typeof value === 'number') return bytesText(value);
  return `\`${String(value)}\``;
}

function bytesText(bytes: number): string {
  for (const [unit, size] of [
    ['GiB', 1024 ** 3],
    ['MiB', 1024 ** 2],
    ['KiB', 1024],
  ] as const) {
    if (bytes >= size && bytes % size === 0) return `${bytes / size} ${unit}`;
  }
  return `${bytes} B`;
}

/** The README with its settings table replaced by `rows`, under a header row. */
export function replaceSettingsTable(readme: string, rows: string[][]): string {
  const begin = readme.indexOf(README_SETTINGS.begin);
  const end = readme.indexOf(README_SETTINGS.end);
  if (begin < 0 || end < begin) throw new Error('the README has no settings markers');
  const lines = [['variable', 'default', 'meaning'], ['---', '---', '---'], ...rows].map(
    (cells) => `| ${cells.join(' | ')} |`,
  );
  return `${readme.slice(0, begin)}${README_SETTINGS.begin}\n\n${lines.join('\n')}\n\n${readme.slice(end)}`;
}

/** The rows of the README's settings table as written there, cells trimmed. */
export function readSettingsTable(readme: string): string[][] {
  const begin = readme.indexOf(README_SETTINGS.begin);
  const end = readme.indexOf(README_SETTINGS.end);
  return readme
    .slice(begin, end)
    .split('\n')
    .filter((line) => line.startsWith('|'))
    .slice(2)
    .map((line) =>
      line
        .slice(1, -1)
        .split(' | ')
        .map((cell) => cell.trim()),
    );
}
