import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

// Two projects: fast unit specs next to the code (pure libs, plain data), and
// database-backed e2e suites under test/ that boot the real app.
const plugins = [swc.vite({ module: { type: 'es6' } })];

export default defineConfig({
  plugins,
  resolve: { tsconfigPaths: true },
  test: {
    projects: [
      {
        plugins,
        resolve: { tsconfigPaths: true },
        test: {
          name: 'unit',
          sequence: { groupOrder: 0 },
          include: ['libs/**/*.spec.ts', 'apps/**/*.spec.ts'],
          environment: 'node',
          testTimeout: 30_000,
        },
      },
      {
        plugins,
        resolve: { tsconfigPaths: true },
        test: {
          name: 'e2e',
          sequence: { groupOrder: 1 },
          include: ['test/**/*.e2e-spec.ts'],
          environment: 'node',
          globalSetup: ['test/support/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          pool: 'forks',
          maxWorkers: 2,
        },
      },
    ],
  },
});
