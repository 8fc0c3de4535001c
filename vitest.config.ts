import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'electron/**/*.test.ts', 'renderer/src/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // better-sqlite3 and onnxruntime are native addons; forks isolate them more safely than worker threads.
    pool: 'forks',
  },
});
