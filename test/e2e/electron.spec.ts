import { _electron as electron, expect, test } from '@playwright/test';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** The Electron binary, when its download was possible on this machine (requiring 'electron' would retry it). */
function electronBinary(): string | null {
  try {
    const dir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
    const file = join(dir, 'path.txt');
    if (!existsSync(file)) return null;
    const bin = join(dir, 'dist', readFileSync(file, 'utf8').trim());
    return existsSync(bin) ? bin : null;
  } catch {
    return null;
  }
}

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
