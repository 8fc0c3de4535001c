// `npm start`: the desktop app where Electron is installed; otherwise the same app in the system's browser, served
// by `pont serve` on the default workspace (which gets the demo the first time).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { electronBinary } from './electron-binary.mjs';

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
