import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { envSchema } from '../../apps/api/src/config/env-schema.js';
import { envInteger, optionalText } from '../../apps/api/src/config/settings.js';
import { README_SETTINGS, readSettingsTable, replaceSettingsTable, settingsTable } from './settings-table.js';

describe('the settings table', () => {
  it('in the README is the one the schema gives (npm run docs:settings rewrites it)', async () => {
    const readme = await readFile(README_SETTINGS.path, 'utf8');
    expect(readSettingsTable(readme)).toEqual(settingsTable(envSchema));
  });

  it('shows defaults from the schema, bytes in binary units, and a written default where given', () => {
    const schema = z.object({
      A_BYTES: envInteger(20 * 1024 ** 2, 1, 2 ** 40, { meaning: 'bytes', unit: 'bytes' }),
      A_COUNT: envInteger(7, 1, 9, { meaning: 'count' }),
      A_DIR: optionalText({ meaning: 'dir', shownDefault: 'bundled model' }),
      A_FILE: optionalText({ meaning: 'file' }),
    });
    expect(settingsTable(schema)).toEqual([
      ['`A_BYTES`', '20 MiB', 'bytes'],
      ['`A_COUNT`', '`7`', 'count'],
      ['`A_DIR`', 'bundled model', 'dir'],
      ['`A_FILE`', 'none', 'file'],
    ]);
  });

  it('round-trips through the README markers', () => {
    const readme = `# x\n\n${README_SETTINGS.begin}\nold\n${README_SETTINGS.end}\n\nafter\n`;
    const rows = [['`A`', '`1`', 'one, two']];
    const updated = replaceSettingsTable(readme, rows);
    expect(updated.endsWith(`${README_SETTINGS.end}\n\nafter\n`)).toBe(true);
    expect(readSettingsTable(updated)).toEqual([['`A`', '`1`', 'one, two']]);
  });
});
