import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

const LIBS = ['clip', 'generators', 'guidance'];
const entry = (name: string, path: string): string =>
  fileURLToPath(new URL(`./libs/${name}/src/${path}`, import.meta.url));

export default defineConfig({
  resolve: {
    // Exact matches: '#clip' must not swallow '#clip/test-support' as a prefix.
    alias: [
      ...LIBS.map((name) => ({ find: new RegExp(`^#${name}$`), replacement: entry(name, 'index.ts') })),
      ...['clip', 'generators'].map((name) => ({
        find: new RegExp(`^#${name}/test-support$`),
        replacement: entry(name, 'test-support/index.ts'),
      })),
      // The file Node resolves, as our dependencies (Apollo, graphql-query-complexity) do: one graphql-js
      // instance, or schemas built here are "from another module or realm" to them.
      { find: /^graphql$/, replacement: createRequire(import.meta.url).resolve('graphql') },
    ],
  },
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          include: [
            'apps/**/*.spec.ts',
            'libs/**/*.spec.ts',
            'test/**/*.spec.ts',
            'tools/**/*.spec.ts',
            'bench/**/*.spec.ts',
          ],
          exclude: ['apps/web/**', '**/node_modules/**'],
        },
      },
      // The Studio's components, in jsdom; only these files pay for it.
      {
        extends: true,
        plugins: [react()],
        test: { name: 'web', include: ['apps/web/src/**/*.spec.{ts,tsx}'], environment: 'jsdom' },
      },
    ],
  },
});
