import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['dist/**', 'node_modules/**', 'models/**', 'scratch/**', 'coverage/**', 'apps/web/src/gql/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      eqeqeq: ['error', 'always'],
      // A lib is used only through its entry points (#clip, #generators, #guidance and their test-support).
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/libs/*/src/**', '**/clip/src/**', '**/generators/src/**', '**/guidance/src/**'],
              message:
                'Import a lib through its entry point (#clip, #generators, #guidance, #…/test-support).',
            },
          ],
        },
      ],
    },
  },
  // The Studio page runs in the browser.
  { files: ['apps/web/src/**'], languageOptions: { globals: { ...globals.browser } } },
);
