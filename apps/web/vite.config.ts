import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

/** The Studio page: built into dist/web, which the API serves at `/`. */
export default defineConfig({
  root: here('.'),
  plugins: [react()],
  build: {
    outDir: here('../../dist/web'),
    emptyOutDir: true,
    // Not `assets/`: `/assets/:id` is the API's.
    assetsDir: 'static',
    // GraphiQL (Monaco) is a lazy chunk of several MB; the main bundle's budget is checked by a test.
    chunkSizeWarningLimit: 8000,
    rolldownOptions: {
      // GraphiQL's React-compiler directives ("use no memo") are harmless once bundled.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
  // The dev server's pre-bundler cannot follow GraphiQL's `?worker` imports; Vite serves them as they are.
  optimizeDeps: { exclude: ['graphiql', '@graphiql/react'] },
  server: {
    proxy: { '/graphql': { target: 'http://127.0.0.1:3000', ws: true }, '/assets': 'http://127.0.0.1:3000' },
  },
});
