// `npm start`: the desktop app where Electron is installed; otherwise the same app in the system's browser, served
// by `pont serve` on the default workspace (which gets the demo the first time).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/** Electron's binary when its postinstall download succeeded (requiring 'electron' would try to download it). */
function electronBinary() {
  try {
    const dir = dirname(require.resolve('electron/package.json'));
    const file = join(dir, 'path.txt');
    if (!existsSync(file)) return null;
    const bin = join(dir, 'dist', readFileSync(file, 'utf8').trim());
    return existsSync(bin) ? bin : null;
  } catch {
    return null;
  }
}

function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'dist' || e.name === 'node_modules') continue;
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

const run = (cmd, args) => {
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};

const passThrough = process.argv.slice(2);
if (electronBinary() && !process.env.PONT_BROWSER) {
  run('npx', ['electron-forge', 'start', ...(passThrough.length ? ['--', ...passThrough] : [])]);
} else {
  // Build the interface only when its sources changed since the last build.
  const index = 'renderer/dist/index.html';
  if (!existsSync(index) || newest('renderer') > statSync(index).mtimeMs) {
    console.log('pont: building the interface…');
    run(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '-c', 'vite.renderer.config.ts', '--logLevel', 'warn']);
  }
  if (!electronBinary()) console.log('pont: Electron is not installed here, so Pont opens in your browser instead.');
  const child = spawn(process.execPath, ['bin/pont.mjs', 'serve', ...passThrough], { stdio: 'inherit' });
  const forward = (sig) => child.kill(sig);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  child.on('exit', (code) => process.exit(code ?? 0));
}
