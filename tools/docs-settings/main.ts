/**
 * Rewrites the README's settings table from the environment schema (npm run docs:settings); a spec
 * beside the schema fails while the two differ.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { format, resolveConfig } from 'prettier';
import { envSchema } from '../../apps/api/src/config/env-schema.js';
import { README_SETTINGS, replaceSettingsTable, settingsTable } from './settings-table.js';

const readme = await readFile(README_SETTINGS.path, 'utf8');
const updated = replaceSettingsTable(readme, settingsTable(envSchema));
// The repository's prettier settings, so the rest of the README stays as `npm run lint` wants it.
const options = await resolveConfig(README_SETTINGS.path);
await writeFile(
  README_SETTINGS.path,
  await format(updated, { ...options, parser: 'markdown', filepath: README_SETTINGS.path }),
);
