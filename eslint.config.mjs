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
    files: ['tracker/src/**/*.ts', 'scripts/demo-site/**/*.js'],
    languageOptions: { globals: { ...globals.browser } },
  },
);
