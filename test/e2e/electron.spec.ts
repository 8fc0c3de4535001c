import { _electron as electron, expect, test } from '@playwright/test';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { electronBinary } from '../../scripts/electron-binary.mjs';

const binary = electronBinary();
const built = existsSync('.vite/build/main.cjs');

test('the desktop window opens isolated and sandboxed, and searches the demo through the preload', async () => {
  const reason = !binary
    ? 'the Electron binary is not installed (npm could not download it: no network access to GitHub here)'
    : !built
      ? 'the Electron build is missing: run `npm run package` (electron-forge) first'
      : '';
  if (reason) console.log(`skipping the Electron test: ${reason}`);
  test.skip(reason !== '', reason);

  const workspace = mkdtempSync(join(tmpdir(), 'pont-electron-'));
  const app = await electron.launch({ executablePath: binary!, args: ['.vite/build/main.cjs'], env: { ...process.env, PONT_WORKSPACE: workspace } });
  try {
    const page = await app.firstWindow();
    // The page sees the typed API and nothing of Node.
    expect(await page.evaluate(() => Object.keys((globalThis as unknown as { pont: object }).pont).sort())).toEqual(['call', 'cancel', 'choosePath']);
    expect(await page.evaluate(() => [typeof (globalThis as { require?: unknown }).require, typeof (globalThis as { process?: unknown }).process])).toEqual(['undefined', 'undefined']);
    await expect(page.getByLabel('Search in', { exact: true })).toContainText('demo-fr');
  } finally {
    await app.close();
    rmSync(workspace, { recursive: true, force: true });
  }
});
