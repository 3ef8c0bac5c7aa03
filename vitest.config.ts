import { defineConfig } from 'vitest/config';

// Three tiers, one run: unit (*.spec.ts, pure logic), integration (*.int.spec.ts, real Postgres,
// Redis and ClickHouse prepared by scripts/test.mjs) and e2e (*.e2e.spec.ts, headless Chromium).
const exclude = ['**/node_modules/**', '**/dist/**', '**/.data/**'];
export default defineConfig({
  test: {
    // Integration and e2e files share the private stores and ports; run files one at a time.
    fileParallelism: false,
    projects: [
      {
        test: {
          name: 'unit',
          include: ['**/*.spec.ts'],
          exclude: [...exclude, '**/*.int.spec.ts', '**/*.e2e.spec.ts'],
          // Property tests run thousands of cases; on 2 busy cores the 5 s default is not enough.
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['**/*.int.spec.ts'],
          exclude,
          testTimeout: 60_000,
          hookTimeout: 120_000,
          expect: { poll: { timeout: 15_000 } },
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['**/*.e2e.spec.ts'],
          exclude,
          testTimeout: 90_000,
          hookTimeout: 120_000,
          // Waits for what a page or a server eventually shows; 1 s (the default) flakes on a loaded machine.
          expect: { poll: { timeout: 15_000 } },
        },
      },
    ],
  },
});
