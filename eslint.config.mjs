// One flat config for every package; `npm run lint` runs it through nx with zero warnings allowed.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '**/.data/**',
      '**/.nx/**',
      '**/.next/**',
      // Next build output of the dashboard's e2e run and local checks (NEXT_DIST_DIR).
      '**/.next-*/**',
      'test-results/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    // Module boundaries (DESIGN "Repository layout"): product code, its tests and libs/ never import
    // scripts/ (the orchestrator behind npm start / npm test) or loadtests/; libs/ never import apps.
    // Stores and services are started through libs/harness. Known exceptions, not to be copied: the
    // images' build.mjs use scripts/build; one e2e test serves scripts/demo-site; @sightline/testing
    // runs the ingest receiver in-process.
    files: ['api/**', 'ingest/**', 'workers/**', 'dashboard/**', 'tracker/**', 'libs/**'],
    ignores: ['*/build.mjs', 'ingest/test/browser-to-clickhouse.e2e.spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/scripts/**', '**/loadtests/**', '@sightline/loadtests'],
              message: 'Product code and tests never import scripts/ or loadtests/ (use @sightline/harness).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['libs/**'],
    ignores: ['libs/testing/src/ingest-harness.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/scripts/**', '**/loadtests/**', '@sightline/loadtests'],
              message: 'Libraries never import scripts/ or loadtests/.',
            },
            {
              group: [
                '@sightline/api',
                '@sightline/ingest',
                '@sightline/workers',
                '@sightline/dashboard',
                '@sightline/tracker',
                '**/../api/**',
                '**/../ingest/**',
                '**/../workers/**',
                '**/../dashboard/**',
              ],
              message: 'Libraries never import apps.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['tracker/src/**/*.ts', 'scripts/demo-site/**/*.js'],
    languageOptions: { globals: { ...globals.browser } },
  },
);
