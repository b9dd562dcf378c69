import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // The @core/, @engine/, @data/ and @web/ imports, as tsconfig.json maps them.
  resolve: { tsconfigPaths: true },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          environment: 'node',
          include: [
            'core/**/*.test.ts',
            // The engine runs in the browser and in Node: its tests run without a DOM.
            'engine/**/*.test.ts',
            'supabase/functions/**/*.test.ts',
            'config/**/*.test.ts',
            'stack/**/*.test.ts',
            'runner/**/*.test.ts',
          ],
          // Property-based fuzzing is CPU-bound: leave room for a busy two-core machine.
          testTimeout: 20_000,
        },
      },
      {
        extends: true,
        plugins: [react()],
        test: {
          name: 'web',
          environment: 'jsdom',
          include: ['web/src/**/*.test.{ts,tsx}'],
          setupFiles: ['web/src/test/setup.ts'],
        },
      },
      {
        extends: true,
        plugins: [react()],
        test: {
          name: 'integration',
          environment: 'node',
          include: ['tests/integration/**/*.test.{ts,tsx}', 'supabase/tests/**/*.test.ts'],
          setupFiles: ['web/src/test/setup.ts'],
          globalSetup: ['tests/integration/global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 180_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          environment: 'node',
          // After the other projects: two stacks and a browser at once are too much for two cores.
          sequence: { groupOrder: 1 },
          fileParallelism: false,
          include: ['tests/e2e/**/*.e2e.test.ts'],
          globalSetup: ['tests/e2e/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
