import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { subsystemOf, subsystems } from '../../electron/api/contract/index.ts';
import { pontBin, repoRoot, runCli } from '../cli/run-cli.ts';
import { tempDir } from '../helpers/workspace.ts';

// Start-up time is a benchmark (`npm run bench cli`); what keeps it low is that a command loads only what it uses,
// and that is checked here, exactly, by listing the modules a call loads.

/** Packages that cost tens to hundreds of milliseconds to load, and that no command needs at start-up. */
const heavy = ['onnxruntime-node', 'onnxruntime-common', 'unpdf', 'mammoth', 'sqlite-vec', 'node-html-parser', '@huggingface/tokenizers', 'flexsearch'];

function loadedModules(args: string[]): { modules: string[]; status: number | null; stdout: string; stderr: string } {
  const dir = tempDir('pont-startup-');
  const hook = join(dir, 'hook.mjs');
  const list = join(dir, 'modules.txt');
  writeFileSync(
    hook,
    `import { registerHooks } from 'node:module';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
const seen = [];
registerHooks({ load(url, context, next) { seen.push(url); return next(url, context); } });
process.on('exit', () => writeFileSync(${JSON.stringify(list)}, seen.join('\\n')));
`,
  );
  const r = spawnSync(process.execPath, ['--import', hook, pontBin, ...args], { cwd: repoRoot, encoding: 'utf8' });
  const modules = readFileSync(list, 'utf8')
    .split('\n')
    .filter((u) => u.startsWith('file:'))
    .map((u) => decodeURIComponent(new URL(u).pathname));
  return { modules, status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const packageOf = (path: string) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)?.[1];
const ours = (modules: string[]) => modules.filter((m) => !m.includes('/node_modules/')).map((m) => m.slice(m.indexOf('/electron/') + 1));

describe('CLI start-up loads only what the command uses', () => {
  it('--help loads commander and the command modules, not SQLite, zod, the API handlers or the engine', () => {
    const { modules, status } = loadedModules(['--help']);
    expect(status).toBe(0);
    const packages = new Set(modules.map(packageOf).filter(Boolean));
    for (const p of [...heavy, 'better-sqlite3', 'snowball-stemmers', 'zod']) expect(packages, p).not.toContain(p);
    const engine = ours(modules).filter((m) => m.startsWith('electron/api/') || m.startsWith('electron/engine/store/workspace') || m.startsWith('electron/engine/lexical/'));
    expect(engine).toEqual([]);
  });

  // The method → subsystem index, the lexical table and the shapes it shares with the others (contract/index.ts).
  const lexicalContract = ['electron/api/contract/index.ts', 'electron/api/contract/lexical.ts', 'electron/api/contract/schemas.ts'];

  it('a search loads the lexical handlers and schemas only: no other subsystem, no ONNX Runtime or document readers', () => {
    const ws = join(tempDir('pont-startup-ws-'), 'ws');
    const { modules, status, stderr } = loadedModules(['--workspace', ws, '--no-demo', 'search', 'mar', '--collection', 'nothing']);
    expect(stderr).toMatch(/nothing/);
    expect(status).not.toBe(0);
    const packages = new Set(modules.map(packageOf).filter(Boolean));
    for (const p of heavy) expect(packages, p).not.toContain(p);
    const handlerModules = ours(modules).filter((m) => m.startsWith('electron/api/handlers/') && !m.endsWith('/index.ts'));
    expect(handlerModules).toEqual(['electron/api/handlers/lexical.ts']);
    // Its input is checked against the lexical subsystem's schemas alone: the contract's other tables are not built.
    expect(ours(modules).filter((m) => m.startsWith('electron/api/contract/')).sort()).toEqual(lexicalContract);
  });

  it('a search of the demo loads the lexical search path alone, and leaves the workspace as it was', { timeout: 60_000 }, () => {
    const ws = join(tempDir('pont-startup-demo-'), 'ws');
    expect(runCli(['--workspace', ws, 'collection', 'list']).code).toBe(0);
    const before = readdirSync(ws).map((f) => [f, readFileSync(join(ws, f))] as const);
    const { modules, status, stdout, stderr } = loadedModules(['--workspace', ws, 'search', 'la mar', '--collection', 'demo-fr']);
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(stdout).toMatch(/hits .* in demo-fr \(chargram/);
    const packages = new Set(modules.map(packageOf).filter(Boolean));
    // Stemmers run only in word indexes of a language that has one; the n-gram index stems nothing.
    for (const p of [...heavy, 'snowball-stemmers']) expect(packages, p).not.toContain(p);
    // bin/pont.mjs gives zod an English-only catalogue index (its fifty languages were 70 modules); its own hook
    // answers for index.js before this test's hook sees it.
    const zodLocales = modules.filter((m) => m.includes('/zod/v4/locales/')).map((m) => m.slice(m.lastIndexOf('/') + 1));
    expect(zodLocales).toEqual(['en.js']);
    const own = ours(modules);
    expect(own.filter((m) => m.startsWith('electron/cli/commands/'))).toEqual(['electron/cli/commands/lexical.ts']);
    expect(own.filter((m) => m.startsWith('electron/api/contract/')).sort()).toEqual(lexicalContract);
    // What a plain search does not use: bridges, the variety chooser, pipelines, run files, job threads.
    const unused = own.filter((m) => /^electron\/engine\/(bridge|community|dense|runs)\/(?!.*schema\.ts$)|^electron\/engine\/pipeline\/(?!registry\.ts$)|^electron\/api\/threads\.ts$|^electron\/engine\/lexical\/stage\.ts$/.test(m));
    expect(unused).toEqual([]);
    // An up-to-date workspace is checked, not migrated or seeded again: the search wrote nothing.
    expect(readdirSync(ws).map((f) => [f, readFileSync(join(ws, f))] as const)).toEqual(before);
  });

  it('indexes each method under the subsystem whose table holds it, so that a call loads that table alone', async () => {
    // The type checker holds `subsystemOf` to the tables; this checks the same at run time, casts and all.
    for (const [subsystem, load] of Object.entries(subsystems)) {
      const indexed = Object.entries(subsystemOf).filter(([, s]) => s === subsystem).map(([m]) => m);
      expect(indexed.sort(), subsystem).toEqual(Object.keys(await load()).sort());
    }
  });

  it.runIf(process.platform === 'linux')('keeps the compiled modules in the per-user cache, where they outlive the temporary folder', () => {
    const cache = tempDir('pont-startup-cache-');
    const env: NodeJS.ProcessEnv = { ...process.env, XDG_CACHE_HOME: cache };
    delete env.NODE_COMPILE_CACHE;
    const r = spawnSync(process.execPath, [pontBin, '--help'], { cwd: repoRoot, encoding: 'utf8', env });
    expect(r.status).toBe(0);
    const [dir] = readdirSync(join(cache, 'pont', 'node-compile-cache'));
    expect(readdirSync(join(cache, 'pont', 'node-compile-cache', dir!)).length).toBeGreaterThan(10);
  });
});
