#!/usr/bin/env node
// The CLI runs the TypeScript sources directly: Node >= 22.18 strips types itself (see scripts/node.sh).
// Node's on-disk compile cache keeps the stripped and compiled modules between calls, which halves start-up.
import { enableCompileCache, registerHooks } from 'node:module';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { fileURLToPath } from 'node:url';

// The cache is kept per user, with the user's other caches: Node's default, $TMPDIR/node-compile-cache, is emptied
// with the temporary folder and belongs to whoever created it first, so that other users' calls compile everything
// again every time (a search: 0.7 s of CPU instead of 0.4). NODE_COMPILE_CACHE, when set, still decides.
function compileCacheDir() {
  if (process.env.NODE_COMPILE_CACHE) return undefined;
  const home = homedir();
  const base =
    process.platform === 'win32'
      ? (process.env.LOCALAPPDATA ?? join(home, 'AppData', 'Local'))
      : process.platform === 'darwin'
        ? join(home, 'Library', 'Caches')
        : (process.env.XDG_CACHE_HOME ?? join(home, '.cache'));
  return join(base, 'pont', 'node-compile-cache');
}
enableCompileCache?.(compileCacheDir());
// zod's entry point re-exports its error messages in some fifty languages, 70 modules that every call validating an
// input would load (~45 ms, more than the rest of zod). Pont says what was wrong in its own words (PontError, from
// zod's English issues), so the CLI hands zod a catalogue index with English alone: `z.locales` has only `en`, and
// zod's default messages, which it imports from en.js itself, are unchanged. test/experiments/cli-startup.test.ts.
const zodLocales = '/node_modules/zod/v4/locales/index.js';
registerHooks?.({
  load: (url, context, next) =>
    url.endsWith(zodLocales) ? { format: 'module', source: 'export { default as en } from "./en.js";', shortCircuit: true } : next(url, context),
});
// V8 sizes its young generation when the process starts (v8.setFlagsFromString comes too late for that), so a long
// command starts again with the heap flags on node's command line: execve, the same process and pid, so that Ctrl-C,
// kill and a parent's wait reach it as before. Quick commands do not pay for the second start (electron/cli/relaunch.ts).
const { runtimeHeapFlags, relaunchFlags, relaunchEnv } = await import('../electron/cli/relaunch.ts');
const flags = relaunchFlags(process.argv.slice(2), process.execArgv, process.env.NODE_OPTIONS);
// And with the allocator's settings, which the C library reads when the process starts.
const env = relaunchEnv(process.argv.slice(2), process.env);
if ((flags.length > 0 || Object.keys(env).length > 0) && typeof process.execve === 'function') {
  // Node aborts, rather than throws, when execve fails; it runs the binary already running, so only a sandbox that
  // forbids exec could make it fail (NODE_OPTIONS=--max-semi-space-size=16 and MALLOC_MMAP_THRESHOLD_=131072 in the
  // environment then avoid the restart).
  process.execve(process.execPath, [process.execPath, ...flags, ...process.execArgv, fileURLToPath(import.meta.url), ...process.argv.slice(2)], { ...process.env, ...env });
}
// The old generation's growth, which V8 reads as it goes, for every command (electron/engine/jobs/heap-flags.ts).
for (const f of runtimeHeapFlags) setFlagsFromString(f);
const { main } = await import('../electron/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
