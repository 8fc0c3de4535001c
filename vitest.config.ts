import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Long suites (`*.slow.test.ts`) run only under `npm run test:slow`, which sets PONT_SLOW_TESTS.
    include: process.env.PONT_SLOW_TESTS ? ['test/**/*.slow.test.ts'] : ['test/**/*.test.ts', 'electron/**/*.test.ts', 'renderer/src/**/*.test.ts'],
    exclude: process.env.PONT_SLOW_TESTS ? ['**/node_modules/**'] : ['**/node_modules/**', '**/*.slow.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // better-sqlite3 and onnxruntime are native addons; forks isolate them more safely than worker threads.
    pool: 'forks',
  },
});
