import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * Electron's binary when its download succeeded on this machine, else null. Requiring 'electron' instead would
 * retry the download (and fail offline), so the package's own path file is read.
 */
export function electronBinary() {
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
