import { readFileSync } from 'node:fs';

const README = new URL('../../README.md', import.meta.url);

/**
 * The error codes the README documents (its "Errors" section), which are all a client may ever see.
 * Read from the README, not the code, so a code added without documenting it fails the soak.
 */
export function documentedCodes(readme = readFileSync(README, 'utf8')): Set<string> {
  const section = /^### Errors\n([\s\S]*?)(?=^#)/m.exec(readme)?.[1];
  if (!section) throw new Error('README.md has no "### Errors" section listing the codes');
  return new Set([...section.matchAll(/`([A-Z][A-Z_]+)`/g)].map((m) => m[1]!));
}
