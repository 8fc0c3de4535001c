import { defineConfig } from '@playwright/test';

// The browser suite: Debian's Chromium drives the built renderer, served with a real engine on a fresh temporary
// workspace by the loopback HTTP server (test/e2e/server.ts). One worker: the tests share that workspace, and the
// machine has two cores.
const port = Number(process.env.PONT_E2E_PORT ?? 4599);

export default defineConfig({
  testDir: 'test/e2e',
  timeout: 45_000,
  expect: { timeout: 15_000 },
  workers: 1,
  fullyParallel: false,
  retries: 0,
  outputDir: 'test-results/playwright',
  reporter: process.env.PLAYWRIGHT_JSON_OUTPUT_NAME ? [['list'], ['json']] : [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    browserName: 'chromium',
    headless: true,
    viewport: { width: 1024, height: 640 },
    locale: 'en-GB',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
        '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic',
      ],
    },
  },
  webServer: {
    command: 'scripts/node.sh node node_modules/vite/bin/vite.js build -c vite.renderer.config.ts --logLevel warn && scripts/node.sh node test/e2e/server.ts',
    url: `http://127.0.0.1:${port}/`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: 'pipe',
    env: { PONT_E2E_PORT: String(port) },
  },
});
